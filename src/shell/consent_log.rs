//! The consent log's browser side: the notice's hash, and sending events.
//! Hashing (`crypto.subtle`), the queue in storage and the requests are the
//! loader's small JavaScript helpers (cheaper than the same plumbing in
//! wasm); what an event holds is decided in `core::log_event`.

#[allow(unused_imports)]
use crate::prelude::*;

use super::loader_helpers::call;
use crate::core::value::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Hashes the notice's JSON text; `done` gets the hash (hex) once the
/// browser has computed it (never in a page that is not a secure context).
pub fn hash_notice(text: &str, done: fn(String)) {
    let Some(promise) = call("hash", &js_sys::Array::of1(&text.into())) else { return };
    // One closure type for all of Koekje's callbacks (see `live`).
    let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |hash: web_sys::Event| {
        if let Some(hash) = JsValue::from(hash).as_string() {
            done(hash);
        }
    })
    .into_js_value();
    if let Some(then) =
        js_sys::Reflect::get(&promise, &"then".into()).ok().and_then(|t| t.dyn_into::<js_sys::Function>().ok())
    {
        let _ = then.call1(&promise, &callback);
    }
}

/// Queues `event` (if any) for the receiver at `url` and sends what is
/// queued; `None` only sends what earlier pages could not.
pub fn send(url: &str, event: Option<&Value>) {
    let text = event.and_then(super::json::stringify).map_or(JsValue::UNDEFINED, |t| JsValue::from_str(&t));
    let _ = call("send", &js_sys::Array::of2(&url.into(), &text));
}
