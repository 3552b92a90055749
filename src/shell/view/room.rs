//! Room for a banner that does not block the page: it covers the bottom of
//! the viewport, so while it shows, the page gets that much room at its
//! end and scrolling to a focused element keeps it above the banner (WCAG
//! 2.4.11, focus not obscured). How far up the banner reaches, kept current by a
//! `ResizeObserver`, goes to `--koekje-banner-height` on the root element;
//! koekje.css uses it only while the banner's host carries
//! `data-koekje-room`.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, ResizeObserver};

/// Marks the host that gives the page room.
const ROOM: &str = "data-koekje-room";

/// Keeps `--koekje-banner-height` equal to the room `banner` takes at the
/// bottom of the viewport for as long as it is in the page, and has its
/// `host` ask the page for that room.
pub fn track(banner: &Element, host: &Element) {
    super::super::dom::set(host, ROOM, "");
    // Typed as an event listener (it gets the entries array): one closure
    // type for all of Koekje's callbacks keeps one call shim in the wasm.
    let tracked = banner.clone();
    let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |_| measure(&tracked));
    let Ok(observer) = ResizeObserver::new(callback.as_ref().unchecked_ref()) else { return };
    callback.forget();
    observer.observe(banner);
}

/// Copies how far the banner reaches up from the viewport's bottom edge to
/// the root element (from its layout box: the slide-in's transform does not
/// count).
fn measure(banner: &Element) {
    let Some(root) = super::super::page_dom::root() else { return };
    if !banner.is_connected() {
        return;
    }
    // The viewport's height from the window: the root element's would be
    // the whole page's in quirks mode, and grow with the room itself.
    let Some(viewport) = super::super::dom::window().inner_height().ok().and_then(|h| h.as_f64()) else { return };
    let reach = viewport - f64::from(super::super::dom::html(banner).offset_top()) + 1.0;
    let mut height = super::super::dom::whole_number(reach);
    height.push_str("px");
    let _ = super::super::dom::html(&root).style().set_property("--koekje-banner-height", &height);
}

/// The page no longer gives room: the banner in `host` is gone.
pub fn end(host: &Element) {
    let _ = host.remove_attribute(ROOM);
}
