//! What the page and browser say about the visitor: languages, Global
//! Privacy Control; and reloading the page.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::JsCast;

/// The page's `<html lang>`, if set.
pub fn html_lang() -> Option<String> {
    let root = super::dom::document().document_element()?;
    root.get_attribute("lang").filter(|l| !l.trim_ascii().is_empty())
}

/// The browser's preferred languages, most preferred first.
pub fn browser_languages() -> Vec<String> {
    let window = super::dom::window();
    window
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.dyn_ref::<js_sys::JsString>().map(String::from))
        .collect()
}

/// Whether the browser sends Global Privacy Control
/// (`navigator.globalPrivacyControl === true`).
pub fn global_privacy_control() -> bool {
    let window = super::dom::window();
    js_sys::Reflect::get(&window.navigator(), &"globalPrivacyControl".into())
        .map(|v| v.as_bool() == Some(true))
        .unwrap_or(false)
}

/// Reloads the page.
pub fn reload() {
    let _ = super::dom::window().location().reload();
}
