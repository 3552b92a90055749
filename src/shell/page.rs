//! What the page and browser say about the visitor: languages, Global
//! Privacy Control; and reloading the page.

#[allow(unused_imports)]
use crate::prelude::*;

/// The page's `<html lang>`, if set.
pub fn html_lang() -> Option<String> {
    let root = super::page_dom::root()?;
    root.get_attribute("lang").filter(|l| !l.trim_ascii().is_empty())
}

/// The browser's preferred languages, most preferred first.
pub fn browser_languages() -> Vec<String> {
    let mut out = Vec::new();
    for l in super::dom::window().navigator().languages().iter() {
        if let Some(l) = l.as_string() {
            out.push(l);
        }
    }
    out
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
