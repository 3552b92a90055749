//! The consent record in a cookie (`"store": "cookie"` or `"both"`): a
//! compact text that is safe in a cookie and easy for the site's server to
//! read, and its strict reader.
//!
//! Fields joined by `.`, in this order, then one field per category:
//! ```text
//! 1.<revision>.<method>.<gpc>.<givenAt>.<updatedAt>.<expiresAt>.<language>.<id>.<notice>.<category>…
//! category: <id>:<0|1>[:<service>:<0|1>]…
//! ```
//! `1` is the record version; `method` is `accept-all`, `reject-all`,
//! `custom` or `embed`; `gpc` and each decision are `1` or `0`; times are
//! whole milliseconds since 1970; `notice` is 64 hex digits or empty. Every
//! field is letters, digits, `-` and `_` only, so the text needs no quoting
//! or escaping in any cookie parser (no `;`, `,`, space, quote, `%` or `+`).
//! The reader accepts exactly what the writer writes: anything else (another
//! version, a truncated or oversized text, a forged field) is no record.

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::Config;
use super::consent::counts_until;
use super::problem::push_u64;
use super::record::{Decision, Method, Record, RECORD_VERSION};

/// The longest value read or written: a browser keeps at most 4096 bytes
/// of a cookie's name and value together.
pub const MAX_LEN: usize = 4000;

/// The largest whole number a JavaScript number holds exactly (2^53).
const MAX_TIME: u64 = 1 << 53;

/// Whether `s` is a non-empty run of letters, digits, `-` and `_` (ids,
/// cookie names, and every text field of the cookie).
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The record as a cookie value, or `None` when it cannot be written
/// exactly (a Global Privacy Control record, which is never stored; a time
/// that is not a whole number; a field with other characters; longer than
/// [`MAX_LEN`]).
pub fn encode(record: &Record) -> Option<String> {
    let notice = record.notice.as_deref().unwrap_or_default();
    if record.method == Method::Gpc
        || !is_token(&record.language)
        || !is_token(&record.id)
        || !(notice.is_empty() || is_hash(notice))
    {
        return None;
    }
    let mut out = String::with_capacity(256);
    push_u64(&mut out, RECORD_VERSION as u64);
    out.push_str(".");
    push_u64(&mut out, record.revision as u64);
    out.push_str(".");
    out.push_str(record.method.as_str());
    out.push_str(if record.gpc { ".1" } else { ".0" });
    for time in [record.given_at, record.updated_at, record.expires_at] {
        // Saturating casts: only a whole number in range survives the trip.
        let whole = time as u64;
        if whole as f64 != time || whole > MAX_TIME {
            return None;
        }
        out.push_str(".");
        push_u64(&mut out, whole);
    }
    out.push_str(".");
    out.push_str(&record.language);
    out.push_str(".");
    out.push_str(&record.id);
    out.push_str(".");
    out.push_str(notice);
    for d in &record.decisions {
        out.push_str(".");
        push_decision(&mut out, &d.category, d.accepted)?;
        for (service, accepted) in &d.services {
            out.push_str(":");
            push_decision(&mut out, service, *accepted)?;
        }
    }
    (out.len() <= MAX_LEN).then_some(out)
}

fn push_decision(out: &mut String, id: &str, accepted: bool) -> Option<()> {
    if !is_token(id) {
        return None;
    }
    out.push_str(id);
    out.push_str(if accepted { ":1" } else { ":0" });
    Some(())
}

/// Reads a cookie value written by [`encode`]; anything else is `None`.
/// The fields are read loosely, then the record must write back to exactly
/// the same text: one way to write each record, so no other spelling (a
/// sign, a leading zero, another version, a forged method or character)
/// gets through. A record read here still has to count
/// ([`super::consent::check_record`]).
pub fn decode(text: &str) -> Option<Record> {
    if text.len() > MAX_LEN {
        return None;
    }
    let parts = split(text, b'.');
    let [_, revision, method, gpc, given, updated, expires, language, id, notice, categories @ ..] = parts.as_slice()
    else {
        return None;
    };
    let mut decisions: Vec<Decision> = Vec::new();
    for part in categories {
        let fields = split(part, b':');
        let (Some(category), Some(accepted)) = (fields.first(), fields.get(1)) else { return None };
        let mut decision =
            Decision { category: (*category).to_owned(), accepted: *accepted == "1", services: Vec::new() };
        let mut i = 2;
        while let (Some(service), Some(accepted)) = (fields.get(i), fields.get(i + 1)) {
            if decision.service(service).is_some() {
                return None;
            }
            decision.services.push(((*service).to_owned(), *accepted == "1"));
            i += 2;
        }
        if decisions.iter().any(|d| d.category == decision.category) {
            return None;
        }
        decisions.push(decision);
    }
    let record = Record {
        id: (*id).to_owned(),
        revision: number(revision) as u32,
        decisions,
        method: Method::parse(method)?,
        language: (*language).to_owned(),
        gpc: *gpc == "1",
        given_at: number(given) as f64,
        updated_at: number(updated) as f64,
        expires_at: number(expires) as f64,
        notice: (!notice.is_empty()).then(|| (*notice).to_owned()),
    };
    (encode(&record)? == text).then_some(record)
}

