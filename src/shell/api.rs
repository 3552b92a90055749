//! What pages call: the module's exports, which the loader also puts on
//! `window.koekje`. Every function is safe to call at any time; before
//! Koekje has started they do nothing, `accepted` answers `false` and
//! `consent` answers `null`.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{app, console};
use crate::core::consent::{CategoryChoice, Choice};
use crate::core::problem::{index, quoted, Problem};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The stored choice: what the visitor decided, when, and for which config revision. */
export interface ConsentRecord {
  version: 1;
  /** Random id of this visitor's consent, kept across changes ("" for a GPC record). */
  id: string;
  /** The config revision the choice was made for. */
  revision: number;
  /** Whether each category's switch is on (true also when only some of its services are: then only those run; use `accepted()` to ask). */
  categories: Record<string, boolean>;
  /** Decision per service, for categories that list services. */
  services: Record<string, Record<string, boolean>>;
  /** "embed": an embed's "Always allow" before any other answer (decides only that; the banner still asks). "gpc": not a choice but the browser's Global Privacy Control signal; never stored. */
  method: "accept-all" | "reject-all" | "custom" | "embed" | "gpc";
  /** The language the visitor saw. */
  language: string;
  /** Whether the browser sent Global Privacy Control when the choice was made. */
  gpc: boolean;
  /** When consent was first given, ms since 1970. */
  givenAt: number;
  /** When it last changed, ms since 1970. */
  updatedAt: number;
  /** When it expires and the visitor is asked again, ms since 1970 (null: never, for a GPC record). */
  expiresAt: number | null;
  /** SHA-256 (hex) of the notice the visitor was shown and chose from (null where the browser could not hash it: not a secure context). */
  notice: string | null;
}

/** One difference between an earlier and a later choice (`koekje:change`). */
export interface ConsentChange {
  category: string;
  /** null: the entry is about the whole category (accepted only when wholly on). */
  service: string | null;
  accepted: boolean;
}

/** The API on `window.koekje`. */
export interface Koekje {
  show(): void;
  showPreferences(): void;
  hide(): void;
  acceptAll(): void;
  rejectAll(): void;
  accept(categories: string[]): void;
  /** Whether the service, or without one the whole category, may run now. */
  accepted(category: string, service?: string | null): boolean;
  consent(): ConsentRecord | null;
  reset(): void;
  setLanguage(code: string): void;
  /** Settles with the record that counts (or null) once Koekje has started, or null if it cannot. */
  ready: Promise<ConsentRecord | null>;
}

/** Which part of the interface was shown or hidden (`koekje:show`, `koekje:hide`). */
export interface KoekjeView {
  view: "banner" | "dialog";
}

declare global {
  interface Window {
    koekje?: Koekje;
  }
  interface WindowEventMap {
    "koekje:ready": CustomEvent<ConsentRecord | null>;
    "koekje:consent": CustomEvent<ConsentRecord>;
    "koekje:change": CustomEvent<{ changes: ConsentChange[]; consent: ConsentRecord }>;
    "koekje:show": CustomEvent<KoekjeView>;
    "koekje:hide": CustomEvent<KoekjeView>;
  }
}
"#;

/// Starts Koekje (called once by the loader with the config text, if any,
/// where it came from, the nonce Koekje trusts (its own tag's, the config
/// script's or a `<head>` script's; `""`: none), whether any script on the
/// page carries a nonce, why the config file could not be fetched, if it
/// could not, and the loader's helpers: `policy` (the `koekje` Trusted
/// Types policy, if one was created), `build` (this build's id), `hash`
/// and `send` (the consent log's)).
#[wasm_bindgen(js_name = "_start", skip_typescript)]
pub fn start(
    config_text: Option<String>,
    source: String,
    nonce: String,
    page_uses_nonces: bool,
    load_error: Option<String>,
    helpers: JsValue,
) -> bool {
    let get = |name: &str| js_sys::Reflect::get(&helpers, &name.into()).unwrap_or(JsValue::UNDEFINED);
    super::gate::use_policy(get("policy"));
    let build = get("build").as_string().unwrap_or_default();
    super::loader_helpers::keep(helpers);
    app::start(config_text, &source, app::Nonce::new(nonce, page_uses_nonces), load_error, build)
}

