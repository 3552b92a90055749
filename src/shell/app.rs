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

use crate::page_local::PageLocal;

use core::cell::RefCell;

use super::listeners::{self, Action, Wiring};
use super::storage::{self, ConsentStore};
use super::view::host::{self, Host};
use super::view::{banner, confirm, dialog, on_top, placeholder, proof, room, seen};
use super::{
    consent_log, consent_mode, console, cookies, dom, events, gate, json, live, loader_helpers, page, random_id,
};
use crate::core::config::Config;
use crate::core::consent::{self, Choice, RecordContext};
use crate::core::language::{choose_language, LanguageInputs};
use crate::core::log_event::{self, Kind as LogKind};
use crate::core::notice;
use crate::core::problem::{quoted, Problem};
use crate::core::record::{Method, Record};
use crate::core::release::{self, Held, Kind, NonceRule, Refusal, Verdict};
use crate::core::texts;
use crate::core::validate;
use crate::core::value::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlDialogElement, ShadowRoot};

/// The nonce rule Koekje found on the page (see [`NonceRule`]).
pub enum Nonce {
    /// No sign of a nonce policy.
    Off,
    /// The nonce of Koekje's own tag (or of the config script, or of a
    /// script in the `<head>`).
    Page(String),
    /// Scripts on the page carry nonces, but none Koekje can trust.
    Unknown,
}

impl Nonce {
    /// From what the loader found: the trusted nonce (`""`: none), and
    /// whether any script on the page carries one.
    pub fn new(trusted: String, page_uses_nonces: bool) -> Nonce {
        match (trusted.is_empty(), page_uses_nonces) {
            (false, _) => Nonce::Page(trusted),
            (true, true) => Nonce::Unknown,
            (true, false) => Nonce::Off,
        }
    }

    fn rule(&self) -> NonceRule<'_> {
        match self {
            Nonce::Off => NonceRule::Off,
            Nonce::Page(n) => NonceRule::Page(n),
            Nonce::Unknown => NonceRule::Unknown,
        }
    }
}

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
    /// The nonce rule: under a nonce policy only held scripts with the
    /// page's nonce are released.
    nonce: Nonce,
    store: ConsentStore,
    /// What had focus when the dialog opened, to return focus to.
    opener: Option<Element>,
    /// The banner Koekje put in the page, by reference: a page element with
    /// its id or classes is never taken for it.
    pub banner: Option<Element>,
    /// The preferences dialog Koekje put in the page, by reference (a
    /// `<dialog>`, or where the browser has none, an element that stands in).
    pub dialog: Option<Element>,
    /// A random tag for the ids inside the interface (labels, descriptions),
    /// so that no page element can share one.
    uid: String,
    /// This build's id (the loader's), for the notice and the consent log.
    build: String,
    /// The SHA-256 of the notice shown now, once the browser has hashed it.
    notice: Option<String>,
    /// Whether [`resume`] has run.
    resumed: bool,
    /// What waits for the built-in words of the language shown.
    waiting: Vec<Waiting>,
    /// How often the banner was put back after something took it out.
    put_back: u8,
    /// A language chosen with `setLanguage` whose words are on their way.
    pending_lang: Option<String>,
    /// The host of the banner and the dialogs, once made.
    host: Option<Host>,
    /// Whether the console was told that the banner cannot be seen.
    said_unseen: bool,
    /// The confirmation of an embed's consent, while it is open: the
    /// dialog, the iframe it is for, and the placeholder's button that
    /// opened it (focus returns there).
    confirm: Option<(Element, Element, Element)>,
}

/// What waits for the built-in words of the language shown, where they are
/// loaded at run time (`core::texts`, feature `loaded-texts`): done once
/// they arrive ([`words_arrived`]). Nothing is shown without its words.
#[derive(Clone, PartialEq)]
pub enum Waiting {
    /// The banner.
    Banner,
    /// The preferences dialog, with what opened it.
    Preferences(Option<Element>),
    /// The placeholders of held embeds.
    Placeholders,
    /// The notice's hash (the consent log needs it from the start).
    Notice,
}

