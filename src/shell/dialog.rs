//! The preferences dialog: a native modal `<dialog>` (labelled, inert page
//! behind it, Esc closes it) listing each category with its description and
//! a real checkbox with `role="switch"`. Required categories are checked,
//! disabled and labelled "Always on"; optional ones start as the stored
//! choice says, and off when there is none.

use super::banner::{choice_buttons, privacy_link};
use super::dom::{action_button, append, element, set, set_language, text_element};
use crate::core::config::{Category, Config};
use crate::core::consent::{is_accepted, CategoryChoice};
use crate::core::record::Record;
use crate::core::texts::Text;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// The id of the dialog element.
pub const DIALOG_ID: &str = "koekje-preferences";

/// Builds the dialog (not yet in the page).
pub fn build(config: &Config, lang: &str, record: Option<&Record>) -> Element {
    let dialog = element("dialog", "koekje koekje-dialog");
    set(&dialog, "id", DIALOG_ID);
    set(&dialog, "aria-labelledby", "koekje-dialog-title");
    set_language(&dialog, lang);

    let head = element("div", "koekje-head");
    let title = text_element("h2", "koekje-title", config.text(lang, Text::DialogTitle));
    set(&title, "id", "koekje-dialog-title");
    append(&head, &title);
    let close = action_button("close", "koekje-close", "×");
    set(&close, "aria-label", config.text(lang, Text::Close));
    append(&head, &close);
    append(&dialog, &head);

    let intro = text_element("p", "koekje-text", config.text(lang, Text::DialogText));
    if let Some(link) = privacy_link(config, lang) {
        let _ = intro.append_with_str_1(" ");
        append(&intro, &link);
    }
    append(&dialog, &intro);

    let list = element("ul", "koekje-categories");
    for category in &config.categories {
        append(&list, &category_item(config, category, lang, record));
    }
    append(&dialog, &list);
    append(&dialog, &choice_buttons(config, lang, "save", Text::Save));
    dialog
}

fn category_item(config: &Config, category: &Category, lang: &str, record: Option<&Record>) -> Element {
    let id = switch_id(&category.id);
    let item = element("li", "koekje-category");
    let head = element("div", "koekje-category-head");

    let label = element("label", "koekje-category-label");
    set(&label, "for", &id);
    append(&label, &text_element("span", "koekje-category-title", category.title_in(lang)));
    if category.required {
        append(&label, &text_element("span", "koekje-always-on", config.text(lang, Text::AlwaysOn)));
    }
    append(&head, &label);

    let input = element("input", "koekje-switch");
    set(&input, "type", "checkbox");
    set(&input, "role", "switch");
    set(&input, "id", &id);
    set(&input, "data-koekje-category", &category.id);
    let description_id = {
        let mut d = id.clone();
        d.push_str("-description");
        d
    };
    set(&input, "aria-describedby", &description_id);
    if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
        input.set_checked(category.required || is_accepted(config, record, &category.id, None));
        input.set_disabled(category.required);
    }
    append(&head, &input);
    append(&item, &head);

    let description = text_element("p", "koekje-category-description", category.description_in(lang));
    set(&description, "id", &description_id);
    append(&item, &description);
    item
}

fn switch_id(category: &str) -> String {
    let mut id = String::from("koekje-category-");
    id.push_str(category);
    id
}

/// Reads the switches of an open dialog as a custom choice.
pub fn read_choice(dialog: &Element) -> Vec<CategoryChoice> {
    let mut choice = Vec::new();
    let Ok(inputs) = dialog.query_selector_all("input[data-koekje-category]") else {
        return choice;
    };
    for i in 0..inputs.length() {
        let Some(input) = inputs.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()) else {
            continue;
        };
        if let Some(category) = input.get_attribute("data-koekje-category") {
            choice.push(CategoryChoice::whole(&category, input.checked()));
        }
    }
    choice
}
