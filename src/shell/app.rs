//! The running banner: the validated config, the language, the record that
//! counts, and the actions (show, choose, reset) that tie the views, the
//! store, the gate and the events together.
//!
//! State lives in a thread-local `RefCell`. Anything that may run page code
//! (releasing scripts, firing events) happens after the borrow is dropped,
//! so a page script that calls `koekje.accepted()` from an event listener
//! or a released script never finds the state borrowed.

#[allow(unused_imports)]
use crate::prelude::*;

use core::cell::RefCell;

use super::storage::{self, STORAGE_KEY};
use super::{banner, banner_room, consent_mode, console, cookies, dialog, dom, events, gate, json, live, page, placeholder, random_id};
use super::storage::ConsentStore;
use crate::core::config::{Config, ConsentModeKind};
use crate::core::consent::{self, Choice, RecordContext};
use crate::core::language::{choose_language, LanguageInputs};
use crate::core::problem::{quoted, Problem};
use crate::core::record::Record;
use crate::core::validate;
use crate::core::value::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, HtmlDialogElement};

/// The running banner's state.
pub struct App {
    /// The validated config.
    pub config: Config,
    /// The language shown.
    pub lang: String,
    /// The record that counts: the stored one, or the one that stands for
    /// Global Privacy Control.
    pub record: Option<Record>,
    /// Whether the browser sends Global Privacy Control.
    pub gpc: bool,
    /// The nonce of Koekje's script tag: when set, the page uses a nonce
    /// policy and only held scripts with this nonce are released.
    nonce: String,
    store: ConsentStore,
    /// What had focus when the dialog opened, to return focus to.
    opener: Option<Element>,
}

/// The one `App` of the page. The wasm runs on the page's one thread, so a
/// plain static with a `RefCell` is enough.
struct Global(RefCell<Option<App>>);

// SAFETY: wasm32-unknown-unknown without threads: only one thread exists.
unsafe impl Sync for Global {}

static APP: Global = Global(RefCell::new(None));

