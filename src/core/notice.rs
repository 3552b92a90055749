//! The notice: a canonical snapshot of exactly what a visitor was shown
//! and chose from (the texts in the language shown, the privacy-policy
//! link, the categories with their services, cookies and storage keys, the
//! config revision, and the Koekje build). The browser writes it as JSON
//! text with `JSON.stringify` (keys in the order built here) and hashes the
//! bytes with SHA-256; the record and every consent-log event carry that
//! hash, and the receiver keeps the exact bytes behind it.

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::{Config, Cookie};
use super::texts::ALL;
use super::value::Value;

/// The snapshot's format version.
pub const NOTICE_VERSION: f64 = 1.0;

fn strings(items: &[String]) -> Value {
    let mut out = Vec::new();
    for s in items {
        out.push(Value::from(s.as_str()));
    }
    Value::Array(out)
}

fn cookies(list: &[Cookie], lang: &str) -> Value {
    let mut out = Vec::new();
    let text = |t: Option<&str>| t.map_or(Value::Null, Value::from);
    for c in list {
        out.push(Value::object([
            ("name", Value::from(c.name.as_str())),
            ("provider", text(c.provider.as_deref())),
            ("purpose", text(c.purpose.get_or_any(lang))),
            ("duration", text(c.duration.get_or_any(lang))),
        ]));
    }
    Value::Array(out)
}

/// The snapshot of what `config` shows in `lang`, from Koekje `build`.
/// It holds every text of [`Config::each_text`] (in `lang`, else English,
/// else the first given): held by `tests/config_schema_agreement.rs`.
pub fn snapshot(config: &Config, lang: &str, build: &str) -> Value {
    let mut texts = Vec::new();
    for t in ALL {
        texts.push((t.key().to_owned(), Value::from(config.text(lang, t))));
    }
    let mut categories = Vec::new();
    for c in &config.categories {
        let mut services = Vec::new();
        for s in &c.services {
            services.push(Value::object([
                ("id", Value::from(s.id.as_str())),
                ("name", Value::from(s.name.get_or_any(lang).unwrap_or(&s.id))),
                ("cookies", cookies(&s.cookies, lang)),
                ("storage", strings(&s.storage)),
            ]));
        }
        categories.push(Value::object([
            ("id", Value::from(c.id.as_str())),
            ("required", Value::Bool(c.required)),
            ("title", Value::from(c.title_in(lang))),
            ("description", Value::from(c.description_in(lang))),
            ("services", Value::Array(services)),
            ("cookies", cookies(&c.cookies, lang)),
            ("storage", strings(&c.storage)),
        ]));
    }
    Value::object([
        ("v", Value::Number(NOTICE_VERSION)),
        ("build", Value::from(build)),
        ("revision", Value::Number(config.revision as f64)),
        ("language", Value::from(lang)),
        ("privacyPolicy", config.privacy_policy.get_or_any(lang).map_or(Value::Null, Value::from)),
        ("texts", Value::Object(texts)),
        ("categories", Value::Array(categories)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::config_from_value;
    use crate::core::value::parse;

    fn solar() -> Config {
        config_from_value(&parse(
            r#"{"revision": 4, "privacyPolicy": {"nl": "/privacy", "fr": "/vie-privee"}, "categories": [
                {"id": "functional", "required": true, "storage": ["cart"]},
                {"id": "analytics", "title": {"nl": "Statistiek", "fr": "Statistiques"},
                 "services": [{"id": "google-analytics", "name": "Google Analytics",
                   "cookies": [{"name": "_ga", "provider": "Google", "purpose": {"nl": "Bezoekers tellen", "fr": "Compter"}}]}]}],
              "texts": {"nl": {"acceptAll": "Ja, graag"}}}"#,
        ))
        .0
    }

    #[test]
    fn the_snapshot_holds_what_the_visitor_saw_in_their_language() {
        let nl = snapshot(&solar(), "nl", "abc123");
        assert_eq!(nl.get("revision"), Some(&Value::Number(4.0)));
        assert_eq!(nl.get("build"), Some(&Value::from("abc123")));
        assert_eq!(nl.get("privacyPolicy"), Some(&Value::from("/privacy")));
        assert_eq!(nl.get("texts").unwrap().get("acceptAll"), Some(&Value::from("Ja, graag")));
        assert_eq!(nl.get("texts").unwrap().get("rejectAll"), Some(&Value::from("Alles weigeren")));
        assert_eq!(nl.get("texts").unwrap().as_object().unwrap().len(), ALL.len());
        let analytics = &nl.get("categories").unwrap().as_array().unwrap()[1];
        assert_eq!(analytics.get("title"), Some(&Value::from("Statistiek")));
        let ga = &analytics.get("services").unwrap().as_array().unwrap()[0];
        let cookie = &ga.get("cookies").unwrap().as_array().unwrap()[0];
        assert_eq!(cookie.get("purpose"), Some(&Value::from("Bezoekers tellen")));
        assert_eq!(cookie.get("duration"), Some(&Value::Null));
        // Another language is another notice.
        let fr = snapshot(&solar(), "fr", "abc123");
        assert_ne!(nl, fr);
        assert_eq!(fr.get("privacyPolicy"), Some(&Value::from("/vie-privee")));
    }

    #[test]
    fn the_snapshot_is_the_same_for_the_same_config_and_changes_with_it() {
        assert_eq!(snapshot(&solar(), "nl", "b"), snapshot(&solar(), "nl", "b"));
        let mut other = solar();
        other.revision = 5;
        assert_ne!(snapshot(&solar(), "nl", "b"), snapshot(&other, "nl", "b"));
        assert_ne!(snapshot(&solar(), "nl", "b"), snapshot(&solar(), "nl", "c"));
    }
}
