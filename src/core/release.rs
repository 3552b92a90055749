//! May this held element run? A pure function of what the element says
//! (its kind, category, service, address, nonce) and of the state (the
//! config, the record that counts, the nonce rule in force), so that every
//! way page content could try to make Koekje run something is decided, and
//! tested, here.

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::{Config, ConsentModeKind};
use super::consent::is_accepted;
use super::record::Record;
use super::validate::is_web_address;

/// What kind of held element it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `<script type="text/plain" data-category>`.
    Script,
    /// `<iframe data-category data-src>`.
    Iframe,
}

/// The nonce rule in force on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonceRule<'a> {
    /// The page shows no sign of a nonce policy: no nonce is needed.
    Off,
    /// The page's nonce: a held script must carry it.
    Page(&'a str),
    /// The page uses nonces, but Koekje knows none it can trust: no held
    /// script runs.
    Unknown,
}

/// A held element, as the page wrote it.
#[derive(Clone, Copy, Debug)]
pub struct Held<'a> {
    /// Script or iframe.
    pub kind: Kind,
    /// `data-category`.
    pub category: &'a str,
    /// `data-service`, when not empty.
    pub service: Option<&'a str>,
    /// `data-src`, if any.
    pub address: Option<&'a str>,
    /// The element's nonce (`""` when none).
    pub nonce: &'a str,
}

/// Why a held element is refused for good (on this page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Its `data-src` is not an `http:`, `https:` or relative address.
    Address,
    /// A script without the page's nonce, under a nonce policy.
    Nonce,
    /// A script under a nonce policy whose nonce Koekje does not know.
    NonceUnknown,
    /// Its `data-category` is not in the config.
    NoCategory,
    /// It has an address of its own (`src`) besides `data-src`: what a
    /// sanitiser's allowlist checked is `src`, so Koekje never swaps in the
    /// unchecked `data-src`, and leaves the element as it is.
    OwnAddress,
}

impl Refusal {
    /// What the console says about it.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Address => "data-src is not an http(s) or relative address; never released",
            Refusal::Nonce => "no nonce, or not the page's; not released",
            Refusal::NonceUnknown => {
                "the page uses nonces but Koekje's own tag has none (add the nonce to Koekje's script tag or to the #koekje-config script); not released"
            }
            Refusal::NoCategory => "no such category in the config; it stays held",
            Refusal::OwnAddress => {
                "has a src of its own besides data-src; left as it is (data-src is released only without src, or with src=\"about:blank\")"
            }
        }
    }
}

/// What to do with a held element now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Release it.
    Run,
    /// Keep it held: its purpose is not accepted (yet).
    Hold,
    /// Never release it on this page, for this reason.
    Refuse(Refusal),
}

/// Decides whether `held` may run, given the config, the record that
/// counts and the nonce rule. The address and nonce rules come first: no
/// consent makes a `javascript:` address or a script without the page's
/// nonce run. Advanced Consent Mode lets the Google tag scripts it names run
/// before a choice (they then run in their cookieless mode); never iframes.
pub fn verdict(config: &Config, record: Option<&Record>, nonce: NonceRule, held: &Held) -> Verdict {
    if held.address.is_some_and(|a| !is_web_address(a)) {
        return Verdict::Refuse(Refusal::Address);
    }
    if held.kind == Kind::Script {
        match nonce {
            NonceRule::Off => {}
            NonceRule::Page(page) if !page.is_empty() && held.nonce == page => {}
            NonceRule::Page(_) => return Verdict::Refuse(Refusal::Nonce),
            NonceRule::Unknown => return Verdict::Refuse(Refusal::NonceUnknown),
        }
    }
    if config.category(held.category).is_none() {
        return Verdict::Refuse(Refusal::NoCategory);
    }
    if is_accepted(config, record, held.category, held.service) {
        return Verdict::Run;
    }
    let mode = &config.consent_mode;
    let exempt = held.kind == Kind::Script
        && mode.kind == ConsentModeKind::Advanced
        && held.service.is_some_and(|s| mode.google_services.iter().any(|g| g == s));
    if exempt {
        Verdict::Run
    } else {
        Verdict::Hold
    }
}

/// The address Koekje releases for a held element, from its `data-src` and
/// its own `src` (`None` when it has none, or when the `src` is one Koekje
/// gave it): `data-src` when the element has no address of its own (no
/// `src`, or `src="about:blank"`), else none at all
/// ([`Refusal::OwnAddress`]): an element that already has an address keeps
/// it. Without `data-src`, a held script's own `src` is its address
/// (`None`: inline code).
pub fn held_address<'a>(data_src: Option<&'a str>, src: Option<&'a str>) -> Result<Option<&'a str>, Refusal> {
    let Some(data_src) = data_src else { return Ok(src) };
    match src {
        Some(own) if !own.trim_ascii().eq_ignore_ascii_case("about:blank") => Err(Refusal::OwnAddress),
        _ => Ok(Some(data_src)),
    }
}

