//! The hosts of the interface: a `<koekje-ui>` element in the page with an
//! open shadow root that holds what Koekje shows. The root adopts Koekje's
//! own stylesheet (the loader's `style` helper; see `src/koekje-view.css`),
//! whose `:host` rule makes the host a box-less wrapper whatever the page's
//! CSS says of it, important or inline. Open, not closed: page scripts are
//! trusted anyway, and the site's own tools (axe, test runners, assistive
//! extensions) keep seeing the interface.

#[allow(unused_imports)]
use crate::prelude::*;

use super::super::{dom, loader_helpers};
use web_sys::{Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The host's tag: a custom element name, which no HTML element has and
/// which may carry a shadow root.
pub const TAG: &str = "koekje-ui";

/// A host element and its shadow root.
#[derive(Clone)]
pub struct Host {
    /// The element in the page.
    pub element: Element,
    /// Its shadow root, where the interface is.
    pub root: ShadowRoot,
}

/// A new host (not yet in the page) with Koekje's stylesheet.
pub fn new() -> Option<Host> {
    let element = dom::element(TAG, "");
    let root = element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?;
    loader_helpers::call("style", &js_sys::Array::of1(&root));
    Some(Host { element, root })
}
