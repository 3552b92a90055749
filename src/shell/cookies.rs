//! The page's cookies through `document.cookie`: which names are set, and
//! deleting one for every domain and path it could have been set on.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::cookie_match::{cookie_domains, cookie_names, cookie_paths, matches_any};
use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

/// The document as web-sys's `HtmlDocument`, which has `cookie` (every
/// document has it in the browser, so this is not checked).
fn html_document() -> HtmlDocument {
    super::dom::document().unchecked_into()
}

/// The names of the cookies this page can see.
pub fn names() -> Vec<String> {
    let Ok(all) = html_document().cookie() else { return Vec::new() };
    let mut out = Vec::new();
    for name in cookie_names(&all) {
        out.push(name.to_owned());
    }
    out
}

/// Deletes every cookie whose name matches one of `patterns` (`*` wildcards),
/// on the host, each parent domain and every path up to this page.
pub fn delete_matching(patterns: &[&str]) {
    if patterns.is_empty() {
        return;
    }
    let document = html_document();
    let location = document.location();
    let host = location.as_ref().and_then(|l| l.hostname().ok()).unwrap_or_default();
    let pathname = location.and_then(|l| l.pathname().ok()).unwrap_or_default();
    for name in names() {
        if !matches_any(patterns.iter().copied(), &name) {
            continue;
        }
        for path in cookie_paths(&pathname) {
            // Host-only first, then each domain.
            let _ = document.set_cookie(&expired(&name, path, None));
            for domain in cookie_domains(&host) {
                let _ = document.set_cookie(&expired(&name, path, Some(domain)));
            }
        }
    }
}

fn expired(name: &str, path: &str, domain: Option<&str>) -> String {
    let mut c = String::with_capacity(80);
    c.push_str(name);
    c.push_str("=; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=0; path=");
    c.push_str(path);
    if let Some(domain) = domain {
        c.push_str("; domain=");
        c.push_str(domain);
    }
    c
}
