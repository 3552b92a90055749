//! The first layer: a labelled region with "Reject all", "Accept all" and
//! "Let me choose", equal in size and weight. It overlays the page (fixed
//! position, see koekje.css) and is put first in the body, so keyboard
//! users reach it first; it does not take focus. With `blocking` in the
//! config it is a modal `<dialog>` instead, which does.

#[allow(unused_imports)]
use crate::prelude::*;

use super::super::dom::{action_button, append, element, set, set_root_attributes, text_element};
use crate::core::config::{Config, Layout};
use crate::core::texts::Text;
use web_sys::Element;

/// The id of the banner element.
pub const BANNER_ID: &str = "koekje-banner";

/// Builds the banner for `config` in `lang` (not yet in the page); `uid`
/// makes its inner ids unique to this page.
pub fn build(config: &Config, lang: &str, uid: &str) -> Element {
    let layout = match config.layout {
        Layout::Bar => "koekje koekje-banner koekje-bar",
        Layout::Box => "koekje koekje-banner koekje-box",
    };
    // A blocking banner is a modal dialog; otherwise a labelled region.
    let banner = element(if config.blocking { "dialog" } else { "section" }, layout);
    set(&banner, "id", BANNER_ID);
    set_root_attributes(&banner, lang, config.theme);
    let title_id = super::super::dom::inner_id(uid, "banner-title");
    if config.blocking {
        set(&banner, "aria-labelledby", &title_id);
    } else {
        set(&banner, "aria-label", config.text(lang, Text::BannerLabel));
    }

    let body = element("div", "koekje-body");
    let title = text_element("h2", "koekje-title", config.text(lang, Text::BannerTitle));
    set(&title, "id", &title_id);
    append(&body, &title);
    let text = text_element("p", "koekje-text", config.text(lang, Text::BannerText));
    if let Some(link) = privacy_link(config, lang) {
        let _ = text.append_with_str_1(" ");
        append(&text, &link);
    }
    append(&body, &text);
    append(&banner, &body);
    append(&banner, &choice_buttons(config, lang, "preferences", Text::Preferences));
    banner
}

/// The row of buttons: "Reject all" and "Accept all" side by side, then a
/// third button (`Let me choose` on the banner, `Save choices` in the dialog).
pub fn choice_buttons(config: &Config, lang: &str, third: &str, third_text: Text) -> Element {
    let actions = element("div", "koekje-actions");
    append(&actions, &action_button("reject-all", "koekje-button", config.text(lang, Text::RejectAll)));
    append(&actions, &action_button("accept-all", "koekje-button", config.text(lang, Text::AcceptAll)));
    append(&actions, &action_button(third, "koekje-button", config.text(lang, third_text)));
    actions
}

/// A link to the privacy policy, when the config names one.
pub fn privacy_link(config: &Config, lang: &str) -> Option<Element> {
    let href = config.privacy_policy.get_or_any(lang)?;
    let link = text_element("a", "koekje-link", config.text(lang, Text::PrivacyPolicy));
    set(&link, "href", &super::super::loader_helpers::resolve(href));
    Some(link)
}
