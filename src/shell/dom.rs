//! Small helpers for building the interface with the DOM. Text always goes
//! in as text (`textContent`), never as HTML.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Window};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: Window;
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    static DOCUMENT: Document;
}

/// The page's window (read once; `web_sys::window()` would look for the
/// global object four ways on every call).
pub fn window() -> Window {
    WINDOW.with(Window::clone)
}

/// The page's document.
pub fn document() -> Document {
    DOCUMENT.with(Document::clone)
}

/// A new `<tag class="class">`.
pub fn element(tag: &str, class: &str) -> Element {
    let el = super::page_dom::create_element(tag);
    if !class.is_empty() {
        el.set_class_name(class);
    }
    el
}

/// A new `<tag class="class">` holding `text` as text.
pub fn text_element(tag: &str, class: &str, text: &str) -> Element {
    let el = element(tag, class);
    el.set_text_content(Some(text));
    el
}

/// An id inside Koekje's interface: `koekje-`, the page's random `uid`,
/// `-`, then `name` (built from indexes, never from config ids, so two
/// never collide, and no page element can guess one).
pub fn inner_id(uid: &str, name: &str) -> String {
    let mut id = String::from("koekje-");
    id.push_str(uid);
    id.push('-');
    id.push_str(name);
    id
}

/// Sets an attribute (names are constants, so this cannot fail).
pub fn set(el: &Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

/// Appends `child` to `parent`.
pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// A `<button type="button">` that triggers `action` when clicked.
pub fn action_button(action: &str, class: &str, text: &str) -> Element {
    let button = text_element("button", class, text);
    set(&button, "type", "button");
    set(&button, "data-koekje-action", action);
    button
}

/// Sets `lang`, `dir` and the fixed theme (if any) on a root element of
/// the interface.
pub fn set_root_attributes(el: &Element, lang: &str, theme: crate::core::config::Theme) {
    set(el, "lang", lang);
    let dir = if crate::core::language::is_right_to_left(lang) { "rtl" } else { "ltr" };
    set(el, "dir", dir);
    if let Some(theme) = theme.attribute() {
        set(el, "data-theme", theme);
    }
}

/// The elements under `root` that match `selector` and are of type `T`, in
/// document order (`None` for `root`: the whole document).
pub fn query_all<T: JsCast>(root: Option<&Element>, selector: &str) -> Vec<T> {
    let list = match root {
        Some(root) => root.query_selector_all(selector),
        None => super::page_dom::select_all(selector),
    };
    let mut out = Vec::new();
    if let Ok(list) = list {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<T>().ok()) {
                out.push(el);
            }
        }
    }
    out
}

/// `el` as an `HtmlElement`, unchecked: what Koekje uses of it (`focus`,
/// `nonce`, `style`) is also on SVG and MathML elements, so an element that
/// is not HTML still has it, and no `instanceof` test ships.
pub fn html(el: &Element) -> &HtmlElement {
    el.unchecked_ref()
}

/// Moves focus to `el`, if it can take it.
pub fn focus(el: &Element) {
    let _ = html(el).focus();
}

/// `n` rounded to a whole number, as decimal text (through JavaScript's
/// `Number#toString`, so no number formatting ships in the wasm).
pub fn whole_number(n: f64) -> String {
    js_sys::Number::from((n + 0.5) as i64 as f64).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

/// The focused element in the tree that holds `el` (its shadow root's
/// `activeElement` when it is in one; the document's otherwise).
pub fn active_in(el: &Element) -> Option<Element> {
    match el.get_root_node().dyn_into::<web_sys::ShadowRoot>() {
        Ok(root) => root.active_element(),
        Err(_) => super::page_dom::active_element(),
    }
}
