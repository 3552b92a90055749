//! Whether a control in the page's flow (a placeholder's button) is seen:
//! where the browser has IntersectionObserver v2 (`trackVisibility`, in
//! Chromium), it says whether an element is unobscured, unclipped,
//! untransformed and opaque; the latest answer is kept on the control as
//! `data-koekje-seen` (or, in view but covered, `data-koekje-unseen`).
//! Elsewhere nothing is ever proven seen, and a click on a placeholder's
//! button is confirmed in Koekje's own dialog instead. The controls of the
//! banner and the dialogs are watched too: where the browser saw them
//! covered, a click on them does not count.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::page_local::PageLocal;

use core::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, IntersectionObserver};

/// Marks a control that IntersectionObserver v2 last saw visible.
const SEEN: &str = "data-koekje-seen";

/// Marks a control in view that IntersectionObserver v2 last saw covered,
/// transformed or see-through.
const UNSEEN: &str = "data-koekje-unseen";

static OBSERVER: PageLocal<RefCell<Option<IntersectionObserver>>> = PageLocal(RefCell::new(None));

fn get(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The observer, made once, where the browser tracks visibility.
fn observer() -> Option<IntersectionObserver> {
    let mut slot = OBSERVER.0.try_borrow_mut().ok()?;
    if slot.is_none() {
        let entry = get(&super::super::dom::window(), "IntersectionObserverEntry");
        if !js_sys::Reflect::has(&get(&entry, "prototype"), &"isVisible".into()).unwrap_or(false) {
            return None;
        }
        // Typed as an event listener (it gets the entries array): one
        // closure type for all of Koekje's callbacks.
        let callback = Closure::<dyn Fn(Event)>::new(|entries: Event| {
            for entry in entries.unchecked_into::<js_sys::Array>().iter() {
                let Ok(target) = get(&entry, "target").dyn_into::<Element>() else { continue };
                if get(&entry, "isVisible").is_truthy() && get(&entry, "isIntersecting").is_truthy() {
                    super::super::dom::set(&target, SEEN, "");
                    let _ = target.remove_attribute(UNSEEN);
                } else {
                    let _ = target.remove_attribute(SEEN);
                    // Out of view is not "covered": only what is in view
                    // and still not visible is.
                    if get(&entry, "isIntersecting").is_truthy() {
                        super::super::dom::set(&target, UNSEEN, "");
                    } else {
                        let _ = target.remove_attribute(UNSEEN);
                    }
                }
            }
        });
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"trackVisibility".into(), &JsValue::TRUE);
        let _ = js_sys::Reflect::set(&options, &"delay".into(), &JsValue::from_f64(100.0));
        let observer =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), options.unchecked_ref()).ok()?;
        callback.forget();
        *slot = Some(observer);
    }
    slot.clone()
}

/// Starts watching whether the buttons of `view` are seen (where the
/// browser can tell).
pub fn watch(view: &Element) {
    if let Some(observer) = observer() {
        for button in super::super::dom::query_all::<Element>(Some(view), "button") {
            observer.observe(&button);
        }
    }
}

/// Whether `control` was last seen visible and unobscured (never where the
/// browser cannot tell).
pub fn is_seen(control: &Element) -> bool {
    control.has_attribute(SEEN)
}

/// Asks again whether the buttons of `view` are seen, forgetting what was
/// said while Koekje's own dialog covered them (the browser reports only
/// changes, and late).
pub fn refresh(view: &Element) {
    let Some(observer) = OBSERVER.0.try_borrow().ok().and_then(|o| o.clone()) else { return };
    for button in super::super::dom::query_all::<Element>(Some(view), "button") {
        let _ = button.remove_attribute(UNSEEN);
        observer.unobserve(&button);
        observer.observe(&button);
    }
}

/// Whether `control` was last seen in view but covered (never where the
/// browser cannot tell, nor before its first report).
pub fn is_unseen(control: &Element) -> bool {
    control.has_attribute(UNSEEN)
}
