//! The script gate. Scripts written as
//! `<script type="text/plain" data-category="…" [data-service="…"] [data-src="…"]>`
//! and `<iframe data-category="…" data-src="…">` do nothing until released.
//!
//! Releasing a script replaces it with a real `<script>` carrying the same
//! attributes (including `async`, `defer`, `integrity`, `crossorigin` and the
//! `nonce`, which the browser hides from `getAttribute`), so it runs as the
//! browser would run it, never through `eval`. Scripts are released in
//! document order; each external one finishes loading (or fails) before the
//! next one runs (scripts of a type the browser does not run are not
//! waited for). An iframe gets its `src` from `data-src`. Each element is
//! checked again just before it runs, so a withdrawal that comes while
//! earlier scripts are loading stops the rest. Released elements carry
//! `data-koekje-released`.
//!
//! Koekje releases only an address it holds (`core::release::held_address`):
//! `data-src` on an element without a `src` of its own (or with
//! `src="about:blank"`). An element that has both (a CMS allowlist checked
//! its `src`; its `data-src` was never checked) is left as it is and named
//! once in the console. An iframe Koekje gave its `src` follows a new
//! `data-src` (a framework's re-render): Koekje knows it by reference.
//!
//! Under Trusted Types (`require-trusted-types-for 'script'`) a released
//! script's code and address go through the page's `koekje` policy, which
//! the loader creates (the page allows it with `trusted-types koekje`);
//! without it, nothing is released and the console says why. Inline code
//! that calls `document.write` is never released: after the page has loaded
//! it would wipe the page.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::page_local::PageLocal;

use crate::core::release::{held_address, writes_document, Refusal};
use crate::core::validate::is_web_address;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

/// The page's `koekje` Trusted Types policy, if the loader could create one.
static POLICY: PageLocal<core::cell::RefCell<Option<JsValue>>> = PageLocal(core::cell::RefCell::new(None));

/// Keeps the Trusted Types policy (`null` or `undefined`: none) for the
/// scripts the gate releases.
pub fn use_policy(policy: JsValue) {
    if let Ok(mut slot) = POLICY.0.try_borrow_mut() {
        *slot = Some(policy).filter(|p| p.is_object());
    }
}

/// Sets `property` of `script` to `value`, made trusted by the policy's
/// `factory` when there is a policy; `false` if the page refused it.
fn set_trusted(script: &Element, property: &str, factory: &str, value: &str) -> bool {
    let mut trusted = JsValue::from_str(value);
    let policy = POLICY.0.try_borrow().ok().and_then(|p| p.clone());
    if let Some(policy) = policy {
        let made = js_sys::Reflect::get(&policy, &factory.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call1(&policy, &trusted).ok());
        match made {
            Some(t) => trusted = t,
            None => return false,
        }
    }
    js_sys::Reflect::set(script, &property.into(), &trusted).unwrap_or(false)
}

/// Says whether the queued element is held, to mark the ones that cannot be
/// released (with why, in the console).
pub type Refuse = fn(&Element, &str);

/// What selects held elements that are not yet queued for release.
const HELD: &str = "script[type='text/plain'][data-category]:not([data-koekje-queued]),\
                    iframe[data-category][data-src]:not([data-koekje-queued])";

/// Marks an element as queued, so it is never released twice.
const QUEUED: &str = "data-koekje-queued";

/// Marks what the gate released (scripts and iframes).
pub const RELEASED: &str = "data-koekje-released";

/// Says whether a held element may run now.
pub type Allowed = fn(&Element) -> bool;

/// The held elements of the page, in document order. One that has an
/// address of its own besides `data-src` is not held: it is named once in
/// the console (`refuse`) and left as it is.
pub fn held(refuse: Refuse) -> Vec<Element> {
    let mut out = super::page_dom::query_all(HELD);
    out.retain(|el| match address(el) {
        Ok(_) => true,
        Err(refusal) => {
            refuse(el, refusal.message());
            false
        }
    });
    out
}

/// The element's own `src`: none when it has none, or when Koekje gave it
/// (an iframe the gate released, known by reference: a framework that
/// re-renders it with a new `data-src` gets that one, if allowed).
fn own_src(el: &Element) -> Option<String> {
    if RELEASED_HERE.0.try_borrow().is_ok_and(|list| list.contains(el)) {
        return None;
    }
    el.get_attribute("src")
}

/// The address Koekje holds for `el` (`None`: inline code), or why it holds
/// none ([`held_address`]).
fn address(el: &Element) -> Result<Option<String>, Refusal> {
    let data_src = el.get_attribute("data-src");
    let src = own_src(el);
    held_address(data_src.as_deref(), src.as_deref()).map(|a| a.map(ToOwned::to_owned))
}

/// What the gate released on this page, by reference: the
/// `data-koekje-released` marks are for people (and the debug view), and
/// page content can put one on anything.
static RELEASED_HERE: PageLocal<core::cell::RefCell<Vec<Element>>> = PageLocal(core::cell::RefCell::new(Vec::new()));

/// Marks `el` released, for people and for [`released`].
fn mark_released(el: &Element) {
    super::dom::set(el, RELEASED, "");
    if let Ok(mut list) = RELEASED_HERE.0.try_borrow_mut() {
        if !list.contains(el) {
            list.push(el.clone());
        }
    }
}

/// The scripts and iframes the gate released on this page.
pub fn released() -> Vec<Element> {
    RELEASED_HERE.0.try_borrow().map(|list| list.clone()).unwrap_or_default()
}

/// The category and service a held element names.
pub fn purpose(el: &Element) -> (String, Option<String>) {
    (el.get_attribute("data-category").unwrap_or_default(), el.get_attribute("data-service").filter(|s| !s.is_empty()))
}

