//! Whether a click on one of Koekje's controls may count as the visitor's
//! choice. The banner and the dialog are seen by construction (Koekje's own
//! styles in a shadow root, in the top layer, put back on top when a page
//! layer opens above them); what could still make a click mean what the
//! visitor did not see is checked at the click: a page layer above the
//! banner, a control hidden, or shrunk below a usable size (page zoom), or
//! a pointer that was not on it.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::page_local::PageLocal;

use core::cell::{Cell, RefCell};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MouseEvent};

/// The smallest control a click on it counts for, in CSS pixels: WCAG
/// 2.2's target size (2.5.8, AA). Koekje's own are 44 at the default size.
const SMALLEST: f64 = 24.0;

/// How long a view must have been shown before a pointer's click on it
/// counts without the pointer having moved onto the control (a double
/// click that opens a dialog under the pointer, then lands in it).
const SETTLE_MS: f64 = 500.0;

struct Moves {
    /// When Koekje last showed a view or put one back on top.
    since: Cell<f64>,
    /// The control the pointer last moved over since then.
    over: RefCell<Option<Element>>,
}

static MOVES: PageLocal<Moves> = PageLocal(Moves { since: Cell::new(0.0), over: RefCell::new(None) });

/// Koekje showed a view (the banner, a dialog) or put one back on top.
pub fn view_changed() {
    MOVES.since.set(js_sys::Date::now());
    if let Ok(mut over) = MOVES.over.try_borrow_mut() {
        *over = None;
    }
}

/// The pointer moved over `control` (one of Koekje's).
pub fn moved_over(control: Element) {
    if let Ok(mut over) = MOVES.over.try_borrow_mut() {
        *over = Some(control);
    }
}

/// Why a click on `control` does not count, or `None` when it does.
pub fn doubt(event: &MouseEvent, control: &Element) -> Option<&'static str> {
    if super::on_top::covered() {
        return Some("a popover or dialog of the page had opened above Koekje's banner");
    }
    if super::seen::is_unseen(control) {
        return Some("the browser saw something of the page over the control");
    }
    if !visible(control) {
        return Some("the control was not visible");
    }
    let rect = control.get_bounding_client_rect();
    if rect.width() < SMALLEST || rect.height() < SMALLEST {
        return Some("the control was shown smaller than 24 by 24 pixels (zoomed out by the page's CSS?)");
    }
    // A pointer's click (not a key's, which has no position) lands on the
    // control as the visitor saw it.
    if event.detail() > 0 {
        let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
        let inside =
            x >= rect.left() - 1.0 && x <= rect.right() + 1.0 && y >= rect.top() - 1.0 && y <= rect.bottom() + 1.0;
        if !inside {
            return Some("the pointer was not on the control");
        }
        let moved = MOVES.over.try_borrow().ok().is_some_and(|o| o.as_ref() == Some(control));
        if !moved && js_sys::Date::now() - MOVES.since.get() < SETTLE_MS {
            return Some("the control appeared under the pointer a moment before (a double click?)");
        }
    }
    None
}

/// Why a control in the page's flow (a placeholder's button) may be hidden
/// from the visitor in a way IntersectionObserver v2 does not see: a mask,
/// a clip or a blend on it or any element around it.
pub fn veiled(control: &Element) -> Option<&'static str> {
    let window = super::super::dom::window();
    let mut at = Some(control.clone());
    while let Some(el) = at {
        if let Ok(Some(style)) = window.get_computed_style(&el) {
            for (property, plain) in [
                ("mask-image", "none"),
                ("-webkit-mask-image", "none"),
                ("clip-path", "none"),
                ("mix-blend-mode", "normal"),
            ] {
                let value = style.get_property_value(property).unwrap_or_default();
                if !value.is_empty() && value != plain {
                    return Some("the page masks, clips or blends what holds the control");
                }
            }
        }
        // Up through shadow roots too: a placeholder's parent is its host's.
        at = match el.parent_element() {
            Some(parent) => Some(parent),
            None => el.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok().map(|r| r.host()),
        };
    }
    None
}

/// `checkVisibility` with opacity and visibility, where the browser has it
/// (Chrome 105, Firefox 106, Safari 17.4); elsewhere the control's box.
fn visible(control: &Element) -> bool {
    let check = js_sys::Reflect::get(control, &"checkVisibility".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(check) = check else { return true };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"opacityProperty".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&options, &"visibilityProperty".into(), &JsValue::TRUE);
    check.call1(control, &options).map(|v| v.is_truthy()).unwrap_or(true)
}

/// Why the banner (or dialog) `el` cannot be seen, or `None`.
pub fn unseen(el: &Element) -> Option<&'static str> {
    let rect = el.get_bounding_client_rect();
    if !visible(el) || rect.width() < SMALLEST || rect.height() < SMALLEST {
        return Some("is not visible: the page's CSS hides or shrinks it (on <html> or <body>); nothing that needs consent runs until the visitor can choose");
    }
    None
}
