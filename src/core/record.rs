//! The consent record: what the visitor decided, when, and for which
//! revision of the config. It is what is stored and what proves consent
//! (GDPR art. 7(1)).
//!
//! Stored as JSON (through the browser's `JSON`):
//! ```json
//! {"version": 1, "id": "…uuid…", "revision": 1,
//!  "categories": {"identification": true, "analytics": false},
//!  "services": {"analytics": {"google-analytics": false}},
//!  "method": "reject-all", "language": "nl", "gpc": false,
//!  "givenAt": 1764000000000, "updatedAt": 1764000000000, "expiresAt": 1779724800000}
//! ```

#[allow(unused_imports)]
use crate::prelude::*;

use super::problem::{field, quoted, Problem};
use super::value::Value;

/// The record format this build writes and reads.
pub const RECORD_VERSION: u32 = 1;

/// The root of every path in record problems.
pub const ROOT: &str = "stored consent";

/// How the choice was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// Switches set one by one.
    Custom,
    /// An embed's "Always allow" before any other answer: the record
    /// decides only what was allowed there (and what an earlier record
    /// decided); it counts for that, and the banner asks about the rest.
    Embed,
    /// Not a choice: the browser's Global Privacy Control signal refused the
    /// categories it covers. Such a record is never stored.
    Gpc,
}

impl Method {
    /// The name stored and shown to scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::AcceptAll => "accept-all",
            Method::RejectAll => "reject-all",
            Method::Custom => "custom",
            Method::Embed => "embed",
            Method::Gpc => "gpc",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Method> {
        match s {
            "accept-all" => Some(Method::AcceptAll),
            "reject-all" => Some(Method::RejectAll),
            "custom" => Some(Method::Custom),
            "embed" => Some(Method::Embed),
            "gpc" => Some(Method::Gpc),
            _ => None,
        }
    }
}

/// The decision on one category, and on each of its services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The category's id.
    pub category: String,
    /// Whether it is accepted (wholly or for some of its services).
    pub accepted: bool,
    /// The decision per service, for categories that list services.
    pub services: Vec<(String, bool)>,
}

impl Decision {
    /// The decision on `service`, if the record has one.
    pub fn service(&self, service: &str) -> Option<bool> {
        self.services.iter().find(|(id, _)| id == service).map(|(_, accepted)| *accepted)
    }
}

/// A stored choice.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// A random id for this visitor's consent, kept across changes.
    pub id: String,
    /// The config revision the choice was made for.
    pub revision: u32,
    /// One decision per category.
    pub decisions: Vec<Decision>,
    /// How the latest choice was made.
    pub method: Method,
    /// The language the visitor saw.
    pub language: String,
    /// Whether the browser sent Global Privacy Control when it was made.
    pub gpc: bool,
    /// When consent was first given (ms since 1970).
    pub given_at: f64,
    /// When it last changed (ms since 1970).
    pub updated_at: f64,
    /// When it stops counting (ms since 1970).
    pub expires_at: f64,
    /// The SHA-256 (hex) of the notice the visitor was shown and chose
    /// from ([`super::notice::snapshot`]), when the browser could compute it.
    pub notice: Option<String>,
}

impl Record {
    /// The decision on `category`, if the record has one.
    pub fn decision(&self, category: &str) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.category == category)
    }

    /// The record as a JSON value, for storage and for scripts.
    pub fn to_value(&self) -> Value {
        let mut categories = Vec::new();
        let mut services = Vec::new();
        for d in &self.decisions {
            categories.push((d.category.clone(), Value::Bool(d.accepted)));
            if !d.services.is_empty() {
                let mut decisions = Vec::new();
                for (s, a) in &d.services {
                    decisions.push((s.clone(), Value::Bool(*a)));
                }
                services.push((d.category.clone(), Value::Object(decisions)));
            }
        }
        Value::object([
            ("version", Value::Number(RECORD_VERSION as f64)),
            ("id", Value::from(self.id.as_str())),
            ("revision", Value::Number(self.revision as f64)),
            ("categories", Value::Object(categories)),
            ("services", Value::Object(services)),
            ("method", Value::from(self.method.as_str())),
            ("language", Value::from(self.language.as_str())),
            ("gpc", Value::Bool(self.gpc)),
            ("givenAt", Value::Number(self.given_at)),
            ("updatedAt", Value::Number(self.updated_at)),
            // A GPC record never expires: `null` (JSON has no infinity).
            ("expiresAt", if self.expires_at.is_finite() { Value::Number(self.expires_at) } else { Value::Null }),
            ("notice", self.notice.as_deref().map_or(Value::Null, Value::from)),
        ])
    }

    /// Reads a stored record. Anything unexpected (another version, a
    /// missing or mistyped field) is a problem: the record then counts as
    /// no consent at all.
    pub fn from_value(v: &Value) -> Result<Record, Problem> {
        let get = |key: &str| v.get(key).ok_or_else(|| Problem::new(&field(ROOT, key), "missing"));
        let string = |key: &str| {
            get(key)?.as_str().map(str::to_owned).ok_or_else(|| Problem::new(&field(ROOT, key), "expected a string"))
        };
        let number = |key: &str| {
            get(key)?
                .as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| Problem::new(&field(ROOT, key), "expected a number"))
        };
        if v.as_object().is_none() {
            return Err(Problem::new(ROOT, "expected an object"));
        }
        if number("version")? != RECORD_VERSION as f64 {
            return Err(Problem::new(&field(ROOT, "version"), "unknown version"));
        }
        let revision = number("revision")?;
        if revision != (revision as u32) as f64 {
            return Err(Problem::new(&field(ROOT, "revision"), "expected a whole number"));
        }
        let method_name = string("method")?;
        let method = Method::parse(&method_name)
            .filter(|m| *m != Method::Gpc)
            .ok_or_else(|| Problem::new(&field(ROOT, "method"), &quoted("unknown method", &method_name)))?;
        let mut decisions = Vec::new();
        for (category, accepted) in bool_map(get("categories")?, &field(ROOT, "categories"))? {
            decisions.push(Decision { category, accepted, services: Vec::new() });
        }
        let services_path = field(ROOT, "services");
        let services =
            get("services")?.as_object().ok_or_else(|| Problem::new(&services_path, "expected an object"))?;
        for (category, map) in services {
            let path = field(&services_path, category);
            let decision = decisions
                .iter_mut()
                .find(|d| &d.category == category)
                .ok_or_else(|| Problem::new(&path, "no such category in the record"))?;
            decision.services = bool_map(map, &path)?;
        }
        Ok(Record {
            id: string("id")?,
            revision: revision as u32,
            decisions,
            method,
            language: string("language")?,
            gpc: get("gpc")?.as_bool().ok_or_else(|| Problem::new(&field(ROOT, "gpc"), "expected true or false"))?,
            given_at: number("givenAt")?,
            updated_at: number("updatedAt")?,
            expires_at: number("expiresAt")?,
            // Optional: records written before notices were hashed have none.
            notice: v.get("notice").and_then(Value::as_str).map(str::to_owned),
        })
    }
}

