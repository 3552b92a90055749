//! Watching the page for elements added after start (single-page apps, tag
//! managers): a `MutationObserver` on the whole document that calls back
//! when something that may be held was added.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MutationObserver, MutationObserverInit, MutationRecord};

/// Calls `on_added` whenever a held element, or an element that contains
/// one, is added anywhere in the document (also inside an element Koekje
/// released or one that shares Koekje's classes), and whenever an element's
/// `data-src` changes (a framework re-rendering an embed with a new
/// address: the gate then gives a released iframe the new one, if allowed);
/// and `on_changed` after every change it sees (Koekje's banner taken out,
/// maybe, or a `<style>` added that hides it).
pub fn observe(on_added: fn(), on_changed: fn()) {
    // Typed as an event listener (it gets the records array): one closure
    // type for all of Koekje's callbacks keeps one call shim in the wasm.
    let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |records: web_sys::Event| {
        let records = records.unchecked_into::<js_sys::Array>();
        on_changed();
        let relevant = records.iter().any(|r| {
            let r: MutationRecord = r.unchecked_into();
            if r.attribute_name().is_some() {
                // A new address, not Koekje's own removal of it at release.
                return r
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| super::page_dom::attribute(&el, "data-src").is_some());
            }
            let added = r.added_nodes();
            (0..added.length()).any(|i| {
                added
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| super::gate::is_or_holds(&el))
            })
        });
        if relevant {
            on_added();
        }
    });
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else { return };
    callback.forget();
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attribute_filter(&js_sys::Array::of1(&"data-src".into()));
    if let Some(root) = super::page_dom::root() {
        let _ = observer.observe_with_options(&root, &options);
    }
}
