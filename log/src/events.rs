//! The consent event as the receiver takes it: what `POST {base}/events`
//! accepts, and its canonical JSON text (what the chain hashes and dedupe
//! compares).
//!
//! The event itself — its fields and their names, its limits and its
//! checks — is defined once, in the banner's core
//! (`koekje::core::log_event`), which the banner builds its events with:
//! here it is read with the core's serde derives (fields in order, no
//! unknown one, none twice, a repeated category or service refused) and
//! then [`Event::check`]ed.
//!
//! Canonical JSON: the fields in the order of [`Event`], no whitespace,
//! map keys (category and service ids) sorted bytewise, an empty or absent
//! `services` left out, strings escaped as `serde_json` does.

pub use koekje::core::log_event::{is_sha256_hex, is_uuid_v4, Event, MAX_EVENT_BYTES};
use std::fmt;

/// Why a body is not an acceptable event; the text names the field.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError(pub String);

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses and validates one event from the request body bytes.
pub fn parse(body: &[u8]) -> Result<Event, SchemaError> {
    let event: Event = serde_json::from_slice(body).map_err(|e| SchemaError(e.to_string()))?;
    event.check().map_err(|fault| SchemaError(fault.message()))?;
    Ok(event)
}

/// The canonical JSON text of `event` (see the module doc): what is stored
/// and hashed.
pub fn canonical(event: &Event) -> String {
    serde_json::to_string(event).expect("an event always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use koekje::core::config::Config;
    use koekje::core::consent::{make_record, CategoryChoice, Choice, RecordContext};
    use koekje::core::log_event::{self, sendable_path, Context, Kind, Method, FIELDS};
    use koekje::core::record::{self, Decision, Record};
    use koekje::core::validate::config_from_value;
    use koekje::core::value::Value;
    use proptest::prelude::*;

    const OK: &str = r#"{"v":1,"eventId":"0b7e5c1e-9f0e-4c1a-9d1e-2f3a4b5c6d7e","consentId":"1b7e5c1e-9f0e-4c1a-8d1e-2f3a4b5c6d7e","kind":"choice","method":"custom","decisions":{"analytics":{"accepted":false,"services":{}},"functional":{"accepted":true,"services":{"youtube":true}}},"notice":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","language":"nl","revision":0,"gpc":false,"time":1764600000000,"path":"/","build":"0123abcd"}"#;

    #[test]
    fn canonical_sorts_keys_and_drops_empty_services() {
        let e = parse(OK.as_bytes()).unwrap();
        let c = canonical(&e);
        // Byte for byte what the chain has always hashed for this event.
        assert_eq!(
            c,
            r#"{"v":1,"eventId":"0b7e5c1e-9f0e-4c1a-9d1e-2f3a4b5c6d7e","consentId":"1b7e5c1e-9f0e-4c1a-8d1e-2f3a4b5c6d7e","kind":"choice","method":"custom","decisions":{"analytics":{"accepted":false},"functional":{"accepted":true,"services":{"youtube":true}}},"notice":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","language":"nl","revision":0,"gpc":false,"time":1764600000000,"path":"/","build":"0123abcd"}"#
        );
        assert_eq!(parse(c.as_bytes()).unwrap(), e);
        let shuffled = OK.replace(
            r#""analytics":{"accepted":false,"services":{}},"functional":{"accepted":true,"services":{"youtube":true}}"#,
            r#""functional":{"services":{"youtube":true,"vimeo":false},"accepted":true},"analytics":{"accepted":false}"#,
        );
        assert!(
            canonical(&parse(shuffled.as_bytes()).unwrap()).contains(
                r#""decisions":{"analytics":{"accepted":false},"functional":{"accepted":true,"services":{"vimeo":false,"youtube":true}}}"#
            ),
            "keys sorted"
        );
    }

    #[test]
    fn the_serde_names_are_the_cores() {
        let c = canonical(&parse(OK.as_bytes()).unwrap());
        let mut at = 0;
        for name in FIELDS {
            let found = c[at..].find(&format!("\"{name}\":"));
            assert!(found.is_some(), "{name} missing or out of order in {c}");
            at += found.unwrap();
        }
        for kind in [Kind::Choice, Kind::Change, Kind::Withdrawal] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
        }
        for method in [
            Method::AcceptAll,
            Method::RejectAll,
            Method::Custom,
            Method::Gpc,
            Method::Api,
            Method::Reset,
            Method::Embed,
        ] {
            assert_eq!(serde_json::to_string(&method).unwrap(), format!("\"{}\"", method.as_str()));
        }
    }

    #[test]
    fn refuses_unknown_fields_and_duplicates() {
        let e = parse(OK.replace("\"gpc\"", "\"extra\":1,\"gpc\"").as_bytes()).unwrap_err();
        assert!(e.0.contains("extra"), "{e}");
        let dup = OK.replace("\"functional\"", "\"analytics\"");
        assert!(parse(dup.as_bytes()).unwrap_err().0.contains("duplicate key"));
        let e = parse(OK.replace("\"v\":1,", "\"v\":1,\"v\":1,").as_bytes()).unwrap_err();
        assert!(e.0.contains("duplicate field"), "{e}");
    }

    #[test]
    fn refuses_bad_values() {
        for (from, to) in [
            ("\"path\":\"/\"", "\"path\":\"/?q\""),
            ("\"revision\":0", "\"revision\":1e3"),
            ("\"time\":1764600000000", "\"time\":99999999999999999999999"),
            ("\"language\":\"nl\"", "\"language\":\"\""),
            ("\"kind\":\"choice\"", "\"kind\":\"other\""),
            ("\"youtube\"", "\"you tube\""),
        ] {
            assert!(parse(OK.replace(from, to).as_bytes()).is_err(), "{to}");
        }
        let long = format!("\"{}\"", "a".repeat(65));
        let e = parse(OK.replace("\"youtube\"", &long).as_bytes()).unwrap_err();
        assert_eq!(e.0, "`services`: expected service ids of 1-64 letters, digits, - and _");
        let e =
            parse(OK.replace("\"path\":\"/\"", &format!("\"path\":\"/{}\"", "x".repeat(512))).as_bytes()).unwrap_err();
        assert_eq!(e.0, "`path`: expected a path starting with /, without ? or #, at most 512 bytes");
    }

    /// JSON text as the browser's `JSON.stringify` writes `v` (whole numbers
    /// without a fraction, which serde_json would give them).
    fn stringify(v: &Value, out: &mut String) {
        match v {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) if !n.is_finite() => out.push_str("null"),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e21 => out.push_str(&format!("{}", *n as i128)),
            Value::Number(n) => out.push_str(&serde_json::to_string(n).unwrap()),
            Value::String(s) => out.push_str(&serde_json::to_string(s).unwrap()),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    stringify(item, out);
                }
                out.push(']');
            }
            Value::Object(pairs) => {
                out.push('{');
                for (i, (k, item)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push(':');
                    stringify(item, out);
                }
                out.push('}');
            }
        }
    }

    /// Category and service ids: mostly what configs hold, and some the
    /// receiver refuses (too long, other characters, empty).
    fn id() -> impl Strategy<Value = String> + Clone {
        prop_oneof![
            6 => "[a-z][a-z0-9_-]{0,12}",
            1 => "[a-zA-Z0-9_-]{60,70}",
            1 => ".{0,6}",
        ]
    }

    fn uuid_or_not() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
            1 => "[0-9A-Fa-f-]{36}",
            1 => ".{0,40}",
        ]
    }

    /// Paths as `location.pathname` gives them, and anything else.
    fn path() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "/[a-z0-9/%._-]{0,40}",
            2 => "/[^?#]{400,700}",
            2 => "/.{0,30}[?#].{0,10}",
            1 => "/\\PC{0,20}[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}].{0,10}",
            1 => ".{0,20}",
            1 => "/[é€😀]{150,300}",
        ]
    }

    /// Long ids, many of them: events around the receiver's body limit.
    fn long_ids() -> impl Strategy<Value = Vec<String>> + Clone {
        proptest::collection::vec("[a-z0-9]{30,64}", 30..64)
    }

    /// Configs: a list of categories (some required, with services), read
    /// by the banner's own config reader.
    fn config() -> impl Strategy<Value = Config> {
        let category = (id(), any::<bool>(), proptest::collection::vec(id(), 0..6));
        let large = (id(), any::<bool>(), long_ids());
        prop_oneof![
            8 => proptest::collection::vec(category.clone(), 0..6),
            1 => proptest::collection::vec(category, 60..70),
            1 => proptest::collection::vec(large, 1..5),
        ]
        .prop_map(|categories| {
            let mut list = Vec::new();
            for (id, required, services) in categories {
                let services = services.into_iter().map(|s| Value::object([("id", Value::from(s.as_str()))])).collect();
                list.push(Value::object([
                    ("id", Value::from(id.as_str())),
                    ("required", Value::Bool(required)),
                    ("services", Value::Array(services)),
                ]));
            }
            config_from_value(&Value::object([("categories", Value::Array(list))])).0
        })
    }

    fn method() -> impl Strategy<Value = record::Method> {
        proptest::sample::select(vec![
            record::Method::AcceptAll,
            record::Method::RejectAll,
            record::Method::Custom,
            record::Method::Embed,
            record::Method::Gpc,
        ])
    }

    /// Records as a stored one may hold them, whatever the config: any
    /// ids, repeated or not, any language and notice.
    fn stored_record() -> impl Strategy<Value = Record> {
        let decision = (id(), any::<bool>(), proptest::collection::vec((id(), any::<bool>()), 0..5))
            .prop_map(|(category, accepted, services)| Decision { category, accepted, services });
        let large = (id(), any::<bool>(), long_ids()).prop_map(|(category, accepted, services)| Decision {
            category,
            accepted,
            services: services.into_iter().map(|s| (s, accepted)).collect(),
        });
        let decisions = prop_oneof![
            8 => proptest::collection::vec(decision.clone(), 0..6),
            1 => proptest::collection::vec(decision, 60..70),
            1 => proptest::collection::vec(large, 1..5),
        ];
        let language = prop_oneof![4 => "[a-z]{2}(-[A-Z]{2})?", 1 => ".{0,40}"];
        let notice = prop_oneof![6 => "[0-9a-f]{64}".prop_map(Some), 1 => ".{0,70}".prop_map(Some), 1 => Just(None)];
        (uuid_or_not(), any::<u32>(), decisions, method(), language, any::<bool>(), notice).prop_map(
            |(id, revision, decisions, method, language, gpc, notice)| Record {
                id,
                revision,
                decisions,
                method,
                language,
                gpc,
                given_at: 1.0e12,
                updated_at: 1.0e12,
                expires_at: 2.0e12,
                notice,
            },
        )
    }

    /// A record the banner makes for `config` from a choice.
    fn made_record(config: &Config, custom: &[(usize, bool)], choice: u8, new_id: &str, language: &str) -> Record {
        let n = config.categories.len().max(1);
        let choice = match choice % 3 {
            0 => Choice::AcceptAll,
            1 => Choice::RejectAll,
            _ => Choice::Custom(
                custom
                    .iter()
                    .filter_map(|(i, on)| config.categories.get(i % n).map(|c| CategoryChoice::whole(&c.id, *on)))
                    .collect(),
            ),
        };
        let ctx = RecordContext { previous: None, new_id: new_id.to_owned(), now: 1.0e12, language, gpc: false };
        make_record(config, &choice, ctx)
    }

    fn kind() -> impl Strategy<Value = Kind> {
        proptest::sample::select(vec![Kind::Choice, Kind::Change, Kind::Withdrawal])
    }

    fn build() -> impl Strategy<Value = String> {
        prop_oneof![8 => "[0-9a-f]{16}", 1 => ".{0,70}"]
    }

    fn now() -> impl Strategy<Value = f64> {
        prop_oneof![8 => 1.0e12..2.0e12f64, 1 => any::<f64>()]
    }

    /// Builds the banner's event and, when it built one, asserts that the
    /// receiver takes its text as `JSON.stringify` writes it.
    fn accepted_if_built(config: &Config, record: &Record, kind: Kind, ctx: Context) -> Result<bool, TestCaseError> {
        let Some(value) = log_event::event(config, record, kind, ctx) else {
            return Ok(false);
        };
        let mut text = String::new();
        stringify(&value, &mut text);
        prop_assert!(text.len() <= MAX_EVENT_BYTES, "{} bytes: {}", text.len(), text);
        let event = parse(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("refused: {e}\n{text}")))?;
        prop_assert_eq!(&event.consent_id, &record.id);
        prop_assert_eq!(&event.event_id, ctx.event_id);
        prop_assert_eq!(event.path.as_str(), sendable_path(ctx.path));
        prop_assert!(ctx.path.starts_with(&event.path) || event.path == "/");
        prop_assert_eq!(event.decisions.0.len(), record.decisions.len());
        Ok(true)
    }

    proptest! {
        #[test]
        fn every_event_the_banner_builds_is_accepted_by_the_receiver(
            config in config(),
            stored in stored_record(),
            custom in proptest::collection::vec((any::<usize>(), any::<bool>()), 0..6),
            choice in any::<u8>(),
            new_id in uuid_or_not(),
            language in prop_oneof![4 => "[a-z]{2}", 1 => ".{0,40}"],
            notice in prop_oneof![6 => "[0-9a-f]{64}", 1 => ".{0,70}"],
            kind in kind(),
            api in any::<bool>(),
            event_id in uuid_or_not(),
            path in path(),
            build in build(),
            now in now(),
        ) {
            let ctx = Context { event_id: &event_id, api, path: &path, build: &build, now };
            // A stored record, against any config.
            accepted_if_built(&config, &stored, kind, ctx)?;
            // A record the banner made for this config.
            let mut made = made_record(&config, &custom, choice, &new_id, &language);
            made.notice = Some(notice);
            accepted_if_built(&config, &made, kind, ctx)?;
        }

        /// The path never costs the event: a record the receiver takes
        /// whole is logged from any page, its path cut to fit.
        #[test]
        fn any_path_is_cut_to_fit_and_the_event_still_built(
            custom in proptest::collection::vec((any::<usize>(), any::<bool>()), 0..6),
            choice in any::<u8>(),
            kind in kind(),
            api in any::<bool>(),
            path in path(),
        ) {
            let config = Config::default();
            let mut record = made_record(&config, &custom, choice, "1b7e5c1e-9f0e-4c1a-8d1e-2f3a4b5c6d7e", "nl");
            record.notice = Some("ab".repeat(32));
            let ctx = Context {
                event_id: "0b7e5c1e-9f0e-4c1a-9d1e-2f3a4b5c6d7e",
                api,
                path: &path,
                build: "0123abcd",
                now: 1.764e12,
            };
            prop_assert!(accepted_if_built(&config, &record, kind, ctx)?);
        }
    }
}