/// Releases `elements` in order (see the module doc); each is checked with
/// `allowed` just before it runs. Elements that are not held are skipped.
pub fn release(elements: Vec<Element>, allowed: Allowed, refuse: Refuse) {
    let mut queue = elements;
    queue.retain(is_held);
    for el in &queue {
        super::dom::set(el, QUEUED, "");
    }
    release_from(queue, 0, allowed, refuse);
}

/// Whether `el` is a held script or iframe not yet queued: the same
/// selector that [`held`] uses, and an address Koekje holds.
fn is_held(el: &Element) -> bool {
    el.matches(HELD).unwrap_or(false) && address(el).is_ok()
}

/// Whether `el` (any element added to the page, read through the
/// prototypes: a `<form>`'s controls can shadow its members) is, or
/// contains, a held element.
pub fn is_or_holds(el: &Element) -> bool {
    super::page_dom::matches(el, HELD) || super::page_dom::first(el, HELD).is_some()
}

fn release_from(queue: Vec<Element>, start: usize, allowed: Allowed, refuse: Refuse) {
    let mut i = start;
    while let Some(held) = queue.get(i).cloned() {
        i += 1;
        if !held.is_connected() {
            continue;
        }
        if !allowed(&held) {
            // Withdrawn meanwhile: it stays held.
            let _ = held.remove_attribute(QUEUED);
            continue;
        }
        if held.tag_name().eq_ignore_ascii_case("iframe") {
            if let Err(refusal) = address(&held) {
                // Given a src of its own meanwhile: left as it is.
                refuse(&held, refusal.message());
                continue;
            }
            release_iframe(&held);
            continue;
        }
        let script = match runnable_copy(&held) {
            Ok(script) => script,
            Err(why) => {
                // Stays held and queued: it will not be tried again here.
                refuse(&held, why);
                continue;
            }
        };
        mark_released(&script);
        if script.has_attribute("src") && runs_as_script(&script) {
            // Wait for this one before running the next.
            // One closure type for all of Koekje's callbacks (see
            // `live`); the queue is taken by whichever of load or error
            // comes. JS's garbage collector frees the closure.
            let rest = core::cell::Cell::new(Some(queue));
            let next = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                if let Some(queue) = rest.take() {
                    release_from(queue, i, allowed, refuse);
                }
            })
            .into_js_value();
            let _ = script.add_event_listener_with_callback("load", next.unchecked_ref());
            let _ = script.add_event_listener_with_callback("error", next.unchecked_ref());
            let _ = held.replace_with_with_node_1(&script);
            return;
        }
        let _ = held.replace_with_with_node_1(&script);
    }
}

/// Gives a held iframe its `src` and removes its placeholder; never an
/// address that is not `http(s):` or relative (a `javascript:` one would
/// run in the page's origin), and never over a `src` of its own.
pub fn release_iframe(iframe: &Element) {
    if iframe.has_attribute("data-src") {
        let Ok(Some(src)) = address(iframe) else { return };
        if !is_web_address(&src) {
            return;
        }
        let _ = iframe.remove_attribute("data-src");
        super::dom::set(iframe, "src", &super::loader_helpers::resolve(&src));
    }
    let _ = iframe.remove_attribute(QUEUED);
    mark_released(iframe);
    super::placeholder::remove_for(iframe);
}

/// Whether the browser runs (and so fires `load` or `error` for) a script
/// of this type: no type, a JavaScript MIME type (the HTML standard's
/// list), or `module`; never a `nomodule` script, which Chromium skips.
fn runs_as_script(script: &Element) -> bool {
    const JAVASCRIPT_TYPES: [&str; 16] = [
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    ];
    if script.has_attribute("nomodule") {
        return false;
    }
    match script.get_attribute("type") {
        None => true,
        Some(t) if t.eq_ignore_ascii_case("module") => true,
        Some(t) => {
            let t = t.trim_ascii();
            t.is_empty() || JAVASCRIPT_TYPES.iter().any(|j| j.eq_ignore_ascii_case(t))
        }
    }
}

/// A real `<script>` with the held one's attributes and code, or why it
/// cannot be made.
fn runnable_copy(held: &Element) -> Result<Element, &'static str> {
    const REFUSED_BY_TRUSTED_TYPES: &str =
        "Trusted Types refused it: allow Koekje's policy (trusted-types koekje) in the page's CSP; not released";
    let src = address(held).map_err(Refusal::message)?;
    let script = super::page_dom::create_element("script");
    let attributes = held.attributes();
    for i in 0..attributes.length() {
        let Some(attr) = attributes.item(i) else { continue };
        let name = attr.name();
        match name.as_str() {
            "type" | QUEUED | "data-src" | "src" => {}
            "data-type" => super::dom::set(&script, "type", &attr.value()),
            _ => super::dom::set(&script, &name, &attr.value()),
        }
    }
    let nonce = super::dom::html(held).nonce();
    if !nonce.is_empty() {
        super::dom::html(&script).set_nonce(&nonce);
    }
    match src {
        Some(src) if !set_trusted(&script, "src", "createScriptURL", &super::loader_helpers::resolve(&src)) => {
            return Err(REFUSED_BY_TRUSTED_TYPES)
        }
        Some(_) => {}
        None => {
            let code = held.text_content().unwrap_or_default();
            if writes_document(&code) {
                return Err("uses document.write, which would replace the loaded page; load the script with data-src, or use its async form; not released");
            }
            if !set_trusted(&script, "text", "createScript", &code) {
                return Err(REFUSED_BY_TRUSTED_TYPES);
            }
        }
    }
    Ok(script)
}
