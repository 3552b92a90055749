//! The page-wide listeners, set up once at start: clicks, the dialog's
//! switches, the Tab trap, the dialog closing, and `storage` events from
//! other tabs. Every one acts only on the banner, dialog and placeholders
//! Koekje built itself, found by reference: page content that copies their
//! classes, ids or `data-koekje-action` attributes does nothing.

#[allow(unused_imports)]
use crate::prelude::*;

use super::app::{self, Own};
use super::storage::STORAGE_KEY;
use super::{dialog, dom, gate, placeholder};
use crate::core::consent::Choice;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlDialogElement};

/// One click listener for the whole page (the banner's, dialog's and
/// placeholders' buttons, and every `data-koekje="preferences"` element),
/// one for the dialog's switches changing, one for keys, and one for the
/// dialog closing (Esc, the close button or a choice), which returns focus.
pub fn listen() {
    let document = dom::document();
    listen_to(&document, "click", on_click, false);
    listen_to(&document, "change", on_change, false);
    listen_to(&document, "keydown", on_keydown, false);
    // `cancel` and `close` do not bubble: caught on the way down.
    listen_to(&document, "cancel", on_cancel, true);
    listen_to(&document, "close", on_close, true);
    listen_to(&dom::window(), "storage", on_storage, false);
}

/// Calls `handler` for every `kind` event that reaches `target` (while it
/// goes down when `capture`), for as long as the page lives.
fn listen_to(target: &web_sys::EventTarget, kind: &str, handler: fn(Event), capture: bool) {
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback_and_bool(kind, closure.as_ref().unchecked_ref(), capture);
    closure.forget();
}

fn on_click(event: Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    // Opening the dialog is open to any element of the page: it records nothing.
    if let Ok(Some(opener)) = target.closest("[data-koekje=preferences]") {
        event.prevent_default();
        app::show_preferences(Some(opener));
        return;
    }
    let Ok(Some(button)) = target.closest("[data-koekje-action]") else { return };
    let action = button.get_attribute("data-koekje-action");
    if app::owner_of(&button).is_some() {
        match action.as_deref() {
            Some("accept-all") => app::choose(Choice::AcceptAll, false),
            Some("reject-all") => app::choose(Choice::RejectAll, false),
            Some("preferences") => app::show_preferences(Some(button)),
            Some("save") => {
                if let Some(d) = app::open_dialog() {
                    app::choose(Choice::Custom(dialog::read_choice(&d)), false);
                }
            }
            Some("close") => app::hide_dialog(),
            Some("copy-id") => app::copy_consent_id(),
            _ => {}
        }
        return;
    }
    // A placeholder's button: only one Koekje built, for the iframe it
    // built it for.
    let Some(iframe) = placeholder::iframe_for(&button) else { return };
    match action.as_deref() {
        Some("load-once") => gate::release_iframe(&iframe),
        Some("allow-always") => app::allow_always(&iframe),
        _ => {}
    }
}

fn on_change(event: Event) {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    if let Some(d) = app::open_dialog().filter(|d| d.contains(Some(&input))) {
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
    let event: web_sys::KeyboardEvent = event.unchecked_into();
    if event.key() == "Escape" {
        // A real `<dialog>` closes itself; a stand-in is closed here.
        if app::open_dialog().is_some_and(|d| app::is_stand_in(&d)) {
            app::hide_dialog();
        }
        return;
    }
    if !is_tab(&event) {
        return;
    }
    let modal = app::open_dialog()
        .or_else(|| app::shown_banner().filter(|b| b.tag_name().eq_ignore_ascii_case("dialog")));
    let Some(modal) = modal else { return };
    let items = dialog::focusable(&modal);
    let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
    let active = dom::document().active_element();
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

/// The element an event is for, if it is Koekje's own banner or dialog.
fn own_target(event: &Event) -> Option<(Element, Own)> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    let own = app::is_own(&target)?;
    Some((target, own))
}

/// Esc does not dismiss a blocking banner: the visitor answers it.
fn on_cancel(event: Event) {
    if matches!(own_target(&event), Some((_, Own::Banner))) {
        event.prevent_default();
    }
}

fn on_close(event: Event) {
    let Some((target, own)) = own_target(&event) else { return };
    if own == Own::Banner {
        // A blocking banner closed without a choice (a repeated Esc): open
        // it again, unless a choice removed it.
        if target.is_connected() {
            if let Some(d) = target.dyn_ref::<HtmlDialogElement>() {
                let _ = d.show_modal();
            }
        }
        return;
    }
    app::dialog_closed();
}

/// Another tab stored (or removed) a choice.
fn on_storage(event: Event) {
    if event.unchecked_into::<web_sys::StorageEvent>().key().as_deref() == Some(STORAGE_KEY) {
        app::on_storage_change();
    }
}
