//! Koekje's config checker: the banner's own validation (`koekje::core`),
//! without the browser shell, compiled to a wasm of its own
//! (`dist/check/`). The checker script (`bin/koekje-check.mjs`), the
//! configurator (`www/configurator.html`) and the debug view
//! (`koekje-debug.js`) call it; the visitor's bundle never contains it.
//!
//! The text is read with serde_json (not the browser's `JSON`), so that a
//! syntax error names its line and column; the resulting value goes through
//! the same `config_from_value` and `check_language` as in the browser, so
//! every message is the browser's, word for word.

use koekje::core::action_words;
use koekje::core::config::{Config, ConsentMode};
use koekje::core::id_set::IdSet;
use koekje::core::language::{choose_language, primary_subtag, LanguageInputs};
use koekje::core::problem::Problem;
use koekje::core::texts::{self, Text, BUILT_IN_LANGUAGES, KNOWN_CATEGORIES, TEXT_KEYS};
use koekje::core::validate;
use koekje::core::value::{self, Value};
use serde_json::json;

mod inline;

/// What the checker found in one config.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// Every problem, as the browser reports it, then the texts missing in
    /// each language the config uses and the button texts that say another
    /// button's action (each problem once).
    pub problems: Vec<Problem>,
    /// The languages the config uses (see [`languages_used`]).
    pub languages: Vec<String>,
    /// How many categories apply.
    pub categories: usize,
    /// Whether the text was JSON (when not, the one problem says where).
    pub parsed: bool,
}

/// Reads `text` (the config, from `source`, named in the message about a
/// text that is not JSON) as the banner would.
pub fn parse(text: &str, source: &str) -> Result<Value, Problem> {
    let value = serde_json::from_str::<Value>(text)
        .map_err(|e| validate::unusable(source, "not valid JSON (", &e.to_string()))?;
    // The browser refuses values nested deeper than it reads (shell::json).
    match value::within_depth(&value) {
        true => Ok(value),
        false => Err(validate::unusable(source, "not valid JSON (", value::TOO_DEEP)),
    }
}

/// Checks a config: what the browser would print for it in any language;
/// with `inline` (the text is to be put in the page as it is, in
/// `<script type="application/json" id="koekje-config">`), first whether
/// it would break the page there (see [`inline::problem`]).
pub fn check(text: &str, source: &str, inline: bool) -> Report {
    let value = match parse(text, source) {
        Ok(v) => v,
        Err(problem) => {
            return Report { problems: vec![problem], ..Report::default() };
        }
    };
    let (config, mut problems) = validate::config_from_value(&value);
    if inline {
        if let Some(p) = inline::problem(text) {
            problems.insert(0, p);
        }
    }
    let languages = languages_used(&config, &value);
    let mut found = Vec::new();
    for lang in &languages {
        found.extend(validate::check_language(&config, lang));
        // Not in the banner (it has one language's built-in words): see
        // koekje::core::action_words.
        action_words::clashes(&config, lang, &mut found);
    }
    // Each of these once, and none already listed: a set of their lines
    // (core::id_set), not a search of the list for each (quadratic: 40,000
    // missing texts took seconds).
    let mut lines: Vec<String> = Vec::with_capacity(problems.len() + found.len());
    for p in problems.iter().chain(&found) {
        lines.push(p.to_console_line());
    }
    let line = |i: usize| lines[i].as_str();
    let mut listed = IdSet::with_capacity(lines.len());
    let first = problems.len();
    for i in 0..first {
        listed.insert(line(i), i, line);
    }
    for (i, p) in (first..).zip(found) {
        if listed.insert(line(i), i, line) {
            problems.push(p);
        }
    }
    Report { problems, languages, categories: config.categories.len(), parsed: true }
}

