//! Consent-log events: what the banner sends to the site's receiver
//! (`koekje-log`) for every choice, change and withdrawal. Each names the
//! visitor's consent ID, what was decided per category and service, how,
//! and the hash of the notice shown. Koekje adds no IP address, user agent
//! or fingerprint of its own.
//!
//! This module is the one definition of the event, for both ends: its
//! fields and their names ([`field`], [`FIELDS`], [`Event`]), its limits
//! (the `MAX_*` constants) and its checks (plain functions over plain data:
//! [`is_uuid_v4`], [`is_id`], [`is_path`], …, in order in [`Event::check`]).
//! The receiver (`log/`) reads an [`Event`] with serde (the `serde`
//! feature) and refuses what [`Event::check`] refuses, naming the field
//! with [`Fault::message`]. The banner builds an event with [`event`]: a
//! [`Value`] for the browser's `JSON` (no serde, and no `Event` on the way,
//! in the shipped wasm), through the same checks, and never one the
//! receiver refuses (`log/`'s property test holds the two together).

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::Config;
use super::problem::push_number;
use super::record::{self, Decision, Record};
use super::value::Value;

/// The event format version.
pub const EVENT_VERSION: u8 = 1;
/// The longest category or service id, in bytes (ids are ASCII).
pub const MAX_ID_LEN: usize = 64;
/// Most categories one event may name (the banner has three by default).
pub const MAX_CATEGORIES: usize = 64;
/// Most services one category may name.
pub const MAX_SERVICES: usize = 64;
/// The shortest language tag.
pub const MIN_LANGUAGE_LEN: usize = 2;
/// The longest language tag.
pub const MAX_LANGUAGE_LEN: usize = 35;
/// The longest page path, in bytes.
pub const MAX_PATH_LEN: usize = 512;
/// The longest build id.
pub const MAX_BUILD_LEN: usize = 64;
/// The largest integer a browser can send exactly (2^53 − 1): the bound of
/// `revision` and `time`.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// The largest event body the receiver takes, in bytes.
pub const MAX_EVENT_BYTES: usize = 8 * 1024;

/// The JSON names of the event's fields.
pub mod field {
    pub const V: &str = "v";
    pub const EVENT_ID: &str = "eventId";
    pub const CONSENT_ID: &str = "consentId";
    pub const KIND: &str = "kind";
    pub const METHOD: &str = "method";
    pub const DECISIONS: &str = "decisions";
    pub const NOTICE: &str = "notice";
    pub const LANGUAGE: &str = "language";
    pub const REVISION: &str = "revision";
    pub const GPC: &str = "gpc";
    pub const TIME: &str = "time";
    pub const PATH: &str = "path";
    pub const BUILD: &str = "build";
    /// Of one category's decision.
    pub const ACCEPTED: &str = "accepted";
    /// Of one category's decision: per service id.
    pub const SERVICES: &str = "services";
}

/// The event's fields in the order they are written (and hashed by the
/// receiver). [`Event`]'s serde names are these, in this order (a test in
/// `log/` fails when they drift).
pub const FIELDS: [&str; 13] = [
    field::V,
    field::EVENT_ID,
    field::CONSENT_ID,
    field::KIND,
    field::METHOD,
    field::DECISIONS,
    field::NOTICE,
    field::LANGUAGE,
    field::REVISION,
    field::GPC,
    field::TIME,
    field::PATH,
    field::BUILD,
];

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize), serde(rename_all = "lowercase"))]
pub enum Kind {
    /// The first choice under this consent ID.
    Choice,
    /// A later choice.
    Change,
    /// Consent withdrawn: `reset()`, here or in another tab.
    Withdrawal,
}

impl Kind {
    /// The name sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Choice => "choice",
            Kind::Change => "change",
            Kind::Withdrawal => "withdrawal",
        }
    }
}

/// How the visitor (or the page) made the choice: the record's method, or
/// `api` and `reset`, which only events name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize), serde(rename_all = "kebab-case"))]
pub enum Method {
    AcceptAll,
    RejectAll,
    Custom,
    Gpc,
    /// The page's code, through the JavaScript API.
    Api,
    /// A withdrawal.
    Reset,
    /// An embed's "always allow" before any other answer: the record
    /// decides that service only, and the banner goes on asking.
    Embed,
}

