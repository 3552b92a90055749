//! Hostile input to the pure core: arbitrary JSON-shaped values, and values
//! shaped almost like a real config or stored record, must never panic;
//! a config always ends valid (with every problem naming its field under
//! `config`), and a record either parses or is refused with a reason.
//!
//! `npm test` runs a short pass; `npm run fuzz` runs many more cases
//! (PROPTEST_CASES).
#![cfg(not(target_arch = "wasm32"))]

use koekje::core::config::{Config, MAX_EXPIRY_DAYS};
use koekje::core::consent::{self, Choice, RecordContext};
use koekje::core::cookie_match::{cookie_domains, cookie_paths, matches};
use koekje::core::language::{choose_language, LanguageInputs};
use koekje::core::record::Record;
use koekje::core::validate::{check_language, config_from_value};
use koekje::core::value::Value;
use proptest::prelude::*;

/// Keys that appear in configs and records, so that generated objects reach
/// deep into the validators instead of failing at the first unknown key.
const KEYS: &[&str] = &[
    "revision", "language", "defaultLanguage", "expiryDays", "privacyPolicy", "layout", "theme",
    "blocking", "reloadOnWithdrawal", "consentMode", "mode", "signals", "googleServices",
    "categories", "texts", "id", "required", "title", "description", "services", "cookies",
    "storage", "gpc", "name", "provider", "purpose", "duration", "nl", "fr", "en", "acceptAll",
    "analytics_storage", "version", "categories", "method", "givenAt", "updatedAt", "expiresAt",
    "__proto__", "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![any::<f64>(), -2.0..400.0f64, Just(1.0), Just(182.0), Just(f64::NAN), Just(f64::INFINITY)]
            .prop_map(Value::Number),
        prop_oneof![
            ".{0,12}",
            "[a-z_-]{1,10}",
            Just("javascript:alert(1)".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("accept-all".to_owned()),
            Just("box".to_owned()),
        ]
        .prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 256, 8, |inner| {
        let key = prop_oneof![proptest::sample::select(KEYS).prop_map(str::to_owned), ".{0,8}"];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((key, inner), 0..8).prop_map(Value::Object),
        ]
    })
}

/// Takes a valid record and replaces one field with anything.
fn record_like() -> impl Strategy<Value = Value> {
    let config = Config::default();
    let good = consent::make_record(
        &config,
        &Choice::AcceptAll,
        RecordContext { previous: None, new_id: "id".into(), now: 1.0e12, language: "nl", gpc: false },
    )
    .to_value();
    let keys: Vec<String> = good.as_object().unwrap().iter().map(|(k, _)| k.clone()).collect();
    (proptest::sample::select(keys), value(), any::<bool>()).prop_map(move |(key, replacement, drop)| {
        let mut pairs = good.as_object().unwrap().to_vec();
        if drop {
            pairs.retain(|(k, _)| *k != key);
        } else if let Some(slot) = pairs.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = replacement;
        }
        Value::Object(pairs)
    })
}

proptest! {
    #[test]
    fn any_config_ends_valid_and_problems_name_their_field(v in value()) {
        let (config, problems) = config_from_value(&v);
        for p in &problems {
            prop_assert!(p.path.starts_with("config"), "{:?}", p);
            prop_assert!(!p.message.is_empty());
            prop_assert!(p.to_console_line().starts_with("koekje: config"));
        }
        // What comes out is always usable.
        prop_assert!(!config.categories.is_empty());
        prop_assert!(config.expiry_days >= 1 && config.expiry_days <= MAX_EXPIRY_DAYS);
        let mut ids: Vec<&str> = config.categories.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len(), config.categories.len());
        for c in &config.categories {
            prop_assert!(!c.id.is_empty());
            prop_assert!(c.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        }
        for (_, url) in &config.privacy_policy.0 {
            prop_assert!(!url.trim().to_ascii_lowercase().starts_with("javascript:"));
        }
        // Nothing optional is accepted without a record, whatever the config says.
        for c in &config.categories {
            prop_assert_eq!(consent::is_accepted(&config, None, &c.id, None), c.required);
        }
        for lang in config.languages() {
            let _ = check_language(&config, lang);
            for c in &config.categories {
                let _ = (c.title_in(lang), c.description_in(lang));
            }
        }
        let record = consent::make_record(
            &config,
            &Choice::RejectAll,
            RecordContext { previous: None, new_id: "id".into(), now: 0.0, language: "en", gpc: false },
        );
        for c in &config.categories {
            prop_assert_eq!(consent::is_accepted(&config, Some(&record), &c.id, None), c.required);
        }
        // A record always reads back as written.
        prop_assert_eq!(Record::from_value(&record.to_value()), Ok(record));
    }

    #[test]
    fn any_stored_value_parses_or_is_refused_with_a_reason(v in prop_oneof![value(), record_like()]) {
        match Record::from_value(&v) {
            Ok(record) => {
                prop_assert_eq!(Record::from_value(&record.to_value()), Ok(record.clone()));
                let config = Config::default();
                let _ = consent::check_record(&config, &record, 0.0);
                for c in &config.categories {
                    let _ = consent::is_accepted(&config, Some(&record), &c.id, Some("x"));
                }
            }
            Err(problem) => {
                prop_assert!(problem.path.starts_with("stored consent"), "{:?}", problem);
                prop_assert!(!problem.message.is_empty());
            }
        }
    }

    #[test]
    fn cookie_matching_never_panics(pattern in "[a-z*_]{0,12}", name in ".{0,40}", host in "[a-z0-9.:\\[\\]-]{0,30}", path in "/[a-z/.]{0,20}") {
        let m = matches(&pattern, &name);
        if !pattern.contains('*') {
            prop_assert_eq!(m, pattern == name);
        }
        prop_assert!(matches("*", &name));
        let domains = cookie_domains(&host);
        prop_assert_eq!(domains[0], host.as_str());
        prop_assert_eq!(cookie_paths(&path)[0], "/");
    }

    #[test]
    fn language_choice_never_panics(forced in proptest::option::of(".{0,8}"), page in proptest::option::of(".{0,8}"), browser in proptest::collection::vec(".{0,8}", 0..4)) {
        let lang = choose_language(
            &LanguageInputs { forced: forced.as_deref(), page: page.as_deref(), browser: &browser, default: "en" },
            &["nl", "fr", "de", "en"],
        );
        prop_assert!(["nl", "fr", "de", "en"].contains(&lang.as_str()));
    }
}
