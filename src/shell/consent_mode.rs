//! Google Consent Mode v2: sends `gtag('consent', 'update', {…})` with the
//! signals the core maps from the categories. `gtag` is the page's (defined
//! by `koekje-gcm.js` or the Google snippet); without it nothing is sent.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::{JsCast, JsValue};

/// Sends the signals as a consent update, if the page has `gtag`.
pub fn send_update<S: AsRef<str>>(signals: &[(S, bool)]) {
    let window = super::dom::window();
    let Ok(gtag) = js_sys::Reflect::get(&window, &"gtag".into()) else { return };
    let Some(gtag) = gtag.dyn_ref::<js_sys::Function>() else { return };
    let update = js_sys::Object::new();
    for (signal, granted) in signals {
        let value = if *granted { "granted" } else { "denied" };
        let _ = js_sys::Reflect::set(&update, &JsValue::from_str(signal.as_ref()), &JsValue::from_str(value));
    }
    let _ = gtag.call3(&JsValue::UNDEFINED, &"consent".into(), &"update".into(), &update);
}