impl Method {
    /// The name sent: the record's own for the record's methods.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::AcceptAll => record::Method::AcceptAll.as_str(),
            Method::RejectAll => record::Method::RejectAll.as_str(),
            Method::Custom => record::Method::Custom.as_str(),
            Method::Gpc => record::Method::Gpc.as_str(),
            Method::Embed => record::Method::Embed.as_str(),
            Method::Api => "api",
            Method::Reset => "reset",
        }
    }
}

/// One consent event, as the receiver reads it (with serde: the fields in
/// [`FIELDS`] order, no other, each once; `decisions` a JSON object of
/// category id to `{"accepted": …, "services": {id: bool, …}}`, keys
/// unrepeated and kept sorted). The banner writes the same fields with
/// [`event`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize, serde::Serialize),
    serde(deny_unknown_fields, rename_all = "camelCase")
)]
pub struct Event {
    /// [`EVENT_VERSION`].
    pub v: u8,
    /// A fresh random id for this event (the receiver deduplicates by it).
    pub event_id: String,
    /// The record's id, kept across changes.
    pub consent_id: String,
    pub kind: Kind,
    pub method: Method,
    /// One per category, as in a record.
    pub decisions: Decisions,
    /// The SHA-256 (hex) of the notice shown.
    pub notice: String,
    /// The language shown.
    pub language: String,
    /// The config revision.
    pub revision: u64,
    /// Whether the browser sent Global Privacy Control.
    pub gpc: bool,
    /// When, in ms since 1970 (the browser's clock).
    pub time: u64,
    /// The page's path, without query or fragment.
    pub path: String,
    /// The Koekje build.
    pub build: String,
}

/// An event's decisions: a record's, one per category (in JSON an object
/// keyed by category id).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Decisions(pub Vec<Decision>);

/// Why an event is refused: the field at fault ([`Fault::message`] names
/// it and what it must be).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    Version,
    EventId,
    ConsentId,
    Categories,
    CategoryRepeated,
    CategoryId,
    Services,
    ServiceRepeated,
    ServiceId,
    Notice,
    Language,
    Revision,
    Time,
    Path,
    Build,
}

impl Fault {
    /// "`field`: expected …", the receiver's error text.
    pub fn message(self) -> String {
        const UUID: &str = "a lower-case version-4 UUID";
        const LETTERS: &str = " letters, digits, - and _";
        // The field, then what it must be: text, a limit, text.
        let (name, before, limit, after) = match self {
            Fault::Version => (field::V, "1", None, ""),
            Fault::EventId => (field::EVENT_ID, UUID, None, ""),
            Fault::ConsentId => (field::CONSENT_ID, UUID, None, ""),
            Fault::Categories => (field::DECISIONS, "at most ", Some(MAX_CATEGORIES), " categories"),
            Fault::CategoryRepeated => (field::DECISIONS, "each category once", None, ""),
            Fault::CategoryId => (field::DECISIONS, "category ids of 1-", Some(MAX_ID_LEN), LETTERS),
            Fault::Services => (field::SERVICES, "at most ", Some(MAX_SERVICES), " services"),
            Fault::ServiceRepeated => (field::SERVICES, "each service once", None, ""),
            Fault::ServiceId => (field::SERVICES, "service ids of 1-", Some(MAX_ID_LEN), LETTERS),
            Fault::Notice => (field::NOTICE, "64 lower-case hex digits (SHA-256)", None, ""),
            Fault::Language => (field::LANGUAGE, "a language tag such as \"nl\" or \"nl-BE\"", None, ""),
            Fault::Revision => (field::REVISION, "an integer from 0 to 2^53-1", None, ""),
            Fault::Time => (field::TIME, "milliseconds since 1970 below 2^53", None, ""),
            Fault::Path => {
                (field::PATH, "a path starting with /, without ? or #, at most ", Some(MAX_PATH_LEN), " bytes")
            }
            Fault::Build => (field::BUILD, "1-", Some(MAX_BUILD_LEN), " letters, digits, '.', '_' or '-'"),
        };
        let mut out = String::from("`");
        out.push_str(name);
        out.push_str("`: expected ");
        out.push_str(before);
        if let Some(n) = limit {
            push_number(&mut out, n);
        }
        out.push_str(after);
        out
    }
}

