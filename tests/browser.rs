#![cfg(target_arch = "wasm32")]
//! Real-browser tests of the shell (`src/shell`), run with wasm-bindgen-test
//! in headless Chromium:
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
//!   cargo test --target wasm32-unknown-unknown --test browser
//! ```
//!
//! All tests share one page and one wasm instance and may run in any order.
//! So every test builds what it needs inside its own [`Fixture`] (a `<div>`
//! that is removed afterwards, and removed first if a failed test left it
//! behind), clears the `koekje` localStorage key before and after, and puts
//! back anything global it replaces (`localStorage`, `console.warn`,
//! `Storage.prototype.setItem`, `Crypto.prototype.randomUUID`, `window.gtag`,
//! `navigator.globalPrivacyControl`) *before* it asserts, because a failed
//! assertion aborts the test without unwinding.
//!
//! `app::start` works once per page (a thread-local singleton), so every
//! check that needs a started Koekje (Consent Mode updates, placeholders and
//! "load once", live pages, choices from other tabs) lives in the single test
//! `app_start_choose_reset_and_dialog`. No other test clicks Koekje's buttons
//! while attached to the page, so the page-wide click listener it installs
//! cannot interfere with them. Its `MutationObserver` stays on after it: it
//! only releases what the (reset) record accepts, so other tests hold their
//! scripts in the optional `analytics` category (or one the config lacks),
//! and release held iframes before they first wait. The test sets
//! `reloadOnWithdrawal: false`: a reload would end the whole run.
//!
//! The gate's predicate is a plain `fn`, so the tests that refuse elements
//! read which ones from a thread-local ([`not_refused`]) or from a page
//! global that a released script can change ([`not_withdrawn`]).
//!
//! wasm-bindgen-futures is not a dependency, so the few tests that must wait
//! for the browser (an external script loading, a dialog's `close` event)
//! use the tiny timer future [`sleep`] defined here.

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlDialogElement, HtmlElement, HtmlInputElement};

use koekje::core::config::{Category, Config, Cookie, Layout, Localized, Service, Store, Theme};
use koekje::core::consent::Refused;
use koekje::core::consent::{gpc_record, make_record, CategoryChoice, Choice, RecordContext};
use koekje::core::record::{Method, Record};
use koekje::core::texts::{fill, Text, TextOverrides};
use koekje::core::value::Value;
use koekje::shell::storage::{delete_refused_keys, ConsentStore, STORAGE_KEY};
use koekje::shell::{app, banner, consent_mode, dialog, events, gate, json, page, page_dom, placeholder, random_id};

// ---------------------------------------------------------------------------
// Helpers: page fixtures, globals, console capture, waiting.
// ---------------------------------------------------------------------------

const FIXTURE_CLASS: &str = "koekje-test-fixture";

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn document() -> web_sys::Document {
    window().document().expect("a document")
}

fn body() -> HtmlElement {
    document().body().expect("a body")
}

fn storage() -> web_sys::Storage {
    window().local_storage().expect("localStorage works").expect("localStorage exists")
}

/// Removes the `koekje` key, whatever a previous test left.
fn clear_stored() {
    storage().remove_item(STORAGE_KEY).expect("removeItem");
}

fn stored_text() -> Option<String> {
    storage().get_item(STORAGE_KEY).expect("getItem")
}

/// The store of the built-in config: `localStorage` only.
fn local_store() -> ConsentStore {
    ConsentStore::open(&Config::default())
}

/// The one record `store` reads, if any.
fn loaded(store: &ConsentStore) -> Option<Record> {
    store.load().records.pop()
}

/// Saves `record` as the built-in config says.
fn save(store: &ConsentStore, record: &Record) -> bool {
    store.save(record, &Config::default())
}

/// A `<div>` in the body holding one test's elements; removed on drop.
struct Fixture {
    root: Element,
}