/// Whether the words of the language shown are there. If not, `then`
/// waits for them and the loader is asked for them (it fetches each
/// language once).
fn have_words_or_wait(then: Waiting) -> bool {
    let missing = with_app(|app| {
        if texts::have_words(&app.lang) {
            return None;
        }
        if !app.waiting.contains(&then) {
            app.waiting.push(then);
        }
        Some(app.lang.clone())
    });
    match missing {
        Some(Some(lang)) => {
            ask_for_words(&lang);
            false
        }
        _ => true,
    }
}

/// Asks the loader for the built-in words that `lang` shows.
fn ask_for_words(lang: &str) {
    loader_helpers::call("texts", &js_sys::Array::of1(&texts::words_language(lang).into()));
}

/// The loader brings the built-in words of `lang` (one per line, fetched
/// and checked against the build's id by the loader): what waited for them is done now. Words of
/// another shape are refused and named in the console.
pub fn words_arrived(lang: &str, packed: &str) {
    if !texts::load(lang, packed) {
        console::error(&Problem::new(
            &quoted("koekje-texts", lang),
            "not the built-in words of this build (ignored); the interface is not shown in this language",
        ));
        return;
    }
    // A language chosen meanwhile is switched to first (if these were its
    // words); then each waiting step checks again, and one whose words are
    // still missing (they were another language's) waits on.
    if let Some(lang) = with_app(|app| app.pending_lang.take()).flatten() {
        set_language(&lang);
    }
    let waiting = with_app(|app| core::mem::take(&mut app.waiting));
    for then in waiting.unwrap_or_default() {
        match then {
            Waiting::Banner => show_banner(),
            Waiting::Preferences(opener) => show_preferences(opener),
            Waiting::Placeholders => release_allowed(),
            Waiting::Notice => hash_notice(),
        }
    }
}

/// The one `App` of the page. The wasm runs on the page's one thread, so a
/// plain static with a `RefCell` is enough.
static APP: PageLocal<RefCell<Option<App>>> = PageLocal(RefCell::new(None));

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
    console::error(&validate::unusable(source, what, why));
}