impl Event {
    /// Whether the receiver takes this event: every field within the
    /// contract (README, "The HTTP contract"); else the first at fault.
    /// ([`event`] builds none that this refuses.)
    pub fn check(&self) -> Result<(), Fault> {
        if self.v != EVENT_VERSION {
            return Err(Fault::Version);
        }
        if !is_uuid_v4(&self.event_id) {
            return Err(Fault::EventId);
        }
        if !is_uuid_v4(&self.consent_id) {
            return Err(Fault::ConsentId);
        }
        let decisions = &self.decisions.0;
        if decisions.len() > MAX_CATEGORIES {
            return Err(Fault::Categories);
        }
        for (i, d) in decisions.iter().enumerate() {
            if !is_id(&d.category) {
                return Err(Fault::CategoryId);
            }
            if first_category(decisions, &d.category) != i {
                return Err(Fault::CategoryRepeated);
            }
            if d.services.len() > MAX_SERVICES {
                return Err(Fault::Services);
            }
            for (j, (service, _)) in d.services.iter().enumerate() {
                if !is_id(service) {
                    return Err(Fault::ServiceId);
                }
                if first_service(&d.services, service) != j {
                    return Err(Fault::ServiceRepeated);
                }
            }
        }
        if !is_sha256_hex(&self.notice) {
            return Err(Fault::Notice);
        }
        if !is_language(&self.language) {
            return Err(Fault::Language);
        }
        if self.revision > MAX_SAFE_INTEGER {
            return Err(Fault::Revision);
        }
        if self.time > MAX_SAFE_INTEGER {
            return Err(Fault::Time);
        }
        if !is_path(&self.path) {
            return Err(Fault::Path);
        }
        if !is_build(&self.build) {
            return Err(Fault::Build);
        }
        Ok(())
    }
}

/// The index of the first decision on `category` (a later one repeats it).
fn first_category(decisions: &[Decision], category: &str) -> usize {
    let mut i = 0;
    for d in decisions {
        if d.category == category {
            break;
        }
        i += 1;
    }
    i
}

/// The index of the first decision on `service` (a later one repeats it).
fn first_service(services: &[(String, bool)], service: &str) -> usize {
    let mut i = 0;
    for (s, _) in services {
        if s == service {
            break;
        }
        i += 1;
    }
    i
}

/// Whether `s` is `min` to `max` bytes of letters, digits and `extra`.
fn is_word(s: &str, min: usize, max: usize, extra: &[u8]) -> bool {
    if s.len() < min || s.len() > max {
        return false;
    }
    for c in s.bytes() {
        let mut ok = c.is_ascii_alphanumeric();
        for &e in extra {
            ok |= c == e;
        }
        if !ok {
            return false;
        }
    }
    true
}

