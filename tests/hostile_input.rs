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
use koekje::core::record_cookie;
use koekje::core::validate::{check_language, config_from_value};
use koekje::core::value::Value;
use proptest::prelude::*;

/// Keys that appear in configs and records, so that generated objects reach
/// deep into the validators instead of failing at the first unknown key.
const KEYS: &[&str] = &[
    "revision",
    "language",
    "defaultLanguage",
    "expiryDays",
    "privacyPolicy",
    "layout",
    "theme",
    "blocking",
    "reloadOnWithdrawal",
    "consentMode",
    "mode",
    "signals",
    "googleServices",
    "categories",
    "texts",
    "id",
    "required",
    "title",
    "description",
    "services",
    "cookies",
    "storage",
    "gpc",
    "name",
    "provider",
    "purpose",
    "duration",
    "nl",
    "fr",
    "en",
    "acceptAll",
    "analytics_storage",
    "version",
    "categories",
    "method",
    "givenAt",
    "updatedAt",
    "expiresAt",
    "__proto__",
    "",
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
    fn a_record_never_counts_beyond_todays_config_or_before_it_was_made(
        v in prop_oneof![value(), record_like()],
        expiry in prop_oneof![Just(None), (1u32..400).prop_map(Some)],
        now in prop_oneof![any::<f64>(), 0.0..2.0e12f64, Just(1.0e12), Just(f64::NAN)],
    ) {
        let Ok(record) = Record::from_value(&v) else { return Ok(()) };
        let mut config = Config::default();
        if let Some(days) = expiry {
            // As the validator would: 1 to 395.
            config.expiry_days = days.min(MAX_EXPIRY_DAYS);
        }
        let day = 86_400_000.0;
        if consent::check_record(&config, &record, now).is_ok() {
            prop_assert!(now >= record.updated_at && record.updated_at >= record.given_at);
            prop_assert!(now < record.updated_at + config.expiry_days as f64 * day);
            prop_assert!(now < record.updated_at + MAX_EXPIRY_DAYS as f64 * day);
            prop_assert!(now < record.expires_at);
        }
    }

    #[test]
    fn a_refused_pattern_never_deletes_what_a_kept_pattern_matches(
        categories in proptest::collection::vec((any::<bool>(), any::<bool>(), proptest::collection::vec("[ab_*]{0,4}", 0..4), proptest::collection::vec("[ab_*]{0,4}", 0..3)), 1..5),
        names in proptest::collection::vec("[ab_]{0,5}", 1..8),
    ) {
        let mut config = Config::default();
        config.categories.clear();
        let mut chosen = Vec::new();
        for (i, (required, accepted, cookies, storage)) in categories.iter().enumerate() {
            config.categories.push(koekje::core::config::Category {
                id: format!("c{i}"),
                required: *required,
                cookies: cookies.iter().map(|n| koekje::core::config::Cookie { name: n.clone(), ..Default::default() }).collect(),
                storage: storage.clone(),
                ..Default::default()
            });
            chosen.push(consent::CategoryChoice::whole(&format!("c{i}"), *accepted));
        }
        let record = consent::make_record(
            &config,
            &Choice::Custom(chosen),
            RecordContext { previous: None, new_id: "id".into(), now: 1.0, language: "en", gpc: false },
        );
        let refused = consent::refused(&config, Some(&record));
        for name in &names {
            let kept_cookie = config.categories.iter().any(|c| {
                consent::is_accepted(&config, Some(&record), &c.id, None) && c.cookies.iter().any(|k| matches(&k.name, name))
            });
            let kept_key = config.categories.iter().any(|c| {
                consent::is_accepted(&config, Some(&record), &c.id, None) && c.storage.iter().any(|k| matches(k, name))
            });
            let refused_cookie = config.categories.iter().any(|c| {
                !consent::is_accepted(&config, Some(&record), &c.id, None) && c.cookies.iter().any(|k| matches(&k.name, name))
            });
            prop_assert_eq!(refused.deletes_cookie(name), refused_cookie && !kept_cookie, "{}", name);
            if kept_key {
                prop_assert!(!refused.deletes_key(name), "{}", name);
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
    fn no_cookie_path_can_carry_an_attribute(path in "/[a-z/;,=\\x00-\\x1f ]{0,30}") {
        for p in cookie_paths(&path) {
            prop_assert!(!p.bytes().any(|b| b == b';' || b == b',' || b < 0x20), "{:?}", p);
        }
    }

    #[test]
    fn language_choice_never_panics(forced in proptest::option::of(".{0,8}"), page in proptest::option::of(".{0,8}"), browser in proptest::collection::vec(".{0,8}", 0..4)) {
        let lang = choose_language(
            &LanguageInputs { forced: forced.as_deref(), page: page.as_deref(), browser: &browser, default: "en" },
            &["nl", "fr", "de", "en"],
        );
        prop_assert!(["nl", "fr", "de", "en"].contains(&lang.as_str()));
    }

    #[test]
    fn any_cookie_value_is_a_record_written_exactly_so_or_none(
        text in prop_oneof![
            ".{0,80}",
            "[0-9a-z.:_-]{0,120}",
            // Shaped like a value: the ten fields, then decisions.
            "1\\.[0-9]{1,3}\\.(accept-all|custom|gpc|x)\\.[0-2]\\.[0-9]{1,17}\\.[0-9]{1,17}\\.[0-9]{1,17}\\.[a-z]{0,3}\\.[a-f0-9-]{0,8}\\.[a-f0-9]{0,64}(\\.[a-z_-]{0,4}(:[0-2a-z]{0,3}){0,5}){0,4}",
        ],
    ) {
        if let Some(record) = record_cookie::decode(&text) {
            // One way to write each record: nothing else gets through.
            let again = record_cookie::encode(&record);
            prop_assert_eq!(again.as_deref(), Some(text.as_str()));
        }
    }

    #[test]
    fn any_record_the_app_makes_goes_into_a_cookie_and_back(
        analytics in any::<bool>(), now in 0.0..4.0e12f64, language in "[a-z]{2}",
    ) {
        let config = Config::default();
        let choice = if analytics { Choice::AcceptAll } else { Choice::RejectAll };
        let ctx = RecordContext { previous: None, new_id: "0b6f3c8e-6a55-4f7e-9d61-2f1c0a3e7b9d".into(), now: now.floor(), language: &language, gpc: false };
        let record = consent::make_record(&config, &choice, ctx);
        let text = record_cookie::encode(&record).unwrap();
        prop_assert!(text.len() < 300, "{}", text);
        prop_assert_eq!(record_cookie::decode(&text), Some(record));
    }
}