/// The languages a config is written for: its `defaultLanguage` and
/// `language` (when given), and every language it gives a text in, in the
/// order they first appear; the default language (English) when none.
pub fn languages_used(config: &Config, value: &Value) -> Vec<String> {
    // Every language named, in order, then each once.
    let mut named: Vec<String> = Vec::new();
    fn add(named: &mut Vec<String>, lang: &str) {
        let lang = primary_subtag(lang);
        if lang != "*" && !lang.is_empty() {
            named.push(lang);
        }
    }
    if value.get("defaultLanguage").is_some() {
        add(&mut named, &config.default_language);
    }
    if let Some(l) = &config.language {
        add(&mut named, l);
    }
    config.each_text(|_, text| {
        for (lang, _) in &text.0 {
            add(&mut named, lang);
        }
    });
    for o in &config.texts {
        add(&mut named, &o.language);
    }
    if named.is_empty() {
        add(&mut named, &config.default_language);
    }
    let mut seen = IdSet::with_capacity(named.len());
    let mut out: Vec<String> = Vec::new();
    for (i, lang) in named.iter().enumerate() {
        if seen.insert(lang, i, |j| named[j].as_str()) {
            out.push(lang.clone());
        }
    }
    out
}

/// The report as JSON text: `{ "parsed", "categories", "languages",
/// "problems": [{ "path", "message", "line" }] }` (`line`: what the
/// browser's console prints); `inline` as for [`check`].
pub fn report_json(text: &str, source: &str, inline: bool) -> String {
    let report = check(text, source, inline);
    let problems: Vec<_> = report
        .problems
        .iter()
        .map(|p| json!({ "path": p.path, "message": p.message, "line": p.to_console_line() }))
        .collect();
    json!({
        "parsed": report.parsed,
        "categories": report.categories,
        "languages": report.languages,
        "problems": problems,
    })
    .to_string()
}

/// The language the banner would choose for a visitor of a page with
/// `<html lang="page">` and a browser asking for `browser` (most preferred
/// first), and why: `{ "language", "why" }`, `why` being `config`
/// (its `language`), `page`, `browser`, `default` or `fallback` (English).
pub fn language_json(text: &str, page: Option<String>, browser: Vec<String>) -> String {
    let config = parse(text, "").map(|v| validate::config_from_value(&v).0).unwrap_or_else(|_| Config::fail_closed());
    let available = config.languages();
    let inputs = LanguageInputs {
        forced: config.language.as_deref(),
        page: page.as_deref(),
        browser: &browser,
        default: &config.default_language,
    };
    let chosen = choose_language(&inputs, &available);
    // The first input that alone gives the same answer is the reason.
    let alone = |i: LanguageInputs| {
        let got = choose_language(&LanguageInputs { default: "", ..i }, &available);
        got == chosen && (i.forced.is_some() || i.page.is_some() || !i.browser.is_empty() || !i.default.is_empty())
    };
    let why = if config.language.is_some()
        && alone(LanguageInputs { forced: config.language.as_deref(), ..Default::default() })
    {
        "config"
    } else if page.as_deref().is_some_and(|p| primary_subtag(p) == chosen && available.contains(&chosen.as_str())) {
        "page"
    } else if browser.iter().any(|b| primary_subtag(b) == chosen) && available.contains(&chosen.as_str()) {
        "browser"
    } else if primary_subtag(&config.default_language) == chosen {
        "default"
    } else {
        "fallback"
    };
    json!({ "language": chosen, "why": why }).to_string()
}

