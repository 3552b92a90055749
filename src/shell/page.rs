//! What the page and browser say about the visitor's language.

use wasm_bindgen::JsCast;

/// The page's `<html lang>`, if set.
pub fn html_lang() -> Option<String> {
    let root = super::dom::document().document_element()?;
    root.get_attribute("lang").filter(|l| !l.trim().is_empty())
}

/// The browser's preferred languages, most preferred first.
pub fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    window
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.dyn_ref::<js_sys::JsString>().map(String::from))
        .collect()
}