/// Starts Koekje on this page, first part: reads the config and the stored
/// choice, listens for clicks and shows the banner if it must ask (once its
/// words are there). Returns whether it must ask: then the loader lets the
/// browser paint the banner before [`resume`] does the rest in a later task. `load_error` says why
/// the config named by the page could not be fetched.
pub fn start(
    config_text: Option<String>,
    source: &str,
    nonce: Nonce,
    load_error: Option<String>,
    build: String,
) -> bool {
    if APP.0.try_borrow().map_or(true, |app| app.is_some()) {
        return false;
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

    let store = ConsentStore::open(&config);
    let gpc = page::global_privacy_control();
    let stored = store.load();
    let (record, ask) = counting_record(&config, &stored.records, gpc, &lang);
    // A choice found in one place only is kept in every place the config
    // names (made on another subdomain, or before the cookie was configured).
    if let Some(r) = record.as_ref().filter(|r| r.method != Method::Gpc) {
        store.keep(r, &stored, &config);
    }
    // Eight hex digits of a random UUID (`get`: no panic path).
    let uid = random_id::new_consent_id().get(..8).unwrap_or_default().to_owned();
    if let Ok(mut slot) = APP.0.try_borrow_mut() {
        *slot = Some(App {
            config,
            lang,
            record,
            gpc,
            nonce,
            store,
            opener: None,
            banner: None,
            dialog: None,
            uid,
            build,
            notice: None,
            resumed: false,
            waiting: Vec::new(),
            put_back: 0,
            pending_lang: None,
            host: None,
            said_unseen: false,
            confirm: None,
        });
    }
    listeners::listen(&WIRING);
    if ask {
        show_banner();
    }
    ask
}

/// Starts Koekje on this page, second part (once, after [`start`]):
/// deletes what the choice refuses, sends what the consent log holds,
/// updates Consent Mode, releases what is allowed, watches the page for
/// held elements and fires `koekje:ready`.
pub fn resume() {
    if with_app(|app| core::mem::replace(&mut app.resumed, true)) != Some(false) {
        return;
    }
    // What the choice refuses is deleted on every page, not only when it is
    // made: a cookie set on a deeper path, or set again by something else.
    // Without a record that counts (none yet, or one that stopped counting:
    // a new revision, expired, withdrawn on another subdomain) everything
    // optional is refused, so what an old choice allowed goes before the
    // banner asks again.
    with_app(|app| delete_refused(&app.config, app.record.as_ref()));
    // What earlier pages could not send goes now; page code may choose
    // through the API without the banner, so the log needs the notice's
    // hash from the start. Otherwise it is made when the notice shows.
    if let Some(url) = with_app(|app| app.config.consent_log.clone()).flatten() {
        hash_notice();
        consent_log::send(&url, None);
    }
    send_consent_mode();
    release_allowed();
    live::observe(on_page_change, page_changed);
    // The page may have taken the banner out before the watcher started.
    put_banner_back();
    say_if_unseen();
    events::fire("koekje:ready", &consent_js());
}

/// Says in the console when the banner, painted by now, cannot be seen:
/// the page hid what holds it (`display: none` or `content-visibility` on
/// `<body>`, a zoom that shrinks it below a usable size). That fails
/// closed: nothing that needs consent runs until the visitor chooses.
fn say_if_unseen() {
    let Some(banner) = shown_banner() else { return };
    if let Some(why) = proof::unseen(&banner) {
        if with_app(|app| !core::mem::replace(&mut app.said_unseen, true)) == Some(true) {
            console::warn(&Problem::new("banner", why));
        }
    }
}

/// The page changed (nodes added or removed): the banner is put back if it
/// was taken out, and the console says if it can no longer be seen.
fn page_changed() {
    put_banner_back();
    say_if_unseen();
}

/// How often the banner is put back in one page view before Koekje stops.
const PUT_BACK_AT_MOST: u8 = 3;

/// Puts Koekje's banner back into the page when something else took it out
/// while it still asks (a framework that renders the whole document again
/// after a failed hydration, page code): the visitor always gets the
/// choice. After [`PUT_BACK_AT_MOST`] times it says so and stops; nothing
/// that needs consent runs either way.
fn put_banner_back() {
    let again = with_app(|app| {
        app.banner.as_ref().filter(|b| !b.is_connected())?;
        if let Some(old) = app.banner.take() {
            on_top::forget(&old);
            old.remove();
        }
        app.put_back += 1;
        Some(app.put_back <= PUT_BACK_AT_MOST)
    })
    .flatten();
    match again {
        Some(true) => show_banner(),
        Some(false) => console::warn(&Problem::new(
            "banner",
            "was taken out of the page again (by page code, or a framework that renders the whole document); Koekje no longer puts it back, and nothing that needs consent runs",
        )),
        None => {}
    }
}

/// The record that counts, and whether to ask: the newest stored record
/// that still counts; else, with Global Privacy Control, the record that
/// stands for it.
fn counting_record(config: &Config, stored: &[Record], gpc: bool, lang: &str) -> (Option<Record>, bool) {
    let t = now();
    // An embed's "Always allow" counts for what it allowed while the banner asks.
    if let Some((r, ask)) = consent::newest_standing(config, stored, t) {
        return (Some(r), ask);
    }
    if gpc {
        let r = consent::gpc_record(config, t, lang);
        let ask = consent::check_record(config, &r, t).is_err();
        return (Some(r), ask);
    }
    (None, true)
}

/// The banner Koekje shows, if it is in the page.
pub fn shown_banner() -> Option<Element> {
    with_app(|app| app.banner.clone()).flatten().filter(|b| b.is_connected())
}

/// Puts the banner in the page (first in the body), if it is not there.
pub fn show_banner() {
    if shown_banner().is_some() || !have_words_or_wait(Waiting::Banner) {
        return;
    }
    let Some(root) = interface() else { return };
    let built = with_app(|app| {
        let el = banner::build(&app.config, &app.lang, &app.uid);
        app.banner = Some(el.clone());
        (el, app.config.blocking, app.host.as_ref().map(|h| h.element.clone()))
    });
    let Some((el, blocking, Some(host))) = built else { return };
    let _ = root.prepend_with_node_1(&el);
    events::view("banner", true);
    hash_notice();
    if blocking {
        show_modal(&el);
    } else {
        seen::watch(&el);
        on_top::show(&el);
        room::track(&el, &host);
    }
}

/// The shadow root of Koekje's interface (the banner and the dialogs), its
/// host made (with its listeners) the first time and put first in the
/// body whenever it is not in the page, so keyboard users reach the banner
/// first.
fn interface() -> Option<ShadowRoot> {
    let body = super::page_dom::body()?;
    let made = with_app(|app| app.host.clone()).flatten();
    let host = match made {
        Some(host) => host,
        None => {
            let host = host::new()?;
            listeners::listen_in(&host.root);
            with_app(|app| app.host = Some(host.clone()));
            host
        }
    };
    if !host.element.is_connected() {
        let _ = body.prepend_with_node_1(&host.element);
    }
    Some(host.root)
}

/// Shows the interface in another language (for sites with a language
/// switch): what is open is rebuilt, with the dialog's switches as they were.
pub fn set_language(code: &str) {
    let Some(lang) = with_app(|app| {
        app.pending_lang = None;
        let available = app.config.languages();
        choose_language(
            &LanguageInputs { forced: Some(code), page: None, browser: &[], default: &app.lang },
            &available,
        )
    }) else {
        return;
    };
    // The switch waits for the language's words: until they are there,
    // what is shown, and what a choice records, stay in the language shown.
    if !texts::have_words(&lang) {
        ask_for_words(&lang);
        with_app(|app| app.pending_lang = Some(lang));
        return;
    }
    let changed = with_app(|app| !core::mem::replace(&mut app.lang, lang.clone()).eq(&lang));
    if changed == Some(true) {
        show_in_language();
    }
}

/// Rebuilds what is open in the language now shown.
fn show_in_language() {
    with_app(|app| app.notice = None);
    if with_app(|app| app.config.consent_log.is_some()) == Some(true) {
        hash_notice();
    }
    if shown_banner().is_some() {
        remove_banner();
        show_banner();
    }
    if let Some(old) = open_dialog() {
        let choice = dialog::read_choice(&old);
        let opener = with_app(|app| app.opener.take()).flatten();
        // Removed without closing: the close handler would return focus.
        forget_dialog();
        show_preferences(opener);
        if let Some(new) = open_dialog() {
            dialog::apply_choice(&new, &choice);
        }
    }
}

/// Removes the banner and closes the dialogs.
pub fn hide() {
    with_app(|app| app.waiting.retain(|w| !matches!(w, Waiting::Banner | Waiting::Preferences(_))));
    remove_banner();
    hide_dialog();
    close_confirm();
}

fn remove_banner() {
    let Some((el, host)) = with_app(|app| Some((app.banner.take()?, app.host.as_ref()?.element.clone()))).flatten()
    else {
        return;
    };
    on_top::forget(&el);
    room::end(&host);
    el.remove();
    events::view("banner", false);
}

/// Koekje's preferences dialog, while it is open.
pub fn open_dialog() -> Option<Element> {
    with_app(|app| app.dialog.clone()).flatten().filter(|d| d.has_attribute("open") && d.is_connected())
}

/// Shows `el` (a `<dialog>`) as a modal. A browser without
/// `HTMLDialogElement` (Safari before 15.4) gets it open in place, on top
/// of the page, labelled as a modal dialog, with focus moved into it: the
/// Tab trap and Esc work as for a real one; only the page behind it is not
/// made inert.
fn show_modal(el: &Element) {
    seen::watch(el);
    proof::view_changed();
    if let Some(d) = el.dyn_ref::<HtmlDialogElement>() {
        let _ = d.show_modal();
        return;
    }
    dom::set(el, "open", "");
    dom::set(el, "role", "dialog");
    dom::set(el, "aria-modal", "true");
    // Above the banner, where the banner is in the top layer.
    on_top::lift(el);
    if let Some(first) = dialog::focusable(el).first() {
        let _ = first.focus();
    }
}

/// Whether `el` is a stand-in for a `<dialog>` (the browser has none).
fn is_stand_in(el: &Element) -> bool {
    el.dyn_ref::<HtmlDialogElement>().is_none()
}

/// Removes Koekje's dialog from the page, open or not.
pub fn forget_dialog() {
    if let Some(d) = with_app(|app| app.dialog.take()).flatten() {
        let was_open = d.is_connected();
        d.remove();
        if was_open {
            events::view("dialog", false);
        }
    }
}

/// Whether `el` is Koekje's own banner or dialog (not a page element that
/// shares an id or class with them).
fn is_own(el: &Element) -> Option<Own> {
    with_app(|app| {
        if app.banner.as_ref().is_some_and(|b| b == el) {
            Some(Own::Banner)
        } else if app.dialog.as_ref().is_some_and(|d| d == el) {
            Some(Own::Dialog)
        } else {
            None
        }
    })
    .flatten()
}

/// Which of Koekje's own elements an element is, or is inside.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Own {
    /// The banner (first layer).
    Banner,
    /// The preferences dialog.
    Dialog,
}

