//! Button words that say another button's action: a config whose
//! `texts.en.acceptAll` is "Reject all" shows two buttons that both read
//! "Reject all", one of which accepts everything.
//!
//! Each action text the config gives (accept all, reject all, let me choose,
//! save, close, and the placeholders' load once and always allow) is
//! compared with every other action's words: the config's own, in the same
//! language, and the built-in ones in every built-in language. Case (of
//! ASCII and Latin-1 letters, those of the built-in languages) and
//! whitespace do not count.
//!
//! The checker (check/) runs it; the shipped banner does not: it has the
//! built-in words of the language shown only (feature `loaded-texts`), not
//! always yet when it checks the config, so it could tell only part of this,
//! for about 0.6 kB gzip of wasm (measured). The admin's tools (the checker,
//! the configurator, the debug view) report it.

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::Config;
use super::problem::{field, Problem};
use super::texts::{built_in_text, Text, TextOverrides, BUILT_IN_LANGUAGES};

/// The interface texts that name what a button does.
pub const ACTIONS: [Text; 7] =
    [Text::AcceptAll, Text::RejectAll, Text::Preferences, Text::Save, Text::Close, Text::LoadOnce, Text::AlwaysAllow];

/// Pushes a problem for each action text the config gives in `lang` that
/// says what another action says (`config.texts.en.acceptAll: "Reject all"
/// says what another button says (rejectAll, in en): …`), once per text.
pub fn clashes(config: &Config, lang: &str, out: &mut Vec<Problem>) {
    let Some(own) = config.texts.iter().find(|o| o.language == lang) else { return };
    for (text, given) in &own.strings {
        if !ACTIONS.contains(text) {
            continue;
        }
        if let Some((other, in_lang)) = clash(given, *text, own) {
            let mut message = String::from("\"");
            message.push_str(given);
            message.push_str("\" says what another button says (");
            message.push_str(other.key());
            message.push_str(", in ");
            message.push_str(in_lang);
            message.push_str("): visitors would mistake the one for the other");
            out.push(Problem::new(&field(&field(&field(super::validate::ROOT, "texts"), lang), text.key()), &message));
        }
    }
}

/// The first action other than `action` (and the language of its words)
/// whose words, the config's in this language (`own`) or built in, are
/// `words`.
fn clash<'o>(words: &str, action: Text, own: &'o TextOverrides) -> Option<(Text, &'o str)> {
    for other in ACTIONS {
        if other == action {
            continue;
        }
        if own.get(other).is_some_and(|o| same_words(words, o)) {
            return Some((other, &own.language));
        }
        for built_in in BUILT_IN_LANGUAGES {
            if built_in_text(built_in, other).is_some_and(|w| same_words(words, w)) {
                return Some((other, built_in));
            }
        }
    }
    None
}

/// Whether `a` and `b` are the same words, whatever their case and
/// whitespace.
pub fn same_words(a: &str, b: &str) -> bool {
    folded(a) == folded(b)
}

/// `text` without whitespace, its ASCII and Latin-1 capitals (those of the
/// built-in languages) in lower case: Unicode's full case table would add
/// 8 kB gzip to the checker's wasm.
fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            _ if c.is_whitespace() => {}
            'A'..='Z' | 'À'..='Ö' | 'Ø'..='Þ' => out.push(char::from_u32(c as u32 + 32).unwrap_or(c)),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::config_from_value;
    use crate::core::value::parse;

    fn problems(json: &str, lang: &str) -> Vec<String> {
        let (config, found) = config_from_value(&parse(json));
        assert_eq!(found, []);
        let mut out = Vec::new();
        clashes(&config, lang, &mut out);
        out.iter().map(|p| p.to_console_line()).collect()
    }

    #[test]
    fn an_action_in_another_actions_words_is_named() {
        assert_eq!(
            problems(r#"{"texts": {"en": {"acceptAll": "Reject all", "rejectAll": "Accept all"}}}"#, "en"),
            [
                "koekje: config.texts.en.acceptAll: \"Reject all\" says what another button says (rejectAll, in en): visitors would mistake the one for the other",
                "koekje: config.texts.en.rejectAll: \"Accept all\" says what another button says (acceptAll, in en): visitors would mistake the one for the other",
            ]
        );
        // Any built-in language, whatever the case and spacing.
        assert_eq!(
            problems(r#"{"texts": {"es": {"acceptAll": "  alles   WEIGEREN "}, "de": {"save": "Alle akzeptieren"}}}"#, "es"),
            ["koekje: config.texts.es.acceptAll: \"  alles   WEIGEREN \" says what another button says (rejectAll, in nl): visitors would mistake the one for the other"]
        );
        assert_eq!(problems(r#"{"texts": {"fr": {"preferences": "TOUT REFUSER"}}}"#, "fr").len(), 1);
        assert_eq!(problems(r#"{"texts": {"fr": {"loadOnce": "Toujours autoriser {service}"}}}"#, "fr").len(), 1);
        assert_eq!(problems(r#"{"texts": {"de": {"close": "AUSWAHL SPEICHERN"}}}"#, "de").len(), 1);
        assert_eq!(problems(r#"{"texts": {"en": {"rejectAll": "schließen"}}}"#, "en").len(), 1);
        // Two of the config's own buttons with the same words.
        assert_eq!(
            problems(r#"{"texts": {"pt": {"acceptAll": "OK", "save": "ok"}}}"#, "pt"),
            [
                "koekje: config.texts.pt.acceptAll: \"OK\" says what another button says (save, in pt): visitors would mistake the one for the other",
                "koekje: config.texts.pt.save: \"ok\" says what another button says (acceptAll, in pt): visitors would mistake the one for the other",
            ]
        );
    }

    #[test]
    fn an_actions_own_words_and_other_texts_are_fine() {
        // Its own words in any language, a title that happens to be a
        // button's words, and words that only look alike.
        for json in [
            r#"{"texts": {"en": {"acceptAll": "Accept all", "rejectAll": "Alles weigeren"}}}"#,
            r#"{"texts": {"en": {"bannerTitle": "Reject all", "acceptAll": "Accept all cookies", "save": "Save"}}}"#,
            r#"{"texts": {"nl": {"acceptAll": "Ja, graag", "rejectAll": "Nee, bedankt"}}}"#,
        ] {
            assert_eq!(problems(json, "en"), Vec::<String>::new(), "{json}");
            assert_eq!(problems(json, "nl"), Vec::<String>::new(), "{json}");
        }
        assert!(same_words("Enregistrer mes choix", "ENREGISTRER MES CHOIX"));
        assert!(same_words("Schließen", "SCHLIEßEN"));
        assert!(same_words("Sélectionner", "SÉLECTIONNER"));
        assert!(same_words("Ablehnen", "ab\u{a0}lehnen"));
        assert!(!same_words("Accept all", "Accept al"));
        assert!(!same_words("", "x"));
    }

    #[test]
    fn the_built_in_words_of_each_action_are_its_own() {
        // Otherwise a config that repeats a built-in word would be reported.
        for action in ACTIONS {
            for lang in BUILT_IN_LANGUAGES {
                let words = built_in_text(lang, action).unwrap();
                let own = TextOverrides { language: lang.into(), strings: vec![] };
                assert_eq!(clash(words, action, &own), None, "{lang} {}", action.key());
            }
        }
    }
}
