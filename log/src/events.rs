//! The consent event: its strict schema (what `POST {base}/events` accepts)
//! and its canonical JSON text (what the chain hashes and dedupe compares).
//!
//! Canonical JSON: the fields in the order of [`Event`], no whitespace,
//! map keys (category and service ids) sorted bytewise, an empty or absent
//! `services` left out, strings escaped as `serde_json` does.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Most categories one event may name (the banner has three by default).
pub const MAX_CATEGORIES: usize = 64;
/// Most services one category may name.
pub const MAX_SERVICES: usize = 64;
/// The largest integer a browser can send exactly (2^53 − 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// One consent event as the banner sends it, after validation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Event {
    pub v: u8,
    pub event_id: String,
    pub consent_id: String,
    pub kind: Kind,
    pub method: Method,
    pub decisions: UniqueMap<Decision>,
    pub notice: String,
    pub language: String,
    pub revision: u64,
    pub gpc: bool,
    pub time: u64,
    pub path: String,
    pub build: String,
}

/// What kind of choice the event records.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Choice,
    Change,
    Withdrawal,
}

/// How the visitor (or the page) made the choice.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    AcceptAll,
    RejectAll,
    Custom,
    Gpc,
    Api,
    Reset,
    /// An embed's "always allow" before any other answer: the record
    /// decides that service only, and the banner goes on asking.
    Embed,
}

/// The decision for one category, and optionally for its services.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub accepted: bool,
    #[serde(default, skip_serializing_if = "UniqueMap::is_empty")]
    pub services: UniqueMap<bool>,
}

/// A JSON object whose keys are sorted and may not repeat: a repeated key is
/// refused instead of the last one silently winning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct UniqueMap<V>(pub BTreeMap<String, V>);

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        UniqueMap(BTreeMap::new())
    }
}

impl<V> UniqueMap<V> {
    /// True when the object has no key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V_<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(k) = m.next_key::<String>()? {
                    if out.len() >= MAX_CATEGORIES.max(MAX_SERVICES) {
                        return Err(serde::de::Error::custom("too many keys (at most 64)"));
                    }
                    let v = m.next_value()?;
                    if out.insert(k.clone(), v).is_some() {
                        return Err(serde::de::Error::custom(format!("duplicate key `{k}`")));
                    }
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_map(V_(std::marker::PhantomData))
    }
}

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
    event.validate()?;
    Ok(event)
}

fn bad(field: &str, what: &str) -> SchemaError {
    SchemaError(format!("`{field}`: expected {what}"))
}

/// A version-4 UUID in lower case: `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`.
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// 64 lower-case hex digits: a SHA-256 in hex.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// A category or service id as the banner's config allows it: 1–64 of
/// letters (either case), digits, `-` and `_`.
pub fn is_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

impl Event {
    fn validate(&self) -> Result<(), SchemaError> {
        if self.v != 1 {
            return Err(bad("v", "1"));
        }
        if !is_uuid_v4(&self.event_id) {
            return Err(bad("eventId", "a lower-case version-4 UUID"));
        }
        if !is_uuid_v4(&self.consent_id) {
            return Err(bad("consentId", "a lower-case version-4 UUID"));
        }
        if self.decisions.0.len() > MAX_CATEGORIES {
            return Err(bad("decisions", "at most 64 categories"));
        }
        for (cat, d) in &self.decisions.0 {
            if !is_id(cat) {
                return Err(bad(
                    "decisions",
                    "category ids of 1-64 letters, digits, - and _",
                ));
            }
            if d.services.0.len() > MAX_SERVICES {
                return Err(bad("services", "at most 64 services"));
            }
            if !d.services.0.keys().all(|s| is_id(s)) {
                return Err(bad(
                    "services",
                    "service ids of 1-64 letters, digits, - and _",
                ));
            }
        }
        if !is_sha256_hex(&self.notice) {
            return Err(bad("notice", "64 lower-case hex digits (SHA-256)"));
        }
        let lang_ok = (2..=35).contains(&self.language.len())
            && self
                .language
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-');
        if !lang_ok {
            return Err(bad(
                "language",
                "a language tag such as \"nl\" or \"nl-BE\"",
            ));
        }
        if self.revision > MAX_SAFE_INTEGER {
            return Err(bad("revision", "an integer from 0 to 2^53-1"));
        }
        if self.time > MAX_SAFE_INTEGER {
            return Err(bad("time", "milliseconds since 1970 below 2^53"));
        }
        let path_ok = self.path.starts_with('/')
            && self.path.len() <= 512
            && !self
                .path
                .chars()
                .any(|c| c == '?' || c == '#' || c.is_control());
        if !path_ok {
            return Err(bad(
                "path",
                "a path starting with /, without ? or #, at most 512 bytes",
            ));
        }
        let build_ok = (1..=64).contains(&self.build.len())
            && self
                .build
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"._-".contains(&c));
        if !build_ok {
            return Err(bad("build", "1-64 letters, digits, '.', '_' or '-'"));
        }
        Ok(())
    }

    /// The canonical JSON text (see the module doc): what is stored and hashed.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).expect("an event always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"{"v":1,"eventId":"0b7e5c1e-9f0e-4c1a-9d1e-2f3a4b5c6d7e","consentId":"1b7e5c1e-9f0e-4c1a-8d1e-2f3a4b5c6d7e","kind":"choice","method":"custom","decisions":{"analytics":{"accepted":false,"services":{}},"functional":{"accepted":true,"services":{"youtube":true}}},"notice":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","language":"nl","revision":0,"gpc":false,"time":1764600000000,"path":"/","build":"0123abcd"}"#;

    #[test]
    fn canonical_sorts_keys_and_drops_empty_services() {
        let e = parse(OK.as_bytes()).unwrap();
        let c = e.canonical();
        assert!(
            c.contains(r#""decisions":{"analytics":{"accepted":false},"functional""#),
            "{c}"
        );
        assert_eq!(parse(c.as_bytes()).unwrap(), e);
    }

    #[test]
    fn refuses_unknown_fields_and_duplicates() {
        let e = parse(OK.replace("\"gpc\"", "\"extra\":1,\"gpc\"").as_bytes()).unwrap_err();
        assert!(e.0.contains("extra"), "{e}");
        let dup = OK.replace("\"functional\"", "\"analytics\"");
        assert!(parse(dup.as_bytes())
            .unwrap_err()
            .0
            .contains("duplicate key"));
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
    }
}
