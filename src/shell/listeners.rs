//! The listeners. On each of Koekje's shadow roots ([`listen_in`]): clicks
//! on its controls, the dialog's switches, its dialogs' `cancel` and
//! `close`; events of page content never reach them, and a page element
//! that copies Koekje's classes, ids or `data-koekje-action` attributes
//! does nothing. Page-wide ([`listen`]): `data-koekje="preferences"`
//! openers, Tab and Esc in Koekje's modal, `storage` from other tabs.
//!
//! They act through the [`Wiring`] the app gives them at start, so this
//! module knows nothing of the app's state.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::page_local::PageLocal;

use core::cell::Cell;

use super::dom;
use super::storage::STORAGE_KEY;
use super::view::{dialog, host, proof};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventTarget, ShadowRoot};

/// What a control of Koekje's asks for (its `data-koekje-action`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// "Let me choose": open the preferences.
    Preferences,
    /// "Save choices" in the preferences.
    Save,
    /// A dialog's close button.
    Close,
    /// The receipt's "Copy".
    CopyId,
    /// An embed's "Load this once".
    LoadOnce,
    /// An embed's "Always allow …".
    AllowAlways,
}

impl Action {
    fn from_attribute(name: &str) -> Option<Action> {
        Some(match name {
            "accept-all" => Action::AcceptAll,
            "reject-all" => Action::RejectAll,
            "preferences" => Action::Preferences,
            "save" => Action::Save,
            "close" => Action::Close,
            "copy-id" => Action::CopyId,
            "load-once" => Action::LoadOnce,
            "allow-always" => Action::AllowAlways,
            _ => return None,
        })
    }
}

/// What the listeners call: the app's actions, given once at start.
pub struct Wiring {
    /// A click on one of Koekje's controls that counts.
    pub act: fn(Action, Element),
    /// A click on one of Koekje's controls that does not count, and why.
    pub doubt: fn(Action, Element, &'static str),
    /// Opens the preferences (from a page's `data-koekje="preferences"`).
    pub open_preferences: fn(Option<Element>),
    /// Koekje's modal shown now (the dialog, a blocking banner), if any.
    pub modal: fn() -> Option<Element>,
    /// Esc in Koekje's modal where the browser has no `<dialog>`.
    pub escape: fn(),
    /// One of Koekje's dialogs closed (Esc, its close button, a choice).
    pub closed: fn(Element),
    /// Another tab stored (or removed) a choice.
    pub storage_changed: fn(),
}

static WIRED: PageLocal<Cell<Option<&'static Wiring>>> = PageLocal(Cell::new(None));

fn wiring() -> Option<&'static Wiring> {
    WIRED.0.get()
}

/// Sets up the page-wide listeners (once) with the app's `wiring`.
pub fn listen(wiring: &'static Wiring) {
    if WIRED.0.replace(Some(wiring)).is_some() {
        return;
    }
    let document = dom::document();
    listen_to(&document, "click", on_page_click, false);
    listen_to(&document, "keydown", on_keydown, false);
    listen_to(&dom::window(), "storage", on_storage, false);
}

/// Listens on one of Koekje's shadow roots: its controls' clicks, the
/// switches, and its dialogs closing (`cancel` and `close` do not bubble:
/// caught on the way down).
pub fn listen_in(root: &ShadowRoot) {
    listen_to(root, "pointermove", on_pointer_move, false);
    listen_to(root, "click", on_click, false);
    listen_to(root, "change", on_change, false);
    listen_to(root, "cancel", on_cancel, true);
    listen_to(root, "close", on_close, true);
}

/// Calls `handler` for every `kind` event that reaches `target` (while it
/// goes down when `capture`), for as long as the page lives.
fn listen_to(target: &EventTarget, kind: &str, handler: fn(Event), capture: bool) {
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    super::page_dom::add_listener(target, kind, closure.as_ref().unchecked_ref(), capture);
    closure.forget();
}

/// The element an event happened on (inside a shadow root, where the
/// listener is).
fn target_of(event: &Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

/// Opening the preferences is open to any element of the page: it records
/// nothing. (A click in Koekje's interface comes from its host here.)
fn on_page_click(event: Event) {
    let Some(target) = target_of(&event).filter(|t| t.local_name() != host::TAG) else { return };
    let Some(wiring) = wiring() else { return };
    // Page content: read through the prototypes (a `<form>`'s controls
    // shadow its members).
    if let Some(opener) = super::page_dom::closest(&target, "[data-koekje=preferences]") {
        event.prevent_default();
        (wiring.open_preferences)(Some(opener));
    }
}

/// The pointer moved in one of Koekje's shadow roots: over which control
/// (see [`proof::doubt`]).
fn on_pointer_move(event: Event) {
    if let Some(control) = target_of(&event).and_then(|t| t.closest("[data-koekje-action]").ok().flatten()) {
        proof::moved_over(control);
    }
}

/// A click in one of Koekje's shadow roots: on a control, it counts only
/// when the control was seen ([`proof::doubt`]).
fn on_click(event: Event) {
    let Some(wiring) = wiring() else { return };
    let Some(target) = target_of(&event) else { return };
    let Ok(Some(control)) = target.closest("[data-koekje-action]") else { return };
    let Some(action) = control.get_attribute("data-koekje-action").as_deref().and_then(Action::from_attribute) else {
        return;
    };
    // Closing a dialog is never a choice.
    if action != Action::Close {
        if let Some(why) = proof::doubt(event.unchecked_ref(), &control) {
            (wiring.doubt)(action, control, why);
            return;
        }
    }
    (wiring.act)(action, control);
}

fn on_change(event: Event) {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    if let Ok(Some(d)) = input.closest("dialog") {
        dialog::sync_switches(&d, &input);
    }
}

/// Whether a key event is Tab (or Shift+Tab): WebKitGTK sends Shift+Tab
/// with `key: "Unidentified"` and `code: "Tab"`.
fn is_tab(event: &web_sys::KeyboardEvent) -> bool {
    event.key() == "Tab" || event.code() == "Tab"
}

/// Keeps Tab and Shift+Tab inside the open modal (the preferences dialog,
/// or a blocking banner): from the last element to the first and back.
fn on_keydown(event: Event) {
    let Some(wiring) = wiring() else { return };
    let event: web_sys::KeyboardEvent = event.unchecked_into();
    if event.key() == "Escape" {
        (wiring.escape)();
        return;
    }
    if !is_tab(&event) {
        return;
    }
    let Some(modal) = (wiring.modal)() else { return };
    let items = dialog::focusable(&modal);
    let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
    let active = dom::active_in(&modal);
    let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<Element>());
    let inside = active.as_ref().is_some_and(|a| modal.contains(Some(a)));
    if event.shift_key() && (at(first) || !inside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (at(last) || !inside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// Esc does not dismiss a blocking banner: the visitor answers it.
fn on_cancel(event: Event) {
    if target_of(&event).is_some_and(|t| t.class_list().contains("koekje-banner")) {
        event.prevent_default();
    }
}

fn on_close(event: Event) {
    let (Some(wiring), Some(target)) = (wiring(), target_of(&event)) else { return };
    (wiring.closed)(target);
}

/// Another tab stored (or removed) a choice.
fn on_storage(event: Event) {
    if event.unchecked_into::<web_sys::StorageEvent>().key().as_deref() == Some(STORAGE_KEY) {
        if let Some(wiring) = wiring() {
            (wiring.storage_changed)();
        }
    }
}
