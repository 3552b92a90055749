//! The contracts between the wasm, the loader, the types and the README
//! that are written out in more than one place (JavaScript cannot import
//! a Rust constant, and bundlers need some of them spelled out): each has
//! one definition, and this test fails when a copy drifts from it.
//!
//! - The page API: the exports of `src/shell/api.rs` (the one list) are
//!   the loader's wrappers (`export const … = koekjeWait(…)`), its
//!   `window.koekje` object, the glue functions it calls, the `Koekje`
//!   interface of the types and the README's table, each plus `ready`.
//! - The built-in languages: `core::texts::BUILT_IN_LANGUAGES` are the
//!   loader's `koekjeWordsUrl` (one `new URL` per file, for bundlers).
//! - The storage keys: every `localStorage` key the loader names is one of
//!   `core::consent::OWN_KEYS`, and it reads the record's (`RECORD_KEY`).
#![cfg(not(target_arch = "wasm32"))]

use koekje::core::consent::{DEBUG_KEY, LOG_QUEUE_KEY, OWN_KEYS, RECORD_KEY};
use koekje::core::texts::BUILT_IN_LANGUAGES;

const API_RS: &str = include_str!("../src/shell/api.rs");
const LOADER: &str = include_str!("../src/js/loader.js");
const TYPES: &str = include_str!("../src/js/koekje-types.d.ts");
const README: &str = include_str!("../README.md");

/// The text between `start` (exclusive) and the next `end` after it.
fn between<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not found")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("no {end:?} after {start:?}"));
    &text[from..from + len]
}

/// The leading identifier of `text`.
fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// The names pages call, as `api.rs` exports them: each `#[wasm_bindgen]`
/// function (by its `js_name`, if it has one) that is not internal
/// (`skip_typescript`: the loader's `_start`, `_texts`, …).
fn exports() -> Vec<String> {
    let mut out = Vec::new();
    let mut attribute: Option<&str> = None;
    for line in API_RS.lines() {
        let line = line.trim();
        if line.starts_with("#[wasm_bindgen") {
            attribute = Some(line);
        } else if let (Some(attr), Some(rest)) = (attribute, line.strip_prefix("pub fn ")) {
            attribute = None;
            if attr.contains("skip_typescript") {
                continue;
            }
            let name = match attr.split_once("js_name = ") {
                Some((_, js)) => ident(js.trim_start_matches('"')),
                None => ident(rest),
            };
            out.push(name.to_owned());
        } else if !line.starts_with("#[") && !line.starts_with("//") && !line.is_empty() {
            attribute = None;
        }
    }
    out
}

fn with_ready(mut names: Vec<String>) -> Vec<String> {
    names.push("ready".to_owned());
    names
}

#[test]
fn the_page_api_is_api_rs_exports_everywhere() {
    let exports = exports();
    assert!(exports.len() >= 10 && exports.contains(&"setLanguage".to_owned()), "{exports:?}");
    assert!(!exports.iter().any(|e| e.starts_with('_')), "internal exports are skip_typescript: {exports:?}");

    // The loader's module exports: a wrapper for each, then `ready`.
    let mut wrapped = Vec::new();
    let mut exported = Vec::new();
    for line in LOADER.lines() {
        if let Some(rest) = line.strip_prefix("export const ") {
            exported.push(ident(rest).to_owned());
            if rest.contains("= koekjeWait(") {
                assert_eq!(between(rest, "koekjeWait('", "'"), ident(rest), "{line}");
                wrapped.push(ident(rest).to_owned());
            }
        }
    }
    assert_eq!(wrapped, exports, "loader.js: export const … = koekjeWait(…)");
    assert_eq!(exported, with_ready(exports.clone()), "loader.js: its exports");

    // window.koekje, and the live API the wrappers call.
    let api: Vec<String> =
        between(LOADER, "const koekjeApi = Object.freeze({", "})").split(',').map(|s| s.trim().to_owned()).collect();
    assert_eq!(api, with_ready(exports.clone()), "loader.js: koekjeApi");
    let mut live = Vec::new();
    for pair in between(LOADER, "koekjeLive = { ", " };").split(", ") {
        let (key, value) = pair.split_once(": ").unwrap_or_else(|| panic!("{pair:?}"));
        assert_eq!(value, format!("koekje_{key}"), "loader.js: koekjeLive calls the glue's own function");
        live.push(key.to_owned());
    }
    assert_eq!(live, exports, "loader.js: koekjeLive");

    // The types: the `Koekje` interface (window.koekje) and the module's `ready`.
    let mut members = Vec::new();
    for line in between(API_RS, "export interface Koekje {", "\n}").lines() {
        let line = line.trim();
        if !line.is_empty() && !line.starts_with("/**") {
            members.push(ident(line).to_owned());
        }
    }
    assert_eq!(members, with_ready(exports.clone()), "api.rs: interface Koekje");
    assert!(TYPES.contains("export declare const ready: Promise<ConsentRecord | null>;"), "koekje-types.d.ts: ready");

    // The README's table of calls.
    let mut documented = Vec::new();
    for line in between(README, "| call | what it does |\n|---|---|\n", "\n\n").lines() {
        documented.push(ident(between(line, "| `", "`")).to_owned());
    }
    assert_eq!(documented, exports, "README: the table of calls");
    assert!(README.contains("`ready` (also `koekje.ready`)"), "README: ready");
}

#[test]
fn the_loader_fetches_the_words_of_each_built_in_language() {
    let urls = between(LOADER, "const koekjeWordsUrl = {\n", "};");
    let mut langs = Vec::new();
    for line in urls.lines() {
        let lang = ident(line.trim());
        assert_eq!(line.trim(), format!("{lang}: () => new URL('koekje-texts-{lang}.txt', import.meta.url),"));
        langs.push(lang);
    }
    assert_eq!(langs, BUILT_IN_LANGUAGES, "loader.js: koekjeWordsUrl");
}

#[test]
fn the_loader_names_only_koekjes_own_storage_keys() {
    assert!(
        LOADER.contains(&format!("localStorage.getItem('{RECORD_KEY}') !== null")),
        "loader.js reads the record's key"
    );
    assert!(LOADER.contains(&format!("const KOEKJE_QUEUE = '{LOG_QUEUE_KEY}';")), "loader.js: the log queue's key");
    assert!(LOADER.contains(&format!("localStorage.getItem('{DEBUG_KEY}')")), "loader.js: the debug view's key");
    // Every key written out in a storage call is one of them.
    for call in ["getItem('", "setItem('", "removeItem('"] {
        for piece in LOADER.split(call).skip(1) {
            let key = &piece[..piece.find('\'').unwrap()];
            assert!(OWN_KEYS.contains(&key), "loader.js: {call}{key}') is not in core::consent::OWN_KEYS");
        }
    }
}
