//! The events Koekje fires on `window`: `koekje:ready`, `koekje:consent`
//! and `koekje:change`, each with a plain-object `detail`.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::JsValue;

/// Fires `name` on `window` with `detail`.
pub fn fire(name: &str, detail: &JsValue) {
    let window = super::dom::window();
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}
