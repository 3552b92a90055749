//! The preferences dialog: a native modal `<dialog>` (labelled, inert page
//! behind it, Esc closes it) listing each category with its description and
//! a real checkbox with `role="switch"`, then its services (each with its
//! own switch) and a table of its cookies. Required categories are checked,
//! disabled and labelled "Always on"; optional ones start as the stored
//! choice says, and off when there is none.

#[allow(unused_imports)]
use crate::prelude::*;

use super::super::dom::{action_button, append, element, set, set_root_attributes, text_element};
use super::banner::{choice_buttons, privacy_link};
use crate::core::config::{Category, Config, Cookie};
use crate::core::consent::{is_accepted, CategoryChoice};
use crate::core::record::Record;
use crate::core::texts::Text;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// The id of the dialog element.
pub const DIALOG_ID: &str = "koekje-preferences";

/// Builds the dialog (not yet in the page); `uid` makes its inner ids
/// unique to this page.
pub fn build(config: &Config, lang: &str, record: Option<&Record>, gpc: bool, uid: &str) -> Element {
    let dialog = element("dialog", "koekje koekje-dialog");
    set(&dialog, "id", DIALOG_ID);
    let title_id = super::super::dom::inner_id(uid, "dialog-title");
    set(&dialog, "aria-labelledby", &title_id);
    set_root_attributes(&dialog, lang, config.theme);

    let head = element("div", "koekje-head");
    let title = text_element("h2", "koekje-title", config.text(lang, Text::DialogTitle));
    set(&title, "id", &title_id);
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
    if gpc {
        append(&dialog, &text_element("p", "koekje-text koekje-gpc", config.text(lang, Text::GpcNotice)));
    }

    if let Some(record) = record.filter(|r| !r.id.is_empty()) {
        append(&dialog, &receipt(config, lang, record));
    }

    let list = element("ul", "koekje-categories");
    for (i, category) in config.categories.iter().enumerate() {
        append(&list, &category_item(config, category, lang, record, &switch_id(uid, i)));
    }
    append(&dialog, &list);
    append(&dialog, &choice_buttons(config, lang, "save", Text::Save));
    dialog
}

fn category_item(config: &Config, category: &Category, lang: &str, record: Option<&Record>, id: &str) -> Element {
    let id = id.to_owned();
    let item = element("li", "koekje-category");
    // The switch shows the recorded decision: on when the category is,
    // wholly or through some of its services ("partly on").
    let on = category.required || record.and_then(|r| r.decision(&category.id)).is_some_and(|d| d.accepted);
    // A required category says "always on"; one with services can say
    // "partly on" (shown while only some of its services are on).
    let note = if category.required {
        Some(config.text(lang, Text::AlwaysOn))
    } else if !category.services.is_empty() {
        Some(config.text(lang, Text::PartlyOn))
    } else {
        None
    };
    let switch = switch_row(&id, category.title_in(lang), note, on, category.required);
    set(&switch.input, "data-koekje-category", &category.id);
    append(&item, &switch.row);

    let description = text_element("p", "koekje-category-description", category.description_in(lang));
    let mut description_id = id.clone();
    description_id.push_str("-description");
    set(&description, "id", &description_id);
    set(&switch.input, "aria-describedby", &description_id);
    append(&item, &description);

    if !category.services.is_empty() {
        let group = element("ul", "koekje-services");
        set(&group, "aria-label", config.text(lang, Text::Services));
        let mut any_on = false;
        let mut all_on = true;
        for (j, service) in category.services.iter().enumerate() {
            let service_on = is_accepted(config, record, &category.id, Some(&service.id));
            any_on |= service_on;
            all_on &= service_on;
            let li = element("li", "koekje-service");
            let row = switch_row(
                &service_id(&id, j),
                service.name.get_or_any(lang).unwrap_or(&service.id),
                None,
                service_on,
                category.required,
            );
            set(&row.input, "data-koekje-category", &category.id);
            set(&row.input, "data-koekje-service", &service.id);
            append(&li, &row.row);
            append(&group, &li);
        }
        append(&item, &group);
        set_mixed(&switch.input, any_on && !all_on && !category.required);
    }

    if let Some(table) = cookie_table(config, category, lang) {
        append(&item, &table);
    }
    item
}

