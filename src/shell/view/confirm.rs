//! The confirmation of an embed's consent: a placeholder stands in the
//! page's flow, where page content can be laid over it, so a click on its
//! buttons that the browser cannot prove seen ([`super::seen`]) opens this
//! modal dialog in Koekje's interface, in the top layer, with the same
//! words and buttons; only a click there loads the embed or allows it.

#[allow(unused_imports)]
use crate::prelude::*;

use super::super::dom::{action_button, append, element, inner_id, set, set_root_attributes};
use crate::core::config::Config;
use crate::core::texts::Text;
use web_sys::Element;

/// The class of the confirmation dialog.
pub const CLASS: &str = "koekje koekje-dialog koekje-confirm";

/// Builds the confirmation for `iframe` (not yet in the page).
pub fn build(iframe: &Element, config: &Config, lang: &str, uid: &str) -> Element {
    let dialog = element("dialog", CLASS);
    set_root_attributes(&dialog, lang, config.theme);
    let (text, actions) = super::placeholder::content(iframe, config, lang);
    let text_id = inner_id(uid, "confirm-text");
    set(&text, "id", &text_id);
    set(&dialog, "aria-labelledby", &text_id);
    let head = element("div", "koekje-head");
    append(&head, &text);
    let close = action_button("close", "koekje-close", "×");
    set(&close, "aria-label", config.text(lang, Text::Close));
    append(&head, &close);
    append(&dialog, &head);
    append(&dialog, &actions);
    dialog
}