/// Internal (the loader's): the rest of the start, in a later task once the
/// banner is painted (see `app::resume`).
#[wasm_bindgen(js_name = "_resume", skip_typescript)]
pub fn resume() {
    app::resume();
}

/// Internal (the loader's): the page came back from the back/forward cache
/// (`pageshow` with `persisted`). A choice may have been withdrawn or
/// changed on another page meanwhile: the stored choice is read again and
/// applied as one made in another tab is (a withdrawal of what ran here
/// reloads; see `app::on_storage_change`).
#[wasm_bindgen(js_name = "_restored", skip_typescript)]
pub fn restored() {
    app::on_storage_change();
}

/// Internal (the loader's): the built-in words of `lang`, fetched for the
/// language shown (see `app::words_arrived`).
#[wasm_bindgen(js_name = "_texts", skip_typescript)]
pub fn texts(lang: String, packed: String) {
    app::words_arrived(&lang, &packed);
}

/// Shows the banner (the first layer), even if a choice is stored.
#[wasm_bindgen]
pub fn show() {
    app::show_banner();
}

/// Opens the preferences dialog.
#[wasm_bindgen(js_name = showPreferences)]
pub fn show_preferences() {
    app::show_preferences(None);
}

/// Hides the banner and the dialog without recording a choice.
#[wasm_bindgen]
pub fn hide() {
    app::hide();
}

/// Accepts every category and service, as the "Accept all" button does.
#[wasm_bindgen(js_name = acceptAll)]
pub fn accept_all() {
    app::choose(Choice::AcceptAll, true);
}

/// Refuses every optional category, as the "Reject all" button does.
#[wasm_bindgen(js_name = rejectAll)]
pub fn reject_all() {
    app::choose(Choice::RejectAll, true);
}

/// Accepts exactly these categories (and the required ones); refuses the
/// rest. Anything but an array of category ids records nothing and says so
/// in the console; unknown ids are named and left out.
#[wasm_bindgen]
pub fn accept(#[wasm_bindgen(unchecked_param_type = "string[]")] categories: JsValue) {
    const PATH: &str = "accept(categories)";
    if !js_sys::Array::is_array(&categories) {
        console::error(&Problem::new(PATH, "expected an array of category ids; nothing recorded"));
        return;
    }
    let mut choice = Vec::new();
    for (i, id) in js_sys::Array::from(&categories).iter().enumerate() {
        let path = index(PATH, i);
        match id.as_string() {
            Some(id) if app::has_category(&id) => choice.push(CategoryChoice::whole(&id, true)),
            Some(id) => console::error(&Problem::new(&path, &quoted("unknown category (left out)", &id))),
            None => console::error(&Problem::new(&path, "expected a string (left out)")),
        }
    }
    app::choose(Choice::Custom(choice), true);
}

/// Whether a category (and, if named, one of its services) is accepted now.
/// Without a category id the answer is `false`, with a console error.
#[wasm_bindgen]
pub fn accepted(
    #[wasm_bindgen(unchecked_param_type = "string")] category: Option<String>,
    service: Option<String>,
) -> bool {
    let Some(category) = category else {
        console::error(&Problem::new("accepted(category)", "expected a category id"));
        return false;
    };
    app::accepted(&category, service.as_deref())
}

/// The stored choice that counts now, or `null`.
#[wasm_bindgen(unchecked_return_type = "ConsentRecord | null")]
pub fn consent() -> JsValue {
    app::consent_js()
}

/// Withdraws: forgets the stored choice, deletes what is no longer
/// accepted (reloading if scripts that ran are now refused), and shows the
/// banner again.
#[wasm_bindgen]
pub fn reset() {
    app::reset();
}

/// Shows the interface in another language (`"fr"`, `"nl-BE"`), re-rendering
/// what is open. A language without words falls back as usual.
#[wasm_bindgen(js_name = setLanguage)]
pub fn set_language(code: &str) {
    app::set_language(code);
}