/// Closes Koekje's dialog, if it is open.
pub fn hide_dialog() {
    let Some(d) = open_dialog() else { return };
    match d.dyn_ref::<HtmlDialogElement>() {
        // Its `close` event comes next, and `dialog_closed` with it.
        Some(d) => d.close(),
        None => {
            let _ = d.remove_attribute("open");
            dialog_closed();
        }
    }
}

/// The dialog has closed (Esc, its close button, a choice): it goes, and
/// focus returns to what opened it.
pub fn dialog_closed() {
    forget_dialog();
    uncovered();
    let opener = take_opener();
    if let Some(opener) = opener.filter(|o| o.is_connected()) {
        dom::focus(&opener);
    } else if let Some(first) = shown_banner().and_then(|b| b.query_selector("button").ok().flatten()) {
        // The opener was the banner's button and the banner is gone or
        // rebuilt: keep focus in the banner rather than losing it.
        dom::focus(&first);
    }
}

/// Opens the preferences dialog as a modal; `opener` gets focus back when
/// it closes.
pub fn show_preferences(opener: Option<Element>) {
    if open_dialog().is_some() || !have_words_or_wait(Waiting::Preferences(opener.clone())) {
        return;
    }
    // A dialog closed a moment ago may still wait for its `close` event.
    forget_dialog();
    let Some(root) = interface() else { return };
    let built = with_app(|app| {
        app.opener = opener.or_else(focused);
        let el = dialog::build(&app.config, &app.lang, app.record.as_ref(), app.gpc, &app.uid);
        app.dialog = Some(el.clone());
        el
    });
    let Some(el) = built else { return };
    let _ = root.append_child(&el);
    events::view("dialog", true);
    hash_notice();
    show_modal(&el);
}

