//! Keeps the banner the top-most layer while it shows. A banner that does
//! not block the page is a manual popover in the top layer, where no page
//! element paints over it; but a page popover or dialog that opens later
//! (markup alone can open one: `popovertarget`, `commandfor`) goes above
//! it. Then the banner is put back on top, and until it is, a click on it
//! does not count ([`covered`]): the visitor may have seen the page's layer
//! over it. Every page press, click or key puts it back on top as well
//! (some layers open without an event that reaches the document).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::page_local::PageLocal;

use core::cell::{Cell, RefCell};

use super::super::dom;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

struct State {
    /// The popover Koekje keeps on top, while it shows.
    shown: RefCell<Option<Element>>,
    /// Whether something opened above it since it was last put on top.
    covered: Cell<bool>,
    /// Whether the page's toggles are listened to.
    listening: Cell<bool>,
}

static STATE: PageLocal<State> =
    PageLocal(State { shown: RefCell::new(None), covered: Cell::new(false), listening: Cell::new(false) });

/// Calls the method `name` of `el`, if it has one; whether it ran.
fn call(el: &Element, name: &str) -> bool {
    js_sys::Reflect::get(el, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call0(el).is_ok())
}

/// Puts `el` in the top layer as a manual popover, above anything in the
/// page whatever its `z-index`, and keeps it on top while it shows.
/// Browsers without popovers (Chrome before 114, Firefox before 125,
/// Safari before 17) show it in place, fixed, with the highest `z-index`.
pub fn show(el: &Element) {
    listen();
    dom::set(el, "popover", "manual");
    if !call(el, "showPopover") {
        let _ = el.remove_attribute("popover");
        return;
    }
    if let Ok(mut shown) = STATE.shown.try_borrow_mut() {
        *shown = Some(el.clone());
    }
    STATE.covered.set(false);
    super::proof::view_changed();
}

/// Puts `el` (a stand-in for a modal dialog, where the browser has no
/// `<dialog>`) in the top layer above the banner, without keeping it there.
pub fn lift(el: &Element) {
    dom::set(el, "popover", "manual");
    if !call(el, "showPopover") {
        let _ = el.remove_attribute("popover");
    }
}

/// Stops keeping `el` on top (it is being removed).
pub fn forget(el: &Element) {
    if let Ok(mut shown) = STATE.shown.try_borrow_mut() {
        if shown.as_ref() == Some(el) {
            *shown = None;
        }
    }
    STATE.covered.set(false);
}

/// Whether a page popover or dialog opened above the banner and the banner
/// is not yet back on top.
pub fn covered() -> bool {
    STATE.covered.get()
}

/// Listens (once) for popovers and dialogs of the page opening: `toggle`
/// and `beforetoggle` do not bubble, so they are caught on the way down.
/// Not every layer of the page says so at the document (a popover in a
/// shadow root of the page's, a `<select>`'s picker), so the banner is also
/// put back on top after every press, click and key on the page.
fn listen() {
    if STATE.listening.replace(true) {
        return;
    }
    let document = dom::document();
    for kind in ["beforetoggle", "toggle"] {
        let closure = Closure::<dyn Fn(Event)>::new(on_toggle);
        super::super::page_dom::add_listener(&document, kind, closure.as_ref().unchecked_ref(), true);
        closure.forget();
    }
    for kind in ["pointerdown", "click", "keydown"] {
        let closure = Closure::<dyn Fn(Event)>::new(on_page_input);
        super::super::page_dom::add_listener(&document, kind, closure.as_ref().unchecked_ref(), true);
        closure.forget();
    }
}

/// The banner kept on top, while it is in the page.
fn shown() -> Option<Element> {
    STATE.shown.try_borrow().ok().and_then(|s| s.clone()).filter(|s| s.is_connected())
}

/// Whether `target` (an event's, at the document, where events from inside
/// a shadow root come from its host) is the host of `shown`: the visitor
/// acting on Koekje's own interface.
fn is_own(target: &Element, shown: &Element) -> bool {
    shown.get_root_node().dyn_into::<web_sys::ShadowRoot>().is_ok_and(|root| &root.host() == target)
}

/// A popover or dialog of the page opens: the banner is covered at once
/// (`beforetoggle` comes before it shows) and put back on top when it has
/// opened (`toggle`, a task later). The target is page content, read
/// through the prototypes.
fn on_toggle(event: Event) {
    let opening =
        js_sys::Reflect::get(&event, &"newState".into()).ok().and_then(|s| s.as_string()).as_deref() == Some("open");
    let Some(shown) = shown() else { return };
    // Koekje's own popover is inside a shadow root: at the document its
    // events come from the host, never from the popover itself.
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    if !opening || is_own(&target, &shown) || !super::super::page_dom::matches(&target, "[popover], dialog") {
        return;
    }
    STATE.covered.set(true);
    if event.type_() == "toggle" {
        raise(&shown, true);
    }
}

/// A press, click or key on the page (not on Koekje's interface): whatever
/// it opens, the banner goes back on top right after (a task later, when
/// the page's own handling of it is done).
fn on_page_input(event: Event) {
    // Of the keys, only those that can open something (activate a button,
    // open a `<select>`): typing in a page's form raises nothing.
    if event.type_() == "keydown"
        && !matches!(
            event.unchecked_ref::<web_sys::KeyboardEvent>().key().as_str(),
            "Enter" | " " | "ArrowDown" | "ArrowUp"
        )
    {
        return;
    }
    let Some(banner) = shown() else { return };
    let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
    if target.is_some_and(|t| is_own(&t, &banner)) {
        return;
    }
    let later = Closure::<dyn Fn(Event)>::new(|_| {
        if let Some(shown) = shown() {
            raise(&shown, false);
        }
    })
    .into_js_value();
    let _ = dom::window().set_timeout_with_callback(later.unchecked_ref());
}

/// Puts `el` back on top of the top layer (hidden and shown again in one
/// task, so nothing is painted in between; focus kept where it was).
/// `covered`: a page layer is known to have been above it, so it counts as
/// shown anew (see `proof`); a raise after a page's press, just in case,
/// does not: the banner stays where the visitor saw it.
fn raise(el: &Element, covered: bool) {
    let focused = el.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok().and_then(|r| r.active_element());
    call(el, "hidePopover");
    call(el, "showPopover");
    if let Some(focused) = focused {
        dom::focus(&focused);
    }
    if covered {
        super::proof::view_changed();
    }
    let still_open = el.matches(":popover-open").unwrap_or(true);
    STATE.covered.set(!still_open);
}
