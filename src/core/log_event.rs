//! Consent-log events: what the banner sends to the site's receiver
//! (`koekje-log`) for every choice, change and withdrawal. Each names the
//! visitor's consent ID, what was decided per category and service, how,
//! and the hash of the notice shown. Koekje adds no IP address, user agent
//! or fingerprint of its own. The schema is the receiver's (README, "Proof
//! of consent").

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::Config;
use super::record::Record;
use super::value::Value;

/// The event format version.
pub const EVENT_VERSION: f64 = 1.0;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The first choice under this consent ID.
    Choice,
    /// A later choice.
    Change,
    /// Consent withdrawn: `reset()`, here or in another tab.
    Withdrawal,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Choice => "choice",
            Kind::Change => "change",
            Kind::Withdrawal => "withdrawal",
        }
    }
}

/// Where and by what the event was made, besides the record.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// A fresh random id for this event (the receiver deduplicates by it).
    pub event_id: &'a str,
    /// Whether the page's code made the choice through the JavaScript API
    /// (`acceptAll()`, `accept([...])`) rather than the visitor's click.
    pub api: bool,
    /// The page's path, without query or fragment.
    pub path: &'a str,
    /// The Koekje build.
    pub build: &'a str,
    /// Now, in ms since 1970.
    pub now: f64,
}

/// The event for `record` (for a withdrawal: the record that counted
/// before, whose every optional category is now refused). `None` when there
/// is nothing to log: a record without a consent ID (Global Privacy
/// Control, which is no choice) or without a notice hash.
pub fn event(config: &Config, record: &Record, kind: Kind, ctx: Context) -> Option<Value> {
    if record.id.is_empty() {
        return None;
    }
    let notice = record.notice.as_deref()?;
    let mut decisions = Vec::new();
    for d in &record.decisions {
        let required = config.category(&d.category).is_some_and(|c| c.required);
        let keep = |accepted: bool| accepted && (kind != Kind::Withdrawal || required);
        let mut services = Vec::new();
        for (s, a) in &d.services {
            services.push((s.clone(), Value::Bool(keep(*a))));
        }
        decisions.push((
            d.category.clone(),
            Value::object([("accepted", Value::Bool(keep(d.accepted))), ("services", Value::Object(services))]),
        ));
    }
    let method = match (kind, ctx.api) {
        (Kind::Withdrawal, _) => "reset",
        (_, true) => "api",
        _ => record.method.as_str(),
    };
    let path = ctx.path.get(..ctx.path.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(ctx.path.len())).unwrap_or("/");
    Some(Value::object([
        ("v", Value::Number(EVENT_VERSION)),
        ("eventId", Value::from(ctx.event_id)),
        ("consentId", Value::from(record.id.as_str())),
        ("kind", Value::from(kind.as_str())),
        ("method", Value::from(method)),
        ("decisions", Value::Object(decisions)),
        ("notice", Value::from(notice)),
        ("language", Value::from(record.language.as_str())),
        ("revision", Value::Number(record.revision as f64)),
        ("gpc", Value::Bool(record.gpc)),
        ("time", Value::Number(ctx.now)),
        ("path", Value::from(path)),
        ("build", Value::from(ctx.build)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::{gpc_record, make_record, Choice, RecordContext};
    use crate::core::validate::config_from_value;
    use crate::core::value::parse;

    fn setup() -> (Config, Record) {
        let config = config_from_value(&parse(
            r#"{"categories": [{"id": "functional", "required": true}, {"id": "analytics", "services": [{"id": "google-analytics"}]}]}"#,
        ))
        .0;
        let ctx = RecordContext { previous: None, new_id: "c0ffee00-0000-4000-8000-000000000000".into(), now: 5.0, language: "nl", gpc: false };
        let mut record = make_record(&config, &Choice::AcceptAll, ctx);
        record.notice = Some("ab".repeat(32));
        (config, record)
    }

    fn ctx(api: bool) -> Context<'static> {
        Context { event_id: "e1", api, path: "/zonnepanelen?utm=x#top", build: "b1", now: 9.0 }
    }

    #[test]
    fn an_event_names_the_decisions_the_notice_and_how() {
        let (config, record) = setup();
        let e = event(&config, &record, Kind::Choice, ctx(false)).unwrap();
        assert_eq!(e.get("consentId"), Some(&Value::from("c0ffee00-0000-4000-8000-000000000000")));
        assert_eq!(e.get("kind"), Some(&Value::from("choice")));
        assert_eq!(e.get("method"), Some(&Value::from("accept-all")));
        assert_eq!(e.get("notice"), Some(&Value::from("ab".repeat(32).as_str())));
        assert_eq!(e.get("path"), Some(&Value::from("/zonnepanelen")));
        assert_eq!(e.get("time"), Some(&Value::Number(9.0)));
        let analytics = e.get("decisions").unwrap().get("analytics").unwrap();
        assert_eq!(analytics.get("accepted"), Some(&Value::Bool(true)));
        assert_eq!(analytics.get("services").unwrap().get("google-analytics"), Some(&Value::Bool(true)));
        let keys: Vec<&str> = e.as_object().unwrap().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["v", "eventId", "consentId", "kind", "method", "decisions", "notice", "language", "revision", "gpc", "time", "path", "build"]);
        assert_eq!(event(&config, &record, Kind::Change, ctx(true)).unwrap().get("method"), Some(&Value::from("api")));
    }

    #[test]
    fn a_withdrawal_refuses_every_optional_category() {
        let (config, record) = setup();
        let e = event(&config, &record, Kind::Withdrawal, ctx(true)).unwrap();
        assert_eq!(e.get("method"), Some(&Value::from("reset")));
        let d = e.get("decisions").unwrap();
        assert_eq!(d.get("functional").unwrap().get("accepted"), Some(&Value::Bool(true)));
        assert_eq!(d.get("analytics").unwrap().get("accepted"), Some(&Value::Bool(false)));
        assert_eq!(d.get("analytics").unwrap().get("services").unwrap().get("google-analytics"), Some(&Value::Bool(false)));
    }

    #[test]
    fn nothing_is_logged_without_a_consent_id_or_a_notice() {
        let (config, mut record) = setup();
        assert!(event(&config, &gpc_record(&config, 1.0, "nl"), Kind::Choice, ctx(false)).is_none());
        record.notice = None;
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_none());
    }
}