/// What the configurator shows as each field's default, from the core's
/// one definition of each: the built-in languages (`languages`, in
/// order), the interface texts and the known categories' words per
/// built-in language (`texts`, `categories`), the keys in the config's
/// spelling (`keys`), and Consent Mode's defaults (`consentMode`:
/// `signals`, `[signal, categories]` pairs in order, and `googleServices`). scripts/build.sh
/// writes each language's `koekje-texts-LANG.txt` from `languages`.
pub fn built_in_json() -> String {
    let mut languages = serde_json::Map::new();
    let mut categories = serde_json::Map::new();
    for lang in BUILT_IN_LANGUAGES {
        let mut strings = serde_json::Map::new();
        for key in TEXT_KEYS {
            if let Some(t) = Text::from_key(key).and_then(|t| texts::built_in_text(lang, t)) {
                strings.insert(key.to_owned(), t.into());
            }
        }
        languages.insert(lang.to_owned(), strings.into());
    }
    for id in KNOWN_CATEGORIES {
        let mut per = serde_json::Map::new();
        for lang in BUILT_IN_LANGUAGES {
            if let Some((title, description)) = texts::built_in_category(id, lang) {
                per.insert(lang.to_owned(), json!({ "title": title, "description": description }));
            }
        }
        categories.insert(id.to_owned(), per.into());
    }
    let defaults = ConsentMode::default();
    // Pairs, in CONSENT_SIGNALS order (a serde_json map would sort them).
    let signals: Vec<_> = defaults.signals.iter().map(|(signal, needs)| json!([signal, needs])).collect();
    let consent_mode = json!({ "signals": signals, "googleServices": defaults.google_services });
    json!({ "languages": BUILT_IN_LANGUAGES, "keys": TEXT_KEYS, "texts": languages, "categories": categories, "consentMode": consent_mode })
        .to_string()
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Checks config text (from `source`, named when it is not JSON; with
    /// `inline`, text to be put in the page as it is); answers JSON (see
    /// `report_json`).
    #[wasm_bindgen]
    pub fn check(text: &str, source: &str, inline: Option<bool>) -> String {
        super::report_json(text, source, inline == Some(true))
    }

    /// The language the banner would show, and why (see `language_json`).
    #[wasm_bindgen]
    pub fn language(text: &str, page: Option<String>, browser: Vec<String>) -> String {
        super::language_json(text, page, browser)
    }

    /// The built-in texts (see `built_in_json`).
    #[wasm_bindgen(js_name = builtIn)]
    pub fn built_in() -> String {
        super::built_in_json()
    }

    /// One built-in language's words as the banner loads them at run time
    /// (`koekje-texts-LANG.txt`, written by scripts/build.sh), if built in.
    #[wasm_bindgen(js_name = builtInWords)]
    pub fn built_in_words(lang: &str) -> Option<String> {
        koekje::core::texts::packed(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        check(text, "config.json", false).problems.iter().map(|p| p.to_console_line()).collect()
    }

    #[test]
    fn a_clean_config_has_no_problem() {
        let report = check(
            r#"{"defaultLanguage": "nl", "categories": [{"id": "functional", "required": true}, {"id": "analytics"}]}"#,
            "c.json",
            false,
        );
        assert_eq!(report.problems, []);
        assert_eq!(report.languages, ["nl"]);
        assert_eq!(report.categories, 2);
    }

    #[test]
    fn not_json_names_line_and_column() {
        assert_eq!(
            lines("{\n  \"revision\": 2,\n}"),
            ["koekje: config from \"config.json\": not valid JSON (trailing comma at line 3 column 1); the built-in categories apply, none required"]
        );
        // As deep as the browser reads, and one level deeper.
        let nested = |n: u32| format!("{{\"x\": {}1{}}}", "[".repeat(n as usize), "]".repeat(n as usize));
        assert_eq!(lines(&nested(value::MAX_DEPTH - 1)), ["koekje: config.x: unknown key (ignored)"]);
        assert!(lines(&nested(value::MAX_DEPTH))[0].contains("not valid JSON (nested too deeply)"));
    }

    #[test]
    fn problems_and_missing_texts_of_every_language_used() {
        let found = lines(
            r#"{"categories": [{"id": "analytics", "descripton": "x",
                "description": {"nl": "Meet bezoeken", "fr": "Mesure"},
                "services": [{"id": "ga", "name": "GA", "cookies": [{"name": "_ga", "purpose": {"nl": "Telt"}}]}]}]}"#,
        );
        assert_eq!(
            found,
            [
                "koekje: config.categories[0].descripton: unknown key (ignored)",
                "koekje: config.categories[0].services[0].cookies[0].purpose: no text in fr",
            ]
        );
    }

    #[test]
    fn button_words_that_say_another_action_are_named_in_every_language_used() {
        let found = lines(
            r#"{"texts": {"en": {"acceptAll": "Reject all", "rejectAll": "Accept all"}, "nl": {"acceptAll": "Alles aanvaarden"}}}"#,
        );
        assert_eq!(
            found,
            [
                "koekje: config.texts.en.acceptAll: \"Reject all\" says what another button says (rejectAll, in en): visitors would mistake the one for the other",
                "koekje: config.texts.en.rejectAll: \"Accept all\" says what another button says (acceptAll, in en): visitors would mistake the one for the other",
                "koekje: config.texts.nl.rejectAll: no text in nl",
            ]
        );
        let found = lines(r#"{"texts": {"fr": {"save": "tout  ACCEPTER"}}}"#);
        assert_eq!(found, ["koekje: config.texts.fr.save: \"tout  ACCEPTER\" says what another button says (acceptAll, in fr): visitors would mistake the one for the other"]);
    }

    #[test]
    fn text_that_would_break_the_page_inline_is_named_when_it_goes_inline() {
        let text = r#"{"texts": {"en": {"bannerText": "We use cookies <!--<script>"}}}"#;
        assert_eq!(check(text, "c.json", false).problems, []);
        let found = check(text, "c.json", true).problems;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "config.texts.en.bannerText");
        assert!(found[0].message.starts_with("holds \"<script\" after a \"<!--\""), "{}", found[0].message);
        // Written with \u003c, as the configurator does: nothing to say.
        assert_eq!(check(&text.replace('<', "\\u003c"), "c.json", true).problems, []);
    }

    #[test]
    fn the_built_in_defaults_are_the_cores() {
        let built: serde_json::Value = serde_json::from_str(&built_in_json()).unwrap();
        assert_eq!(built["languages"], json!(BUILT_IN_LANGUAGES));
        let langs: Vec<&String> = built["texts"].as_object().unwrap().keys().collect();
        assert_eq!(langs.len(), BUILT_IN_LANGUAGES.len());
        let ids: Vec<&String> = built["categories"].as_object().unwrap().keys().collect();
        assert_eq!(ids.len(), KNOWN_CATEGORIES.len());
        assert_eq!(built["categories"]["marketing"]["de"]["title"], "Marketing-Cookies");
        let signals = built["consentMode"]["signals"].as_array().unwrap();
        let names: Vec<&str> = signals.iter().map(|pair| pair[0].as_str().unwrap()).collect();
        assert_eq!(names, koekje::core::config::CONSENT_SIGNALS);
        assert_eq!(signals[3], json!(["analytics_storage", ["analytics"]]));
        assert_eq!(built["consentMode"]["googleServices"][0], "google-analytics");
    }

    #[test]
    fn explains_the_language() {
        let config = r#"{"defaultLanguage": "fr"}"#;
        let get = |page: Option<&str>, browser: &[&str]| {
            language_json(config, page.map(String::from), browser.iter().map(|s| s.to_string()).collect())
        };
        assert_eq!(get(Some("nl-BE"), &["de"]), r#"{"language":"nl","why":"page"}"#);
        assert_eq!(get(None, &["es", "de"]), r#"{"language":"de","why":"browser"}"#);
        assert_eq!(get(None, &["es"]), r#"{"language":"fr","why":"default"}"#);
        let forced = language_json(r#"{"language": "en"}"#, Some("nl".into()), vec![]);
        assert_eq!(forced, r#"{"language":"en","why":"config"}"#);
    }
}