impl Fixture {
    fn new() -> Fixture {
        // A test that failed could not clean up: do it now.
        let leftovers = document().query_selector_all(&format!(".{FIXTURE_CLASS}")).expect("selector");
        for i in 0..leftovers.length() {
            if let Some(el) = leftovers.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                el.remove();
            }
        }
        let root = document().create_element("div").unwrap();
        root.set_class_name(FIXTURE_CLASS);
        body().append_child(&root).unwrap();
        Fixture { root }
    }

    /// Appends `<tag>` with `attributes` (and `text`, if any) to the fixture.
    fn add(&self, tag: &str, attributes: &[(&str, &str)], text: Option<&str>) -> Element {
        let el = element(tag, attributes, text);
        self.root.append_child(&el).unwrap();
        el
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn element(tag: &str, attributes: &[(&str, &str)], text: Option<&str>) -> Element {
    let el = document().create_element(tag).unwrap();
    for (name, value) in attributes {
        el.set_attribute(name, value).unwrap();
    }
    if let Some(text) = text {
        el.set_text_content(Some(text));
    }
    el
}

/// A held inline script: `<script type="text/plain" data-category=…>code</script>`.
fn held_script(fixture: &Fixture, id: &str, category: &str, code: &str) -> Element {
    fixture.add("script", &[("type", "text/plain"), ("data-category", category), ("id", id)], Some(code))
}

/// A held external script whose `data-src` is a `data:` URL running `code`.
fn held_external(fixture: &Fixture, id: &str, code: &str) -> Element {
    let src = format!("data:text/javascript,{}", js_sys::encode_uri_component(code));
    fixture.add(
        "script",
        &[("type", "text/plain"), ("data-category", "analytics"), ("id", id), ("data-src", &src)],
        None,
    )
}

fn by_id(id: &str) -> Element {
    document().get_element_by_id(id).unwrap_or_else(|| panic!("#{id} is in the page"))
}

fn global(name: &str) -> JsValue {
    Reflect::get(&window(), &name.into()).unwrap()
}

fn set_global(name: &str, value: &JsValue) {
    Reflect::set(&window(), &name.into(), value).unwrap();
}

fn delete_global(name: &str) {
    Reflect::delete_property(&window(), &name.into()).unwrap();
}

/// A fresh empty array at `window[name]`, for page scripts to push to.
fn global_array(name: &str) -> Array {
    let array = Array::new();
    set_global(name, &array);
    array
}

fn strings(array: &Array) -> Vec<String> {
    array.iter().map(|v| v.as_string().expect("a string")).collect()
}

fn json_text(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().as_string().unwrap()
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

/// Whether `value` is a plain object (prototype `Object.prototype`), not a `Map`.
fn is_plain_object(value: &JsValue) -> bool {
    let Some(object) = value.dyn_ref::<Object>() else { return false };
    let object_prototype = get(&js_sys::global().unchecked_into::<JsValue>(), "Object");
    let object_prototype = get(&object_prototype, "prototype");
    !value.is_instance_of::<js_sys::Map>()
        && Object::get_prototype_of(object).unchecked_into::<JsValue>() == object_prototype
}

/// Replaces `console[method]` with a recorder until [`ConsoleCapture::finish`].
struct ConsoleCapture {
    method: &'static str,
    original: JsValue,
    lines: Array,
}

impl ConsoleCapture {
    fn start(method: &'static str) -> ConsoleCapture {
        let console = get(&js_sys::global(), "console");
        let original = get(&console, method);
        let lines = global_array("__koekjeConsole");
        let recorder = Function::new_with_args("...args", "window.__koekjeConsole.push(args.map(String).join(' '))");
        Reflect::set(&console, &method.into(), &recorder).unwrap();
        ConsoleCapture { method, original, lines }
    }

    /// Puts the original method back and returns what was logged.
    fn finish(self) -> Vec<String> {
        let console = get(&js_sys::global(), "console");
        Reflect::set(&console, &self.method.into(), &self.original).unwrap();
        delete_global("__koekjeConsole");
        strings(&self.lines)
    }
}

/// Waits `ms` milliseconds (a `setTimeout` as a future).
fn sleep(ms: i32) -> Sleep {
    let state = Rc::new(RefCell::new((false, None::<Waker>)));
    let fired = state.clone();
    let callback = Closure::once_into_js(move || {
        let waker = {
            let mut s = fired.borrow_mut();
            s.0 = true;
            s.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    });
    window().set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms).unwrap();
    Sleep { state }
}

struct Sleep {
    state: Rc<RefCell<(bool, Option<Waker>)>>,
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = self.state.borrow_mut();
        if s.0 {
            Poll::Ready(())
        } else {
            s.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// Waits until `condition` holds, for at most about five seconds.
async fn wait_until(mut condition: impl FnMut() -> bool) -> bool {
    for _ in 0..500 {
        if condition() {
            return true;
        }
        sleep(10).await;
    }
    condition()
}

/// Sets a cookie through `document.cookie` (without needing web-sys's
/// `HtmlDocument` feature).
fn set_cookie(text: &str) {
    Reflect::set(&document(), &"cookie".into(), &text.into()).unwrap();
}

/// The names of the cookies the page sees.
fn cookie_names() -> Vec<String> {
    let all = get(&document(), "cookie").as_string().unwrap_or_default();
    all.split(';')
        .filter_map(|pair| pair.split('=').next().map(|n| n.trim().to_owned()))
        .filter(|n| !n.is_empty())
        .collect()
}

fn delete_cookie(name: &str) {
    set_cookie(&format!("{name}=; max-age=0; path=/"));
}

/// A record for the default config, made as the app makes one.
fn record(choice: Choice, id: &str, now: f64) -> Record {
    make_record(
        &Config::default(),
        &choice,
        RecordContext { previous: None, new_id: id.to_owned(), now, language: "nl", gpc: false },
    )
}

/// Records every `name` event on `window` (its `detail`) until dropped.
struct EventLog {
    name: &'static str,
    details: Rc<RefCell<Vec<JsValue>>>,
    listener: Closure<dyn Fn(web_sys::Event)>,
}

impl EventLog {
    fn listen(name: &'static str) -> EventLog {
        let details = Rc::new(RefCell::new(Vec::new()));
        let sink = details.clone();
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let detail = event.dyn_ref::<web_sys::CustomEvent>().map(|e| e.detail()).unwrap_or(JsValue::UNDEFINED);
            sink.borrow_mut().push(detail);
        });
        window().add_event_listener_with_callback(name, listener.as_ref().unchecked_ref()).unwrap();
        EventLog { name, details, listener }
    }

    fn count(&self) -> usize {
        self.details.borrow().len()
    }

    fn last(&self) -> JsValue {
        self.details.borrow().last().cloned().expect("an event was fired")
    }
}

impl Drop for EventLog {
    fn drop(&mut self) {
        let _ = window().remove_event_listener_with_callback(self.name, self.listener.as_ref().unchecked_ref());
    }
}

// ---------------------------------------------------------------------------
// storage.rs: the consent record in the real localStorage.
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn storage_save_then_load_round_trips_a_record() {
    clear_stored();
    let store = local_store();
    assert_eq!(loaded(&store), None, "nothing stored yet");

    let saved = record(Choice::AcceptAll, "0d9f1c2e-3b4a-4c5d-8e6f-708192a3b4c5", 1_764_000_000_123.0);
    assert!(save(&store, &saved));

    // What is stored is the record's JSON, under the key `koekje`.
    let text = stored_text().expect("the record is stored under `koekje`");
    let stored = js_sys::JSON::parse(&text).unwrap();
    assert_eq!(get(&stored, "version").as_f64(), Some(1.0));
    assert_eq!(get(&stored, "method").as_string().as_deref(), Some("accept-all"));
    assert_eq!(get(&stored, "givenAt").as_f64(), Some(1_764_000_000_123.0));
    assert_eq!(get(&stored, "gpc").as_bool(), Some(false), "whether GPC was on is stored");

    // A store opened later reads it back unchanged.
    assert_eq!(loaded(&local_store()), Some(saved.clone()));

    // Saving again replaces it.
    let rejected = record(Choice::RejectAll, "11111111-2222-4333-8444-555555555555", 1_764_000_000_999.0);
    assert!(save(&store, &rejected));
    assert_eq!(loaded(&store), Some(rejected));

    // A choice made while the browser sent GPC says so, and reads back so.
    let mut with_gpc = record(Choice::AcceptAll, "22222222-3333-4444-8555-666666666666", 1_764_000_001_000.0);
    with_gpc.gpc = true;
    assert!(save(&store, &with_gpc));
    let stored = js_sys::JSON::parse(&stored_text().unwrap()).unwrap();
    assert_eq!(get(&stored, "gpc").as_bool(), Some(true));
    assert_eq!(loaded(&store), Some(with_gpc));
    clear_stored();
}

#[wasm_bindgen_test]
fn storage_clear_removes_the_record() {
    clear_stored();
    let store = local_store();
    assert!(save(&store, &record(Choice::RejectAll, "id", 1_000.0)));
    assert!(stored_text().is_some());
    store.clear();
    assert_eq!(stored_text(), None);
    assert_eq!(loaded(&store), None);
    // Clearing when nothing is stored is harmless.
    store.clear();
    assert_eq!(stored_text(), None);
}

/// A config that keeps the choice in a cookie of its own name (tests do not
/// touch a `koekje` cookie), or in both places.
fn cookie_config(store: Store) -> Config {
    let mut config = Config { store, ..Config::default() };
    config.consent_cookie.name = "koekje-test".into();
    config
}

fn cookie_text() -> String {
    get(&document(), "cookie").as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
fn storage_in_a_cookie_round_trips_and_clears() {
    clear_stored();
    delete_cookie("koekje-test");
    let config = cookie_config(Store::Cookie);
    let store = ConsentStore::open(&config);
    assert!(store.load().records.is_empty());
    let saved = record(Choice::AcceptAll, "0d9f1c2e-3b4a-4c5d-8e6f-708192a3b4c5", js_sys::Date::now());
    assert!(store.save(&saved, &config));
    let value = koekje::core::record_cookie::encode(&saved).unwrap();
    assert!(cookie_text().contains(&format!("koekje-test={value}")), "{}", cookie_text());
    assert_eq!(stored_text(), None, "nothing in localStorage");
    assert_eq!(ConsentStore::open(&config).load().records, std::slice::from_ref(&saved));
    store.clear();
    assert!(!cookie_names().contains(&"koekje-test".to_owned()));
    assert!(store.load().records.is_empty());

    // Both: in both places, and read from both.
    let both = cookie_config(Store::Both);
    let store = ConsentStore::open(&both);
    assert!(store.save(&saved, &both));
    assert!(stored_text().is_some() && cookie_names().contains(&"koekje-test".to_owned()));
    assert_eq!(store.load().records, [saved.clone(), saved]);
    store.clear();
    assert!(stored_text().is_none() && !cookie_names().contains(&"koekje-test".to_owned()));
}

#[wasm_bindgen_test]
fn storage_a_forged_cookie_loads_as_none_with_a_warning() {
    let config = cookie_config(Store::Cookie);
    let good = koekje::core::record_cookie::encode(&record(Choice::AcceptAll, "id", js_sys::Date::now())).unwrap();
    for forged in
        ["yes", &good.replacen("1.", "2.", 1), &good.replace("accept-all", "gpc"), &format!("{good}.analytics:1")]
    {
        set_cookie(&format!("koekje-test={forged}; path=/"));
        let console = ConsoleCapture::start("warn");
        let records = ConsentStore::open(&config).load().records;
        let warnings = console.finish();
        assert!(records.is_empty(), "{forged}");
        assert_eq!(warnings, [r#"koekje: cookie "koekje-test": not a consent record (ignored)"#], "{forged}");
    }
    delete_cookie("koekje-test");
}

#[wasm_bindgen_test]
fn storage_corrupted_values_load_as_none_with_a_warning() {
    clear_stored();
    let mut version_2 = record(Choice::AcceptAll, "id", 1_000.0).to_value();
    if let Value::Object(pairs) = &mut version_2 {
        pairs[0] = ("version".to_owned(), Value::Number(2.0));
    }
    let version_2 = json::stringify(&version_2).unwrap();
    assert!(version_2.starts_with(r#"{"version":2,"#), "{version_2}");
    // A good record, changed one field at a time.
    let good = json::stringify(&record(Choice::AcceptAll, "id", 1_000.0).to_value()).unwrap();
    assert!(good.contains(r#""method":"accept-all","#) && good.contains(r#""gpc":false,"#), "{good}");
    let without_gpc = good.replace(r#""gpc":false,"#, "");
    let gpc_not_bool = good.replace(r#""gpc":false"#, r#""gpc":"no""#);
    // A GPC record is never stored, so one found in storage was not made by Koekje.
    let gpc_method = good.replace(r#""method":"accept-all""#, r#""method":"gpc""#);
    let corrupted = [
        "not json at all",
        "{\"version\": 1",
        "null",
        "[1, 2, 3]",
        "\"accept-all\"",
        r#"{"version": 1}"#,
        r#"{"version": 1, "id": 7, "revision": 1, "categories": {}, "services": {}, "method": "accept-all", "language": "nl", "givenAt": 1, "updatedAt": 1, "expiresAt": 2}"#,
        r#"{"version": 1, "id": "x", "revision": 1, "categories": {"analytics": "yes"}, "services": {}, "method": "accept-all", "language": "nl", "givenAt": 1, "updatedAt": 1, "expiresAt": 2}"#,
        version_2.as_str(),
        without_gpc.as_str(),
        gpc_not_bool.as_str(),
        gpc_method.as_str(),
    ];
    let store = local_store();
    let mut results = Vec::new();
    for text in corrupted {
        storage().set_item(STORAGE_KEY, text).unwrap();
        let console = ConsoleCapture::start("warn");
        let loaded = loaded(&store);
        results.push((text, loaded, console.finish()));
    }
    clear_stored();
    for (text, loaded, warnings) in &results {
        assert_eq!(*loaded, None, "{text} must load as no record");
        assert_eq!(warnings.len(), 1, "one warning for {text}: {warnings:?}");
        assert!(warnings[0].starts_with("koekje: stored consent"), "{text}: {warnings:?}");
    }
    let warning = |text: &str| results.iter().find(|r| r.0 == text).map(|r| r.2[0].clone()).unwrap();
    assert!(warning(&without_gpc).contains("gpc"), "{}", warning(&without_gpc));
    assert!(warning(&gpc_not_bool).contains("gpc"), "{}", warning(&gpc_not_bool));
    assert!(warning(&gpc_method).contains("method"), "{}", warning(&gpc_method));
    // The good one itself loads.
    storage().set_item(STORAGE_KEY, &good).unwrap();
    let loaded = loaded(&local_store());
    clear_stored();
    assert_eq!(loaded.map(|r| r.method), Some(Method::AcceptAll));
}

#[wasm_bindgen_test]
fn storage_that_throws_gives_a_store_that_holds_nothing() {
    clear_stored();
    let win: JsValue = window().into();
    let win_object: &Object = win.unchecked_ref();
    let key: JsValue = "localStorage".into();
    let original = Object::get_own_property_descriptor(win_object, &key);
    assert!(!original.is_undefined(), "localStorage is an own property of window");

    let throwing = Object::new();
    Reflect::set(&throwing, &"get".into(), &Function::new_no_args("throw new DOMException('denied', 'SecurityError')"))
        .unwrap();
    Reflect::set(&throwing, &"configurable".into(), &JsValue::TRUE).unwrap();
    Object::define_property(win_object, &key, &throwing);
    let really_throws = Reflect::get(&win, &key).is_err();

    let console = ConsoleCapture::start("warn");
    let store = local_store();
    let loaded = loaded(&store);
    let saved = save(&store, &record(Choice::AcceptAll, "id", 1_000.0));
    store.clear();
    let warnings = console.finish();

    // Put localStorage back before asserting anything.
    Object::define_property(win_object, &key, original.unchecked_ref());
    let restored = window().local_storage().map(|s| s.is_some()).unwrap_or(false);

    assert!(restored, "localStorage is back");
    assert!(really_throws, "the replaced getter throws");
    assert_eq!(loaded, None);
    assert!(!saved, "save reports the failure");
    assert_eq!(warnings.len(), 1, "one warning when opening: {warnings:?}");
    assert!(warnings[0].starts_with("koekje: localStorage"), "{warnings:?}");
    assert_eq!(stored_text(), None, "nothing reached the real storage");
}

#[wasm_bindgen_test]
fn storage_refusing_to_store_makes_save_return_false() {
    clear_stored();
    let prototype = get(&get(&js_sys::global(), "Storage"), "prototype");
    let original = get(&prototype, "setItem");
    let refusing = Function::new_no_args("throw new DOMException('full', 'QuotaExceededError')");
    Reflect::set(&prototype, &"setItem".into(), &refusing).unwrap();

    let console = ConsoleCapture::start("warn");
    let store = local_store();
    let saved = save(&store, &record(Choice::AcceptAll, "id", 1_000.0));
    let warnings = console.finish();

    Reflect::set(&prototype, &"setItem".into(), &original).unwrap();

    assert!(!saved);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("koekje: localStorage: refused"), "{warnings:?}");
    assert_eq!(stored_text(), None);
    // And with setItem back, saving works again.
    assert!(save(&store, &record(Choice::AcceptAll, "id", 1_000.0)));
    clear_stored();
}

#[wasm_bindgen_test]
fn storage_delete_matching_keys_removes_matching_keys_but_never_koekjes_own() {
    clear_stored();
    let local = storage();
    let session = window().session_storage().unwrap().expect("sessionStorage exists");
    let local_keys = ["_hjSession_1", "_hjid", "exact", "exactly", "keep_hj", "koekje-test-other"];
    let session_keys = ["_hjTab", "exact", "session_keep"];
    for key in local_keys {
        local.set_item(key, "1").unwrap();
    }
    for key in session_keys {
        session.set_item(key, "1").unwrap();
    }
    local.set_item(STORAGE_KEY, "the stored choice").unwrap();
    let present = |store: &web_sys::Storage, keys: &[&str]| -> Vec<String> {
        keys.iter().filter(|k| store.get_item(k).unwrap().is_some()).map(|k| (*k).to_owned()).collect()
    };

    delete_refused_keys(&Refused { storage: vec!["_hj*", "exact"], ..Refused::default() });
    let local_after = present(&local, &local_keys);
    let session_after = present(&session, &session_keys);
    // Patterns that match Koekje's own key (and another one) still keep it.
    delete_refused_keys(&Refused { storage: vec!["koek*", "*je"], ..Refused::default() });
    let own_key = local.get_item(STORAGE_KEY).unwrap();
    let local_last = present(&local, &local_keys);
    // No patterns: nothing goes.
    delete_refused_keys(&Refused { storage: vec![], ..Refused::default() });
    let local_untouched = present(&local, &local_keys);

    for key in local_keys {
        local.remove_item(key).unwrap();
    }
    for key in session_keys {
        session.remove_item(key).unwrap();
    }
    clear_stored();

    assert_eq!(local_after, ["exactly", "keep_hj", "koekje-test-other"], "localStorage");
    assert_eq!(session_after, ["session_keep"], "sessionStorage");
    assert_eq!(own_key.as_deref(), Some("the stored choice"), "the `koekje` key is never removed");
    assert_eq!(local_last, ["exactly", "keep_hj"], "`koek*` removed the other key");
    assert_eq!(local_untouched, local_last);
}

// ---------------------------------------------------------------------------
// page_dom.rs: the document through Document.prototype.
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn page_dom_reads_and_writes_the_document_past_elements_that_shadow_it() {
    let fixture = Fixture::new();
    set_cookie("koekje-test-before=1; path=/");
    let heard = Rc::new(RefCell::new(0));
    let count = heard.clone();
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_| *count.borrow_mut() += 1);
    let held =
        fixture.add("script", &[("type", "text/plain"), ("data-category", "analytics"), ("id", "page-dom-held")], None);
    // Page content that shadows `document`'s members by name (DOM clobbering).
    let names =
        ["cookie", "body", "documentElement", "activeElement", "createElement", "querySelectorAll", "addEventListener"];
    let markup: String = names.iter().map(|n| format!(r#"<img name="{n}" alt="">"#)).collect();
    fixture.root.insert_adjacent_html("beforeend", &markup).unwrap();
    let shadowed: Vec<bool> = names.iter().map(|n| get(&document(), n).is_instance_of::<Element>()).collect();
    page_dom::set_cookie("koekje-test-after=1; path=/");
    let cookie = page_dom::cookie();
    let root = page_dom::root().map(|r| r.tag_name());
    let body_tag = page_dom::body().map(|b| b.tag_name());
    let active = page_dom::active_element().map(|a| a.tag_name());
    let made = page_dom::create_element("script").tag_name();
    let found: Vec<String> = page_dom::query_all("#page-dom-held").iter().map(|el| el.id()).collect();
    page_dom::add_listener(&document(), "koekje-test-page-dom", listener.as_ref().unchecked_ref(), false);
    drop(fixture);
    document().dispatch_event(&web_sys::Event::new("koekje-test-page-dom").unwrap()).unwrap();
    drop(held);
    let after_names = cookie_names();
    delete_cookie("koekje-test-before");
    delete_cookie("koekje-test-after");

    assert_eq!(shadowed, [true; 7], "web-sys's structural reads would see the images");
    assert!(cookie.contains("koekje-test-before=1") && cookie.contains("koekje-test-after=1"), "{cookie}");
    assert!(after_names.contains(&"koekje-test-after".to_owned()), "the cookie was written");
    assert_eq!(root.as_deref(), Some("HTML"));
    assert_eq!(body_tag.as_deref(), Some("BODY"));
    assert!(active.is_some_and(|a| a != "IMG"));
    assert_eq!(made, "SCRIPT");
    assert_eq!(found, ["page-dom-held"]);
    assert_eq!(*heard.borrow(), 1, "the listener was added to the document");
}

// ---------------------------------------------------------------------------
// json.rs: the browser's JSON and the walk to and from `Value`.
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn json_parse_reads_values_in_order() {
    let parsed = json::parse(r#"{"b": 1, "a": [true, null, "x", 2.5, -3], "c": {}, "d": "é\n"}"#).unwrap();
    let expected = Value::object([
        ("b", Value::Number(1.0)),
        (
            "a",
            Value::Array(vec![
                Value::Bool(true),
                Value::Null,
                Value::from("x"),
                Value::Number(2.5),
                Value::Number(-3.0),
            ]),
        ),
        ("c", Value::Object(Vec::new())),
        ("d", Value::from("é\n")),
    ]);
    assert_eq!(parsed, expected);
    assert_eq!(json::parse("42"), Ok(Value::Number(42.0)));
    assert_eq!(json::parse("null"), Ok(Value::Null));
}

#[wasm_bindgen_test]
fn json_parse_reports_the_browsers_message_for_invalid_text() {
    for bad in ["", "{", "[1,]", "{'a': 1}", "undefined", "{\"a\": 1} x"] {
        let error = json::parse(bad).expect_err(bad);
        assert!(!error.trim().is_empty(), "{bad:?}: empty message");
        // The browser's own SyntaxError message, not the generic fallback.
        assert_ne!(error, "not valid JSON", "{bad:?}");
    }
}

#[wasm_bindgen_test]
fn json_to_js_makes_plain_objects() {
    let value = Value::object([
        ("version", Value::Number(1.0)),
        ("categories", Value::object([("analytics", Value::Bool(false)), ("functional", Value::Bool(true))])),
        ("list", Value::Array(vec![Value::object([("k", Value::Null)]), Value::from("s")])),
        ("half", Value::Number(0.5)),
    ]);
    let js = json::to_js(&value);
    assert!(is_plain_object(&js), "the top level is a plain object");
    assert!(is_plain_object(&get(&js, "categories")), "nested objects are plain objects");
    assert!(Array::is_array(&get(&js, "list")));
    assert!(is_plain_object(&Array::from(&get(&js, "list")).get(0)));
    assert_eq!(
        json_text(&js),
        r#"{"version":1,"categories":{"analytics":false,"functional":true},"list":[{"k":null},"s"],"half":0.5}"#
    );
    assert!(json::to_js(&Value::Null).is_null());
    assert_eq!(json::to_js(&Value::from("x")).as_string().as_deref(), Some("x"));
}

#[wasm_bindgen_test]
fn json_keys_that_are_special_in_javascript_stay_own_properties() {
    // Category ids may be any of letters, digits, `-` and `_`: `__proto__`
    // is one, and must not be swallowed as a prototype.
    let value = Value::object([("__proto__", Value::Bool(true)), ("constructor", Value::Bool(false))]);
    assert_eq!(json::stringify(&value).as_deref(), Some(r#"{"__proto__":true,"constructor":false}"#));
    assert_eq!(json::parse(r#"{"__proto__":true,"constructor":false}"#), Ok(value));
}

#[wasm_bindgen_test]
fn json_parse_refuses_values_nested_too_deeply() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(json::parse(&deep(20)).is_ok());
    // The limit is the core's, which the checker applies too.
    let limit = koekje::core::value::MAX_DEPTH as usize;
    assert!(json::parse(&deep(limit + 1)).is_ok(), "the innermost array at level MAX_DEPTH");
    assert_eq!(json::parse(&deep(limit + 2)), Err(koekje::core::value::TOO_DEEP.to_owned()));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(500), "}".repeat(500));
    for hostile in [deep(500), objects] {
        let error = json::parse(&hostile).expect_err("too deep");
        assert!(!error.is_empty());
    }
}

#[wasm_bindgen_test]
fn json_from_js_refuses_what_is_not_data() {
    let function: JsValue = Function::new_no_args("return 1").into();
    assert_eq!(json::from_js(&function), None);
    let array = Array::of2(&JsValue::from(1), &function);
    assert_eq!(json::from_js(&array), None, "a function inside an array");
    assert_eq!(json::from_js(&JsValue::UNDEFINED), Some(Value::Null));
}

#[wasm_bindgen_test]
fn json_stringify_round_trips() {
    let value = record(Choice::AcceptAll, "round-trip", 1_764_000_000_000.5).to_value();
    let text = json::stringify(&value).unwrap();
    assert!(
        text.starts_with(r#"{"version":1,"id":"round-trip","revision":1,"categories":{"identification":true,"#),
        "{text}"
    );
    assert_eq!(json::parse(&text), Ok(value));
    // from_js reads what to_js wrote.
    let nested = Value::Array(vec![Value::object([("a", Value::Array(Vec::new()))]), Value::Bool(false)]);
    assert_eq!(json::from_js(&json::to_js(&nested)), Some(nested));
}

// ---------------------------------------------------------------------------
// gate.rs: held scripts and iframes, released in order.
// ---------------------------------------------------------------------------

/// What [`gate::release`] calls for an element it cannot release: nothing here.
fn ignore_refusal(_: &Element, _: &str) {}

/// A predicate for [`gate::release`] that lets everything run.
fn always(_: &Element) -> bool {
    true
}

thread_local! {
    /// The ids [`not_refused`] says no to (a predicate is a plain `fn`).
    static REFUSED_IDS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn refuse_ids(ids: &[&str]) {
    REFUSED_IDS.with(|r| *r.borrow_mut() = ids.iter().map(|id| (*id).to_owned()).collect());
}

/// A predicate that refuses the elements whose ids [`refuse_ids`] named.
fn not_refused(el: &Element) -> bool {
    REFUSED_IDS.with(|r| !r.borrow().contains(&el.id()))
}

/// A predicate that refuses the elements whose ids are in the page's
/// `window.__koekjeWithdrawn` array, which page scripts can change.
fn not_withdrawn(el: &Element) -> bool {
    let withdrawn = global("__koekjeWithdrawn");
    !Array::is_array(&withdrawn) || !Array::from(&withdrawn).includes(&el.id().into(), 0)
}

/// The ids of the fixture's elements in `list`.
fn ids_in(fixture: &Fixture, list: &[Element]) -> Vec<String> {
    list.iter().filter(|el| fixture.root.contains(Some(el))).map(|el| el.id()).collect()
}

/// The fixture's held elements, in document order.
fn held_in(fixture: &Fixture) -> Vec<Element> {
    gate::held(ignore_refusal).into_iter().filter(|el| fixture.root.contains(Some(el))).collect()
}

/// Whether `el` is still held and free to be released later.
fn still_held(el: &Element) -> bool {
    el.is_connected()
        && el.get_attribute("type").as_deref() == Some("text/plain")
        && !el.has_attribute("data-koekje-queued")
        && !el.has_attribute(gate::RELEASED)
}

#[wasm_bindgen_test]
fn gate_held_lists_held_elements_in_document_order_only() {
    let fixture = Fixture::new();
    fixture.add("script", &[("type", "text/plain"), ("id", "no-category")], Some("window.__koekjeRan = 1"));
    fixture.add("script", &[("type", "application/json"), ("data-category", "analytics"), ("id", "json")], Some("{}"));
    fixture.add("iframe", &[("data-category", "analytics"), ("id", "iframe-no-src")], None);
    fixture.add("div", &[("data-category", "analytics"), ("data-src", "x"), ("id", "div")], None);
    fixture.add(
        "script",
        &[("type", "text/plain"), ("data-category", "analytics"), ("data-koekje-queued", ""), ("id", "queued")],
        None,
    );
    let first =
        fixture.add("iframe", &[("data-category", "marketing"), ("data-src", "/koekje-blank"), ("id", "held-1")], None);
    let nested = fixture.add("div", &[], None);
    let second = element("script", &[("type", "text/plain"), ("data-category", "analytics"), ("id", "held-2")], None);
    nested.append_child(&second).unwrap();
    fixture.add(
        "script",
        &[("type", "TEXT/PLAIN"), ("data-category", "functional"), ("data-service", "chat"), ("id", "held-3")],
        None,
    );

    let ids: Vec<String> =
        gate::held(ignore_refusal).iter().filter(|el| fixture.root.contains(Some(el))).map(|el| el.id()).collect();
    assert_eq!(ids, ["held-1", "held-2", "held-3"]);

    assert_eq!(gate::purpose(&first), ("marketing".to_owned(), None));
    assert_eq!(gate::purpose(&by_id("held-3")), ("functional".to_owned(), Some("chat".to_owned())));
    second.set_attribute("data-service", "").unwrap();
    assert_eq!(gate::purpose(&second), ("analytics".to_owned(), None), "an empty service is none");
}

#[wasm_bindgen_test]
fn gate_release_runs_inline_scripts_once_with_their_attributes() {
    let fixture = Fixture::new();
    let runs = global_array("__koekjeRuns");
    let held = held_script(&fixture, "inline", "analytics", "window.__koekjeRuns.push('inline')");
    for (name, value) in [
        ("async", ""),
        ("defer", ""),
        ("integrity", "sha384-abc"),
        ("crossorigin", "anonymous"),
        ("referrerpolicy", "no-referrer"),
        ("data-service", "google-analytics"),
        ("data-custom", "kept"),
    ] {
        held.set_attribute(name, value).unwrap();
    }
    held.unchecked_ref::<HtmlElement>().set_nonce("n0nce-123");
    assert!(runs.length() == 0, "a held script does not run");

    let list = gate::held(ignore_refusal);
    assert_eq!(list.len(), 1);
    gate::release(list.clone(), always, ignore_refusal);

    assert_eq!(strings(&runs), ["inline"], "an inline script runs at once");
    assert!(!held.is_connected(), "the held element was replaced");
    let released = by_id("inline");
    assert_eq!(released.tag_name(), "SCRIPT");
    assert!(!released.has_attribute("type"), "no type: it is JavaScript");
    for name in ["async", "defer"] {
        assert!(released.has_attribute(name), "{name} kept");
    }
    for (name, value) in [
        ("integrity", "sha384-abc"),
        ("crossorigin", "anonymous"),
        ("referrerpolicy", "no-referrer"),
        ("data-category", "analytics"),
        ("data-service", "google-analytics"),
        ("data-custom", "kept"),
    ] {
        assert_eq!(released.get_attribute(name).as_deref(), Some(value), "{name} kept");
    }
    assert!(!released.has_attribute("data-koekje-queued"));
    assert!(released.has_attribute(gate::RELEASED), "marked as released");
    assert_eq!(released.unchecked_ref::<HtmlElement>().nonce(), "n0nce-123", "nonce copied");
    assert_eq!(released.text_content().as_deref(), Some("window.__koekjeRuns.push('inline')"));

    // Never twice: not held any more, and releasing the same list again does nothing.
    assert!(gate::held(ignore_refusal).iter().all(|el| !fixture.root.contains(Some(el))));
    gate::release(list, always, ignore_refusal);
    assert_eq!(strings(&runs), ["inline"]);
    delete_global("__koekjeRuns");
}

#[wasm_bindgen_test]
async fn gate_release_turns_data_type_module_into_a_module_script() {
    let fixture = Fixture::new();
    let runs = global_array("__koekjeRuns");
    let held = held_script(&fixture, "module", "analytics", "window.__koekjeRuns.push(typeof import.meta)");
    held.set_attribute("data-type", "module").unwrap();
    gate::release(gate::held(ignore_refusal), always, ignore_refusal);

    let released = by_id("module");
    assert_eq!(released.get_attribute("type").as_deref(), Some("module"));
    assert!(!released.has_attribute("data-type"));
    // `import.meta` only parses in a module.
    assert!(wait_until(|| runs.length() > 0).await, "the module ran");
    assert_eq!(strings(&runs), ["object"]);
    delete_global("__koekjeRuns");
}

#[wasm_bindgen_test]
fn gate_release_gives_iframes_their_src_once() {
    let fixture = Fixture::new();
    let iframe = fixture.add(
        "iframe",
        &[("data-category", "marketing"), ("data-src", "/koekje-blank#video"), ("title", "Video")],
        None,
    );
    assert!(!iframe.has_attribute("src"));
    let list = gate::held(ignore_refusal);
    assert_eq!(list.len(), 1);
    gate::release(list.clone(), always, ignore_refusal);

    assert!(iframe.is_connected(), "the iframe itself is kept");
    assert_eq!(iframe.get_attribute("src").as_deref(), Some("/koekje-blank#video"));
    assert!(!iframe.has_attribute("data-src"));
    assert!(iframe.has_attribute(gate::RELEASED), "marked as released");
    assert_eq!(iframe.get_attribute("title").as_deref(), Some("Video"));
    assert!(gate::held(ignore_refusal).is_empty(), "a released iframe is not held any more");

    // Releasing it again does not touch it.
    iframe.set_attribute("src", "/koekje-blank#changed-by-page").unwrap();
    gate::release(list, always, ignore_refusal);
    assert_eq!(iframe.get_attribute("src").as_deref(), Some("/koekje-blank#changed-by-page"));
}

#[wasm_bindgen_test]
fn gate_leaves_elements_with_an_address_of_their_own_as_they_are() {
    let fixture = Fixture::new();
    let checked = fixture.add(
        "iframe",
        &[
            ("data-category", "marketing"),
            ("src", "/koekje-blank#checked"),
            ("data-src", "/koekje-blank#unchecked"),
            ("id", "own-iframe"),
        ],
        None,
    );
    let blank = fixture.add(
        "iframe",
        &[
            ("data-category", "marketing"),
            ("src", "about:blank"),
            ("data-src", "/koekje-blank#held"),
            ("id", "blank-iframe"),
        ],
        None,
    );
    let script = fixture.add(
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "analytics"),
            ("src", "/koekje-test-checked.js"),
            ("data-src", "/koekje-test-unchecked.js"),
            ("id", "own-script"),
        ],
        None,
    );
    let held = ids_in(&fixture, &gate::held(koekje::shell::app::refuse_once));
    gate::release(vec![checked.clone(), blank.clone(), script.clone()], always, ignore_refusal);
    let blank_src = blank.get_attribute("src");
    // An iframe Koekje gave its src follows a new data-src.
    blank.set_attribute("data-src", "/koekje-blank#next").unwrap();
    let held_again = ids_in(&fixture, &gate::held(koekje::shell::app::refuse_once));
    gate::release(gate::held(koekje::shell::app::refuse_once), always, ignore_refusal);

    assert_eq!(held, ["blank-iframe"]);
    assert_eq!(checked.get_attribute("src").as_deref(), Some("/koekje-blank#checked"), "its own src is kept");
    assert_eq!(checked.get_attribute("data-src").as_deref(), Some("/koekje-blank#unchecked"));
    assert!(!checked.has_attribute(gate::RELEASED));
    assert!(checked.has_attribute("data-koekje-refused"), "named once");
    assert!(
        script.is_connected() && script.get_attribute("type").as_deref() == Some("text/plain"),
        "the script stays held"
    );
    assert!(script.has_attribute("data-koekje-refused"));
    assert_eq!(blank_src.as_deref(), Some("/koekje-blank#held"), "about:blank is no address of its own");
    assert_eq!(held_again, ["blank-iframe"]);
    assert_eq!(blank.get_attribute("src").as_deref(), Some("/koekje-blank#next"));
}

#[wasm_bindgen_test]
fn gate_release_skips_elements_no_longer_in_the_page() {
    let fixture = Fixture::new();
    let runs = global_array("__koekjeRuns");
    // A removed external script must not be waited for: it would never load.
    held_external(&fixture, "removed-external", "window.__koekjeRuns.push('removed-external')");
    held_script(&fixture, "removed", "analytics", "window.__koekjeRuns.push('removed')");
    held_script(&fixture, "kept", "analytics", "window.__koekjeRuns.push('kept')");
    let list = gate::held(ignore_refusal);
    assert_eq!(list.len(), 3);
    by_id("removed-external").remove();
    by_id("removed").remove();
    gate::release(list, always, ignore_refusal);
    assert_eq!(strings(&runs), ["kept"], "the kept script ran at once");
    delete_global("__koekjeRuns");
}

#[wasm_bindgen_test]
async fn gate_release_waits_for_each_external_script_in_document_order() {
    let fixture = Fixture::new();
    let order = global_array("__koekjeOrder");
    held_external(&fixture, "a", "window.__koekjeOrder.push('a')");
    held_script(&fixture, "b", "analytics", "window.__koekjeOrder.push('b')");
    // A script that fails to load must not stop the ones after it.
    fixture.add(
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "analytics"),
            ("id", "missing"),
            ("data-src", "/koekje-test-missing.js"),
        ],
        None,
    );
    held_script(&fixture, "c", "analytics", "window.__koekjeOrder.push('c')");
    held_external(&fixture, "d", "window.__koekjeOrder.push('d')");
    held_script(&fixture, "e", "analytics", "window.__koekjeOrder.push('e')");

    gate::release(gate::held(ignore_refusal), always, ignore_refusal);
    // `a` is loading; nothing after it has run.
    assert_eq!(strings(&order), Vec::<String>::new());
    assert!(by_id("b").get_attribute("type").as_deref() == Some("text/plain"), "b still held");
    let a = by_id("a");
    assert_eq!(
        a.get_attribute("src").as_deref(),
        Some("data:text/javascript,window.__koekjeOrder.push('a')"),
        "data-src became src"
    );
    assert!(!a.has_attribute("data-src"));

    assert!(wait_until(|| order.length() >= 5).await, "all ran: {:?}", strings(&order));
    assert_eq!(strings(&order), ["a", "b", "c", "d", "e"]);
    assert_eq!(by_id("missing").get_attribute("src").as_deref(), Some("/koekje-test-missing.js"));
    sleep(50).await;
    assert_eq!(order.length(), 5, "nothing ran twice");
    delete_global("__koekjeOrder");
}

#[wasm_bindgen_test]
fn gate_release_leaves_what_the_predicate_refuses_held_for_later() {
    let fixture = Fixture::new();
    let runs = global_array("__koekjeRuns");
    held_script(&fixture, "p-a", "analytics", "window.__koekjeRuns.push('a')");
    let b = held_script(&fixture, "p-b", "analytics", "window.__koekjeRuns.push('b')");
    held_script(&fixture, "p-c", "analytics", "window.__koekjeRuns.push('c')");
    let iframe = fixture.add(
        "iframe",
        &[("data-category", "analytics"), ("data-src", "/koekje-blank#p"), ("id", "p-frame")],
        None,
    );
    refuse_ids(&["p-b", "p-frame"]);
    gate::release(held_in(&fixture), not_refused, ignore_refusal);
    refuse_ids(&[]);

    assert_eq!(strings(&runs), ["a", "c"], "the refused script is skipped, the next one runs");
    assert!(still_held(&b), "the refused script stays held, not queued: {:?}", b.outer_html());
    assert!(!iframe.has_attribute("src"), "the refused iframe does not load");
    assert_eq!(iframe.get_attribute("data-src").as_deref(), Some("/koekje-blank#p"));
    assert!(!iframe.has_attribute("data-koekje-queued") && !iframe.has_attribute(gate::RELEASED));
    assert_eq!(ids_in(&fixture, &gate::held(ignore_refusal)), ["p-b", "p-frame"], "both are held again");
    assert_eq!(ids_in(&fixture, &gate::released()), ["p-a", "p-c"]);

    // Allowed later, they are released like any held element.
    gate::release(held_in(&fixture), not_refused, ignore_refusal);
    assert_eq!(strings(&runs), ["a", "c", "b"]);
    assert!(!b.is_connected(), "replaced by the running copy");
    assert_eq!(iframe.get_attribute("src").as_deref(), Some("/koekje-blank#p"));
    assert!(held_in(&fixture).is_empty());
    delete_global("__koekjeRuns");
}

#[wasm_bindgen_test]
async fn gate_release_checks_each_element_just_before_it_runs() {
    let fixture = Fixture::new();
    let order = global_array("__koekjeOrder");
    delete_global("__koekjeWithdrawn");
    // While `w-a` loads, its own code withdraws `w-b`: the gate must ask
    // again when `w-b`'s turn comes, not only when the queue was made.
    held_external(&fixture, "w-a", "window.__koekjeOrder.push('a'); window.__koekjeWithdrawn = ['w-b']");
    let b = held_script(&fixture, "w-b", "analytics", "window.__koekjeOrder.push('b')");
    held_script(&fixture, "w-c", "analytics", "window.__koekjeOrder.push('c')");
    gate::release(held_in(&fixture), not_withdrawn, ignore_refusal);
    assert_eq!(strings(&order), Vec::<String>::new(), "w-a is loading");
    assert!(b.has_attribute("data-koekje-queued"), "w-b waits in the queue");

    let done = wait_until(|| order.length() >= 2).await;
    sleep(50).await;
    let ran = strings(&order);
    let held_after = still_held(&b);
    delete_global("__koekjeWithdrawn");
    assert!(done, "w-a and w-c ran: {ran:?}");
    assert_eq!(ran, ["a", "c"], "w-b was withdrawn before its turn");
    assert!(held_after, "w-b stays held: {:?}", b.outer_html());

    // With consent back, it can still be released.
    gate::release(held_in(&fixture), not_withdrawn, ignore_refusal);
    assert_eq!(strings(&order), ["a", "c", "b"]);
    delete_global("__koekjeOrder");
}

#[wasm_bindgen_test]
async fn gate_release_does_not_wait_for_scripts_the_browser_does_not_run() {
    let fixture = Fixture::new();
    let order = global_array("__koekjeOrder");
    // A template with a `src`: the browser never fetches it, so it fires
    // neither `load` nor `error`; waiting for it would stall the queue.
    fixture.add(
        "script",
        &[
            ("type", "text/plain"),
            ("data-category", "analytics"),
            ("data-type", "text/x-template"),
            ("data-src", "/koekje-test-template.html"),
            ("id", "t-template"),
        ],
        None,
    );
    held_script(&fixture, "t-after", "analytics", "window.__koekjeOrder.push('after')");
    held_external(&fixture, "t-external", "window.__koekjeOrder.push('external')");
    held_script(&fixture, "t-last", "analytics", "window.__koekjeOrder.push('last')");
    gate::release(held_in(&fixture), always, ignore_refusal);

    assert_eq!(strings(&order), ["after"], "the script after the template ran at once");
    let template = by_id("t-template");
    assert_eq!(template.get_attribute("type").as_deref(), Some("text/x-template"));
    assert_eq!(template.get_attribute("src").as_deref(), Some("/koekje-test-template.html"));
    assert!(template.has_attribute(gate::RELEASED));
    // A real external script after it is still waited for.
    assert!(wait_until(|| order.length() >= 3).await, "all ran: {:?}", strings(&order));
    assert_eq!(strings(&order), ["after", "external", "last"]);
    delete_global("__koekjeOrder");
}

#[wasm_bindgen_test]
async fn gate_release_ignores_queued_and_released_elements() {
    let fixture = Fixture::new();
    let order = global_array("__koekjeOrder");
    held_external(&fixture, "r-a", "window.__koekjeOrder.push('a')");
    let b = held_script(&fixture, "r-b", "analytics", "window.__koekjeOrder.push('b')");
    let list = held_in(&fixture);
    gate::release(list.clone(), always, ignore_refusal);
    // `r-b` is queued behind `r-a`: releasing it again must neither run it
    // early nor queue it twice.
    gate::release(list.clone(), always, ignore_refusal);
    gate::release(vec![b.clone()], always, ignore_refusal);
    assert_eq!(strings(&order), Vec::<String>::new(), "nothing jumped the queue");
    assert!(wait_until(|| order.length() >= 2).await, "both ran: {:?}", strings(&order));
    sleep(50).await;
    assert_eq!(strings(&order), ["a", "b"], "each ran once, in order");

    // The running copies are not held: releasing them does nothing, nor
    // does releasing the held originals, which are out of the page.
    let copies = vec![by_id("r-a"), by_id("r-b")];
    assert!(copies.iter().all(|el| el.has_attribute(gate::RELEASED)));
    gate::release(copies, always, ignore_refusal);
    gate::release(list, always, ignore_refusal);
    sleep(50).await;
    assert_eq!(strings(&order), ["a", "b"], "nothing ran again");
    assert_eq!(document().query_selector_all("#r-a, #r-b").unwrap().length(), 2, "no extra copies");
    delete_global("__koekjeOrder");
}

#[wasm_bindgen_test]
async fn gate_released_lists_released_scripts_and_iframes() {
    let fixture = Fixture::new();
    let order = global_array("__koekjeOrder");
    held_script(&fixture, "l-inline", "analytics", "window.__koekjeOrder.push('inline')");
    fixture.add("iframe", &[("data-category", "analytics"), ("data-src", "/koekje-blank#l"), ("id", "l-frame")], None);
    held_script(&fixture, "l-refused", "analytics", "window.__koekjeOrder.push('refused')");
    held_external(&fixture, "l-external", "window.__koekjeOrder.push('external')");
    let list = held_in(&fixture);
    held_script(&fixture, "l-held", "analytics", "window.__koekjeOrder.push('held')");
    fixture.add("script", &[("id", "l-page")], Some("window.__koekjeOrder.push('page')"));
    assert_eq!(ids_in(&fixture, &gate::released()), Vec::<String>::new(), "nothing released yet");

    refuse_ids(&["l-refused"]);
    gate::release(list, not_refused, ignore_refusal);
    refuse_ids(&[]);
    // The external script counts as released as soon as it is in the page.
    assert_eq!(ids_in(&fixture, &gate::released()), ["l-inline", "l-frame", "l-external"]);
    assert!(wait_until(|| order.length() >= 3).await, "{:?}", strings(&order));
    assert_eq!(strings(&order), ["page", "inline", "external"]);
    assert_eq!(ids_in(&fixture, &gate::released()), ["l-inline", "l-frame", "l-external"]);
    delete_global("__koekjeOrder");
}

// ---------------------------------------------------------------------------
// placeholder.rs: the box that stands in for a held iframe.
// ---------------------------------------------------------------------------

/// The default config with an optional marketing category that lists YouTube.
fn embed_config() -> Config {
    let mut config = Config::default();
    config.categories.push(Category {
        id: "marketing".into(),
        title: Localized::any("Reclame"),
        description: Localized::any("Advertenties"),
        services: vec![Service { id: "youtube".into(), name: Localized::any("YouTube"), ..Service::default() }],
        ..Category::default()
    });
    config
}

/// The placeholder boxes shown under `root`: each is in the open shadow
/// root of its own `<koekje-ui>` host, never in the page itself.
fn placeholders_in(root: &Element) -> Vec<Element> {
    assert!(
        root.query_selector("[data-koekje-placeholder]").unwrap().is_none(),
        "no placeholder box among page elements"
    );
    let hosts = root.query_selector_all("koekje-ui").unwrap();
    let mut boxes = Vec::new();
    for i in 0..hosts.length() {
        let host: Element = hosts.item(i).unwrap().unchecked_into();
        let shadow = host.shadow_root().expect("the host's shadow root is open");
        let list = shadow.query_selector_all("[data-koekje-placeholder]").unwrap();
        boxes.extend((0..list.length()).map(|j| list.item(j).unwrap().unchecked_into::<Element>()));
    }
    boxes
}

/// The computed `display` of `el`.
fn display(el: &Element) -> String {
    window().get_computed_style(el).unwrap().expect("a computed style").get_property_value("display").unwrap()
}

fn inline_style(el: &Element, property: &str) -> String {
    el.unchecked_ref::<HtmlElement>().style().get_property_value(property).unwrap()
}

#[wasm_bindgen_test]
fn placeholder_stands_in_for_a_held_iframe_until_it_is_released() {
    let fixture = Fixture::new();
    let config = embed_config();
    let iframe = fixture.add(
        "iframe",
        &[
            ("data-category", "marketing"),
            ("data-service", "youtube"),
            ("data-src", "/koekje-blank#yt"),
            ("width", "560"),
            ("height", "315"),
            ("title", "Een video"),
        ],
        None,
    );
    let shown_before = display(&iframe);
    let first = placeholder::show_for(&iframe, &config, "nl");
    let again = placeholder::show_for(&iframe, &config, "nl");

    let boxes = placeholders_in(&fixture.root);
    assert_eq!(boxes.len(), 1, "showing twice makes one placeholder");
    assert!(again.is_none(), "the second time shows nothing new");
    let shown = &boxes[0];
    let host = iframe.previous_element_sibling().expect("something before the iframe");
    assert_eq!(host.local_name(), "koekje-ui", "the placeholder's host is right before the iframe");
    let shadow = host.shadow_root().expect("an open shadow root");
    assert!(first.is_some_and(|r| Object::is(&r, &shadow)), "show_for returns the host's shadow root");
    assert!(Object::is(&shown.get_root_node(), &shadow), "the placeholder is in it");
    assert!(placeholder::of(&iframe).is_some_and(|p| Object::is(&p, shown)));
    let button = shown.query_selector("button").unwrap().unwrap();
    assert!(placeholder::iframe_for(&button).is_some_and(|i| Object::is(&i, &iframe)));
    assert!(shown.class_list().contains("koekje"));
    assert_eq!(shown.get_attribute("lang").as_deref(), Some("nl"));
    assert_eq!(shown.get_attribute("aria-label").as_deref(), Some("Een video"));
    assert_eq!(shown.get_attribute("role").as_deref(), Some("group"));

    let text = shown.text_content().unwrap();
    assert!(text.contains("YouTube"), "names the service: {text}");
    assert_eq!(
        shown.query_selector(".koekje-text").unwrap().unwrap().text_content(),
        Some(fill(config.text("nl", Text::PlaceholderText), "YouTube"))
    );
    assert_eq!(
        action_buttons(shown),
        [
            ("load-once".to_owned(), config.text("nl", Text::LoadOnce).to_owned()),
            ("allow-always".to_owned(), "YouTube altijd toestaan".to_owned()),
        ]
    );

    // Sized like the iframe, hidden iframe, nothing loaded.
    assert_eq!(inline_style(shown, "width"), "560px");
    assert_eq!(inline_style(shown, "aspect-ratio"), "560 / 315");
    assert_ne!(shown_before, "none", "the iframe was shown before");
    assert_eq!(display(&iframe), "none", "the iframe is hidden");
    assert!(!iframe.has_attribute("src"));

    // Released: the placeholder goes, the iframe loads and shows.
    gate::release_iframe(&iframe);
    assert!(placeholders_in(&fixture.root).is_empty(), "the placeholder is removed");
    assert!(!host.is_connected(), "its host is removed");
    assert!(!shown.is_connected());
    assert!(placeholder::of(&iframe).is_none());
    assert_eq!(iframe.get_attribute("src").as_deref(), Some("/koekje-blank#yt"));
    assert!(!iframe.has_attribute("hidden"));
    assert_eq!(display(&iframe), shown_before, "the iframe shows again");
    assert!(iframe.has_attribute(gate::RELEASED));
}

#[wasm_bindgen_test]
fn placeholder_offers_always_allow_only_when_it_can_be_remembered() {
    let fixture = Fixture::new();
    let config = embed_config();
    let identification = config.category("identification").unwrap().title_in("nl").to_owned();
    // (category, service, the name shown, what "always allow" names, if offered):
    // a service the config does not list loads with its whole category.
    let cases: [(&str, Option<&str>, &str, Option<&str>); 6] = [
        ("marketing", Some("youtube"), "YouTube", Some("YouTube")),
        ("marketing", Some("vimeo"), "vimeo", Some("Reclame")),
        ("marketing", None, "Reclame", Some("Reclame")),
        ("identification", None, &identification, None),
        ("unknown", None, "unknown", None),
        ("unknown", Some("maps"), "maps", None),
    ];
    for (category, service, name, always) in cases {
        let wrapper = fixture.add("div", &[], None);
        let iframe = element("iframe", &[("data-category", category), ("data-src", "/koekje-blank#x")], None);
        if let Some(service) = service {
            iframe.set_attribute("data-service", service).unwrap();
        }
        wrapper.append_child(&iframe).unwrap();
        placeholder::show_for(&iframe, &config, "nl");
        let shown = placeholder::of(&iframe).unwrap_or_else(|| panic!("a placeholder for {category} {service:?}"));
        let expected_text = fill(config.text("nl", Text::PlaceholderText), name);
        assert_eq!(
            shown.query_selector(".koekje-text").unwrap().unwrap().text_content().as_deref(),
            Some(expected_text.as_str()),
            "{category} {service:?}"
        );
        let mut expected = vec![("load-once".to_owned(), config.text("nl", Text::LoadOnce).to_owned())];
        if let Some(always) = always {
            expected.push(("allow-always".to_owned(), fill(config.text("nl", Text::AlwaysAllow), always)));
        }
        assert_eq!(action_buttons(&shown), expected, "{category} {service:?}");
        assert!(shown.get_attribute("aria-label").is_none(), "no title, no label");
    }
    assert_eq!(placeholders_in(&fixture.root).len(), cases.len());
}

#[wasm_bindgen_test]
fn placeholder_keeps_relative_sizes_without_an_aspect_ratio() {
    let fixture = Fixture::new();
    let iframe = fixture.add(
        "iframe",
        &[("data-category", "marketing"), ("data-src", "/koekje-blank#w"), ("width", "100%"), ("height", "400")],
        None,
    );
    placeholder::show_for(&iframe, &embed_config(), "en");
    let shown = placeholder::of(&iframe).expect("a placeholder");
    assert_eq!(inline_style(&shown, "width"), "100%");
    assert_eq!(inline_style(&shown, "aspect-ratio"), "", "no ratio from a percentage");
    assert_eq!(shown.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(action_buttons(&shown)[0].1, "Load this once");
}

// ---------------------------------------------------------------------------
// banner.rs and dialog.rs: the interface.
// ---------------------------------------------------------------------------

const HOSTILE: &str = "<img src=x onerror=\"window.__koekjeXss=1\"><b>bold</b>";

fn action_buttons(root: &Element) -> Vec<(String, String)> {
    let list = root.query_selector_all("button[data-koekje-action]").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into::<Element>())
        .map(|b| {
            assert_eq!(b.get_attribute("type").as_deref(), Some("button"), "buttons never submit");
            (b.get_attribute("data-koekje-action").unwrap(), b.text_content().unwrap())
        })
        .collect()
}

#[wasm_bindgen_test]
fn banner_is_a_labelled_region_with_three_equal_choices() {
    let config = Config::default();
    let banner = banner::build(&config, "nl", "t");
    assert!(!banner.is_connected(), "build does not insert it");
    assert_eq!(banner.tag_name(), "SECTION", "a section with a name is a region");
    assert_eq!(banner.id(), banner::BANNER_ID);
    assert_eq!(banner.get_attribute("aria-label").as_deref(), Some(config.text("nl", Text::BannerLabel)));
    assert_eq!(banner.get_attribute("lang").as_deref(), Some("nl"));
    assert_eq!(banner.get_attribute("dir").as_deref(), Some("ltr"));
    assert!(banner.class_list().contains("koekje"));
    assert!(banner.class_list().contains("koekje-bar"));
    assert_eq!(
        banner.query_selector(".koekje-title").unwrap().unwrap().text_content().as_deref(),
        Some(config.text("nl", Text::BannerTitle))
    );
    assert_eq!(
        action_buttons(&banner),
        [
            ("reject-all".to_owned(), "Alles weigeren".to_owned()),
            ("accept-all".to_owned(), "Alles aanvaarden".to_owned()),
            ("preferences".to_owned(), "Zelf kiezen".to_owned()),
        ]
    );
    assert!(banner.query_selector("a").unwrap().is_none(), "no privacy link unless configured");
}

#[wasm_bindgen_test]
fn banner_follows_language_direction_layout_and_privacy_link() {
    let config = Config {
        layout: Layout::Box,
        privacy_policy: Localized(vec![("de".into(), "/datenschutz".into()), ("en".into(), "/privacy".into())]),
        ..Config::default()
    };

    let german = banner::build(&config, "de", "t");
    assert!(german.class_list().contains("koekje-box"));
    let link = german.query_selector("a.koekje-link").unwrap().expect("a privacy link");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/datenschutz"));
    assert_eq!(link.text_content().as_deref(), Some("Datenschutzerklärung"));

    // Arabic has no built-in words: English text, but right to left.
    let arabic = banner::build(&config, "ar", "t");
    assert_eq!(arabic.get_attribute("lang").as_deref(), Some("ar"));
    assert_eq!(arabic.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(
        arabic.query_selector("a.koekje-link").unwrap().unwrap().get_attribute("href").as_deref(),
        Some("/privacy"),
        "falls back to the English address"
    );
    assert_eq!(action_buttons(&arabic)[1].1, "Accept all");
}

#[wasm_bindgen_test]
fn banner_blocking_is_a_dialog_labelled_by_its_title_and_themes_are_set() {
    let auto = banner::build(&Config::default(), "en", "t");
    assert!(!auto.has_attribute("data-theme"), "the auto theme sets nothing");

    let config = Config { blocking: true, theme: Theme::Dark, ..Config::default() };
    let blocking = banner::build(&config, "en", "t");
    assert_eq!(blocking.tag_name(), "DIALOG", "a blocking banner is a (modal) dialog");
    assert_eq!(blocking.id(), banner::BANNER_ID);
    assert!(!blocking.has_attribute("aria-label"));
    let title_id = blocking.get_attribute("aria-labelledby").expect("labelled by its title");
    let title = blocking.query_selector(&format!("#{title_id}")).unwrap().expect("the title is inside");
    assert_eq!(title.text_content().as_deref(), Some(config.text("en", Text::BannerTitle)));
    assert_eq!(blocking.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(action_buttons(&blocking).len(), 3);

    let light = Config { theme: Theme::Light, ..Config::default() };
    assert_eq!(dialog::build(&light, "en", None, false, "t").get_attribute("data-theme").as_deref(), Some("light"));
}

#[wasm_bindgen_test]
fn banner_and_dialog_show_html_in_config_texts_as_text() {
    let fixture = Fixture::new();
    delete_global("__koekjeXss");
    let mut config = Config {
        texts: vec![TextOverrides {
            language: "en".into(),
            strings: vec![
                (Text::BannerTitle, HOSTILE.into()),
                (Text::BannerText, HOSTILE.into()),
                (Text::AcceptAll, HOSTILE.into()),
                (Text::DialogTitle, HOSTILE.into()),
            ],
        }],
        ..Config::default()
    };
    config.categories.push(Category {
        id: "chat".into(),
        title: Localized::any(HOSTILE),
        description: Localized::any(HOSTILE),
        ..Category::default()
    });
    let banner = banner::build(&config, "en", "t");
    let dialog = dialog::build(&config, "en", None, false, "t");
    fixture.root.append_child(&banner).unwrap();
    fixture.root.append_child(&dialog).unwrap();

    for root in [&banner, &dialog] {
        assert!(root.query_selector("img, b").unwrap().is_none(), "no element made from text");
    }
    for selector in [".koekje-title", ".koekje-text", "[data-koekje-action=accept-all]"] {
        let el = banner.query_selector(selector).unwrap().unwrap();
        assert_eq!(el.text_content().as_deref(), Some(HOSTILE), "{selector}");
    }
    assert_eq!(by_id("koekje-t-dialog-title").text_content().as_deref(), Some(HOSTILE));
    // Ids come from indexes, never from config ids: the fourth category is c3.
    let chat = dialog.query_selector("label[for=koekje-t-c3] .koekje-category-title").unwrap().unwrap();
    assert_eq!(chat.text_content().as_deref(), Some(HOSTILE));
    assert_eq!(by_id("koekje-t-c3-description").text_content().as_deref(), Some(HOSTILE));
    assert!(global("__koekjeXss").is_undefined());
}

fn inputs(root: &Element, selector: &str) -> Vec<HtmlInputElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into::<HtmlInputElement>()).collect()
}

/// The dialog's switches in order: (category, service, checked, disabled).
fn switches(dialog: &Element) -> Vec<(String, Option<String>, bool, bool)> {
    inputs(dialog, "input")
        .into_iter()
        .map(|input| {
            (
                input.get_attribute("data-koekje-category").unwrap(),
                input.get_attribute("data-koekje-service"),
                input.checked(),
                input.disabled(),
            )
        })
        .collect()
}

/// The switches of the default config: required ones on and locked, then
/// analytics and its Google Analytics service.
fn default_switches(analytics: bool, google: bool) -> Vec<(String, Option<String>, bool, bool)> {
    vec![
        ("identification".to_owned(), None, true, true),
        ("functional".to_owned(), None, true, true),
        ("analytics".to_owned(), None, analytics, false),
        ("analytics".to_owned(), Some("google-analytics".to_owned()), google, false),
    ]
}

/// A category's switch.
fn switch(dialog: &Element, category: &str) -> HtmlInputElement {
    dialog
        .query_selector(&format!("input[data-koekje-category={category}]:not([data-koekje-service])"))
        .unwrap()
        .expect("a category switch")
        .unchecked_into()
}

/// A service's switch.
fn service_switch(dialog: &Element, category: &str, service: &str) -> HtmlInputElement {
    dialog
        .query_selector(&format!("input[data-koekje-category={category}][data-koekje-service={service}]"))
        .unwrap()
        .expect("a service switch")
        .unchecked_into()
}

fn is_mixed(input: &HtmlInputElement) -> bool {
    let marked = input.has_attribute("data-koekje-mixed");
    if !input.disabled() {
        // Screen readers hear it too: the label's "partly on" note shows
        // exactly when the switch is marked.
        // (Found through the switch's row: `labels` is empty while the
        // dialog is not in the page.)
        let row = input.parent_element().expect("the switch's row");
        let note = row.query_selector("label .koekje-always-on").unwrap();
        let said = note.is_some_and(|n| !n.has_attribute("hidden"));
        assert_eq!(said, marked, "the label's 'partly on' note agrees with data-koekje-mixed");
    }
    marked
}

/// The default config with a second analytics service.
fn two_service_config() -> Config {
    let mut config = Config::default();
    let analytics = config.categories.iter_mut().find(|c| c.id == "analytics").unwrap();
    analytics.services.push(Service {
        id: "hotjar".into(),
        name: Localized::any("Hotjar"),
        cookies: vec![Cookie { name: "_hj*".into(), provider: Some("Hotjar".into()), ..Cookie::default() }],
        ..Service::default()
    });
    config
}

#[wasm_bindgen_test]
fn dialog_has_labelled_switches_for_every_category() {
    let fixture = Fixture::new();
    let config = Config::default();
    let el = dialog::build(&config, "fr", None, false, "t");
    fixture.root.append_child(&el).unwrap();

    assert_eq!(el.tag_name(), "DIALOG");
    assert_eq!(el.id(), dialog::DIALOG_ID);
    assert!(!el.unchecked_ref::<HtmlDialogElement>().open(), "built closed");
    assert_eq!(el.get_attribute("lang").as_deref(), Some("fr"));
    assert_eq!(el.get_attribute("dir").as_deref(), Some("ltr"));
    let title_id = el.get_attribute("aria-labelledby").expect("labelled");
    let title = el.query_selector(&format!("#{title_id}")).unwrap().expect("the title is inside");
    assert_eq!(title.text_content().as_deref(), Some("Paramètres des cookies"));
    let close = el.query_selector("[data-koekje-action=close]").unwrap().unwrap();
    assert_eq!(close.get_attribute("aria-label").as_deref(), Some("Fermer"));
    assert_eq!(
        action_buttons(&el).into_iter().map(|(a, _)| a).collect::<Vec<_>>(),
        ["close", "reject-all", "accept-all", "save"]
    );

    assert_eq!(switches(&el), default_switches(false, false));
    let mut ids = Vec::new();
    for input in inputs(&el, "input") {
        let category = input.get_attribute("data-koekje-category").unwrap();
        let service = input.get_attribute("data-koekje-service");
        assert_eq!(input.type_(), "checkbox");
        assert_eq!(input.get_attribute("role").as_deref(), Some("switch"), "{category} {service:?}");
        ids.push(input.id());
        let labels = input.labels().expect("labels");
        assert_eq!(labels.length(), 1, "{category} {service:?} has one label");
        let label = labels.item(0).unwrap().unchecked_into::<Element>();
        assert_eq!(label.get_attribute("for"), Some(input.id()));
        let title = label.query_selector(".koekje-category-title").unwrap().unwrap().text_content();
        if let Some(service) = service {
            assert_eq!(service, "google-analytics");
            assert_eq!(title.as_deref(), Some("Google Analytics"));
            continue;
        }
        assert_eq!(title, Some(config.category(&category).unwrap().title_in("fr").to_owned()));
        let described_by = input.get_attribute("aria-describedby").unwrap();
        let description = by_id(&described_by);
        assert!(el.contains(Some(&description)));
        assert!(!description.text_content().unwrap().is_empty(), "{category} is described");
        // Required: "always on". With services: a "partly on" note, hidden
        // while the switch is not partly on. Otherwise no note.
        let note = label.query_selector(".koekje-always-on").unwrap();
        let category_config = config.category(&category).unwrap();
        if category_config.required {
            let note = note.expect("'always on' when required");
            assert_eq!(note.text_content().as_deref(), Some("Toujours actif"));
            assert!(!note.has_attribute("hidden"), "{category}: 'always on' shows");
        } else if !category_config.services.is_empty() {
            let note = note.expect("a 'partly on' note for a category with services");
            assert_eq!(note.text_content().as_deref(), Some(config.text("fr", Text::PartlyOn)));
            assert!(note.has_attribute("hidden"), "{category}: hidden while nothing is on");
        } else {
            assert!(note.is_none(), "{category}: no note");
        }
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "switch ids are unique: {ids:?}");

    // The cookie table lists the service's cookies, in a closed <details>.
    let details = el.query_selector("details.koekje-cookies").unwrap().expect("a cookie table");
    assert!(!details.has_attribute("open"));
    let cells: Vec<String> = {
        let list = details.query_selector_all("tbody tr td:first-child").unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap()).collect()
    };
    assert_eq!(cells, ["_ga", "_ga_*", "_gid", "_gat*"]);
}

#[wasm_bindgen_test]
fn dialog_says_when_global_privacy_control_is_respected() {
    let config = Config::default();
    let without = dialog::build(&config, "nl", None, false, "t");
    assert!(without.query_selector(".koekje-gpc").unwrap().is_none(), "no notice without the signal");
    let with = dialog::build(&config, "nl", None, true, "t");
    let notices = with.query_selector_all(".koekje-gpc").unwrap();
    assert_eq!(notices.length(), 1);
    let notice = notices.item(0).unwrap().unchecked_into::<Element>();
    assert_eq!(notice.tag_name(), "P");
    assert_eq!(notice.text_content().as_deref(), Some(config.text("nl", Text::GpcNotice)));
    assert!(notice.text_content().unwrap().contains("Global Privacy Control"));
    assert_eq!(switches(&with), switches(&without), "the notice changes no switch");

    // With the record that stands for the signal, optional switches are off.
    let gpc = gpc_record(&config, 1_000.0, "en");
    assert_eq!(gpc.method, Method::Gpc);
    let el = dialog::build(&config, "en", Some(&gpc), true, "t");
    assert_eq!(switches(&el), default_switches(false, false));
    assert_eq!(
        el.query_selector(".koekje-gpc").unwrap().unwrap().text_content().as_deref(),
        Some(config.text("en", Text::GpcNotice))
    );
}

#[wasm_bindgen_test]
fn dialog_switches_start_as_the_record_says() {
    let config = Config::default();
    let accepted = record(Choice::AcceptAll, "id", 1_000.0);
    let rejected = record(Choice::RejectAll, "id", 1_000.0);
    let custom = record(Choice::Custom(vec![CategoryChoice::whole("analytics", true)]), "id", 1_000.0);
    for (record, analytics) in [(None, false), (Some(&accepted), true), (Some(&rejected), false), (Some(&custom), true)]
    {
        let el = dialog::build(&config, "en", record, false, "t");
        assert_eq!(switches(&el), default_switches(analytics, analytics), "record: {:?}", record.map(|r| r.method));
        assert!(!is_mixed(&switch(&el, "analytics")));
    }

    // One of two services on: the category shows as partly on.
    let config = two_service_config();
    let partly = make_record(
        &config,
        &Choice::Custom(vec![CategoryChoice {
            category: "analytics".into(),
            accepted: false,
            services: vec![("hotjar".into(), true)],
        }]),
        RecordContext { previous: None, new_id: "id".into(), now: 1.0, language: "en", gpc: false },
    );
    let el = dialog::build(&config, "en", Some(&partly), false, "t");
    assert!(switch(&el, "analytics").checked());
    assert!(is_mixed(&switch(&el, "analytics")));
    assert!(!service_switch(&el, "analytics", "google-analytics").checked());
    assert!(service_switch(&el, "analytics", "hotjar").checked());
}

#[wasm_bindgen_test]
fn dialog_sync_switches_keeps_category_and_services_in_step() {
    let el = dialog::build(&two_service_config(), "en", None, false, "t");
    let category = switch(&el, "analytics");
    let google = service_switch(&el, "analytics", "google-analytics");
    let hotjar = service_switch(&el, "analytics", "hotjar");

    // The category switch sets all its services.
    category.set_checked(true);
    dialog::sync_switches(&el, &category);
    assert!(google.checked() && hotjar.checked() && !is_mixed(&category));

    // One service off: the category stays on, partly.
    google.set_checked(false);
    dialog::sync_switches(&el, &google);
    assert!(category.checked() && is_mixed(&category));

    // The last one off: the category is off.
    hotjar.set_checked(false);
    dialog::sync_switches(&el, &hotjar);
    assert!(!category.checked() && !is_mixed(&category));

    // All services on again: on, not mixed.
    google.set_checked(true);
    dialog::sync_switches(&el, &google);
    hotjar.set_checked(true);
    dialog::sync_switches(&el, &hotjar);
    assert!(category.checked() && !is_mixed(&category));

    // The category off clears them all; required categories are untouched.
    category.set_checked(false);
    dialog::sync_switches(&el, &category);
    assert!(!google.checked() && !hotjar.checked());
    assert!(switch(&el, "functional").checked());
}

#[wasm_bindgen_test]
fn dialog_read_choice_reads_the_switches_back() {
    let config = Config::default();
    let el = dialog::build(&config, "en", None, false, "t");
    let expected = |analytics: bool, google: bool| {
        vec![
            CategoryChoice::whole("identification", true),
            CategoryChoice::whole("functional", true),
            CategoryChoice {
                category: "analytics".into(),
                accepted: analytics,
                services: vec![("google-analytics".into(), google)],
            },
        ]
    };
    assert_eq!(dialog::read_choice(&el), expected(false, false));
    switch(&el, "analytics").set_checked(true);
    assert_eq!(dialog::read_choice(&el), expected(true, false));
    service_switch(&el, "analytics", "google-analytics").set_checked(true);
    assert_eq!(dialog::read_choice(&el), expected(true, true));
    switch(&el, "analytics").set_checked(false);
    assert_eq!(dialog::read_choice(&el), expected(false, true));
    // The choice read back makes the record the switches show.
    switch(&el, "analytics").set_checked(true);
    let made = make_record(
        &config,
        &Choice::Custom(dialog::read_choice(&el)),
        RecordContext { previous: None, new_id: "id".into(), now: 1.0, language: "en", gpc: false },
    );
    assert!(made.decision("analytics").unwrap().accepted);
    assert_eq!(made.decision("analytics").unwrap().services, [("google-analytics".to_owned(), true)]);
}

#[wasm_bindgen_test]
fn dialog_apply_choice_sets_the_switches_read_choice_reads() {
    let el = dialog::build(&two_service_config(), "en", None, false, "t");
    let partly = vec![
        CategoryChoice::whole("identification", false),
        CategoryChoice {
            category: "analytics".into(),
            accepted: true,
            services: vec![("google-analytics".into(), false), ("hotjar".into(), true)],
        },
    ];
    dialog::apply_choice(&el, &partly);
    assert!(switch(&el, "identification").checked(), "required switches are not touched");
    assert!(switch(&el, "analytics").checked() && is_mixed(&switch(&el, "analytics")));
    assert!(!service_switch(&el, "analytics", "google-analytics").checked());
    assert!(service_switch(&el, "analytics", "hotjar").checked());
    let read = dialog::read_choice(&el);
    assert_eq!(read[2], partly[1]);

    // A category named without services: its services follow it.
    dialog::apply_choice(&el, &[CategoryChoice::whole("analytics", false)]);
    assert_eq!(read_services(&el), [false, false]);
    assert!(!switch(&el, "analytics").checked() && !is_mixed(&switch(&el, "analytics")));
}

fn read_services(el: &Element) -> Vec<bool> {
    inputs(el, "input[data-koekje-service]").iter().map(|i| i.checked()).collect()
}

#[wasm_bindgen_test]
fn dialog_focusable_lists_what_tab_reaches_in_order() {
    let config = Config { privacy_policy: Localized::any("/privacy"), ..Config::default() };
    let el = dialog::build(&config, "en", None, false, "t");
    let names: Vec<String> = dialog::focusable(&el)
        .iter()
        .map(|e| {
            e.get_attribute("data-koekje-action")
                .or_else(|| e.get_attribute("data-koekje-service"))
                .or_else(|| e.get_attribute("data-koekje-category"))
                .unwrap_or_else(|| e.tag_name().to_ascii_lowercase())
        })
        .collect();
    assert_eq!(
        names,
        ["close", "a", "analytics", "google-analytics", "summary", "reject-all", "accept-all", "save"],
        "disabled (required) switches are skipped"
    );
}

// ---------------------------------------------------------------------------
// random_id.rs: consent ids.
// ---------------------------------------------------------------------------

/// Whether `id` is a lower-case version-4, variant-1 UUID.
fn is_uuid_v4(id: &str) -> bool {
    let bytes = id.as_bytes();
    id.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit() && !b.is_ascii_uppercase(),
        })
        && bytes[14] == b'4'
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

#[wasm_bindgen_test]
fn random_id_is_a_fresh_v4_uuid() {
    assert!(!is_uuid_v4("00000000-0000-3000-8000-000000000000"), "the check can fail");
    let a = random_id::new_consent_id();
    let b = random_id::new_consent_id();
    assert!(is_uuid_v4(&a), "{a}");
    assert!(is_uuid_v4(&b), "{b}");
    assert_ne!(a, b);
}

#[wasm_bindgen_test]
fn random_id_falls_back_to_get_random_values_without_random_uuid() {
    let prototype: Object = get(&get(&js_sys::global(), "Crypto"), "prototype").unchecked_into();
    let key: JsValue = "randomUUID".into();
    let original = Object::get_own_property_descriptor(&prototype, &key);
    let had_it = !original.is_undefined();
    Reflect::delete_property(&prototype, &key).unwrap();
    let gone = !Reflect::has(&window().crypto().unwrap(), &key).unwrap();
    let a = random_id::new_consent_id();
    let b = random_id::new_consent_id();
    if had_it {
        Object::define_property(&prototype, &key, original.unchecked_ref());
    }
    let back = Reflect::has(&window().crypto().unwrap(), &key).unwrap();

    assert!(had_it && back, "randomUUID is restored");
    assert!(gone, "randomUUID was hidden");
    assert!(is_uuid_v4(&a), "{a}");
    assert!(is_uuid_v4(&b), "{b}");
    assert_ne!(a, b);
}

// ---------------------------------------------------------------------------
// events.rs: CustomEvents on window.
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn events_fire_dispatches_a_custom_event_with_its_detail() {
    let log = EventLog::listen("koekje:test");
    let other = EventLog::listen("koekje:other");
    let detail = json::to_js(&Value::object([("a", Value::Number(1.0)), ("b", Value::from("two"))]));
    events::fire("koekje:test", &detail);
    assert_eq!(log.count(), 1);
    assert_eq!(other.count(), 0, "only listeners of that name");
    let received = log.last();
    assert!(Object::is(&received, &detail), "the very detail object arrives");
    assert_eq!(json_text(&received), r#"{"a":1,"b":"two"}"#);

    events::fire("koekje:test", &JsValue::NULL);
    assert_eq!(log.count(), 2);
    assert!(log.last().is_null());

    // A listener that is gone is not called.
    drop(log);
    events::fire("koekje:test", &detail);
    assert_eq!(other.count(), 0);
}

#[wasm_bindgen_test]
fn events_fire_survives_a_throwing_listener() {
    let thrower = Function::new_no_args("throw new Error('page bug')");
    window().add_event_listener_with_callback("koekje:throw", &thrower).unwrap();
    let log = EventLog::listen("koekje:throw");
    // A listener's exception is reported, not thrown into Koekje.
    let errors = ConsoleCapture::start("error");
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default());
    window().add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref()).unwrap();
    events::fire("koekje:throw", &JsValue::TRUE);
    window().remove_event_listener_with_callback("error", on_error.as_ref().unchecked_ref()).unwrap();
    window().remove_event_listener_with_callback("koekje:throw", &thrower).unwrap();
    let _ = errors.finish();
    assert_eq!(log.count(), 1, "later listeners still run");
    assert_eq!(log.last(), JsValue::TRUE);
}

// ---------------------------------------------------------------------------
// cookies.rs: the page's cookies.
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn cookies_delete_matching_deletes_only_matching_names() {
    for name in ["koekje_t_a", "koekje_t_b", "koekje_keep"] {
        set_cookie(&format!("{name}=1; path=/"));
    }
    set_cookie("koekje_t_host=1");
    let before = koekje::shell::cookies::names();
    koekje::shell::cookies::delete_refused(&Refused {
        cookies: vec!["koekje_t_*", "no-such-cookie"],
        ..Refused::default()
    });
    let after = cookie_names();
    koekje::shell::cookies::delete_refused(&Refused { cookies: vec![], ..Refused::default() });
    let untouched = cookie_names();
    delete_cookie("koekje_keep");

    for name in ["koekje_t_a", "koekje_t_b", "koekje_keep", "koekje_t_host"] {
        assert!(before.iter().any(|n| n == name), "names() lists {name}: {before:?}");
    }
    assert!(after.iter().all(|n| !n.starts_with("koekje_t_")), "{after:?}");
    assert!(after.iter().any(|n| n == "koekje_keep"), "{after:?}");
    assert_eq!(untouched, after, "no patterns, nothing deleted");
}

// ---------------------------------------------------------------------------
// consent_mode.rs: Google Consent Mode updates through the page's gtag.
// ---------------------------------------------------------------------------

/// Puts `window.gtag` back as it was (`undefined`: deleted).
fn restore_gtag(original: &JsValue) {
    if original.is_undefined() {
        delete_global("gtag");
    } else {
        set_global("gtag", original);
    }
}

#[wasm_bindgen_test]
fn consent_mode_send_update_calls_gtag_with_granted_and_denied() {
    let original = global("gtag");
    let calls = global_array("__koekjeGtagCalls");
    set_global("gtag", &Function::new_with_args("...args", "window.__koekjeGtagCalls.push(args)"));
    consent_mode::send_update(&[("analytics_storage", true), ("ad_storage", false)]);
    restore_gtag(&original);
    delete_global("__koekjeGtagCalls");

    assert_eq!(calls.length(), 1, "one call");
    assert_eq!(
        json_text(&calls.get(0)),
        r#"["consent","update",{"analytics_storage":"granted","ad_storage":"denied"}]"#
    );
    assert!(is_plain_object(&Array::from(&calls.get(0)).get(2)), "the signals are a plain object");
}

#[wasm_bindgen_test]
fn consent_mode_send_update_without_a_gtag_function_does_nothing() {
    let original = global("gtag");
    let data_layer = global("dataLayer");
    let signals = [("analytics_storage", true)];

    delete_global("gtag");
    consent_mode::send_update(&signals);
    // Not functions; the object's `call` would be reached by code that
    // called it without checking.
    let calls = global_array("__koekjeGtagCalls");
    let callable_look_alike = Object::new();
    Reflect::set(
        &callable_look_alike,
        &"call".into(),
        &Function::new_with_args("...args", "window.__koekjeGtagCalls.push(args)"),
    )
    .unwrap();
    for not_a_function in [JsValue::from("gtag"), JsValue::from(42), JsValue::NULL, callable_look_alike.into()] {
        set_global("gtag", &not_a_function);
        consent_mode::send_update(&signals);
    }
    // A gtag that throws, and a `gtag` getter that throws: the page's bugs
    // stay the page's.
    set_global("gtag", &Function::new_no_args("throw new Error('gtag broke')"));
    consent_mode::send_update(&signals);
    let win: JsValue = window().into();
    let throwing = Object::new();
    Reflect::set(&throwing, &"get".into(), &Function::new_no_args("throw new Error('no gtag for you')")).unwrap();
    Reflect::set(&throwing, &"configurable".into(), &JsValue::TRUE).unwrap();
    Object::define_property(win.unchecked_ref::<Object>(), &"gtag".into(), &throwing);
    consent_mode::send_update(&signals);

    delete_global("gtag");
    restore_gtag(&original);
    delete_global("__koekjeGtagCalls");
    let data_layer_after = global("dataLayer");

    assert_eq!(calls.length(), 0, "nothing called: {}", json_text(&calls));
    assert!(Object::is(&data_layer_after, &data_layer), "dataLayer untouched");
}

// ---------------------------------------------------------------------------
// page.rs: what the browser says about the visitor.
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn page_global_privacy_control_reflects_the_navigator() {
    let navigator: JsValue = window().navigator().into();
    let navigator_object: &Object = navigator.unchecked_ref();
    let key: JsValue = "globalPrivacyControl".into();
    let original = Object::get_own_property_descriptor(navigator_object, &key);
    let baseline = page::global_privacy_control();
    let baseline_expected = Reflect::get(&navigator, &key).unwrap() == JsValue::TRUE;

    let define = |descriptor: &[(&str, JsValue)]| {
        let d = Object::new();
        for (name, value) in descriptor {
            Reflect::set(&d, &(*name).into(), value).unwrap();
        }
        Reflect::set(&d, &"configurable".into(), &JsValue::TRUE).unwrap();
        Object::define_property(navigator_object, &key, &d);
    };
    let mut seen = Vec::new();
    for (label, value) in [
        ("true", JsValue::TRUE),
        ("false", JsValue::FALSE),
        ("'true'", JsValue::from("true")),
        ("1", JsValue::from(1)),
        ("null", JsValue::NULL),
    ] {
        define(&[("value", value)]);
        seen.push((label, page::global_privacy_control()));
    }
    define(&[("get", Function::new_no_args("throw new Error('no')").into())]);
    seen.push(("a throwing getter", page::global_privacy_control()));
    define(&[("get", Function::new_no_args("return true").into())]);
    seen.push(("a getter saying true", page::global_privacy_control()));

    if original.is_undefined() {
        Reflect::delete_property(navigator_object, &key).unwrap();
    } else {
        Object::define_property(navigator_object, &key, original.unchecked_ref());
    }
    let after = page::global_privacy_control();

    assert_eq!(baseline, baseline_expected);
    assert_eq!(after, baseline, "navigator is restored");
    assert_eq!(
        seen,
        [
            ("true", true),
            ("false", false),
            ("'true'", false),
            ("1", false),
            ("null", false),
            ("a throwing getter", false),
            ("a getter saying true", true),
        ],
        "only `=== true` counts"
    );
}

// ---------------------------------------------------------------------------
// app.rs: the running banner (once per page, so all in one test).
// ---------------------------------------------------------------------------

fn click(el: &Element) {
    el.unchecked_ref::<HtmlElement>().click();
}

/// The host of Koekje's banner and dialogs: a `<koekje-ui>` child of the
/// body (a placeholder's host stands before its iframe, in the fixture).
fn ui_host() -> Option<Element> {
    document().query_selector("body > koekje-ui").unwrap()
}

/// The shadow root of Koekje's interface, where the banner and the dialogs are.
fn ui_root() -> Option<web_sys::ShadowRoot> {
    ui_host()?.shadow_root()
}

/// The element with `id` in Koekje's interface, if there.
fn ui_find(id: &str) -> Option<Element> {
    ui_root()?.get_element_by_id(id)
}

/// The element with `id` in Koekje's interface.
fn ui_by_id(id: &str) -> Element {
    ui_find(id).unwrap_or_else(|| panic!("#{id} is in Koekje's shadow root"))
}

/// Koekje's banners anywhere: in the page, or in a `<koekje-ui>` host's shadow root.
fn banners() -> u32 {
    let selector = format!("#{}", banner::BANNER_ID);
    let mut count = document().query_selector_all(&selector).unwrap().length();
    let hosts = document().query_selector_all("koekje-ui").unwrap();
    for i in 0..hosts.length() {
        let host: Element = hosts.item(i).unwrap().unchecked_into();
        if let Some(shadow) = host.shadow_root() {
            count += shadow.query_selector_all(&selector).unwrap().length();
        }
    }
    count
}

/// Sizes the buttons in `root` as Koekje's stylesheet would (there is no
/// loader here to adopt it): unstyled, they are shown below 24 px high, and
/// a click on a control that small does not count (`view::proof`).
fn style_controls(root: &web_sys::ShadowRoot) {
    let style = element("style", &[], Some("button { min-width: 44px; min-height: 44px; }"));
    root.append_child(&style).unwrap();
}

/// The signals of the last `gtag('consent', 'update', signals)` call in
/// `calls` (each call's arguments), as JSON text.
fn last_consent_update(calls: &Array) -> String {
    let update = calls
        .iter()
        .rev()
        .map(|args| Array::from(&args))
        .find(|args| args.get(0) == "consent" && args.get(1) == "update")
        .map(|args| args.get(2))
        .expect("a consent update was sent");
    json_text(&update)
}

/// Fires a `storage` event on `window`, as the browser does when another
/// tab changes `localStorage` (`key` `None`: the storage was cleared).
fn storage_event_from_another_tab(key: Option<&str>) {
    let fire = Function::new_with_args("key", "window.dispatchEvent(new StorageEvent('storage', { key }))");
    let key = key.map_or(JsValue::NULL, JsValue::from);
    fire.call1(&JsValue::NULL, &key).unwrap();
}

fn remove_ui() {
    for id in [banner::BANNER_ID, dialog::DIALOG_ID] {
        if let Some(el) = ui_find(id) {
            el.remove();
        }
    }
}

#[wasm_bindgen_test]
async fn app_start_choose_reset_and_dialog() {
    clear_stored();
    remove_ui();
    let fixture = Fixture::new();
    let runs = global_array("__koekjeAppRuns");
    held_script(&fixture, "app-functional", "functional", "window.__koekjeAppRuns.push('functional')");
    held_script(&fixture, "app-analytics", "analytics", "window.__koekjeAppRuns.push('analytics')");
    fixture.add(
        "iframe",
        &[
            ("data-category", "analytics"),
            ("data-service", "google-analytics"),
            ("data-src", "/koekje-blank#ga"),
            ("id", "app-iframe"),
        ],
        None,
    );
    let ready = EventLog::listen("koekje:ready");
    let consent = EventLog::listen("koekje:consent");
    let change = EventLog::listen("koekje:change");
    // The page's Google tag, recording every call.
    let original_gtag = global("gtag");
    let gtag = global_array("__koekjeAppGtag");
    set_global("gtag", &Function::new_with_args("...args", "window.__koekjeAppGtag.push(args)"));
    // Every optional signal denied, only security granted (no marketing category).
    let denied = r#"{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied","functionality_storage":"granted","personalization_storage":"granted","security_storage":"granted"}"#;
    let analytics_granted = denied.replace(r#""analytics_storage":"denied""#, r#""analytics_storage":"granted""#);
    let config = r#"{"language": "de", "layout": "box", "privacyPolicy": "/datenschutz", "reloadOnWithdrawal": false,
                     "texts": {"de": {"bannerTitle": "<img src=x onerror=\"window.__koekjeXss=1\">"}}}"#;

    // --- start: no stored choice, so the banner asks.
    let errors = ConsoleCapture::start("error");
    let shown_banner = app::start(Some(config.to_owned()), "test", app::Nonce::Off, None, "test-build".to_owned());
    assert!(shown_banner, "start says it showed the banner");
    // The first part shows the banner only; the rest waits for the next task.
    assert_eq!(ready.count(), 0, "no koekje:ready before resume");
    assert_eq!(strings(&runs), Vec::<String>::new(), "nothing released before resume");
    app::resume();
    let config_errors = errors.finish();
    assert_eq!(config_errors, Vec::<String>::new(), "a valid config logs nothing");
    let first = body().first_child().expect("the body has children");
    let host = ui_host().expect("Koekje's interface host is in the body");
    assert!(Object::is(&first, &host), "the interface's host is the body's first child");
    assert!(!host.has_attribute("id"), "the host has no id");
    let shown = ui_by_id(banner::BANNER_ID);
    let ui = ui_root().expect("its shadow root is open");
    assert!(ui.first_element_child().is_some_and(|b| Object::is(&b, &shown)), "the banner is first in it");
    assert!(document().get_element_by_id(banner::BANNER_ID).is_none(), "no page query reaches the banner by id");
    style_controls(&ui);
    assert_eq!(shown.get_attribute("lang").as_deref(), Some("de"));
    assert!(shown.class_list().contains("koekje-box"));
    assert!(shown.query_selector("img").unwrap().is_none());
    assert_eq!(
        shown.query_selector(".koekje-title").unwrap().unwrap().text_content().as_deref(),
        Some("<img src=x onerror=\"window.__koekjeXss=1\">")
    );
    assert_eq!(shown.query_selector("a").unwrap().unwrap().get_attribute("href").as_deref(), Some("/datenschutz"));
    assert_eq!(ready.count(), 1);
    assert!(ready.last().is_null(), "ready carries no record yet");
    assert_eq!(strings(&runs), ["functional"], "required scripts run at once, optional ones wait");
    assert!(!by_id("app-iframe").has_attribute("src"));
    // The held embed waits behind a placeholder, in the page's language.
    let embed_box = placeholder::of(&by_id("app-iframe")).expect("a placeholder for the held iframe");
    assert_eq!(embed_box.get_attribute("lang").as_deref(), Some("de"));
    assert!(embed_box.text_content().unwrap().contains("Google Analytics"));
    // Consent Mode hears the state at once.
    assert_eq!(gtag.length(), 1, "one update at start");
    assert_eq!(last_consent_update(&gtag), denied);
    assert!(app::accepted("functional", None));
    assert!(!app::accepted("analytics", None));
    assert!(!app::accepted("unknown", None));
    assert!(app::consent_js().is_null());

    // A second start, and a second resume, do nothing.
    assert!(!app::start(Some("{}".to_owned()), "again", app::Nonce::Off, None, "test-build".to_owned()));
    app::resume();
    assert_eq!(banners(), 1);
    assert_eq!(ready.count(), 1);
    assert_eq!(strings(&runs), ["functional"], "nothing released twice");

    // --- "Accept all" clicked: stored, banner gone, analytics released.
    let accept = shown.query_selector("[data-koekje-action=accept-all]").unwrap().unwrap();
    click(&accept);
    assert_eq!(banners(), 0, "the banner is removed");
    assert_eq!(consent.count(), 1);
    assert_eq!(change.count(), 0, "no change event for a first choice");
    let record_js = consent.last();
    assert!(is_plain_object(&record_js));
    assert_eq!(get(&record_js, "method").as_string().as_deref(), Some("accept-all"));
    assert_eq!(get(&record_js, "language").as_string().as_deref(), Some("de"));
    let id = get(&record_js, "id").as_string().unwrap();
    assert!(is_uuid_v4(&id), "{id}");
    assert_eq!(json_text(&app::consent_js()), json_text(&record_js));
    let stored = js_sys::JSON::parse(&stored_text().expect("the choice is stored")).unwrap();
    assert_eq!(json_text(&stored), json_text(&record_js), "the stored record is the one announced");
    assert!(app::accepted("analytics", None));
    assert!(app::accepted("analytics", Some("google-analytics")));
    assert_eq!(strings(&runs), ["functional", "analytics"]);
    assert_eq!(by_id("app-iframe").get_attribute("src").as_deref(), Some("/koekje-blank#ga"));
    assert!(placeholder::of(&by_id("app-iframe")).is_none(), "the placeholder is gone");
    assert!(!embed_box.is_connected());
    assert_eq!(last_consent_update(&gtag), analytics_granted, "Consent Mode hears the choice");

    // --- "Reject all" by API: change event, same consent id, cookies gone.
    for cookie in ["_ga=GA1.1.1", "_ga_ABC123=GS1", "_gid=x", "koekje_app_keep=1"] {
        set_cookie(&format!("{cookie}; path=/"));
    }
    app::choose(Choice::RejectAll, true);
    let left = cookie_names();
    delete_cookie("koekje_app_keep");
    assert!(!left.iter().any(|n| n.starts_with("_g")), "refused cookies deleted: {left:?}");
    assert!(left.iter().any(|n| n == "koekje_app_keep"), "other cookies kept: {left:?}");
    assert_eq!(consent.count(), 2);
    assert_eq!(change.count(), 1);
    let detail = change.last();
    assert_eq!(
        json_text(&get(&detail, "changes")),
        r#"[{"category":"analytics","service":null,"accepted":false},{"category":"analytics","service":"google-analytics","accepted":false}]"#
    );
    let after = get(&detail, "consent");
    assert_eq!(last_consent_update(&gtag), denied, "Consent Mode hears the withdrawal");
    assert_eq!(get(&after, "method").as_string().as_deref(), Some("reject-all"));
    assert_eq!(get(&after, "id").as_string(), Some(id.clone()), "the consent id is kept");
    assert!(!app::accepted("analytics", None));
    // A script held now stays held.
    held_script(&fixture, "app-late", "analytics", "window.__koekjeAppRuns.push('late')");
    app::choose(Choice::RejectAll, true);
    assert_eq!(change.count(), 1, "no change event when nothing changed");
    assert_eq!(consent.count(), 3);
    assert_eq!(strings(&runs), ["functional", "analytics"]);

    // --- reset: forgotten, banner back first.
    app::reset();
    assert_eq!(stored_text(), None);
    assert!(app::consent_js().is_null());
    assert!(!app::accepted("analytics", None));
    assert!(Object::is(&body().first_child().unwrap(), &host), "the host is first in the body");
    assert!(
        ui.first_element_child().is_some_and(|b| Object::is(&b, &ui_by_id(banner::BANNER_ID))),
        "the banner is back first in it"
    );
    assert_eq!(banners(), 1);
    assert_eq!(last_consent_update(&gtag), denied);

    // --- live: an embed added now gets its placeholder; "load once" loads
    // it for this page view only, once Koekje's confirmation asked: the
    // button is not proven seen (a page container at half opacity, which
    // IntersectionObserver v2 does not count as seen; the other engines
    // have none).
    let dimmed = fixture.add("div", &[("style", "opacity: 0.5")], None);
    let late_embed = element(
        "iframe",
        &[
            ("data-category", "analytics"),
            ("data-service", "google-analytics"),
            ("data-src", "/koekje-blank#late"),
            ("id", "app-late-embed"),
        ],
        None,
    );
    dimmed.append_child(&late_embed).unwrap();
    assert!(
        wait_until(|| placeholder::of(&late_embed).is_some()).await,
        "a placeholder for an embed added after start"
    );
    let late_box = placeholder::of(&late_embed).unwrap();
    style_controls(&late_box.get_root_node().unchecked_into());
    let load_once = late_box.query_selector("[data-koekje-action=load-once]").unwrap().unwrap();
    click(&load_once);
    assert!(!late_embed.has_attribute("src"), "the placeholder's click alone loads nothing");
    let confirm =
        ui.query_selector("dialog.koekje-confirm").unwrap().expect("Koekje's confirmation opened in its interface");
    assert!(confirm.unchecked_ref::<HtmlDialogElement>().open(), "the confirmation is open");
    assert!(confirm.text_content().unwrap().contains("Google Analytics"), "it names the embed");
    click(&confirm.query_selector("[data-koekje-action=load-once]").unwrap().unwrap());
    assert!(!confirm.is_connected(), "the confirmation is gone");
    assert_eq!(late_embed.get_attribute("src").as_deref(), Some("/koekje-blank#late"));
    assert!(placeholder::of(&late_embed).is_none(), "its placeholder is gone");
    assert_eq!(stored_text(), None, "loading once stores nothing");
    assert!(!app::accepted("analytics", None));
    assert_eq!(banners(), 1, "the banner still asks");

    // --- "Let me choose": the dialog opens; saving the switches records them.
    click(&ui_by_id(banner::BANNER_ID).query_selector("[data-koekje-action=preferences]").unwrap().unwrap());
    let open = ui_by_id(dialog::DIALOG_ID).unchecked_into::<HtmlDialogElement>();
    assert!(open.open(), "the dialog is open");
    assert_eq!(switches(&open), default_switches(false, false));
    assert_eq!(
        open.query_selector(".koekje-gpc").unwrap().is_some(),
        page::global_privacy_control(),
        "the GPC notice only with the signal"
    );
    // Clicking the category switch (a real change event) turns its service on too.
    click(&switch(&open, "analytics"));
    assert!(open.open(), "toggling a switch does not close the dialog");
    assert_eq!(switches(&open), default_switches(true, true));
    click(&open.query_selector("[data-koekje-action=save]").unwrap().unwrap());
    assert!(!open.open(), "saving closes the dialog");
    assert_eq!(banners(), 0);
    assert_eq!(get(&app::consent_js(), "method").as_string().as_deref(), Some("custom"));
    assert_ne!(get(&app::consent_js(), "id").as_string(), Some(id), "a new id after reset");
    assert!(app::accepted("analytics", None));
    assert!(app::accepted("analytics", Some("google-analytics")));
    assert_eq!(strings(&runs), ["functional", "analytics", "late"]);
    assert!(wait_until(|| ui_find(dialog::DIALOG_ID).is_none()).await, "the closed dialog is removed");

    // --- a page's own "cookie settings" link opens it and gets focus back.
    let opener = fixture.add("button", &[("data-koekje", "preferences"), ("id", "app-opener")], Some("Cookies"));
    click(&opener);
    let open = ui_by_id(dialog::DIALOG_ID).unchecked_into::<HtmlDialogElement>();
    assert!(open.open());
    assert!(switch(&open, "analytics").checked(), "switches show the stored choice");
    click(&opener); // a second opening does not add a second dialog
    assert_eq!(
        ui.query_selector_all("dialog").unwrap().length() + document().query_selector_all("dialog").unwrap().length(),
        1
    );
    click(&open.query_selector("[data-koekje-action=close]").unwrap().unwrap());
    assert!(!open.open(), "the close button closes it");
    assert!(wait_until(|| !open.is_connected()).await, "the closed dialog is removed");
    let focused = document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("app-opener"), "focus returns to the opener");
    assert_eq!(get(&app::consent_js(), "method").as_string().as_deref(), Some("custom"), "closing records nothing");
    assert_eq!(consent.count(), 4);

    // --- live: a held script added to an accepted category runs by itself.
    held_script(&fixture, "app-live", "analytics", "window.__koekjeAppRuns.push('live')");
    assert!(wait_until(|| runs.length() >= 4).await, "the added script ran: {:?}", strings(&runs));
    assert_eq!(strings(&runs), ["functional", "analytics", "late", "live"]);

    // --- another tab rejects all: it applies here at once.
    let changes_before = change.count();
    let other_tab = record(Choice::RejectAll, "other-tab", js_sys::Date::now());
    storage().set_item(STORAGE_KEY, &json::stringify(&other_tab.to_value()).unwrap()).unwrap();
    storage_event_from_another_tab(Some("koekje-unrelated"));
    assert!(app::accepted("analytics", None), "other keys are ignored");
    storage_event_from_another_tab(Some(STORAGE_KEY));
    assert!(!app::accepted("analytics", None));
    assert_eq!(get(&app::consent_js(), "id").as_string().as_deref(), Some("other-tab"));
    assert_eq!(change.count(), changes_before + 1, "a change event");
    assert_eq!(last_consent_update(&gtag), denied);
    assert_eq!(banners(), 0);
    // ... then resets: the banner asks here too.
    storage().remove_item(STORAGE_KEY).unwrap();
    storage_event_from_another_tab(Some(STORAGE_KEY));
    assert!(app::consent_js().is_null());
    assert_eq!(banners(), 1);
    assert_eq!(consent.count(), 4, "another tab's choice is not announced as a new one");

    // Leave the page as we found it (the singleton stays started).
    app::reset();
    remove_ui();
    clear_stored();
    drop((ready, consent, change));
    restore_gtag(&original_gtag);
    delete_global("__koekjeAppGtag");
    delete_global("__koekjeAppRuns");
    delete_global("__koekjeXss");
}
