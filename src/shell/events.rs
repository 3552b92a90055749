//! The events Koekje fires on `window`: `koekje:ready`, `koekje:consent`,
//! `koekje:change`, and `koekje:show` / `koekje:hide` for the interface,
//! each with a plain-object `detail`.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::JsValue;

/// Fires `koekje:show` (`shown`) or `koekje:hide` for `view` (`"banner"`
/// or `"dialog"`), so that apps can react to the interface.
pub fn view(view: &str, shown: bool) {
    let detail = crate::core::value::Value::object([("view", crate::core::value::Value::from(view))]);
    fire(if shown { "koekje:show" } else { "koekje:hide" }, &super::json::to_js(&detail));
}

/// Fires `name` on `window` with `detail`.
pub fn fire(name: &str, detail: &JsValue) {
    let window = super::dom::window();
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}