/// Runs `f` on the state, if Koekje has started and the state is not in
/// use further up the stack (then nothing happens: no panic path).
pub fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.0.try_borrow_mut().ok()?.as_mut().map(f)
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Reads the config text (`None`: no config on the page, so the built-in
/// setup applies) from `source` (where it came from, for messages),
/// reporting every problem. A config that could not be loaded
/// (`load_error`) or is not JSON fails closed ([`Config::fail_closed`]).
pub fn read_config(text: Option<&str>, source: &str, load_error: Option<&str>) -> Config {
    if let Some(error) = load_error {
        report_unusable(source, "could not be loaded (", error);
        return Config::fail_closed();
    }
    let Some(text) = text else { return Config::default() };
    let value = match json::parse(text) {
        Ok(v) => v,
        Err(message) => {
            report_unusable(source, "not valid JSON (", &message);
            return Config::fail_closed();
        }
    };
    let (config, problems) = validate::config_from_value(&value);
    problems.iter().for_each(console::error);
    config
}

/// Says that the config from `source` cannot be used, and why.
fn report_unusable(source: &str, what: &str, why: &str) {
    let mut m = String::from(what);
    m.push_str(why);
    m.push_str("); the built-in categories apply, none required");
    console::error(&Problem::new(&quoted("config from", source), &m));
}

/// Starts Koekje on this page: reads the config and the stored choice,
/// deletes what that choice refuses, shows the banner if it must ask,
/// releases what is allowed, listens for clicks, and fires `koekje:ready`.
/// `load_error` says why the config named by the page could not be fetched.
pub fn start(config_text: Option<String>, source: &str, nonce: String, load_error: Option<String>) {
    if APP.0.try_borrow().map_or(true, |app| app.is_some()) {
        return;
    }
    let config = read_config(config_text.as_deref(), source, load_error.as_deref());
    let browser = page::browser_languages();
    let html_lang = page::html_lang();
    let available = config.languages();
    let lang = choose_language(
        &LanguageInputs {
            forced: config.language.as_deref(),
            page: html_lang.as_deref(),
            browser: &browser,
            default: &config.default_language,
        },
        &available,
    );
    validate::check_language(&config, &lang).iter().for_each(console::error);

    let store = ConsentStore::open();
    let gpc = page::global_privacy_control();
    let (record, ask) = counting_record(&config, store.load(), gpc, &lang);
    // What the choice refuses is deleted on every page, not only when it is
    // made: a cookie set on a deeper path, or set again by something else.
    if record.is_some() {
        delete_refused(&config, record.as_ref());
    }
    if let Ok(mut slot) = APP.0.try_borrow_mut() {
        *slot = Some(App {
            config,
            lang,
            record,
            gpc,
            nonce,
            store,
            opener: None,
        });
    }
    listen();
    if ask {
        show_banner();
    }
    send_consent_mode();
    release_allowed();
    live::observe(on_page_change);
    events::fire("koekje:ready", &consent_js());
}

/// The record that counts, and whether to ask: a stored record that still
/// counts; else, with Global Privacy Control, the record that stands for it.
fn counting_record(config: &Config, stored: Option<Record>, gpc: bool, lang: &str) -> (Option<Record>, bool) {
    let t = now();
    if let Some(r) = stored.filter(|r| consent::check_record(config, r, t).is_ok()) {
        return (Some(r), false);
    }
    if gpc {
        let r = consent::gpc_record(config, t, lang);
        let ask = consent::check_record(config, &r, t).is_err();
        return (Some(r), ask);
    }
    (None, true)
}

/// Puts the banner in the page (first in the body), if it is not there.
pub fn show_banner() {
    let document = dom::document();
    if document.get_element_by_id(banner::BANNER_ID).is_some() {
        return;
    }
    let Some(body) = document.body() else { return };
    let Some((el, blocking)) = with_app(|app| (banner::build(&app.config, &app.lang), app.config.blocking)) else {
        return;
    };
    let _ = body.prepend_with_node_1(&el);
    if blocking {
        if let Some(d) = el.dyn_ref::<HtmlDialogElement>() {
            let _ = d.show_modal();
        }
    } else {
        banner_room::track(&el);
    }
}

/// Shows the interface in another language (for sites with a language
/// switch): what is open is rebuilt, with the dialog's switches as they were.
pub fn set_language(code: &str) {
    let changed = with_app(|app| {
        let available = app.config.languages();
        let lang = choose_language(
            &LanguageInputs {
                forced: Some(code),
                page: None,
                browser: &[],
                default: &app.lang,
            },
            &available,
        );
        let changed = lang != app.lang;
        app.lang = lang;
        changed
    });
    if changed != Some(true) {
        return;
    }
    if let Some(old) = dom::document().get_element_by_id(banner::BANNER_ID) {
        old.remove();
        show_banner();
    }
    if let Some(old) = open_dialog() {
        let choice = dialog::read_choice(&old);
        let opener = with_app(|app| app.opener.take()).flatten();
        // Removed without closing: the close handler would return focus.
        old.remove();
        show_preferences(opener);
        if let Some(new) = open_dialog() {
            dialog::apply_choice(&new, &choice);
        }
    }
}

/// Removes the banner and closes the dialog.
pub fn hide() {
    remove_banner();
    close_dialog();
}

fn remove_banner() {
    if let Some(el) = dom::document().get_element_by_id(banner::BANNER_ID) {
        el.remove();
    }
}

fn open_dialog() -> Option<HtmlDialogElement> {
    dom::document()
        .get_element_by_id(dialog::DIALOG_ID)
        .and_then(|d| d.dyn_into::<HtmlDialogElement>().ok())
        .filter(|d| d.open())
}

fn close_dialog() {
    if let Some(d) = open_dialog() {
        d.close();
    }
}

/// Opens the preferences dialog as a modal; `opener` gets focus back when
/// it closes.
pub fn show_preferences(opener: Option<Element>) {
    if open_dialog().is_some() {
        return;
    }
    // A dialog closed a moment ago may still wait for its `close` event.
    if let Some(old) = dom::document().get_element_by_id(dialog::DIALOG_ID) {
        old.remove();
    }
    let Some(body) = dom::document().body() else { return };
    let built = with_app(|app| {
        app.opener = opener.or_else(|| dom::document().active_element());
        dialog::build(&app.config, &app.lang, app.record.as_ref(), app.gpc)
    });
    let Some(el) = built else { return };
    let _ = body.append_child(&el);
    if let Ok(d) = el.dyn_into::<HtmlDialogElement>() {
        let _ = d.show_modal();
    }
}

/// Records `choice`, closes the interface, and applies it.
pub fn choose(choice: Choice) {
    let outcome = with_app(|app| {
        let record = consent::make_record(
            &app.config,
            &choice,
            RecordContext {
                previous: app.record.as_ref(),
                new_id: random_id::new_consent_id(),
                now: now(),
                language: &app.lang,
                gpc: app.gpc,
            },
        );
        app.store.save(&record);
        let detail = json::to_js(&record.to_value());
        (app.record.replace(record), detail)
    });
    let Some((previous, detail)) = outcome else { return };
    hide();
    events::fire("koekje:consent", &detail);
    apply(previous.as_ref());
}

/// Makes the record that counts take effect (`previous`: the one it
/// replaced): deletes what it refuses, tells Google Consent Mode, fires
/// `koekje:change`, releases what it allows, and reloads the page if
/// scripts that already ran here are now refused.
fn apply(previous: Option<&Record>) {
    let change = with_app(|app| {
        let record = app.record.as_ref()?;
        delete_refused(&app.config, Some(record));
        let changes = consent::changes(&app.config, previous?, record);
        if changes.is_empty() {
            return None;
        }
        let mut list = Vec::new();
        for c in &changes {
            let service = c.service.as_deref().map_or(Value::Null, Value::from);
            list.push(Value::object([
                ("category", Value::from(c.category.as_str())),
                ("service", service),
                ("accepted", Value::Bool(c.accepted)),
            ]));
        }
        Some(json::to_js(&Value::object([("changes", Value::Array(list)), ("consent", record.to_value())])))
    })
    .flatten();
    send_consent_mode();
    if let Some(detail) = change {
        events::fire("koekje:change", &detail);
    }
    if must_reload(previous) {
        page::reload();
        return;
    }
    release_allowed();
}

/// Deletes the cookies and storage keys that `record` (`None`: no record)
/// refuses, so that a withdrawal takes effect.
fn delete_refused(config: &Config, record: Option<&Record>) {
    let refused = consent::refused(config, record);
    cookies::delete_matching(&refused.cookies);
    storage::delete_matching_keys(&refused.storage);
}

/// Whether a withdrawal touches what already ran here: a script or iframe
/// released on this page under `previous` is refused now (and the config
/// wants a reload for that). An embed loaded once, never allowed by a
/// record, does not count.
fn must_reload(previous: Option<&Record>) -> bool {
    let reload = with_app(|app| app.config.reload_on_withdrawal).unwrap_or(false);
    reload
        && gate::released().iter().any(|el| {
            let (category, service) = gate::purpose(el);
            let was_allowed = with_app(|app| consent::is_accepted(&app.config, previous, &category, service.as_deref()))
                .unwrap_or(false);
            was_allowed && !may_run(el)
        })
}

/// Sends the Consent Mode update for the record that counts. The signals
/// are copied out first: `gtag` is page code and runs outside the borrow.
fn send_consent_mode() {
    let signals = with_app(|app| {
        let mut owned = Vec::new();
        for (s, g) in consent::consent_signals(&app.config, app.record.as_ref()) {
            owned.push((s.to_owned(), g));
        }
        owned
    });
    if let Some(signals) = signals {
        consent_mode::send_update(&signals);
    }
}

/// Another tab stored (or removed) a choice: apply it here too.
fn on_storage_change(event: Event) {
    if event.unchecked_into::<web_sys::StorageEvent>().key().as_deref() != Some(STORAGE_KEY) {
        return;
    }
    let outcome = with_app(|app| {
        let (record, ask) = counting_record(&app.config, app.store.load(), app.gpc, &app.lang);
        let holds = record.is_some() && !ask;
        if !holds {
            // Withdrawn in the other tab: this tab's `sessionStorage` keys go too.
            delete_refused(&app.config, record.as_ref());
        }
        (core::mem::replace(&mut app.record, record), holds)
    });
    let Some((previous, holds)) = outcome else { return };
    hide();
    match holds {
        true => apply(previous.as_ref()),
        // Withdrawn everywhere (reset): ask again here too.
        false => ask_again(previous.as_ref()),
    }
}

/// Forgets the stored choice and asks again. This withdraws consent: what
/// is no longer accepted has its cookies and storage keys deleted, and the
/// page reloads if scripts that already ran here are now refused (as
/// `reloadOnWithdrawal` says).
pub fn reset() {
    let previous = with_app(|app| {
        app.store.clear();
        let record = counting_record(&app.config, None, app.gpc, &app.lang).0;
        delete_refused(&app.config, record.as_ref());
        core::mem::replace(&mut app.record, record)
    });
    let Some(previous) = previous else { return };
    hide();
    ask_again(previous.as_ref());
}

/// After a withdrawal (`previous`: the record that counted): reloads if
/// scripts that already ran here are now refused; otherwise tells Consent
/// Mode and shows the banner.
fn ask_again(previous: Option<&Record>) {
    if must_reload(previous) {
        page::reload();
        return;
    }
    send_consent_mode();
    show_banner();
}

/// Whether the config has a category with this id.
pub fn has_category(id: &str) -> bool {
    with_app(|app| app.config.category(id).is_some()).unwrap_or(false)
}

/// Whether `category` (and `service`) may run now.
pub fn accepted(category: &str, service: Option<&str>) -> bool {
    with_app(|app| consent::is_accepted(&app.config, app.record.as_ref(), category, service)).unwrap_or(false)
}

/// The record that counts, as a plain object, or `null`.
pub fn consent_js() -> JsValue {
    with_app(|app| app.record.as_ref().map(|r| json::to_js(&r.to_value())))
        .flatten()
        .unwrap_or(JsValue::NULL)
}

/// Whether a held (or released) element may run now: its purpose is
/// accepted, or it is the Google tag and Consent Mode is "advanced".
fn may_run(el: &Element) -> bool {
    if !carries_page_nonce(el) {
        return false;
    }
    let (category, service) = gate::purpose(el);
    if accepted(&category, service.as_deref()) {
        return true;
    }
    with_app(|app| {
        let mode = &app.config.consent_mode;
        mode.kind == ConsentModeKind::Advanced
            && service.is_some_and(|s| mode.google_services.contains(&s))
    })
    .unwrap_or(false)
}

/// Under a nonce policy with `'strict-dynamic'` the browser trusts every
/// script Koekje creates, so a held script must carry the page's nonce:
/// otherwise injected markup could have Koekje run it. Says so once.
fn carries_page_nonce(el: &Element) -> bool {
    let page_nonce = with_app(|app| app.nonce.clone()).unwrap_or_default();
    if page_nonce.is_empty() || !el.tag_name().eq_ignore_ascii_case("script") {
        return true;
    }
    let nonce = dom::html(el).nonce();
    if nonce == page_nonce {
        return true;
    }
    refuse_once(el, "no nonce, or not the page's; not released");
    false
}

/// Says in the console, once per element (it is marked), why a held
/// element will not run.
fn refuse_once(el: &Element, message: &str) {
    if el.has_attribute("data-koekje-refused") {
        return;
    }
    dom::set(el, "data-koekje-refused", "");
    let mut path = el.local_name();
    path.push_str("[data-category=\"");
    path.push_str(&gate::purpose(el).0);
    path.push_str("\"]");
    console::warn(&Problem::new(&path, message));
}

/// Releases every held element that may run, and shows placeholders for
/// held iframes that may not.
fn release_allowed() {
    let mut allowed = Vec::new();
    for el in gate::held() {
        if may_run(&el) {
            allowed.push(el);
            continue;
        }
        if !has_category(&gate::purpose(&el).0) {
            // A typo in `data-category`, most likely: it can never run.
            refuse_once(&el, "no such category in the config; it stays held");
        }
        if el.tag_name().eq_ignore_ascii_case("iframe") {
            with_app(|app| placeholder::show_for(&el, &app.config, &app.lang));
        }
    }
    if !allowed.is_empty() {
        gate::release(allowed, may_run);
    }
}

/// Elements were added to the page (a single-page app, a tag manager):
/// held ones among them are handled like those in the HTML.
fn on_page_change() {
    release_allowed();
}

/// One click listener for the whole page (buttons of the banner and dialog,
/// and every `data-koekje="preferences"` element), one for the dialog's
/// switches changing, and one for the dialog closing (Esc, the close button
/// or a choice), which returns focus.
fn listen() {
    let document = dom::document();
    listen_to(&document, "click", on_click, false);
    listen_to(&document, "change", on_change, false);
    listen_to(&document, "keydown", on_keydown, false);
    // `cancel` and `close` do not bubble: caught on the way down.
    listen_to(&document, "cancel", on_cancel, true);
    listen_to(&document, "close", on_close, true);
    listen_to(&dom::window(), "storage", on_storage_change, false);
}

/// Calls `handler` for every `kind` event that reaches `target` (while it
/// goes down when `capture`), for as long as the page lives.
fn listen_to(target: &web_sys::EventTarget, kind: &str, handler: fn(Event), capture: bool) {
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback_and_bool(kind, closure.as_ref().unchecked_ref(), capture);
    closure.forget();
}

fn on_click(event: Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    if let Ok(Some(opener)) = target.closest("[data-koekje=preferences]") {
        event.prevent_default();
        show_preferences(Some(opener));
        return;
    }
    let Ok(Some(button)) = target.closest(".koekje [data-koekje-action]") else { return };
    match button.get_attribute("data-koekje-action").as_deref() {
        Some("accept-all") => choose(Choice::AcceptAll),
        Some("reject-all") => choose(Choice::RejectAll),
        Some("preferences") => show_preferences(Some(button)),
        Some("save") => {
            if let Some(d) = open_dialog() {
                choose(Choice::Custom(dialog::read_choice(&d)));
            }
        }
        Some("close") => close_dialog(),
        Some("load-once") => {
            if let Some(iframe) = button.closest("[data-koekje-placeholder]").ok().flatten().and_then(|p| placeholder::iframe_of(&p)) {
                gate::release_iframe(&iframe);
            }
        }
        Some("allow-always") => {
            let Some(iframe) = button.closest("[data-koekje-placeholder]").ok().flatten().and_then(|p| placeholder::iframe_of(&p)) else {
                return;
            };
            let (category, service) = gate::purpose(&iframe);
            let choice = with_app(|app| consent::choice_allowing(&app.config, app.record.as_ref(), &category, service.as_deref()));
            if let Some(choice) = choice {
                choose(choice);
            }
        }
        _ => {}
    }
}

fn on_change(event: Event) {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    if let Some(d) = open_dialog().filter(|d| d.contains(Some(&input))) {
        dialog::sync_switches(&d, &input);
    }
}

/// Keeps Tab and Shift+Tab inside the open modal (the preferences dialog,
/// or a blocking banner): from the last element to the first and back.
fn on_keydown(event: Event) {
    let event: web_sys::KeyboardEvent = event.unchecked_into();
    // WebKitGTK gives Shift+Tab the key "Unidentified"; its code is "Tab".
    if event.key() != "Tab" && event.code() != "Tab" {
        return;
    }
    let document = dom::document();
    let modal = open_dialog().map(|d| d.unchecked_into::<Element>()).or_else(|| {
        document
            .get_element_by_id(banner::BANNER_ID)
            .filter(|b| b.tag_name().eq_ignore_ascii_case("dialog"))
    });
    let Some(modal) = modal else { return };
    let items = dialog::focusable(&modal);
    let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
    let active = document.active_element();
    let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<Element>());
    let inside = active.as_ref().is_some_and(|a| modal.contains(Some(a)));
    if event.shift_key() && (at(first) || !inside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (at(last) || !inside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// Esc does not dismiss a blocking banner: the visitor answers it.
fn on_cancel(event: Event) {
    let is_banner = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| t.id() == banner::BANNER_ID);
    if is_banner {
        event.prevent_default();
    }
}

fn on_close(event: Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    if target.id() == banner::BANNER_ID {
        // A blocking banner closed without a choice (a repeated Esc): open
        // it again, unless a choice removed it.
        if target.is_connected() {
            if let Some(d) = target.dyn_ref::<HtmlDialogElement>() {
                let _ = d.show_modal();
            }
        }
        return;
    }
    if target.id() != dialog::DIALOG_ID {
        return;
    }
    target.remove();
    let opener = with_app(|app| app.opener.take()).flatten();
    if let Some(opener) = opener.filter(|o| o.is_connected()) {
        dom::focus(&opener);
    } else if let Some(first) = dom::document()
        .get_element_by_id(banner::BANNER_ID)
        .and_then(|b| b.query_selector("button").ok().flatten())
    {
        // The opener was the banner's button and the banner is gone or
        // rebuilt: keep focus in the banner rather than losing it.
        dom::focus(&first);
    }
}