/// The visitor's receipt: their consent ID (with a button that copies it)
/// and the date of their choice, so that they can quote it to the site.
fn receipt(config: &Config, lang: &str, record: &Record) -> Element {
    let p = element("p", "koekje-text koekje-receipt");
    append(&p, &text_element("span", "", config.text(lang, Text::ConsentId)));
    let _ = p.append_with_str_1(": ");
    append(&p, &text_element("code", "koekje-consent-id", &record.id));
    let _ = p.append_with_str_1(" ");
    let copy = action_button("copy-id", "koekje-link", config.text(lang, Text::Copy));
    append(&p, &copy);
    append(&p, &element("br", ""));
    append(&p, &text_element("span", "", config.text(lang, Text::ChosenOn)));
    let _ = p.append_with_str_1(" ");
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(record.updated_at));
    let time =
        text_element("time", "", &String::from(date.to_locale_date_string(lang, &wasm_bindgen::JsValue::UNDEFINED)));
    set(&time, "datetime", &String::from(date.to_iso_string()));
    append(&p, &time);
    p
}

/// A labelled switch: the row element and its input.
struct SwitchRow {
    row: Element,
    input: Element,
}

fn switch_row(id: &str, title: &str, note: Option<&str>, on: bool, locked: bool) -> SwitchRow {
    let row = element("div", "koekje-switch-row");
    let label = element("label", "koekje-switch-label");
    set(&label, "for", id);
    append(&label, &text_element("span", "koekje-category-title", title));
    if let Some(note) = note {
        append(&label, &text_element("span", "koekje-always-on", note));
    }
    append(&row, &label);
    let input = element("input", "koekje-switch");
    set(&input, "type", "checkbox");
    set(&input, "role", "switch");
    set(&input, "id", id);
    if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
        input.set_checked(on);
        input.set_disabled(locked);
    }
    append(&row, &input);
    SwitchRow { row, input }
}

/// Marks a category switch as partly on (some of its services are): an
/// attribute for the look, and the label's "partly on" note, so that screen
/// readers say it too (a switch has no "mixed" state of its own).
fn set_mixed(input: &Element, mixed: bool) {
    let note =
        input.previous_element_sibling().and_then(|label| label.query_selector(".koekje-always-on").ok().flatten());
    if mixed {
        set(input, "data-koekje-mixed", "");
        if let Some(note) = &note {
            let _ = note.remove_attribute("hidden");
        }
    } else {
        let _ = input.remove_attribute("data-koekje-mixed");
        if let Some(note) = &note {
            if !input.has_attribute("disabled") {
                set(note, "hidden", "");
            }
        }
    }
}

/// The category's cookies (its own and its services'), as a table inside a
/// `<details>` that starts closed.
fn cookie_table(config: &Config, category: &Category, lang: &str) -> Option<Element> {
    let mut rows: Vec<(&Cookie, Option<&str>)> = Vec::new();
    for c in &category.cookies {
        rows.push((c, None));
    }
    for s in &category.services {
        let name = s.name.get_or_any(lang);
        for c in &s.cookies {
            rows.push((c, name));
        }
    }
    if rows.is_empty() {
        return None;
    }
    let details = element("details", "koekje-cookies");
    append(&details, &text_element("summary", "koekje-cookies-summary", config.text(lang, Text::Cookies)));
    let table = element("table", "koekje-cookie-table");
    let head = element("tr", "");
    for heading in [Text::CookieName, Text::CookieProvider, Text::CookiePurpose, Text::CookieDuration] {
        let th = text_element("th", "", config.text(lang, heading));
        set(&th, "scope", "col");
        append(&head, &th);
    }
    let thead = element("thead", "");
    append(&thead, &head);
    append(&table, &thead);
    let body = element("tbody", "");
    for (cookie, service) in rows {
        let tr = element("tr", "");
        let provider = cookie.provider.as_deref().or(service).unwrap_or("");
        for cell in [
            cookie.name.as_str(),
            provider,
            cookie.purpose.get_or_any(lang).unwrap_or(""),
            cookie.duration.get_or_any(lang).unwrap_or(""),
        ] {
            append(&tr, &text_element("td", "", cell));
        }
        append(&body, &tr);
    }
    append(&table, &body);
    append(&details, &table);
    Some(details)
}

