//! Placeholders for held embeds. An `<iframe data-category="…"
//! data-service="youtube" data-src="…">` that may not load yet is hidden
//! (an important inline `display: none`, set through the CSSOM) and a box
//! of the same size takes its place, in the visitor's language, in a host
//! of its own (out of the page's CSS): it names the service and offers
//! "Load this once" and "Always allow …". The box stands in the page's
//! flow, where page content can be laid over it: a click on its buttons
//! counts at once only where the browser proves them seen ([`super::seen`]);
//! otherwise Koekje asks again in its own dialog ([`super::confirm`]).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::page_local::PageLocal;

use core::cell::RefCell;

use super::super::dom::{action_button, append, element, set, set_root_attributes, text_element};
use super::host::{self, Host};
use crate::core::config::Config;
use crate::core::texts::{fill, Text};
use web_sys::{Element, ShadowRoot};

const CLASS: &str = "koekje koekje-placeholder";

/// A placeholder Koekje shows: its host, the box inside it, and the iframe
/// it stands for, by reference (a page element that looks like one is never
/// taken for it).
struct Placeholder {
    host: Host,
    box_: Element,
    iframe: Element,
}

/// The placeholders Koekje shows.
static SHOWN: PageLocal<RefCell<Vec<Placeholder>>> = PageLocal(RefCell::new(Vec::new()));

/// The placeholder box Koekje shows for `iframe`, if any.
pub fn of(iframe: &Element) -> Option<Element> {
    let shown = SHOWN.0.try_borrow().ok()?;
    shown.iter().find(|p| &p.iframe == iframe).map(|p| p.box_.clone())
}

/// The iframe whose placeholder (one Koekje built) contains `el`.
pub fn iframe_for(el: &Element) -> Option<Element> {
    let shown = SHOWN.0.try_borrow().ok()?;
    shown.iter().find(|p| p.box_.contains(Some(el))).map(|p| p.iframe.clone())
}

/// What a placeholder says of its embed: the text, and the row with "Load
/// this once" and (when it can be remembered) "Always allow …". The
/// confirmation dialog shows the same.
pub fn content(iframe: &Element, config: &Config, lang: &str) -> (Element, Element) {
    let category_id = iframe.get_attribute("data-category").unwrap_or_default();
    let service_id = iframe.get_attribute("data-service").filter(|s| !s.is_empty());
    let category = config.category(&category_id);
    let listed = category.zip(service_id.as_deref()).and_then(|(c, s)| c.service(s));
    // The name shown: the service's, else its id, else the category's title.
    let name = match (&listed, &service_id, category) {
        (Some(s), _, _) => s.name.get_or_any(lang).unwrap_or(&s.id).to_owned(),
        (None, Some(id), _) => id.clone(),
        (None, None, Some(c)) => c.title_in(lang).to_owned(),
        (None, None, None) => category_id.clone(),
    };
    let text = text_element("p", "koekje-text", &fill(config.text(lang, Text::PlaceholderText), &name));
    let actions = element("div", "koekje-actions");
    append(&actions, &action_button("load-once", "koekje-button", config.text(lang, Text::LoadOnce)));
    // "Always allow" only when it can be remembered: a listed service, or a
    // whole known category; a service the config does not list loads with
    // its whole category only, so the button names the category.
    let allow = match (&listed, category) {
        (Some(_), _) => Some(name.as_str()),
        (None, Some(c)) if !c.required => Some(c.title_in(lang)),
        _ => None,
    };
    if let Some(allow) = allow {
        append(
            &actions,
            &action_button("allow-always", "koekje-button", &fill(config.text(lang, Text::AlwaysAllow), allow)),
        );
    }
    (text, actions)
}

/// Shows a placeholder for a held iframe (once); the shadow root of a new
/// one, for its listeners.
pub fn show_for(iframe: &Element, config: &Config, lang: &str) -> Option<ShadowRoot> {
    if of(iframe).is_some() {
        return None;
    }
    let host = host::new()?;
    let box_ = element("div", CLASS);
    set(&box_, "data-koekje-placeholder", "");
    set_root_attributes(&box_, lang, config.theme);
    if let Some(title) = iframe.get_attribute("title") {
        set(&box_, "aria-label", &title);
        set(&box_, "role", "group");
    }
    size_like(&box_, iframe);
    let (text, actions) = content(iframe, config, lang);
    append(&box_, &text);
    append(&box_, &actions);
    let _ = host.root.append_child(&box_);
    super::seen::watch(&actions);
    let _ = iframe.before_with_node_1(&host.element);
    let root = host.root.clone();
    if let Ok(mut shown) = SHOWN.0.try_borrow_mut() {
        shown.push(Placeholder { host, box_, iframe: iframe.clone() });
    }
    // Hidden with an important inline style, which page CSS cannot undo.
    let _ = super::super::dom::html(iframe).style().set_property_with_priority("display", "none", "important");
    Some(root)
}

/// Removes the placeholder of `iframe` and shows the iframe.
pub fn remove_for(iframe: &Element) {
    let removed = SHOWN.0.try_borrow_mut().ok().and_then(|mut shown| {
        let host = shown.iter().find(|p| &p.iframe == iframe)?.host.element.clone();
        shown.retain(|p| &p.iframe != iframe);
        Some(host)
    });
    if let Some(host) = removed {
        host.remove();
        let _ = super::super::dom::html(iframe).style().remove_property("display");
    }
}

/// Gives the placeholder the iframe's width and height (attributes, as CSS
/// pixels when they are plain numbers), keeping its aspect ratio when it
/// must shrink. Set through the CSSOM, which a strict CSP allows.
fn size_like(placeholder: &Element, iframe: &Element) {
    let style = super::super::dom::html(placeholder).style();
    let attr = |name: &str| iframe.get_attribute(name).filter(|v| !v.trim_ascii().is_empty());
    let (width, height) = match (attr("width"), attr("height")) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let rect = iframe.get_bounding_client_rect();
            let (w, h) = if rect.width() > 0.0 { (rect.width(), rect.height()) } else { (300.0, 150.0) };
            (super::super::dom::whole_number(w), super::super::dom::whole_number(h))
        }
    };
    let css = |v: &str| {
        let mut s = v.trim_ascii().to_owned();
        if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            s.push_str("px");
        }
        s
    };
    let _ = style.set_property("width", &css(&width));
    let _ = style.set_property("min-height", &css(&height));
    let (w, h) = (js_sys::Number::parse_float(&width), js_sys::Number::parse_float(&height));
    if w > 0.0 && h > 0.0 && !width.bytes().chain(height.bytes()).any(|b| b == b'%') {
        let mut ratio = super::super::dom::whole_number(w);
        ratio.push_str(" / ");
        ratio.push_str(&super::super::dom::whole_number(h));
        let _ = style.set_property("aspect-ratio", &ratio);
    }
}
