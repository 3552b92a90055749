//! Watching the page for elements added after start (single-page apps, tag
//! managers): a `MutationObserver` on the whole document that calls back
//! when something that may be held was added.

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MutationObserver, MutationObserverInit, MutationRecord};

/// Calls `on_added` whenever a `<script>`, an `<iframe>`, or an element that
/// may contain them, is added anywhere in the document.
pub fn observe(on_added: fn()) {
    // Typed as an event listener (it gets the records array): one closure
    // type for all of Koekje's callbacks keeps one call shim in the wasm.
    let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |records: web_sys::Event| {
        let relevant = records.unchecked_into::<js_sys::Array>().iter().any(|r| {
            let r: MutationRecord = r.unchecked_into();
            let added = r.added_nodes();
            (0..added.length()).any(|i| {
                added
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| !el.class_list().contains("koekje") && !el.has_attribute("data-koekje-released"))
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
    if let Some(root) = super::dom::document().document_element() {
        let _ = observer.observe_with_options(&root, &options);
    }
}
