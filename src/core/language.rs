//! Choosing the language to show: the config's, else the page's, else the
//! browser's, else the config's default (English unless set).

#[allow(unused_imports)]
use crate::prelude::*;

/// The primary subtag of a language tag, lower-cased: `nl-BE` -> `nl`.
pub fn primary_subtag(tag: &str) -> String {
    let tag = tag.trim_ascii();
    let end = tag.bytes().position(|b| b == b'-' || b == b'_').unwrap_or(tag.len());
    tag.get(..end).unwrap_or_default().to_ascii_lowercase()
}

/// What the choice is made from.
#[derive(Clone, Debug, Default)]
pub struct LanguageInputs<'a> {
    /// The config's `language`: forces a language when set.
    pub forced: Option<&'a str>,
    /// The page's `<html lang>`.
    pub page: Option<&'a str>,
    /// The browser's `navigator.languages`, most preferred first.
    pub browser: &'a [String],
    /// The config's `defaultLanguage` (English unless set).
    pub default: &'a str,
}

/// Picks the first of the inputs whose language is in `available`, comparing
/// primary subtags (`inputs.default` last); else English, which is built in.
pub fn choose_language(inputs: &LanguageInputs, available: &[&str]) -> String {
    let fits = |tag: &str| {
        let lang = primary_subtag(tag);
        available.iter().any(|a| *a == lang).then_some(lang)
    };
    inputs
        .forced
        .and_then(fits)
        .or_else(|| inputs.page.and_then(fits))
        .or_else(|| inputs.browser.iter().find_map(|t| fits(t)))
        .or_else(|| fits(inputs.default))
        .unwrap_or_else(|| "en".to_owned())
}

/// Whether `lang` is written right to left.
pub fn is_right_to_left(lang: &str) -> bool {
    matches!(primary_subtag(lang).as_str(), "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug")
}

#[cfg(test)]
mod tests {
    use super::*;

    const AVAILABLE: [&str; 4] = ["nl", "fr", "de", "en"];

    fn choose(forced: Option<&str>, page: Option<&str>, browser: &[&str]) -> String {
        let browser: Vec<String> = browser.iter().map(|s| s.to_string()).collect();
        choose_language(&LanguageInputs { forced, page, browser: &browser, default: "en" }, &AVAILABLE)
    }

    #[test]
    fn a_default_without_texts_gives_english() {
        let inputs = LanguageInputs { page: Some("ja"), default: "es", ..Default::default() };
        assert_eq!(choose_language(&inputs, &AVAILABLE), "en");
        let inputs = LanguageInputs { page: Some("ja"), default: "de-AT", ..Default::default() };
        assert_eq!(choose_language(&inputs, &AVAILABLE), "de");
    }

    #[test]
    fn regional_tags_fall_back_to_their_language() {
        assert_eq!(primary_subtag("nl-BE"), "nl");
        assert_eq!(primary_subtag(" FR_be "), "fr");
        assert_eq!(choose(None, Some("nl-BE"), &[]), "nl");
    }

    #[test]
    fn order_is_config_page_browser_default() {
        assert_eq!(choose(Some("de"), Some("nl-BE"), &["fr"]), "de");
        assert_eq!(choose(None, Some("fr-BE"), &["de"]), "fr");
        assert_eq!(choose(None, None, &["ja", "de-AT", "fr"]), "de");
        assert_eq!(choose(None, Some("ja"), &["pt-BR"]), "en");
        // A forced language that is not available is passed over.
        assert_eq!(choose(Some("xx"), Some("nl"), &[]), "nl");
        assert_eq!(choose(None, Some(""), &[]), "en");
    }

    #[test]
    fn knows_right_to_left_languages() {
        assert!(is_right_to_left("ar"));
        assert!(is_right_to_left("he-IL"));
        assert!(!is_right_to_left("nl"));
    }
}
