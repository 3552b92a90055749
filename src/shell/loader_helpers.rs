//! The loader's small JavaScript helpers, passed to `_start`: `hash(text)`
//! (the notice's SHA-256), `send(url, eventText?)` (the consent log's
//! queue), `resolve(address)` (a relative address against the page's own
//! base, never a `<base>` that page content added), `build` and `policy`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::page_local::PageLocal;

use core::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

static HELPERS: PageLocal<RefCell<JsValue>> = PageLocal(RefCell::new(JsValue::UNDEFINED));

/// Keeps the loader's helpers object.
pub fn keep(helpers: JsValue) {
    if let Ok(mut slot) = HELPERS.0.try_borrow_mut() {
        *slot = helpers;
    }
}

/// Calls the helper `name` with `args`; its answer, if any.
pub fn call(name: &str, args: &js_sys::Array) -> Option<JsValue> {
    let helpers = HELPERS.0.try_borrow().ok()?.clone();
    let f = js_sys::Reflect::get(&helpers, &name.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    f.apply(&helpers, args).ok()
}

/// `address` made absolute against the page's trusted base (as it is, when
/// there is no loader, as in the shell's own tests).
pub fn resolve(address: &str) -> String {
    call("resolve", &js_sys::Array::of1(&address.into()))
        .and_then(|a| a.as_string())
        .unwrap_or_else(|| address.to_owned())
}