/// The digits of `s` as a number, loosely (anything else gives some
/// number; [`decode`] then finds that it does not write back the same).
fn number(s: &str) -> u64 {
    let mut n: u64 = 0;
    for b in s.bytes() {
        n = n.wrapping_mul(10).wrapping_add(b.wrapping_sub(b'0') as u64);
    }
    n
}

/// 64 lowercase hex digits (a SHA-256).
fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `s` cut at every `sep` (byte loops: no `str` patterns in the wasm).
fn split(s: &str, sep: u8) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    // One past the end closes the last piece.
    for i in 0..=s.len() {
        if s.as_bytes().get(i).is_none_or(|b| *b == sep) {
            out.push(s.get(start..i).unwrap_or_default());
            start = i + 1;
        }
    }
    out
}

/// Seconds from `now` until `record` stops counting under `config`
/// ([`counts_until`]): the cookie's `max-age`, so that it lasts as long as
/// the choice does (0 when it no longer counts).
pub fn max_age(config: &Config, record: &Record, now: f64) -> u64 {
    // A saturating cast: a negative or NaN span is 0.
    ((counts_until(config, record) - now) / 1000.0) as u64
}

/// The `document.cookie` line that sets the consent cookie: for the whole
/// site (`path=/`), sent on top-level navigations from other sites
/// (`samesite=lax`), for `max_age` seconds (0 deletes it), for `domain`
/// and its subdomains when given (else this host only), and `secure` on
/// https pages.
pub fn cookie_line(name: &str, value: &str, max_age: u64, domain: Option<&str>, secure: bool) -> String {
    let mut line = String::with_capacity(name.len() + value.len() + 64);
    line.push_str(name);
    line.push_str("=");
    line.push_str(value);
    line.push_str("; path=/; max-age=");
    push_u64(&mut line, max_age);
    line.push_str("; samesite=lax");
    if let Some(domain) = domain {
        line.push_str("; domain=");
        line.push_str(domain);
    }
    if secure {
        line.push_str("; secure");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::{check_record, is_accepted};
    use crate::core::value::parse;

    const NOTICE: &str = "4f1c0e2d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e";

    /// The README's example: the demo's categories, Google Analytics on and YouTube off.
    fn sample() -> Record {
        let mut r = crate::core::record::tests::sample();
        r.revision = 1;
        r.decisions.insert(0, Decision { category: "identification".into(), accepted: true, services: vec![] });
        r.given_at = 1_795_000_000_000.0;
        r.updated_at = r.given_at;
        r.expires_at = 1_810_724_800_000.0;
        r.id = "0b6f3c8e-6a55-4f7e-9d61-2f1c0a3e7b9d".into();
        r.notice = Some(NOTICE.into());
        r
    }

    /// The demo's categories: analytics with Google Analytics and YouTube.
    fn config() -> Config {
        crate::core::validate::config_from_value(&parse(
            r#"{"categories": [{"id": "identification", "required": true}, {"id": "functional", "required": true},
                {"id": "analytics", "services": [{"id": "google-analytics"}, {"id": "youtube"}]}]}"#,
        ))
        .0
    }

    const SAMPLE: &str = "1.1.custom.0.1795000000000.1795000000000.1810724800000.nl.0b6f3c8e-6a55-4f7e-9d61-2f1c0a3e7b9d.4f1c0e2d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e.identification:1.functional:1.analytics:1:google-analytics:1:youtube:0";

    #[test]
    fn the_documented_form_round_trips() {
        let text = encode(&sample()).unwrap();
        assert_eq!(text, SAMPLE);
        assert_eq!(text.len(), 230);
        assert_eq!(decode(&text), Some(sample()));
        // The README shows this very value to servers.
        assert!(include_str!("../../README.md").contains(SAMPLE));
    }

    #[test]
    fn without_a_notice_or_decisions() {
        let mut r = sample();
        r.notice = None;
        r.decisions.clear();
        r.gpc = true;
        let text = encode(&r).unwrap();
        assert!(text.ends_with("7b9d."), "{text}");
        assert_eq!(decode(&text), Some(r));
    }

    /// A small deterministic generator (xorshift): no dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn token(&mut self) -> String {
            const CHARS: &[u8] = b"abcXYZ019-_";
            let len = 1 + self.below(12) as usize;
            (0..len).map(|_| CHARS[self.below(CHARS.len() as u64) as usize] as char).collect()
        }
        fn time(&mut self) -> f64 {
            [0, 1, MAX_TIME, self.below(MAX_TIME)][self.below(4) as usize] as f64
        }
    }

    fn random_record(rng: &mut Rng) -> Record {
        let mut decisions: Vec<Decision> = Vec::new();
        for _ in 0..rng.below(6) {
            let mut d = Decision { category: rng.token(), accepted: rng.below(2) == 1, services: vec![] };
            for _ in 0..rng.below(4) {
                let s = rng.token();
                if d.service(&s).is_none() {
                    d.services.push((s, rng.below(2) == 1));
                }
            }
            if decisions.iter().all(|x| x.category != d.category) {
                decisions.push(d);
            }
        }
        Record {
            id: rng.token(),
            revision: [0, 1, u32::MAX, rng.next() as u32][rng.below(4) as usize],
            decisions,
            method: [Method::AcceptAll, Method::RejectAll, Method::Custom, Method::Embed][rng.below(4) as usize],
            language: rng.token(),
            gpc: rng.below(2) == 1,
            given_at: rng.time(),
            updated_at: rng.time(),
            expires_at: rng.time(),
            notice: (rng.below(2) == 1)
                .then(|| (0..64).map(|_| b"0123456789abcdef"[rng.below(16) as usize] as char).collect()),
        }
    }

    #[test]
    fn any_record_round_trips_and_is_cookie_safe() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5000 {
            let record = random_record(&mut rng);
            let text = encode(&record).unwrap();
            assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)), "{text}");
            assert_eq!(decode(&text).as_ref(), Some(&record), "{text}");
            // And the text is the one way to write it.
            assert_eq!(encode(&decode(&text).unwrap()).as_deref(), Some(text.as_str()));
        }
    }

    #[test]
    fn what_cannot_be_written_exactly_is_not_written() {
        let with = |f: &dyn Fn(&mut Record)| {
            let mut r = sample();
            f(&mut r);
            encode(&r)
        };
        assert_eq!(with(&|r| r.method = Method::Gpc), None);
        assert_eq!(with(&|r| r.expires_at = f64::INFINITY), None);
        assert_eq!(with(&|r| r.given_at = 1.5), None);
        assert_eq!(with(&|r| r.given_at = -1.0), None);
        assert_eq!(with(&|r| r.given_at = f64::NAN), None);
        assert_eq!(with(&|r| r.updated_at = (MAX_TIME + 2) as f64), None);
        assert_eq!(with(&|r| r.id = "a b".into()), None);
        assert_eq!(with(&|r| r.id = String::new()), None);
        assert_eq!(with(&|r| r.language = "nl;".into()), None);
        assert_eq!(with(&|r| r.decisions[0].category = "a.b".into()), None);
        assert_eq!(with(&|r| r.decisions[2].services[0].0 = "x:1".into()), None);
        assert_eq!(with(&|r| r.notice = Some("ABC".into())), None);
        assert_eq!(with(&|r| r.notice = Some(NOTICE.to_uppercase())), None);
        // Too long for a cookie.
        let many = |r: &mut Record| {
            for i in 0..700 {
                r.decisions.push(Decision {
                    category: ["c", &i.to_string()].concat(),
                    accepted: false,
                    services: vec![],
                });
            }
        };
        assert_eq!(with(&many), None);
    }

    #[test]
    fn forged_and_broken_values_are_no_record() {
        let swap = |from: &str, to: &str| {
            assert!(SAMPLE.contains(from), "{from}");
            SAMPLE.replacen(from, to, 1)
        };
        let bad = [
            String::new(),
            "1".into(),
            "koekje".into(),
            // The localStorage form is not the cookie's.
            r#"{"version":1,"method":"accept-all"}"#.into(),
            swap("1.1.custom", "2.1.custom"),
            swap("1.1.custom", "01.1.custom"),
            swap("1.1.custom", "+1.1.custom"),
            swap("1.1.custom", "1.4294967296.custom"),
            swap("1.1.custom", "1.-1.custom"),
            swap("custom", "gpc"),
            swap("custom", "Custom"),
            swap("custom.0", "custom.2"),
            swap("custom.0", "custom.true"),
            swap("1795000000000.1795000000000", "1795000000000.9007199254740993"),
            swap("1795000000000.1795000000000", "1795000000000.1e12"),
            swap("1795000000000.1795000000000", "1795000000000. 1795000000000"),
            swap(".nl.", ".n\"l."),
            swap(".nl.", ".."),
            swap("0b6f3c8e", "0b6f;3c8e"),
            swap("0b6f3c8e", "0b6f,3c8e"),
            swap("4f1c0e2d", "4F1C0E2D"),
            swap("4f1c0e2d", "4f1c0e2"),
            swap("identification:1", "identification:yes"),
            swap("identification:1", "identification"),
            swap("identification:1", "identification:1:"),
            swap("identification:1", "identification:1:x"),
            swap("functional:1", "identification:1"),
            swap(":youtube:0", ":google-analytics:0"),
            swap(".functional:1", ".functional:1."),
            swap(".functional:1", ".functional:1.."),
            swap(":youtube:0", ":you%20tube:0"),
            ["x", SAMPLE].concat(),
            [SAMPLE, "\n"].concat(),
        ];
        for text in &bad {
            assert_eq!(decode(text), None, "{text}");
        }
        // Oversized, however well formed.
        let mut long = String::from(SAMPLE);
        while long.len() <= MAX_LEN {
            long.push_str(".c");
            long.push_str(&long.len().to_string());
            long.push_str(":0");
        }
        assert_eq!(decode(&long), None);
    }

    #[test]
    fn a_cut_value_never_grants_more_than_the_whole() {
        let config = config();
        let now = 1_795_000_100_000.0;
        let mut reject = sample();
        reject.method = Method::RejectAll;
        reject.decisions[2].accepted = false;
        reject.decisions[2].services = vec![("google-analytics".into(), false), ("youtube".into(), false)];
        for record in [sample(), reject] {
            let whole = encode(&record).unwrap();
            assert_eq!(check_record(&config, &record, now), Ok(()));
            for end in 0..whole.len() {
                let Some(cut) = decode(&whole[..end]) else { continue };
                if check_record(&config, &cut, now).is_err() {
                    continue;
                }
                for (category, service) in
                    [("analytics", None), ("analytics", Some("google-analytics")), ("analytics", Some("youtube"))]
                {
                    assert!(
                        !is_accepted(&config, Some(&cut), category, service)
                            || is_accepted(&config, Some(&record), category, service),
                        "{}",
                        &whole[..end]
                    );
                }
            }
        }
    }

    #[test]
    fn the_cookie_line_has_the_attributes() {
        assert_eq!(
            cookie_line("koekje", "1.x", 15_724_800, None, false),
            "koekje=1.x; path=/; max-age=15724800; samesite=lax"
        );
        assert_eq!(
            cookie_line("koekje", "1.x", 60, Some("example.be"), true),
            "koekje=1.x; path=/; max-age=60; samesite=lax; domain=example.be; secure"
        );
        assert_eq!(cookie_line("koekje", "", 0, None, true), "koekje=; path=/; max-age=0; samesite=lax; secure");
    }

    #[test]
    fn the_cookie_lasts_as_long_as_the_choice_counts() {
        let mut config = config();
        let r = sample();
        // Saved now: the config's 182 days.
        assert_eq!(max_age(&config, &r, r.updated_at), 182 * 86_400);
        // Read a day later: a day less.
        assert_eq!(max_age(&config, &r, r.updated_at + 86_400_000.0), 181 * 86_400);
        // A shorter expiry today bounds it; an expired record gets 0.
        config.expiry_days = 30;
        assert_eq!(max_age(&config, &r, r.updated_at), 30 * 86_400);
        assert_eq!(max_age(&config, &r, r.updated_at + 31.0 * 86_400_000.0), 0);
        let mut early = sample();
        early.expires_at = early.updated_at + 10_000.0;
        assert_eq!(max_age(&config, &early, early.updated_at), 10);
    }

    #[test]
    fn tokens() {
        for ok in ["koekje", "__Host-koekje", "a_b-9"] {
            assert!(is_token(ok), "{ok}");
        }
        for bad in ["", "a b", "a.b", "é", "a;b", "a=b"] {
            assert!(!is_token(bad), "{bad}");
        }
    }
}