/// Whether `s` has the `shape`, byte for byte: `h` a lower-case hex digit,
/// `v` one of `89ab` (a UUID's variant), any other byte itself.
fn is_shaped(s: &str, shape: &[u8]) -> bool {
    if s.len() != shape.len() {
        return false;
    }
    for (c, want) in s.bytes().zip(shape) {
        let ok = match want {
            b'h' => c.is_ascii_digit() || c.wrapping_sub(b'a') < 6,
            b'v' => matches!(c, b'8' | b'9' | b'a' | b'b'),
            _ => c == *want,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// A version-4 UUID in lower case: `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`
/// (what `crypto.randomUUID` gives).
pub fn is_uuid_v4(s: &str) -> bool {
    is_shaped(s, b"hhhhhhhh-hhhh-4hhh-vhhh-hhhhhhhhhhhh")
}

/// 64 lower-case hex digits: a SHA-256 in hex.
pub fn is_sha256_hex(s: &str) -> bool {
    is_shaped(s, &[b'h'; 64])
}

/// A category or service id as the receiver takes it: 1 to [`MAX_ID_LEN`]
/// letters (either case), digits, `-` and `_`.
pub fn is_id(s: &str) -> bool {
    is_word(s, 1, MAX_ID_LEN, b"-_")
}

/// A language tag: [`MIN_LANGUAGE_LEN`] to [`MAX_LANGUAGE_LEN`] letters,
/// digits and `-`.
pub fn is_language(s: &str) -> bool {
    is_word(s, MIN_LANGUAGE_LEN, MAX_LANGUAGE_LEN, b"-")
}

/// A build id: 1 to [`MAX_BUILD_LEN`] letters, digits, `.`, `_` and `-`.
pub fn is_build(s: &str) -> bool {
    is_word(s, 1, MAX_BUILD_LEN, b"._-")
}

/// A page path: starts with `/`, at most [`MAX_PATH_LEN`] bytes, no `?`,
/// `#` or control character.
pub fn is_path(s: &str) -> bool {
    s.as_bytes().first() == Some(&b'/') && s.len() <= MAX_PATH_LEN && path_end(s, s.len()) == s.len()
}

/// Where the path in `s` ends: at its first `?`, `#` or control character
/// (`char::is_control`: U+0000–U+001F, U+007F–U+009F; the last are
/// `C2 80`–`C2 9F` in UTF-8), or else at its end, but at most `max` bytes
/// in: at the last char boundary not past `max`.
fn path_end(s: &str, max: usize) -> usize {
    let mut after_c2 = false;
    let mut boundary = 0;
    for (i, c) in s.bytes().enumerate() {
        if c & 0xc0 != 0x80 {
            boundary = i;
        }
        // After a C2 lead byte comes a continuation byte, 80–BF.
        if i >= max || (after_c2 && c <= 0x9f) {
            return boundary;
        }
        if c == b'?' || c == b'#' || c < 0x20 || c == 0x7f {
            return i;
        }
        after_c2 = c == 0xc2;
    }
    s.len()
}

/// The path the banner sends for the page's `path`: cut at its query,
/// fragment or first control character, then to [`MAX_PATH_LEN`] bytes at
/// a char boundary; `/` when what is left does not start with `/` (e.g.
/// `about:blank`). Always [`is_path`]. The path says where the choice was
/// made, not what was chosen: cutting it never costs the event.
pub fn sendable_path(path: &str) -> &str {
    match path.get(..path_end(path, MAX_PATH_LEN)) {
        Some(p) if p.as_bytes().first() == Some(&b'/') => p,
        _ => "/",
    }
}

/// The most bytes an event's JSON text holds besides its strings' own
/// bytes and its decisions: braces, commas, the field names with their
/// quotes and colons; `v`; the quotes of `eventId`, `consentId`, `notice`,
/// `language` and `build`; `kind` and `method` at their longest
/// (`"withdrawal"`, `"accept-all"`); the braces of `decisions`; `revision`
/// and `time` at 16 digits (2^53 has 16); `gpc` as `false`.
const FIXED_TEXT: usize = {
    let mut n = 2 + FIELDS.len() - 1;
    let mut i = 0;
    while i < FIELDS.len() {
        n += FIELDS[i].len() + 3;
        i += 1;
    }
    n + 1 + 5 * 2 + 12 + 12 + 2 + 16 + 16 + 5
};

/// The most bytes one category's decision adds to the text, besides its
/// id's and its services': `"":{"accepted":false,"services":{}},`.
const DECISION_TEXT: usize = field::ACCEPTED.len() + field::SERVICES.len() + 20;

/// The most bytes one service's decision adds besides its id: `"":false,`.
const SERVICE_TEXT: usize = 9;

/// `s` as a JSON string: quotes, and escapes for `"`, `\` and control
/// characters (`\u00XX` at most).
fn quoted_len(s: &str) -> usize {
    let mut n = s.len() + 2;
    for b in s.bytes() {
        if b == b'"' || b == b'\\' {
            n += 1;
        } else if b < 0x20 {
            n += 5;
        }
    }
    n
}

/// Where and by what the event was made, besides the record.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// A fresh random id for this event (the receiver deduplicates by it).
    pub event_id: &'a str,
    /// Whether the page's code made the choice through the JavaScript API
    /// (`acceptAll()`, `accept([...])`) rather than the visitor's click.
    pub api: bool,
    /// The page's path (`location.pathname`); see [`sendable_path`].
    pub path: &'a str,
    /// The Koekje build.
    pub build: &'a str,
    /// Now, in ms since 1970.
    pub now: f64,
}

/// The event for `record` (for a withdrawal: the record that counted
/// before, whose every optional category is now refused), as the banner
/// sends it: [`FIELDS`] in order, decisions in the record's order, each
/// with its `services`. `None` when there is nothing to log: a record
/// without a consent ID (Global Privacy Control, which is no choice) or
/// without a notice hash; and `None` rather than an event the receiver
/// would refuse ([`Event::check`], [`MAX_EVENT_BYTES`]): an event is the proof of
/// one choice, sent exactly or not at all. An id is never cut (a cut id
/// names another category or service) and no decision is left out; only
/// the path is cut to fit ([`sendable_path`]).
pub fn event(config: &Config, record: &Record, kind: Kind, ctx: Context) -> Option<Value> {
    let notice = record.notice.as_deref()?;
    let path = sendable_path(ctx.path);
    // Whole milliseconds; saturating: a clock before 1970 says 0, and one
    // past 2^53 is refused.
    let time = ctx.now as u64;
    // The checks of `Event::check`, in its order (`v` and `revision` hold
    // by type, the path by `sendable_path`), and the most bytes the text
    // can take (`quoted_len` counts the path's escapes; every other string
    // is checked to need none).
    if !is_uuid_v4(ctx.event_id)
        || !is_uuid_v4(&record.id)
        || record.decisions.len() > MAX_CATEGORIES
        || !is_sha256_hex(notice)
        || !is_language(&record.language)
        || time > MAX_SAFE_INTEGER
        || !is_build(ctx.build)
    {
        return None;
    }
    let mut len = FIXED_TEXT + 36 + 36 + 64 + record.language.len() + quoted_len(path) + ctx.build.len();
    let mut decisions = Vec::new();
    for d in &record.decisions {
        if !is_id(&d.category) || !core::ptr::eq(record.decision(&d.category)?, d) || d.services.len() > MAX_SERVICES {
            return None;
        }
        len += d.category.len() + DECISION_TEXT;
        let required = config.category(&d.category).is_some_and(|c| c.required);
        let keep = |accepted: bool| accepted && (kind != Kind::Withdrawal || required);
        let mut services = Vec::new();
        for (j, (s, a)) in d.services.iter().enumerate() {
            if !is_id(s) || d.services.iter().position(|(x, _)| x == s) != Some(j) {
                return None;
            }
            len += s.len() + SERVICE_TEXT;
            services.push((s.clone(), Value::Bool(keep(*a))));
        }
        decisions.push((
            d.category.clone(),
            Value::object([
                (field::ACCEPTED, Value::Bool(keep(d.accepted))),
                (field::SERVICES, Value::Object(services)),
            ]),
        ));
    }
    if len > MAX_EVENT_BYTES {
        return None;
    }
    let method = match (kind, ctx.api) {
        (Kind::Withdrawal, _) => Method::Reset.as_str(),
        (_, true) => Method::Api.as_str(),
        _ => record.method.as_str(),
    };
    Some(Value::object([
        (field::V, Value::Number(EVENT_VERSION as f64)),
        (field::EVENT_ID, Value::from(ctx.event_id)),
        (field::CONSENT_ID, Value::from(record.id.as_str())),
        (field::KIND, Value::from(kind.as_str())),
        (field::METHOD, Value::from(method)),
        (field::DECISIONS, Value::Object(decisions)),
        (field::NOTICE, Value::from(notice)),
        (field::LANGUAGE, Value::from(record.language.as_str())),
        (field::REVISION, Value::Number(record.revision as f64)),
        (field::GPC, Value::Bool(record.gpc)),
        (field::TIME, Value::Number(time as f64)),
        (field::PATH, Value::from(path)),
        (field::BUILD, Value::from(ctx.build)),
    ]))
}

/// serde for the receiver (feature `serde`): [`Decisions`] as a JSON object
/// whose keys may not repeat (a repeated key is refused instead of the last
/// one silently winning), at most 64 of them, read into key order and
/// written in key order (the canonical text the receiver hashes).
#[cfg(feature = "serde")]
mod serde_support {
    use super::{field, Decision, Decisions, MAX_CATEGORIES, MAX_SERVICES};
    #[allow(unused_imports)]
    use crate::prelude::*;
    use ::core::fmt;
    use ::core::marker::PhantomData;
    use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

    /// One category's decision as JSON: `{"accepted": …, "services": {…}}`.
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        accepted: bool,
        #[serde(default)]
        services: Sorted<bool>,
    }

    /// A JSON object's pairs, in key order, each key once.
    struct Sorted<V>(Vec<(String, V)>);

    impl<V> Default for Sorted<V> {
        fn default() -> Self {
            Sorted(Vec::new())
        }
    }

    impl<'de, V: Deserialize<'de>> Deserialize<'de> for Sorted<V> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(SortedVisitor(PhantomData))
        }
    }

    struct SortedVisitor<V>(PhantomData<V>);

    impl<'de, V: Deserialize<'de>> Visitor<'de> for SortedVisitor<V> {
        type Value = Sorted<V>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let most = MAX_CATEGORIES.max(MAX_SERVICES);
            let mut out: Vec<(String, V)> = Vec::new();
            while let Some(k) = m.next_key::<String>()? {
                if out.len() >= most {
                    let mut msg = String::from("too many keys (at most ");
                    super::push_number(&mut msg, most);
                    msg.push(')');
                    return Err(A::Error::custom(msg));
                }
                let v = m.next_value()?;
                match out.binary_search_by(|(other, _)| other.as_str().cmp(&k)) {
                    Ok(_) => {
                        let mut msg = String::from("duplicate key `");
                        msg.push_str(&k);
                        msg.push('`');
                        return Err(A::Error::custom(msg));
                    }
                    Err(at) => out.insert(at, (k, v)),
                }
            }
            Ok(Sorted(out))
        }
    }

    impl<'de> Deserialize<'de> for Decisions {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let Sorted(pairs) = Sorted::<Body>::deserialize(d)?;
            let mut out = Vec::with_capacity(pairs.len());
            for (category, body) in pairs {
                out.push(Decision { category, accepted: body.accepted, services: body.services.0 });
            }
            Ok(Decisions(out))
        }
    }

    /// Pairs written as a JSON object in key order.
    struct InOrder<'a, V>(&'a [(String, V)]);

    impl<V: Serialize> Serialize for InOrder<'_, V> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut pairs: Vec<&(String, V)> = self.0.iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            let mut map = s.serialize_map(Some(pairs.len()))?;
            for (k, v) in pairs {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }

    /// A decision's JSON body; an empty `services` is left out.
    struct BodyOut<'a>(&'a Decision);

    impl Serialize for BodyOut<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let d = self.0;
            let mut st = s.serialize_struct("Decision", 2)?;
            st.serialize_field(field::ACCEPTED, &d.accepted)?;
            if d.services.is_empty() {
                st.skip_field(field::SERVICES)?;
            } else {
                st.serialize_field(field::SERVICES, &InOrder(&d.services))?;
            }
            st.end()
        }
    }

    impl Serialize for Decisions {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut pairs: Vec<(String, BodyOut)> = Vec::with_capacity(self.0.len());
            for d in &self.0 {
                pairs.push((d.category.clone(), BodyOut(d)));
            }
            InOrder(&pairs).serialize(s)
        }
    }
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
        let ctx = RecordContext {
            previous: None,
            new_id: "c0ffee00-0000-4000-8000-000000000000".into(),
            now: 5.0,
            language: "nl",
            gpc: false,
        };
        let mut record = make_record(&config, &Choice::AcceptAll, ctx);
        record.notice = Some("ab".repeat(32));
        (config, record)
    }

    const EVENT_ID: &str = "0b7e5c1e-9f0e-4c1a-9d1e-2f3a4b5c6d7e";

    fn ctx(api: bool) -> Context<'static> {
        Context { event_id: EVENT_ID, api, path: "/zonnepanelen?utm=x#top", build: "b1", now: 9.0 }
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
        assert_eq!(e.get("v"), Some(&Value::Number(1.0)));
        let analytics = e.get("decisions").unwrap().get("analytics").unwrap();
        assert_eq!(analytics.get("accepted"), Some(&Value::Bool(true)));
        assert_eq!(analytics.get("services").unwrap().get("google-analytics"), Some(&Value::Bool(true)));
        let keys: Vec<&str> = e.as_object().unwrap().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "v",
                "eventId",
                "consentId",
                "kind",
                "method",
                "decisions",
                "notice",
                "language",
                "revision",
                "gpc",
                "time",
                "path",
                "build"
            ]
        );
        assert_eq!(keys, FIELDS);
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
        assert_eq!(
            d.get("analytics").unwrap().get("services").unwrap().get("google-analytics"),
            Some(&Value::Bool(false))
        );
    }

    #[test]
    fn nothing_is_logged_without_a_consent_id_or_a_notice() {
        let (config, mut record) = setup();
        assert!(event(&config, &gpc_record(&config, 1.0, "nl"), Kind::Choice, ctx(false)).is_none());
        record.notice = None;
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_none());
    }

    #[test]
    fn an_id_over_the_limit_is_never_cut_and_the_event_not_built() {
        let (config, mut record) = setup();
        let long = "a".repeat(MAX_ID_LEN + 1);
        record.decisions[1].category = long.clone();
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_none());
        record.decisions[1].category = "a".repeat(MAX_ID_LEN);
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_some());
        record.decisions[1].services[0].0 = long;
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_none());
        // And the other limits: a repeated category, too many, an event id the receiver refuses.
        let (config, mut record) = setup();
        record.decisions.push(record.decisions[0].clone());
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_none());
        let (config, record) = setup();
        assert!(event(&config, &record, Kind::Choice, Context { event_id: "E1", ..ctx(false) }).is_none());
        assert!(event(&config, &record, Kind::Choice, Context { build: "", ..ctx(false) }).is_none());
        assert!(event(&config, &record, Kind::Choice, Context { now: 1e16, ..ctx(false) }).is_none());
    }

    #[test]
    fn an_event_over_the_body_limit_is_not_built() {
        let (config, mut record) = setup();
        let services: Vec<(String, bool)> = (0..60).map(|i| (format!("{i:0>60}"), true)).collect();
        record.decisions[1].services = services.clone();
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_some(), "60 long services fit");
        record.decisions[0].services = services;
        assert!(event(&config, &record, Kind::Choice, ctx(false)).is_none(), "120 of them do not");
    }

    #[test]
    fn the_path_is_cut_to_fit_at_a_char_boundary() {
        assert_eq!(sendable_path("/a?b#c"), "/a");
        assert_eq!(sendable_path("/a#b?c"), "/a");
        assert_eq!(sendable_path("/a\u{0}b"), "/a");
        assert_eq!(sendable_path("/a\u{85}b"), "/a");
        assert_eq!(sendable_path("/a\u{a0}b"), "/a\u{a0}b");
        assert_eq!(sendable_path("blank"), "/");
        assert_eq!(sendable_path(""), "/");
        assert_eq!(sendable_path("?q"), "/");
        let long = format!("/{}", "é".repeat(400));
        let cut = sendable_path(&long);
        assert_eq!(cut.len(), MAX_PATH_LEN - 1, "511: the 512th byte is inside an é");
        assert!(long.starts_with(cut) && is_path(cut));
        let exact = format!("/{}", "x".repeat(MAX_PATH_LEN - 1));
        assert_eq!(sendable_path(&exact), exact);
    }

    #[test]
    fn path_control_characters_are_char_is_control() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            let p = format!("/{c}x");
            let refused = c == '?' || c == '#' || c.is_control();
            assert_eq!(is_path(&p), !refused, "{c:?}");
            assert_eq!(sendable_path(&p), if refused { "/" } else { p.as_str() }, "{c:?}");
        }
    }

    #[test]
    fn faults_name_their_field_and_the_limits() {
        assert_eq!(Fault::Path.message(), "`path`: expected a path starting with /, without ? or #, at most 512 bytes");
        assert_eq!(Fault::CategoryId.message(), "`decisions`: expected category ids of 1-64 letters, digits, - and _");
        assert_eq!(Fault::Services.message(), "`services`: expected at most 64 services");
        assert_eq!(Fault::Build.message(), "`build`: expected 1-64 letters, digits, '.', '_' or '-'");
    }
}