/// Hashes the notice shown now (in the language shown), once per language;
/// the hash goes into the records made from then on. Not at start-up on a
/// page with a stored choice and no consent log: nothing is shown there.
fn hash_notice() {
    if !have_words_or_wait(Waiting::Notice) {
        return;
    }
    let text = with_app(|app| {
        if app.notice.is_some() {
            return None;
        }
        json::stringify(&notice::snapshot(&app.config, &app.lang, &app.build))
    })
    .flatten();
    if let Some(text) = text {
        consent_log::hash_notice(&text, |hash| {
            with_app(|app| app.notice = Some(hash));
        });
    }
}

/// Sends a consent-log event for `record`, if the config names a receiver.
fn log(record: &Record, kind: LogKind, api: bool) {
    let sent = with_app(|app| {
        let url = app.config.consent_log.clone()?;
        let event_id = random_id::new_consent_id();
        let path = dom::window().location().pathname().unwrap_or_default();
        let ctx = log_event::Context { event_id: &event_id, api, path: &path, build: &app.build, now: now() };
        Some((url, log_event::event(&app.config, record, kind, ctx)?))
    });
    if let Some(Some((url, event))) = sent {
        consent_log::send(&url, Some(&event));
    }
}

/// Records `choice` (`api`: made by page code through the JavaScript API,
/// not by the visitor's click), closes the interface, and applies it.
pub fn choose(choice: Choice, api: bool) {
    if let Some(record) = with_app(|app| consent::make_record(&app.config, &choice, context(app))) {
        save(record, api);
    }
}

