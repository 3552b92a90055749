//! The page's `document`, read through `Document.prototype` at every use.
//!
//! `Document` has named properties that win over its own members: page
//! content inserted at any time (`<img name="cookie">`, `<form
//! name="body">`: DOM clobbering) makes `document.cookie` or
//! `document.body` that element, and `document.cookie = …` then writes
//! nothing. web-sys's bindings are structural (`document.cookie`), so they
//! read the element. These are `final`: the glue calls the accessor or
//! method it finds on `Document.prototype` (`EventTarget.prototype` for
//! listeners) with the document as receiver, which no element can shadow.
//! The loader removes clobbering names at start; these hold for what comes
//! later.
//!
//! Not here, because nothing in the page can shadow them: `location` (on
//! `window` and `document`), `Location`'s members, and `window`'s own
//! properties (`localStorage`, `sessionStorage`, `navigator`, …) are own
//! properties of those objects, unforgeable or above the window's named
//! properties; `window` and `document` themselves are read once (`dom`).

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, EventTarget, NodeList};

#[wasm_bindgen]
extern "C" {
    /// The page's document, as these bindings see it.
    #[wasm_bindgen(js_name = Document)]
    type Doc;
    /// Anything with `addEventListener`.
    #[wasm_bindgen(js_name = EventTarget)]
    type Target;
    #[wasm_bindgen(method, getter, final, catch, js_class = "Document", js_name = cookie)]
    fn cookie(this: &Doc) -> Result<String, JsValue>;
    #[wasm_bindgen(method, setter, final, catch, js_class = "Document", js_name = cookie)]
    fn set_cookie(this: &Doc, line: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, getter, final, js_class = "Document", js_name = documentElement)]
    fn root(this: &Doc) -> Option<Element>;
    #[wasm_bindgen(method, getter, final, js_class = "Document", js_name = body)]
    fn body(this: &Doc) -> Option<Element>;
    #[wasm_bindgen(method, getter, final, js_class = "Document", js_name = activeElement)]
    fn active(this: &Doc) -> Option<Element>;
    #[wasm_bindgen(method, final, js_class = "Document", js_name = createElement)]
    fn create(this: &Doc, tag: &str) -> Element;
    #[wasm_bindgen(method, final, catch, js_class = "Document", js_name = querySelectorAll)]
    fn select(this: &Doc, selector: &str) -> Result<NodeList, JsValue>;
    #[wasm_bindgen(method, final, js_class = "EventTarget", js_name = addEventListener)]
    fn listen(this: &Target, kind: &str, listener: &js_sys::Function, capture: bool);
    /// A page element, as these bindings see it.
    #[wasm_bindgen(js_name = Element)]
    type PageElement;
    #[wasm_bindgen(method, final, catch, js_class = "Element", js_name = closest)]
    fn closest_of(this: &PageElement, selector: &str) -> Result<Option<Element>, JsValue>;
    #[wasm_bindgen(method, final, catch, js_class = "Element", js_name = matches)]
    fn matches_of(this: &PageElement, selector: &str) -> Result<bool, JsValue>;
    #[wasm_bindgen(method, final, catch, js_class = "Element", js_name = querySelector)]
    fn first_of(this: &PageElement, selector: &str) -> Result<Option<Element>, JsValue>;
    #[wasm_bindgen(method, final, js_class = "Element", js_name = getAttribute)]
    fn attribute_of(this: &PageElement, name: &str) -> Option<String>;
    #[wasm_bindgen(method, final, js_class = "Node", js_name = contains)]
    fn contains_of(this: &PageElement, other: &Element) -> bool;
}

/// The page's document (read once, in `dom`: `window.document` is not
/// shadowed by anything).
fn doc() -> Doc {
    super::dom::document().unchecked_into()
}

/// `document.cookie` (`""` where the page may not read cookies).
pub fn cookie() -> String {
    doc().cookie().unwrap_or_default()
}

/// `document.cookie = line`: sets (or, expired, deletes) one cookie;
/// nothing where the page may not write cookies.
pub fn set_cookie(line: &str) {
    let _ = doc().set_cookie(line);
}

/// `document.documentElement`.
pub fn root() -> Option<Element> {
    doc().root()
}

/// `document.body`.
pub fn body() -> Option<Element> {
    doc().body()
}

/// `document.activeElement`.
pub fn active_element() -> Option<Element> {
    doc().active()
}

/// `document.createElement(tag)`, for Koekje's constant, valid tag names
/// (which never throw).
pub fn create_element(tag: &str) -> Element {
    doc().create(tag)
}

/// `document.querySelectorAll(selector)` (an error only for a selector
/// that is not valid).
pub fn select_all(selector: &str) -> Result<NodeList, JsValue> {
    doc().select(selector)
}

/// The elements of the page that match `selector`, in document order.
pub fn query_all(selector: &str) -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(list) = select_all(selector) {
        for i in 0..list.length() {
            // Every node a selector matches is an element.
            if let Some(node) = list.item(i) {
                out.push(node.unchecked_into());
            }
        }
    }
    out
}

/// `target.addEventListener(kind, listener, capture)`, through
/// `EventTarget.prototype` (the document's own would be shadowed by an
/// element named `addEventListener`).
pub fn add_listener(target: &EventTarget, kind: &str, listener: &js_sys::Function, capture: bool) {
    target.unchecked_ref::<Target>().listen(kind, listener, capture);
}

// A page element's own members can be shadowed too: a `<form>`'s controls
// are named properties that win over its members (`<input name="contains">`
// makes `form.contains` that input). Koekje reads page elements it did not
// make (the target of a click or a toggle, elements added later) through
// these, with the element as receiver of the prototype's method.

fn page(el: &Element) -> &PageElement {
    el.unchecked_ref()
}

/// `el.closest(selector)`, through `Element.prototype`.
pub fn closest(el: &Element, selector: &str) -> Option<Element> {
    page(el).closest_of(selector).ok().flatten()
}

/// `el.matches(selector)`, through `Element.prototype`.
pub fn matches(el: &Element, selector: &str) -> bool {
    page(el).matches_of(selector).unwrap_or(false)
}

/// `el.querySelector(selector)`, through `Element.prototype`.
pub fn first(el: &Element, selector: &str) -> Option<Element> {
    page(el).first_of(selector).ok().flatten()
}

/// `el.getAttribute(name)`, through `Element.prototype`.
pub fn attribute(el: &Element, name: &str) -> Option<String> {
    page(el).attribute_of(name)
}

/// `el.contains(other)`, through `Node.prototype`.
pub fn contains(el: &Element, other: &Element) -> bool {
    page(el).contains_of(other)
}