/// Keeps a category switch and its service switches in step after `changed`
/// was toggled: a category switch sets all its services; a service switch
/// makes its category on (any service on), off (none) or partly on.
pub fn sync_switches(dialog: &Element, changed: &HtmlInputElement) {
    let Some(category) = changed.get_attribute("data-koekje-category") else { return };
    let mut services = inputs(dialog, "input[data-koekje-service]");
    services.retain(|i| i.get_attribute("data-koekje-category").as_deref() == Some(category.as_str()));
    let Some(main) = inputs(dialog, "input[data-koekje-category]:not([data-koekje-service])")
        .into_iter()
        .find(|i| i.get_attribute("data-koekje-category").as_deref() == Some(category.as_str()))
    else {
        return;
    };
    if changed.has_attribute("data-koekje-service") {
        let on = services.iter().filter(|s| s.checked()).count();
        main.set_checked(on > 0);
        set_mixed(&main, on > 0 && on < services.len());
    } else {
        for s in &services {
            s.set_checked(changed.checked());
        }
        set_mixed(&main, false);
    }
}

fn inputs(dialog: &Element, selector: &str) -> Vec<HtmlInputElement> {
    super::super::dom::query_all(Some(dialog), selector)
}

/// The id of the `i`th category's switch: from indexes, not config ids,
/// so `ads--google` and `ads` + `google` cannot collide.
fn switch_id(uid: &str, i: usize) -> String {
    let mut name = String::from("c");
    crate::core::problem::push_number(&mut name, i);
    super::super::dom::inner_id(uid, &name)
}

/// The id of service `j`'s switch within the category switch `category_id`.
fn service_id(category_id: &str, j: usize) -> String {
    let mut id = String::from(category_id);
    id.push_str("-s");
    crate::core::problem::push_number(&mut id, j);
    id
}

/// Sets the switches of a dialog as `choice` says (used when the dialog is
/// rebuilt in another language).
pub fn apply_choice(dialog: &Element, choice: &[CategoryChoice]) {
    for input in inputs(dialog, "input[data-koekje-category]:not(:disabled)") {
        let category = input.get_attribute("data-koekje-category").unwrap_or_default();
        let Some(c) = choice.iter().find(|c| c.category == category) else { continue };
        let on = match input.get_attribute("data-koekje-service") {
            Some(service) => c.services.iter().find(|(s, _)| *s == service).map_or(c.accepted, |(_, a)| *a),
            None => c.accepted,
        };
        input.set_checked(on);
    }
    // Each service switch recomputes its category's on/off/partly state.
    for input in inputs(dialog, "input[data-koekje-service]") {
        sync_switches(dialog, &input);
    }
}

/// The elements Tab moves between inside `root`, in order.
pub fn focusable(root: &Element) -> Vec<web_sys::HtmlElement> {
    super::super::dom::query_all(Some(root), "button:not(:disabled), input:not(:disabled), a[href], summary")
}

/// Reads the switches of an open dialog as a custom choice.
pub fn read_choice(dialog: &Element) -> Vec<CategoryChoice> {
    let mut choice: Vec<CategoryChoice> = Vec::new();
    for input in inputs(dialog, "input[data-koekje-category]") {
        let Some(category) = input.get_attribute("data-koekje-category") else { continue };
        match input.get_attribute("data-koekje-service") {
            None => choice.push(CategoryChoice::whole(&category, input.checked())),
            Some(service) => {
                if let Some(c) = choice.iter_mut().find(|c| c.category == category) {
                    c.services.push((service, input.checked()));
                }
            }
        }
    }
    choice
}