/// Whether inline code calls `document.write` (or `writeln`): released
/// after the page has loaded, that would replace the whole page.
pub fn writes_document(code: &str) -> bool {
    let needle = b"document.write";
    code.as_bytes().windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::{make_record, Choice, RecordContext};
    use crate::core::validate::config_from_value;
    use crate::core::value::parse;

    fn config(mode: &str) -> Config {
        let mut text = String::from(
            r#"{"categories": [{"id": "functional", "required": true}, {"id": "analytics", "services": [{"id": "google-analytics"}]}], "consentMode": {"mode": ""#,
        );
        text.push_str(mode);
        text.push_str(r#""}}"#);
        config_from_value(&parse(&text)).0
    }

    fn held<'a>(kind: Kind, category: &'a str, service: Option<&'a str>, address: Option<&'a str>) -> Held<'a> {
        Held { kind, category, service, address, nonce: "" }
    }

    fn accept_all(config: &Config) -> Record {
        let ctx = RecordContext { previous: None, new_id: "id".into(), now: 1.0, language: "en", gpc: false };
        make_record(config, &Choice::AcceptAll, ctx)
    }

    #[test]
    fn only_http_https_and_relative_addresses_are_released() {
        let c = config("basic");
        let all = accept_all(&c);
        for good in [
            "https://www.youtube-nocookie.com/embed/x",
            "http://a.example/x.js",
            "/x.js",
            "x.js",
            "//cdn.example/x.js",
            "?q",
            "/a:b",
        ] {
            let h = held(Kind::Iframe, "analytics", None, Some(good));
            assert_eq!(verdict(&c, Some(&all), NonceRule::Off, &h), Verdict::Run, "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:x",
            "\u{1}javascript:x",
            "data:text/javascript,x",
            "blob:https://a/x",
            "vbscript:x",
            "about:blank",
        ] {
            for kind in [Kind::Script, Kind::Iframe] {
                let h = held(kind, "functional", None, Some(bad));
                assert_eq!(verdict(&c, Some(&all), NonceRule::Off, &h), Verdict::Refuse(Refusal::Address), "{bad}");
            }
        }
    }

    #[test]
    fn advanced_consent_mode_exempts_google_tag_scripts_but_never_iframes() {
        let c = config("advanced");
        let script =
            held(Kind::Script, "analytics", Some("google-analytics"), Some("https://www.googletagmanager.com/gtag/js"));
        assert_eq!(verdict(&c, None, NonceRule::Off, &script), Verdict::Run);
        let iframe = held(Kind::Iframe, "analytics", Some("google-analytics"), Some("https://ad.doubleclick.net/x"));
        assert_eq!(verdict(&c, None, NonceRule::Off, &iframe), Verdict::Hold);
        let basic = config("basic");
        assert_eq!(verdict(&basic, None, NonceRule::Off, &script), Verdict::Hold);
    }

    #[test]
    fn under_a_nonce_policy_only_scripts_with_the_pages_nonce_run() {
        let c = config("basic");
        let mut script = held(Kind::Script, "functional", None, None);
        assert_eq!(verdict(&c, None, NonceRule::Page("n0nce"), &script), Verdict::Refuse(Refusal::Nonce));
        assert_eq!(verdict(&c, None, NonceRule::Unknown, &script), Verdict::Refuse(Refusal::NonceUnknown));
        script.nonce = "n0nce";
        assert_eq!(verdict(&c, None, NonceRule::Page("n0nce"), &script), Verdict::Run);
        assert_eq!(verdict(&c, None, NonceRule::Page("other"), &script), Verdict::Refuse(Refusal::Nonce));
        // Iframes have no nonce to check.
        let iframe = held(Kind::Iframe, "functional", None, Some("/x"));
        assert_eq!(verdict(&c, None, NonceRule::Unknown, &iframe), Verdict::Run);
    }

    #[test]
    fn unknown_categories_are_refused_and_unaccepted_ones_held() {
        let c = config("basic");
        assert_eq!(
            verdict(&c, None, NonceRule::Off, &held(Kind::Script, "analytcs", None, None)),
            Verdict::Refuse(Refusal::NoCategory)
        );
        assert_eq!(verdict(&c, None, NonceRule::Off, &held(Kind::Script, "analytics", None, None)), Verdict::Hold);
    }

    #[test]
    fn only_an_address_koekje_holds_is_released() {
        let yt = "https://www.youtube-nocookie.com/embed/x";
        let other = "https://evil.example/x";
        // data-src alone, or beside a blank src: the held address.
        assert_eq!(held_address(Some(other), None), Ok(Some(other)));
        for blank in ["about:blank", " ABOUT:BLANK\n"] {
            assert_eq!(held_address(Some(other), Some(blank)), Ok(Some(other)), "{blank:?}");
        }
        // An address of its own (what an allowlist checked) is never replaced.
        for own in [yt, "", "about:blank#x", "/x.js"] {
            assert_eq!(held_address(Some(other), Some(own)), Err(Refusal::OwnAddress), "{own:?}");
        }
        // A held script's own src without data-src is its address; neither: inline.
        assert_eq!(held_address(None, Some("/x.js")), Ok(Some("/x.js")));
        assert_eq!(held_address(None, None), Ok(None));
        assert!(Refusal::OwnAddress.message().starts_with("has a src of its own"));
    }

    #[test]
    fn document_write_is_recognised() {
        assert!(writes_document("document.write('<script src=x></script>')"));
        assert!(writes_document("window.document.writeln(x)"));
        assert!(!writes_document("document.body.append(x)"));
    }
}