/// What a new record is made with: the one that counts, the language, now.
fn context(app: &App) -> RecordContext<'_> {
    RecordContext {
        previous: app.record.as_ref(),
        new_id: random_id::new_consent_id(),
        now: now(),
        language: &app.lang,
        gpc: app.gpc,
    }
}

/// Stores `record` (with the hash of the notice shown), logs it, closes the
/// interface (an `embed` record leaves the banner asking about the rest),
/// and applies it.
fn save(mut record: Record, api: bool) {
    let answered = record.method != Method::Embed;
    let outcome = with_app(|app| {
        record.notice = app.notice.clone();
        app.store.save(&record, &app.config);
        let detail = json::to_js(&record.to_value());
        let kind = match app.record.as_ref().filter(|r| !r.id.is_empty() && r.id == record.id) {
            Some(_) => LogKind::Change,
            None => LogKind::Choice,
        };
        (app.record.replace(record.clone()), detail, record, kind)
    });
    let Some((previous, detail, record, kind)) = outcome else { return };
    log(&record, kind, api);
    if answered {
        hide();
    }
    events::fire("koekje:consent", &detail);
    apply(previous.as_ref());
}

/// The receipt's "Copy": puts the visitor's consent ID on the clipboard.
pub fn copy_consent_id() {
    let id = with_app(|app| app.record.as_ref().map(|r| r.id.clone())).flatten().unwrap_or_default();
    let clipboard = js_sys::Reflect::get(&dom::window().navigator(), &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    if let Ok(write) =
        js_sys::Reflect::get(&clipboard, &"writeText".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = write.call1(&clipboard, &id.into());
    }
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
/// refuses, so that a withdrawal takes effect; never a name that something
/// kept lists too.
fn delete_refused(config: &Config, record: Option<&Record>) {
    let refused = consent::refused(config, record);
    if refused.is_empty() {
        return;
    }
    cookies::delete_refused(&refused);
    storage::delete_refused_keys(&refused);
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
            let was_allowed =
                with_app(|app| consent::is_accepted(&app.config, previous, &category, service.as_deref()))
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
pub fn on_storage_change() {
    let outcome = with_app(|app| {
        let (record, ask) = counting_record(&app.config, &app.store.load().records, app.gpc, &app.lang);
        // The same record as before (a page restored with nothing changed,
        // or a `storage` event and the restore for one change): nothing to
        // do, and what is open stays open.
        let same = match (&app.record, &record) {
            (Some(a), Some(b)) => a.id == b.id && a.updated_at == b.updated_at,
            (None, None) => true,
            _ => false,
        };
        if same {
            return None;
        }
        let holds = record.is_some() && !ask;
        if !holds {
            // Withdrawn in the other tab: this tab's `sessionStorage` keys go too.
            delete_refused(&app.config, record.as_ref());
        }
        Some((core::mem::replace(&mut app.record, record), holds))
    });
    let Some(Some((previous, holds))) = outcome else { return };
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
        let record = counting_record(&app.config, &[], app.gpc, &app.lang).0;
        delete_refused(&app.config, record.as_ref());
        core::mem::replace(&mut app.record, record)
    });
    let Some(previous) = previous else { return };
    if let Some(withdrawn) = previous.as_ref() {
        log(withdrawn, LogKind::Withdrawal, true);
    }
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
    with_app(|app| app.record.as_ref().map(|r| json::to_js(&r.to_value()))).flatten().unwrap_or(JsValue::NULL)
}

/// What the core says about a held (or released) element now.
fn verdict_for(el: &Element) -> Verdict {
    let (category, service) = gate::purpose(el);
    let address = el.get_attribute("data-src").or_else(|| el.get_attribute("src"));
    let kind = if el.tag_name().eq_ignore_ascii_case("iframe") { Kind::Iframe } else { Kind::Script };
    let nonce = dom::html(el).nonce();
    let held =
        Held { kind, category: &category, service: service.as_deref(), address: address.as_deref(), nonce: &nonce };
    with_app(|app| release::verdict(&app.config, app.record.as_ref(), app.nonce.rule(), &held)).unwrap_or(Verdict::Hold)
}

/// Whether a held (or released) element may run now: its purpose is
/// accepted (or it is the Google tag and Consent Mode is "advanced"), its
/// address is a web address, and under a nonce policy it has the nonce.
fn may_run(el: &Element) -> bool {
    verdict_for(el) == Verdict::Run
}

/// Says in the console, once per element (it is marked), why a held
/// element will not run.
pub fn refuse_once(el: &Element, message: &str) {
    if el.has_attribute("data-koekje-refused") {
        return;
    }
    dom::set(el, "data-koekje-refused", "");
    let mut path = el.local_name();
    path.push_str("[data-category=\"");
    path.push_str(&gate::purpose(el).0);
    path.push('"');
    if let Some(src) = el.get_attribute("data-src") {
        path.push_str("][data-src=\"");
        path.push_str(&src);
        path.push('"');
    }
    path.push(']');
    console::warn(&Problem::new(&path, message));
}

/// Releases every held element that may run, and shows placeholders for
/// held iframes that may not.
fn release_allowed() {
    let mut allowed = Vec::new();
    for el in gate::held(refuse_once) {
        let shows_placeholder = match verdict_for(&el) {
            Verdict::Run => {
                allowed.push(el);
                continue;
            }
            Verdict::Hold => true,
            // A typo in `data-category`, most likely: it can never run by
            // consent, but the visitor may still load an embed once.
            Verdict::Refuse(Refusal::NoCategory) => {
                refuse_once(&el, Refusal::NoCategory.message());
                true
            }
            Verdict::Refuse(r) => {
                refuse_once(&el, r.message());
                false
            }
        };
        if shows_placeholder
            && el.tag_name().eq_ignore_ascii_case("iframe")
            && have_words_or_wait(Waiting::Placeholders)
        {
            if let Some(root) = with_app(|app| placeholder::show_for(&el, &app.config, &app.lang)).flatten() {
                listeners::listen_in(&root);
            }
        }
    }
    if !allowed.is_empty() {
        gate::release(allowed, may_run, refuse_once);
    }
}

/// Elements were added to the page (a single-page app, a tag manager):
/// held ones among them are handled like those in the HTML.
fn on_page_change() {
    release_allowed();
}

/// The placeholder's "Always allow": allows the iframe's service (or
/// category) for good, keeping every other decision; before any other
/// answer the banner goes on asking about the rest.
pub fn allow_always(iframe: &Element) {
    let (category, service) = gate::purpose(iframe);
    let record = with_app(|app| consent::record_allowing(&app.config, &category, service.as_deref(), context(app)));
    if let Some(record) = record {
        save(record, false);
    }
}

/// The opener to return focus to when the dialog closes, taken once.
pub fn take_opener() -> Option<Element> {
    with_app(|app| app.opener.take()).flatten()
}

/// What the listeners call (see [`listeners::Wiring`]).
static WIRING: Wiring = Wiring {
    act,
    doubt,
    open_preferences: show_preferences,
    modal: open_modal,
    escape,
    closed,
    storage_changed: on_storage_change,
};

/// The element that has focus, looking into Koekje's interface.
fn focused() -> Option<Element> {
    let active = super::page_dom::active_element()?;
    let inner = with_app(|app| app.host.as_ref().filter(|h| h.element == active).and_then(|h| h.root.active_element()))
        .flatten();
    Some(inner.unwrap_or(active))
}

/// A click on one of Koekje's controls that counts (see `view::proof`).
fn act(action: Action, control: Element) {
    match action {
        Action::AcceptAll => choose(Choice::AcceptAll, false),
        Action::RejectAll => choose(Choice::RejectAll, false),
        Action::Preferences => show_preferences(Some(control)),
        Action::Save => {
            if let Some(d) = open_dialog() {
                choose(Choice::Custom(dialog::read_choice(&d)), false);
            }
        }
        Action::Close => {
            if confirming(&control).is_some() {
                close_confirm();
            } else {
                hide_dialog();
            }
        }
        Action::CopyId => copy_consent_id(),
        Action::LoadOnce | Action::AllowAlways => embed_action(action, &control),
    }
}

/// A placeholder's button, or the same button in the confirmation: from a
/// placeholder it acts only when the browser proves the button was seen
/// (`view::seen`); otherwise the confirmation asks again, on top.
fn embed_action(action: Action, control: &Element) {
    let (iframe, confirmed) = match (placeholder::iframe_for(control), confirming(control)) {
        (Some(iframe), _) => (iframe, seen::is_seen(control) && proof::veiled(control).is_none()),
        (None, Some(iframe)) => (iframe, true),
        (None, None) => return,
    };
    if !confirmed {
        show_confirm(&iframe, control);
        return;
    }
    close_confirm();
    match action {
        Action::AllowAlways => allow_always(&iframe),
        _ => gate::release_iframe(&iframe),
    }
}

/// A click that did not count: said in the console; on a placeholder, the
/// confirmation asks again in Koekje's own dialog.
fn doubt(action: Action, control: Element, why: &'static str) {
    console::warn(&Problem::new("click", &{
        let mut message = String::from(why);
        message.push_str("; it was not taken as the visitor's choice");
        message
    }));
    if matches!(action, Action::LoadOnce | Action::AllowAlways) {
        if let Some(iframe) = placeholder::iframe_for(&control) {
            show_confirm(&iframe, &control);
        }
    }
}

/// The iframe of the open confirmation, if `el` is in it.
fn confirming(el: &Element) -> Option<Element> {
    with_app(|app| app.confirm.as_ref().filter(|(d, _, _)| d.contains(Some(el))).map(|(_, i, _)| i.clone())).flatten()
}

/// Opens the confirmation of `iframe`'s embed (`opener`: the placeholder's
/// button, which gets focus back).
fn show_confirm(iframe: &Element, opener: &Element) {
    close_confirm();
    if !have_words_or_wait(Waiting::Placeholders) {
        return;
    }
    let Some(root) = interface() else { return };
    let Some(el) = with_app(|app| {
        let el = confirm::build(iframe, &app.config, &app.lang, &app.uid);
        app.confirm = Some((el.clone(), iframe.clone(), opener.clone()));
        el
    }) else {
        return;
    };
    let _ = root.append_child(&el);
    show_modal(&el);
}

/// Closes the confirmation, if it is open; focus goes back to the button
/// that opened it.
fn close_confirm() {
    let Some((el, _, opener)) = with_app(|app| app.confirm.take()).flatten() else { return };
    el.remove();
    uncovered();
    if opener.is_connected() {
        dom::focus(&opener);
    }
}

/// One of Koekje's dialogs closed: what it covered of the banner is not
/// covered by the page (the browser would say so only after a while).
fn uncovered() {
    if let Some(banner) = shown_banner() {
        seen::refresh(&banner);
    }
}

/// Koekje's modal shown now: the confirmation, the dialog, or a blocking
/// banner.
fn open_modal() -> Option<Element> {
    with_app(|app| app.confirm.as_ref().map(|c| c.0.clone()))
        .flatten()
        .or_else(open_dialog)
        .or_else(|| shown_banner().filter(|b| b.tag_name().eq_ignore_ascii_case("dialog")))
}

/// Esc: a real `<dialog>` closes itself; a stand-in is closed here.
fn escape() {
    if open_dialog().is_some_and(|d| is_stand_in(&d)) {
        hide_dialog();
    }
}

/// One of Koekje's dialogs closed (its `close` event).
fn closed(target: Element) {
    if confirming(&target).is_some() {
        close_confirm();
        return;
    }
    match is_own(&target) {
        // A blocking banner closed without a choice (a repeated Esc): open
        // it again, unless a choice removed it.
        Some(Own::Banner) if target.is_connected() => {
            if let Some(d) = target.dyn_ref::<HtmlDialogElement>() {
                let _ = d.show_modal();
            }
        }
        Some(Own::Dialog) => dialog_closed(),
        _ => {}
    }
}
