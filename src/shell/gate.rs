//! The script gate. Scripts written as
//! `<script type="text/plain" data-category="…" [data-service="…"] [data-src="…"]>`
//! and `<iframe data-category="…" data-src="…">` do nothing until released.
//!
//! Releasing a script replaces it with a real `<script>` carrying the same
//! attributes (including `async`, `defer`, `integrity`, `crossorigin` and the
//! `nonce`, which the browser hides from `getAttribute`), so it runs as the
//! browser would run it, never through `eval`. Scripts are released in
//! document order; each external one finishes loading (or fails) before the
//! next one runs. An iframe gets its `src` from `data-src`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Element, HtmlElement};

/// What selects held elements that are not yet queued for release.
const HELD: &str = "script[type='text/plain'][data-category]:not([data-koekje-queued]),\
                    iframe[data-category][data-src]:not([data-koekje-queued])";

/// Marks an element as queued, so it is never released twice.
const QUEUED: &str = "data-koekje-queued";

/// The held elements of the page, in document order.
pub fn held() -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(list) = super::dom::document().query_selector_all(HELD) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                out.push(el);
            }
        }
    }
    out
}

/// The category and service a held element names.
pub fn purpose(el: &Element) -> (String, Option<String>) {
    (
        el.get_attribute("data-category").unwrap_or_default(),
        el.get_attribute("data-service").filter(|s| !s.is_empty()),
    )
}

/// Releases `elements` in order (see the module doc).
pub fn release(elements: Vec<Element>) {
    for el in &elements {
        super::dom::set(el, QUEUED, "");
    }
    release_from(elements, 0);
}

fn release_from(queue: Vec<Element>, start: usize) {
    let mut i = start;
    while i < queue.len() {
        let held = queue[i].clone();
        i += 1;
        if !held.is_connected() {
            continue;
        }
        if held.tag_name().eq_ignore_ascii_case("iframe") {
            if let Some(src) = held.get_attribute("data-src") {
                let _ = held.remove_attribute("data-src");
                super::dom::set(&held, "src", &src);
            }
            continue;
        }
        let script = runnable_copy(&held);
        if script.has_attribute("src") {
            // Wait for this one before running the next.
            let next = Closure::once_into_js(move || release_from(queue, i));
            let _ = script.add_event_listener_with_callback("load", next.unchecked_ref());
            let _ = script.add_event_listener_with_callback("error", next.unchecked_ref());
            let _ = held.replace_with_with_node_1(&script);
            return;
        }
        let _ = held.replace_with_with_node_1(&script);
    }
}

/// A real `<script>` with the held one's attributes and code.
fn runnable_copy(held: &Element) -> Element {
    let script = super::dom::document().create_element("script").unwrap_throw();
    let attributes = held.attributes();
    for i in 0..attributes.length() {
        let Some(attr) = attributes.item(i) else { continue };
        let name = attr.name();
        match name.as_str() {
            "type" | QUEUED => {}
            "data-src" => super::dom::set(&script, "src", &attr.value()),
            "data-type" => super::dom::set(&script, "type", &attr.value()),
            _ => super::dom::set(&script, &name, &attr.value()),
        }
    }
    if let (Some(from), Some(to)) = (held.dyn_ref::<HtmlElement>(), script.dyn_ref::<HtmlElement>()) {
        let nonce = from.nonce();
        if !nonce.is_empty() {
            to.set_nonce(&nonce);
        }
    }
    if !script.has_attribute("src") {
        script.set_text_content(held.text_content().as_deref());
    }
    script
}