fn bool_map(v: &Value, path: &str) -> Result<Vec<(String, bool)>, Problem> {
    let pairs = v.as_object().ok_or_else(|| Problem::new(path, "expected an object"))?;
    let mut out = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let Some(b) = v.as_bool() else {
            return Err(Problem::new(&field(path, k), "expected true or false"));
        };
        out.push((k.clone(), b));
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::value::parse;

    /// A custom choice: functional, and analytics with Google Analytics
    /// on and YouTube off.
    pub(crate) fn sample() -> Record {
        Record {
            id: "3b1f0c1e-8f4a-4c1e-9d2a-1f2e3d4c5b6a".into(),
            revision: 2,
            decisions: vec![
                Decision { category: "functional".into(), accepted: true, services: vec![] },
                Decision {
                    category: "analytics".into(),
                    accepted: true,
                    services: vec![("google-analytics".into(), true), ("youtube".into(), false)],
                },
            ],
            method: Method::Custom,
            language: "nl".into(),
            gpc: false,
            given_at: 1_764_000_000_000.0,
            updated_at: 1_764_000_500_000.0,
            expires_at: 1_779_724_800_000.0,
            notice: Some("ab".repeat(32)),
        }
    }

    #[test]
    fn round_trips() {
        let record = sample();
        assert_eq!(Record::from_value(&record.to_value()), Ok(record));
    }

    #[test]
    fn stored_form_is_documented_json() {
        let v = sample().to_value();
        let keys: Vec<_> = v.as_object().unwrap().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "version",
                "id",
                "revision",
                "categories",
                "services",
                "method",
                "language",
                "gpc",
                "givenAt",
                "updatedAt",
                "expiresAt",
                "notice"
            ]
        );
        assert_eq!(v.get("version"), Some(&Value::Number(1.0)));
        assert_eq!(v.get("services"), Some(&parse(r#"{"analytics": {"google-analytics": true, "youtube": false}}"#)));
        assert_eq!(v.get("categories"), Some(&parse(r#"{"functional": true, "analytics": true}"#)));
        assert_eq!(v.get("method"), Some(&Value::from("custom")));
    }

    fn problem(json: &str) -> String {
        Record::from_value(&parse(json)).unwrap_err().to_console_line()
    }

    #[test]
    fn corrupted_records_are_refused_with_a_reason() {
        let good = serde_json::to_string(&sample().to_value()).unwrap().replace(".0,", ",").replace(".0}", "}");
        assert_eq!(problem("null"), "koekje: stored consent: expected an object");
        assert_eq!(problem("{}"), "koekje: stored consent.version: missing");
        assert_eq!(
            problem(&good.replace(r#""version":1"#, r#""version":2"#)),
            "koekje: stored consent.version: unknown version"
        );
        assert_eq!(
            problem(&good.replace(r#""youtube":false"#, r#""youtube":"no""#)),
            "koekje: stored consent.services.analytics.youtube: expected true or false"
        );
        assert_eq!(
            problem(&good.replace(r#""method":"custom""#, r#""method":"maybe""#)),
            "koekje: stored consent.method: unknown method \"maybe\""
        );
        // A GPC record is never stored, so one read from storage is forged.
        assert_eq!(
            problem(&good.replace(r#""method":"custom""#, r#""method":"gpc""#)),
            "koekje: stored consent.method: unknown method \"gpc\""
        );
        assert_eq!(
            problem(&good.replace(r#""expiresAt":1779724800000"#, r#""expiresAt":-1"#)),
            "koekje: stored consent.expiresAt: expected a number"
        );
        assert_eq!(
            problem(&good.replace(r#""services":{"analytics""#, r#""services":{"ads""#)),
            "koekje: stored consent.services.ads: no such category in the record"
        );
    }
}
