//! Decisions about consent: does the stored record still count, must we ask
//! again, is a category or service accepted, what changed between two
//! choices. Pure functions of the config, the record and the time.

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::{Config, Cookie, MAX_EXPIRY_DAYS};
use super::cookie_match::matches_any;
use super::record::{Decision, Method, Record};

/// Why a stored record does not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stale {
    /// It was made for another revision of the config.
    OtherRevision,
    /// Its time is up: its own `expiresAt`, or the current config's
    /// `expiryDays` (never more than 395 days) counted from its last change.
    Expired,
    /// It is dated after now: not written by this browser's clock as it is.
    Future,
    /// The config has an optional category the visitor was never asked about.
    NewCategory,
    /// An optional category the visitor accepted (wholly or partly) lists a
    /// service they were never asked about. (One they refused is not asked
    /// about again: its new service stays off with it.)
    NewService,
}

/// Whether `record` still counts, and if not, why not. Its lifetime is
/// bounded by today's config, whatever the record itself says: it counts
/// only while `now < updatedAt + expiryDays` of the current config (at most
/// 395 days) and before its own `expiresAt`; a record dated in the future
/// does not count.
pub fn check_record(config: &Config, record: &Record, now: f64) -> Result<(), Stale> {
    if record.revision != config.revision {
        return Err(Stale::OtherRevision);
    }
    if record.updated_at > now || record.given_at > record.updated_at {
        return Err(Stale::Future);
    }
    // `!(a < b)` rather than `a >= b`: a NaN never counts.
    if !(now < record.expires_at && now < record.updated_at + lifetime(config)) {
        return Err(Stale::Expired);
    }
    let unasked = config.categories.iter().any(|c| !c.required && record.decision(&c.id).is_none());
    if unasked {
        return Err(Stale::NewCategory);
    }
    for c in &config.categories {
        let Some(decision) = record.decision(&c.id).filter(|d| d.accepted && !c.required) else { continue };
        for s in &c.services {
            if decision.service(&s.id).is_none() {
                return Err(Stale::NewService);
            }
        }
    }
    Ok(())
}

/// When `record` stops counting under `config` (ms since 1970): at its own
/// `expiresAt`, or `expiryDays` of the current config (at most 395 days)
/// after its last change, whichever comes first.
pub fn counts_until(config: &Config, record: &Record) -> f64 {
    record.expires_at.min(record.updated_at + lifetime(config))
}

/// How long a record counts after its last change: the config's
/// `expiryDays`, never more than 395 days (ms).
fn lifetime(config: &Config) -> f64 {
    config.expiry_ms().min(MAX_EXPIRY_DAYS as f64 * 86_400_000.0)
}

/// The newest of `stored` (by `updatedAt`; the first of equals) that still
/// counts ([`standing`]), with whether the banner must still ask. Where the
/// record is kept in several places (`localStorage` and a cookie, a cookie
/// for this host and one for the parent domain), the latest choice that
/// still counts wins.
pub fn newest_standing(config: &Config, stored: &[Record], now: f64) -> Option<(Record, bool)> {
    let mut best: Option<(&Record, bool)> = None;
    for r in stored {
        let Some(ask) = standing(config, r, now) else { continue };
        if best.is_none_or(|(b, _)| r.updated_at > b.updated_at) {
            best = Some((r, ask));
        }
    }
    best.map(|(r, ask)| (r.clone(), ask))
}

/// Whether a stored record counts, and if so whether the banner must still
/// ask (`Some(true)`): an `embed` record ([`record_allowing`]) counts for
/// what it decides while the visitor has not answered the rest.
pub fn standing(config: &Config, record: &Record, now: f64) -> Option<bool> {
    match check_record(config, record, now) {
        Ok(()) => Some(false),
        Err(Stale::NewCategory | Stale::NewService) if record.method == Method::Embed => Some(true),
        Err(_) => None,
    }
}

/// What the visitor chose, before it becomes a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice {
    /// Every category and service.
    AcceptAll,
    /// Only the required categories.
    RejectAll,
    /// These categories (and, optionally, these services) on; the rest off.
    Custom(Vec<CategoryChoice>),
}

/// One category's switches in a custom choice.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryChoice {
    /// The category's id.
    pub category: String,
    /// Its switch.
    pub accepted: bool,
    /// Switches for some of its services; the others follow the category.
    pub services: Vec<(String, bool)>,
}

impl CategoryChoice {
    /// A whole category on or off.
    pub fn whole(category: &str, accepted: bool) -> CategoryChoice {
        CategoryChoice { category: category.to_owned(), accepted, services: Vec::new() }
    }
}

/// What is needed to write a record besides the choice.
#[derive(Clone, Debug)]
pub struct RecordContext<'a> {
    /// The record that counts now, if any: its id and first date are kept.
    pub previous: Option<&'a Record>,
    /// A fresh random id, used when there is no previous record.
    pub new_id: String,
    /// Now, in ms since 1970.
    pub now: f64,
    /// The language shown.
    pub language: &'a str,
    /// Whether the browser sends Global Privacy Control.
    pub gpc: bool,
}

/// Turns a choice into a complete record: one decision for every category
/// of the config, required ones always on, anything not chosen off.
pub fn make_record(config: &Config, choice: &Choice, ctx: RecordContext) -> Record {
    let custom = |id: &str| match choice {
        Choice::Custom(list) => list.iter().find(|c| c.category == id),
        _ => None,
    };
    // After an embed's "Always allow", "Reject all" answers the rest: what
    // the visitor allowed from the embed stays allowed.
    let embed = ctx.previous.filter(|p| p.method == Method::Embed && *choice == Choice::RejectAll);
    let mut decisions = Vec::new();
    for category in &config.categories {
        let before = embed.and_then(|p| p.decision(&category.id));
        let chosen = match choice {
            Choice::AcceptAll => true,
            Choice::RejectAll => before.is_some_and(|d| d.accepted && category.services.is_empty()),
            Choice::Custom(_) => custom(&category.id).is_some_and(|c| c.accepted),
        };
        let on = category.required || chosen;
        let mut services = Vec::new();
        for s in &category.services {
            let chosen_service = custom(&category.id)
                .and_then(|c| c.services.iter().find(|(id, _)| *id == s.id))
                .map(|(_, a)| *a)
                .or_else(|| before.and_then(|d| d.service(&s.id)));
            services.push((s.id.clone(), category.required || chosen_service.unwrap_or(on)));
        }
        // A category is on when any of its services is.
        let accepted = on || services.iter().any(|(_, a)| *a);
        decisions.push(Decision { category: category.id.clone(), accepted, services });
    }
    let method = match choice {
        Choice::AcceptAll => Method::AcceptAll,
        Choice::RejectAll => Method::RejectAll,
        Choice::Custom(_) => Method::Custom,
    };
    stamp(config, decisions, method, ctx)
}

/// A record of `decisions`, dated now, keeping the previous record's id and
/// first date.
fn stamp(config: &Config, decisions: Vec<Decision>, method: Method, ctx: RecordContext) -> Record {
    // A GPC record was never a choice: the first real one starts afresh.
    let previous = ctx.previous.filter(|p| p.method != Method::Gpc);
    Record {
        id: previous.map_or(ctx.new_id, |p| p.id.clone()),
        revision: config.revision,
        decisions,
        method,
        language: ctx.language.to_owned(),
        gpc: ctx.gpc,
        given_at: previous.map_or(ctx.now, |p| p.given_at),
        updated_at: ctx.now,
        expires_at: ctx.now + config.expiry_ms(),
        notice: None,
    }
}

/// Whether `category` (and `service`, if named) is accepted, given the
/// record that counts now (`None` when there is none). Unknown categories
/// are never accepted; required ones always are. A category counts as
/// accepted (`service` is `None`: for scripts, cookies and Consent Mode
/// signals that belong to no service) only when it is wholly on, not when
/// only some of its services are. A listed service needs its own decision;
/// a service the config does not list is accepted only with its whole
/// category.
pub fn is_accepted(config: &Config, record: Option<&Record>, category: &str, service: Option<&str>) -> bool {
    let Some(c) = config.category(category) else {
        return false;
    };
    if c.required {
        return true;
    }
    let Some(decision) = record.and_then(|r| r.decision(category)) else {
        return false;
    };
    if !decision.accepted {
        return false;
    }
    // Wholly on: every service the config lists is accepted (services the
    // config no longer lists do not count).
    let whole = c.services.iter().all(|listed| decision.service(&listed.id) == Some(true));
    match service {
        None => whole,
        Some(s) => decision.service(s).unwrap_or(whole && c.service(s).is_none()),
    }
}

/// The `localStorage` key of the consent record (the loader reads it too,
/// to guess whether a banner is needed: held by `tests/contracts.rs`).
pub const RECORD_KEY: &str = "koekje";

/// The `localStorage` key of the consent log's queue, kept by the loader
/// until the receiver has the events (its `KOEKJE_QUEUE`).
pub const LOG_QUEUE_KEY: &str = "koekje-log";

/// The `localStorage` key that makes the loader load the debug view.
pub const DEBUG_KEY: &str = "koekje-debug";

/// Koekje's own storage keys: the record, the consent log's queue and the
/// debug view's flag. No refused pattern deletes them, whatever it matches.
/// `tests/contracts.rs` holds the loader to these (every key it names is
/// one of them).
pub const OWN_KEYS: [&str; 3] = [RECORD_KEY, LOG_QUEUE_KEY, DEBUG_KEY];

/// What a record refuses, as name patterns (`*` wildcards) to delete, and
/// what it keeps (the patterns of required and accepted categories and
/// services): a name that any kept pattern matches is never deleted, so a
/// refused `__hs*` or `storage: ["*"]` cannot take what a kept category
/// lists (`__hs_opt_out`, the cart).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Refused<'c> {
    /// Refused cookie-name patterns.
    pub cookies: Vec<&'c str>,
    /// Refused `localStorage`/`sessionStorage` key patterns.
    pub storage: Vec<&'c str>,
    /// Cookie-name patterns that something kept lists.
    pub kept_cookies: Vec<&'c str>,
    /// Storage-key patterns that something kept lists.
    pub kept_storage: Vec<&'c str>,
}

impl<'c> Refused<'c> {
    /// Adds the names of `cookies` and the `storage` keys, to the kept
    /// lists when `kept`.
    fn add(&mut self, kept: bool, cookies: &'c [Cookie], storage: &'c [String]) {
        let (names, keys) = match kept {
            true => (&mut self.kept_cookies, &mut self.kept_storage),
            false => (&mut self.cookies, &mut self.storage),
        };
        for c in cookies {
            names.push(&c.name);
        }
        for key in storage {
            keys.push(key);
        }
    }

    /// Whether the cookie `name` is to be deleted: a refused pattern
    /// matches it and no kept one does.
    pub fn deletes_cookie(&self, name: &str) -> bool {
        deletes(&self.cookies, &self.kept_cookies, name)
    }

    /// Whether the storage key `key` is to be deleted (as for cookies);
    /// never one of Koekje's own ([`OWN_KEYS`]).
    pub fn deletes_key(&self, key: &str) -> bool {
        !OWN_KEYS.contains(&key) && deletes(&self.storage, &self.kept_storage, key)
    }

    /// Whether nothing is refused.
    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty() && self.storage.is_empty()
    }
}

fn deletes(refused: &[&str], kept: &[&str], name: &str) -> bool {
    matches_any(refused.iter().copied(), name) && !matches_any(kept.iter().copied(), name)
}

/// Everything `record` refuses (`None`: no record, everything optional):
/// the cookies and storage keys of refused categories, and of refused
/// services within accepted ones, with what the rest keeps (see
/// [`Refused`]; the consent cookie and Koekje's own storage keys are always
/// kept). They are deleted on every page and whenever a choice is
/// saved or reset, so withdrawal takes effect.
pub fn refused<'c>(config: &'c Config, record: Option<&Record>) -> Refused<'c> {
    let mut out = Refused::default();
    // The consent cookie itself is Koekje's, whatever a refused pattern says.
    if config.store.cookie() {
        out.kept_cookies.push(&config.consent_cookie.name);
    }
    for category in &config.categories {
        let accepted = |service: Option<&str>| is_accepted(config, record, &category.id, service);
        out.add(accepted(None), &category.cookies, &category.storage);
        for service in &category.services {
            out.add(accepted(Some(&service.id)), &service.cookies, &service.storage);
        }
    }
    out
}

/// The record that stands for the browser's Global Privacy Control signal
/// when the visitor has made no choice: every category the signal covers is
/// refused. Never stored. If the config has optional categories the signal
/// does not cover, this record does not count ([`check_record`] says
/// `NewCategory`) and the banner asks about them.
pub fn gpc_record(config: &Config, now: f64, language: &str) -> Record {
    let mut decisions = Vec::new();
    for c in &config.categories {
        if c.required || c.covered_by_gpc() {
            let mut services = Vec::new();
            for s in &c.services {
                services.push((s.id.clone(), c.required));
            }
            decisions.push(Decision { category: c.id.clone(), accepted: c.required, services });
        }
    }
    Record {
        id: String::new(),
        revision: config.revision,
        decisions,
        method: Method::Gpc,
        language: language.to_owned(),
        gpc: true,
        given_at: now,
        updated_at: now,
        expires_at: f64::INFINITY,
        notice: None,
    }
}

/// The Google Consent Mode signals for `record`: a signal is granted when
/// every category mapped to it is accepted (no category: always granted).
pub fn consent_signals<'c>(config: &'c Config, record: Option<&Record>) -> Vec<(&'c str, bool)> {
    let mut out = Vec::new();
    for (signal, categories) in &config.consent_mode.signals {
        let granted = categories.iter().all(|c| is_accepted(config, record, c, None));
        out.push((signal.as_str(), granted));
    }
    out
}

/// What an embed's "Always allow" records: the decisions of the record
/// that counts (`ctx.previous`, if any), with `service` of `category` (the
/// whole category when `None`) allowed too. When that answers every
/// optional category and service, it is a complete `custom` record;
/// otherwise an `embed` record, which counts for what it decides while the
/// banner keeps asking about the rest ([`standing`]).
pub fn record_allowing(config: &Config, category: &str, service: Option<&str>, ctx: RecordContext) -> Record {
    let mut decisions = ctx.previous.map_or_else(Vec::new, |p| p.decisions.clone());
    if decisions.iter().all(|d| d.category != category) {
        decisions.push(Decision { category: category.to_owned(), accepted: false, services: Vec::new() });
    }
    let listed = config.category(category).map_or(&[][..], |c| &c.services);
    // A service the config does not list runs only with its whole category.
    let service = service.filter(|id| listed.iter().any(|s| s.id == *id));
    for d in &mut decisions {
        if d.category != category {
            continue;
        }
        // A category is on when any of its services is (see `make_record`).
        d.accepted = true;
        for s in listed {
            if service.is_some_and(|id| id != s.id) {
                continue;
            }
            match d.services.iter_mut().find(|(id, _)| *id == s.id) {
                Some(slot) => slot.1 = true,
                None => d.services.push((s.id.clone(), true)),
            }
        }
    }
    let now = ctx.now;
    let mut record = stamp(config, decisions, Method::Custom, ctx);
    if check_record(config, &record, now).is_err() {
        record.method = Method::Embed;
    }
    record
}

/// One difference between an earlier and a later choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The category.
    pub category: String,
    /// The service, when the change is about one service.
    pub service: Option<String>,
    /// The new decision.
    pub accepted: bool,
}

/// What differs from `before` to `after`: categories first (whether each is
/// accepted as [`is_accepted`] says: wholly on), then services.
pub fn changes(config: &Config, before: &Record, after: &Record) -> Vec<Change> {
    let mut out = Vec::new();
    for d in &after.decisions {
        let old = before.decision(&d.category);
        let now = is_accepted(config, Some(after), &d.category, None);
        if old.is_none() || is_accepted(config, Some(before), &d.category, None) != now {
            out.push(Change { category: d.category.clone(), service: None, accepted: now });
        }
        for (s, accepted) in &d.services {
            if old.and_then(|o| o.service(s)) != Some(*accepted) {
                out.push(Change { category: d.category.clone(), service: Some(s.clone()), accepted: *accepted });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::config_from_value;
    use crate::core::value::parse;

    const DAY: f64 = 86_400_000.0;
    const NOW: f64 = 1_764_000_000_000.0;

    fn config() -> Config {
        config_from_value(&parse(
            r#"{"revision": 4, "expiryDays": 10, "categories": [
                {"id": "functional", "required": true},
                {"id": "analytics", "services": [{"id": "google-analytics"}, {"id": "youtube"}]},
                {"id": "marketing"}]}"#,
        ))
        .0
    }

    fn record(config: &Config, choice: Choice) -> Record {
        make_record(
            config,
            &choice,
            RecordContext { previous: None, new_id: "id-1".into(), now: NOW, language: "nl", gpc: false },
        )
    }

    #[test]
    fn accept_all_accepts_everything() {
        let c = config();
        let r = record(&c, Choice::AcceptAll);
        assert_eq!(r.method, Method::AcceptAll);
        assert_eq!(r.expires_at, NOW + 10.0 * DAY);
        for (cat, svc) in
            [("analytics", None), ("analytics", Some("youtube")), ("marketing", None), ("analytics", Some("hotjar"))]
        {
            assert!(is_accepted(&c, Some(&r), cat, svc), "{cat} {svc:?}");
        }
    }

    #[test]
    fn reject_all_keeps_only_required() {
        let c = config();
        let r = record(&c, Choice::RejectAll);
        assert!(is_accepted(&c, Some(&r), "functional", None));
        assert!(!is_accepted(&c, Some(&r), "analytics", None));
        assert!(!is_accepted(&c, Some(&r), "analytics", Some("google-analytics")));
        assert!(!is_accepted(&c, Some(&r), "marketing", None));
        assert!(!is_accepted(&c, Some(&r), "unknown", None));
        assert_eq!(
            r.decision("analytics").unwrap().services,
            [("google-analytics".into(), false), ("youtube".into(), false)]
        );
    }

    #[test]
    fn without_a_record_only_required_categories_count() {
        let c = config();
        assert!(is_accepted(&c, None, "functional", None));
        assert!(!is_accepted(&c, None, "analytics", None));
        assert_eq!(newest_standing(&c, &[], NOW), None);
    }

    /// A record from a custom choice: of analytics, only YouTube is on.
    fn youtube_only(c: &Config) -> Record {
        record(
            c,
            Choice::Custom(vec![CategoryChoice {
                category: "analytics".into(),
                accepted: false,
                services: vec![("youtube".into(), true)],
            }]),
        )
    }

    #[test]
    fn custom_choice_per_service() {
        let c = config();
        let r = youtube_only(&c);
        // Partly on: the category counts as accepted for its listed services
        // only; not for what belongs to no service, nor for unlisted ones.
        assert!(r.decision("analytics").unwrap().accepted);
        assert!(!is_accepted(&c, Some(&r), "analytics", None));
        assert!(is_accepted(&c, Some(&r), "analytics", Some("youtube")));
        assert!(!is_accepted(&c, Some(&r), "analytics", Some("google-analytics")));
        assert!(!is_accepted(&c, Some(&r), "analytics", Some("hotjar")));
        assert!(!is_accepted(&c, Some(&r), "marketing", None));
        assert_eq!(r.method, Method::Custom);
    }

    #[test]
    fn asks_again_on_new_revision_expiry_or_new_category() {
        let c = config();
        let r = record(&c, Choice::AcceptAll);
        assert_eq!(check_record(&c, &r, NOW + DAY), Ok(()));
        assert_eq!(standing(&c, &r, NOW + DAY), Some(false));
        assert_eq!(check_record(&c, &r, NOW + 10.0 * DAY), Err(Stale::Expired));

        let mut newer = c.clone();
        newer.revision = 5;
        assert_eq!(check_record(&newer, &r, NOW), Err(Stale::OtherRevision));

        let mut more = c.clone();
        more.categories.push(crate::core::config::Category { id: "chat".into(), ..Default::default() });
        assert_eq!(check_record(&more, &r, NOW), Err(Stale::NewCategory));
        assert_eq!(standing(&more, &r, NOW), None);
    }

    #[test]
    fn a_record_counts_only_within_todays_config_and_never_from_the_future() {
        let c = config();
        let mut r = record(&c, Choice::AcceptAll);
        // The record says it lasts ten years: today's config (10 days) decides.
        r.expires_at = NOW + 3650.0 * DAY;
        assert_eq!(check_record(&c, &r, NOW + 9.0 * DAY), Ok(()));
        assert_eq!(check_record(&c, &r, NOW + 10.0 * DAY), Err(Stale::Expired));
        // A config that later shortens its expiry shortens stored records too.
        let mut shorter = c.clone();
        shorter.expiry_days = 2;
        assert_eq!(check_record(&shorter, &r, NOW + 3.0 * DAY), Err(Stale::Expired));
        // Never beyond 395 days, whatever the config holds.
        let mut longer = c.clone();
        longer.expiry_days = 100_000;
        assert_eq!(check_record(&longer, &r, NOW + 396.0 * DAY), Err(Stale::Expired));
        // Dated after now, or changed before it was given: it does not count.
        assert_eq!(check_record(&c, &r, NOW - 1.0), Err(Stale::Future));
        let mut odd = r.clone();
        odd.given_at = odd.updated_at + DAY;
        assert_eq!(check_record(&c, &odd, NOW + DAY * 2.0), Err(Stale::Future));
        let mut nan = r.clone();
        nan.updated_at = f64::NAN;
        assert!(check_record(&c, &nan, NOW).is_err());
    }

    #[test]
    fn a_new_service_in_an_accepted_category_is_not_consented_and_asks_again() {
        let c = config();
        let r = record(&c, Choice::AcceptAll);
        let mut more = c.clone();
        more.categories[1].services.push(crate::core::config::Service { id: "hotjar".into(), ..Default::default() });
        assert_eq!(check_record(&more, &r, NOW), Err(Stale::NewService));
        // Who refused the category is not asked again: the new service stays off.
        let refused_all = record(&c, Choice::RejectAll);
        assert_eq!(check_record(&more, &refused_all, NOW), Ok(()));
        assert!(!is_accepted(&more, Some(&refused_all), "analytics", Some("hotjar")));
        assert!(!is_accepted(&more, Some(&r), "analytics", Some("hotjar")));
        assert!(is_accepted(&more, Some(&r), "analytics", Some("youtube")));
        // A service the config does not list goes with its whole category,
        // which is not wholly on while a listed service is undecided.
        assert!(is_accepted(&c, Some(&r), "analytics", Some("vimeo")));
        assert!(!is_accepted(&more, Some(&r), "analytics", Some("vimeo")));
        // Required categories are never asked about.
        let mut required = c.clone();
        required.categories[0].services.push(crate::core::config::Service { id: "login".into(), ..Default::default() });
        assert_eq!(check_record(&required, &r, NOW), Ok(()));
    }

    #[test]
    fn a_later_choice_keeps_id_and_first_date() {
        let c = config();
        let first = record(&c, Choice::AcceptAll);
        let later = make_record(
            &c,
            &Choice::RejectAll,
            RecordContext { previous: Some(&first), new_id: "id-2".into(), now: NOW + DAY, language: "fr", gpc: false },
        );
        assert_eq!(later.id, "id-1");
        assert_eq!(later.given_at, NOW);
        assert_eq!(later.updated_at, NOW + DAY);
        assert_eq!(later.language, "fr");
    }

    #[test]
    fn refused_cookies_follow_the_record() {
        let mut c = config();
        c.categories[1].services[0]
            .cookies
            .push(crate::core::config::Cookie { name: "_ga*".into(), ..Default::default() });
        c.categories[1].cookies.push(crate::core::config::Cookie { name: "_hj*".into(), ..Default::default() });
        c.categories[0].cookies.push(crate::core::config::Cookie { name: "session".into(), ..Default::default() });
        c.categories[1].storage.push("hj_*".into());
        let none = record(&c, Choice::RejectAll);
        assert_eq!(refused(&c, Some(&none)).cookies, ["_hj*", "_ga*"]);
        assert_eq!(refused(&c, Some(&none)).storage, ["hj_*"]);
        assert_eq!(refused(&c, Some(&none)).kept_cookies, ["session"]);
        assert_eq!(refused(&c, None), refused(&c, Some(&none)));
        let all = record(&c, Choice::AcceptAll);
        assert!(refused(&c, Some(&all)).is_empty());
        assert!(!refused(&c, Some(&all)).deletes_cookie("_ga"));
        // Partly on: the category's own cookies and keys go too (its
        // service-less scripts do not run), and so do refused services'.
        let partly = refused(&c, Some(&youtube_only(&c)));
        assert_eq!(partly.cookies, ["_hj*", "_ga*"]);
        assert!(partly.deletes_cookie("_ga_X1") && partly.deletes_key("hj_1") && !partly.deletes_cookie("session"));
        // A name that an accepted service lists too is kept.
        c.categories[1].services[1]
            .cookies
            .push(crate::core::config::Cookie { name: "_ga*".into(), ..Default::default() });
        c.categories[1].services[1].storage.push("hj_*".into());
        let partly = refused(&c, Some(&youtube_only(&c)));
        assert!(!partly.deletes_cookie("_ga_X1") && !partly.deletes_key("hj_1"));
        assert!(partly.deletes_cookie("_hj_x"));
        assert!(refused(&c, Some(&none)).deletes_cookie("_ga_X1"));
    }

    #[test]
    fn the_consent_cookie_is_never_refused() {
        let mut c = config();
        c.categories[1].cookies.push(crate::core::config::Cookie { name: "*".into(), ..Default::default() });
        let reject = record(&c, Choice::RejectAll);
        // Kept in localStorage only: a cookie called `koekje` is the site's.
        assert!(refused(&c, Some(&reject)).deletes_cookie("koekje"));
        for store in [crate::core::config::Store::Cookie, crate::core::config::Store::Both] {
            c.store = store;
            let r = refused(&c, Some(&reject));
            assert!(!r.deletes_cookie("koekje") && r.deletes_cookie("koekjes") && r.deletes_cookie("_ga"));
        }
        c.consent_cookie.name = "__Host-consent".into();
        let r = refused(&c, None);
        assert!(!r.deletes_cookie("__Host-consent") && r.deletes_cookie("koekje"));
    }

    #[test]
    fn koekjes_own_storage_keys_are_never_refused() {
        let mut c = config();
        c.categories[1].storage.push("*".into());
        c.categories[2].storage.push("koekje*".into());
        for record in [None, Some(record(&c, Choice::RejectAll))] {
            let r = refused(&c, record.as_ref());
            for own in ["koekje", "koekje-log", "koekje-debug"] {
                assert!(!r.deletes_key(own), "{own}");
            }
            assert!(r.deletes_key("koekjes") && r.deletes_key("koekje-log-2") && r.deletes_key("cart"));
        }
        // However the patterns were made.
        let by_hand = Refused { storage: vec!["*"], ..Refused::default() };
        assert!(!by_hand.deletes_key("koekje-log") && by_hand.deletes_key("_hjid"));
    }

    #[test]
    fn the_newest_record_that_counts_wins() {
        let c = config();
        let older = record(&c, Choice::RejectAll);
        let mut newer = record(&c, Choice::AcceptAll);
        newer.updated_at = NOW + DAY;
        let at = NOW + 2.0 * DAY;
        assert_eq!(newest_standing(&c, &[older.clone(), newer.clone()], at), Some((newer.clone(), false)));
        assert_eq!(newest_standing(&c, &[newer.clone(), older.clone()], at), Some((newer.clone(), false)));
        // A newer record that does not count (another revision, from the
        // future) does not hide an older one that does.
        let mut other = newer.clone();
        other.revision = 3;
        assert_eq!(newest_standing(&c, &[older.clone(), other], at), Some((older.clone(), false)));
        let mut future = newer.clone();
        future.updated_at = at + DAY;
        assert_eq!(newest_standing(&c, &[future.clone(), older.clone()], at), Some((older.clone(), false)));
        assert_eq!(newest_standing(&c, &[future], at), None);
        assert_eq!(newest_standing(&c, &[], at), None);
        // Of equals, the first.
        let mut same = older.clone();
        same.id = "other".into();
        assert_eq!(newest_standing(&c, &[older.clone(), same], at).unwrap().0.id, older.id);
        // An embed's record counts while the banner asks.
        let embed = allowing(&c, None, "analytics", Some("youtube"));
        assert_eq!(newest_standing(&c, core::slice::from_ref(&embed), NOW), Some((embed, true)));
        assert_eq!(counts_until(&c, &older), NOW + 10.0 * DAY);
    }

    #[test]
    fn a_refused_wildcard_never_takes_what_a_kept_pattern_matches() {
        let mut c = config();
        // Required: `__hs_opt_out` and the cart; refused: `__hs*` and every key.
        c.categories[0].cookies.push(crate::core::config::Cookie { name: "__hs_opt_out".into(), ..Default::default() });
        c.categories[0].storage.push("cart".into());
        c.categories[1].cookies.push(crate::core::config::Cookie { name: "__hs*".into(), ..Default::default() });
        c.categories[1].storage.push("*".into());
        let r = refused(&c, Some(&record(&c, Choice::RejectAll)));
        assert!(!r.deletes_cookie("__hs_opt_out"));
        assert!(r.deletes_cookie("__hssc"));
        assert!(!r.deletes_key("cart"));
        assert!(r.deletes_key("anything"));
    }

    #[test]
    fn gpc_refuses_covered_categories_without_a_choice() {
        let c = config();
        let gpc = gpc_record(&c, NOW, "nl");
        assert_eq!(gpc.method, Method::Gpc);
        assert!(gpc.gpc);
        assert!(!is_accepted(&c, Some(&gpc), "analytics", None));
        assert!(is_accepted(&c, Some(&gpc), "functional", None));
        // Every optional category is covered by default: no need to ask.
        assert_eq!(check_record(&c, &gpc, NOW), Ok(()));
        // A category the signal does not cover must still be asked about.
        let mut partly = c.clone();
        partly.categories[2].gpc = Some(false);
        let gpc = gpc_record(&partly, NOW, "nl");
        assert_eq!(check_record(&partly, &gpc, NOW), Err(Stale::NewCategory));
        // An explicit choice afterwards wins, with a fresh id, and says GPC was on.
        let chosen = make_record(
            &partly,
            &Choice::AcceptAll,
            RecordContext { previous: Some(&gpc), new_id: "fresh".into(), now: NOW, language: "nl", gpc: true },
        );
        assert_eq!(chosen.id, "fresh");
        assert!(chosen.gpc);
        assert!(is_accepted(&partly, Some(&chosen), "analytics", None));
    }

    #[test]
    fn consent_mode_signals_follow_the_categories() {
        let mut c = config();
        let signals = |c: &Config, r: Option<&Record>| -> Vec<(String, bool)> {
            consent_signals(c, r).into_iter().map(|(s, g)| (s.to_owned(), g)).collect()
        };
        let granted = |list: Vec<(String, bool)>| -> Vec<String> {
            list.into_iter().filter(|(_, g)| *g).map(|(s, _)| s).collect()
        };
        // Before any choice: the required functional category and security only.
        assert_eq!(
            granted(signals(&c, None)),
            ["functionality_storage", "personalization_storage", "security_storage"]
        );
        let all = record(&c, Choice::AcceptAll);
        assert_eq!(granted(signals(&c, Some(&all))).len(), 7);
        let none = record(&c, Choice::RejectAll);
        assert!(!granted(signals(&c, Some(&none))).contains(&"analytics_storage".to_owned()));
        let analytics = record(&c, Choice::Custom(vec![CategoryChoice::whole("analytics", true)]));
        assert_eq!(
            granted(signals(&c, Some(&analytics))),
            ["analytics_storage", "functionality_storage", "personalization_storage", "security_storage"]
        );
        // Only YouTube of analytics: analytics storage stays denied.
        assert!(!granted(signals(&c, Some(&youtube_only(&c)))).contains(&"analytics_storage".to_owned()));
        // Without a marketing category, the ad signals stay denied even after "accept all".
        c.categories.retain(|cat| cat.id != "marketing");
        let all = record(&c, Choice::AcceptAll);
        assert!(!granted(signals(&c, Some(&all))).contains(&"ad_storage".to_owned()));
    }

    fn allowing(c: &Config, previous: Option<&Record>, category: &str, service: Option<&str>) -> Record {
        let ctx = RecordContext { previous, new_id: "id".into(), now: NOW, language: "nl", gpc: false };
        record_allowing(c, category, service, ctx)
    }

    #[test]
    fn always_allowing_one_service_keeps_the_rest() {
        let c = config();
        let first = record(&c, Choice::Custom(vec![CategoryChoice::whole("marketing", true)]));
        let next = allowing(&c, Some(&first), "analytics", Some("youtube"));
        assert_eq!(next.method, Method::Custom);
        assert_eq!(standing(&c, &next, NOW), Some(false));
        assert!(is_accepted(&c, Some(&next), "marketing", None));
        assert!(is_accepted(&c, Some(&next), "analytics", Some("youtube")));
        assert!(!is_accepted(&c, Some(&next), "analytics", Some("google-analytics")));
        assert!(!is_accepted(&c, Some(&next), "analytics", None));
        assert_eq!(next.id, first.id);
    }

    #[test]
    fn always_allowing_before_any_answer_decides_only_that() {
        let c = config();
        let only = allowing(&c, None, "analytics", Some("youtube"));
        // Only YouTube is decided: it counts for YouTube, and the banner still asks.
        assert_eq!(only.method, Method::Embed);
        assert_eq!(only.decisions.len(), 1);
        assert_eq!(only.decisions[0].services, [("youtube".to_owned(), true)]);
        assert_eq!(standing(&c, &only, NOW), Some(true));
        assert!(is_accepted(&c, Some(&only), "analytics", Some("youtube")));
        assert!(!is_accepted(&c, Some(&only), "analytics", Some("google-analytics")));
        assert!(!is_accepted(&c, Some(&only), "marketing", None));
        // Stored and read back, it still stands.
        let read = Record::from_value(&only.to_value()).unwrap();
        assert_eq!(read.method, Method::Embed);
        // A second embed adds to it; the whole marketing category too.
        let two = allowing(&c, Some(&only), "marketing", None);
        assert!(is_accepted(&c, Some(&two), "marketing", None));
        assert!(is_accepted(&c, Some(&two), "analytics", Some("youtube")));
        assert_eq!(two.method, Method::Embed);
        // "Reject all" on the banner then answers the rest; what was allowed stays.
        let ctx = RecordContext { previous: Some(&two), new_id: "x".into(), now: NOW, language: "nl", gpc: false };
        let rest = make_record(&c, &Choice::RejectAll, ctx);
        assert_eq!(standing(&c, &rest, NOW), Some(false));
        assert!(is_accepted(&c, Some(&rest), "analytics", Some("youtube")));
        assert!(is_accepted(&c, Some(&rest), "marketing", None));
        assert!(!is_accepted(&c, Some(&rest), "analytics", Some("google-analytics")));
        assert_eq!(rest.id, only.id);
        // A stale record of another kind does not stand at all.
        let mut old = record(&c, Choice::AcceptAll);
        old.decisions.retain(|d| d.category != "marketing");
        assert_eq!(standing(&c, &old, NOW), None);
        // An unlisted service is allowed with its whole category (what loads it).
        let unlisted = allowing(&c, None, "analytics", Some("vimeo"));
        assert!(is_accepted(&c, Some(&unlisted), "analytics", Some("vimeo")));
        assert!(is_accepted(&c, Some(&unlisted), "analytics", None));
        // Nor an embed record of another revision.
        let mut other = only.clone();
        other.revision += 1;
        assert_eq!(standing(&c, &other, NOW), None);
    }

    #[test]
    fn changes_name_categories_and_services() {
        let c = config();
        let all = record(&c, Choice::AcceptAll);
        let none = record(&c, Choice::RejectAll);
        let diff = changes(&c, &all, &none);
        let names: Vec<_> = diff.iter().map(|d| (d.category.as_str(), d.service.as_deref(), d.accepted)).collect();
        assert_eq!(
            names,
            [
                ("analytics", None, false),
                ("analytics", Some("google-analytics"), false),
                ("analytics", Some("youtube"), false),
                ("marketing", None, false),
            ]
        );
        assert!(changes(&c, &all, &all).is_empty());
        // From all of analytics to YouTube only: the category is no longer
        // accepted (its own scripts stop), and Google Analytics is refused.
        let diff = changes(&c, &all, &youtube_only(&c));
        assert!(diff.contains(&Change { category: "analytics".into(), service: None, accepted: false }));
        assert!(diff.contains(&Change {
            category: "analytics".into(),
            service: Some("google-analytics".into()),
            accepted: false
        }));
    }

    #[test]
    fn a_service_the_config_no_longer_lists_does_not_hold_its_category_back() {
        let c = config();
        let mut analytics = CategoryChoice::whole("analytics", true);
        analytics.services = vec![("google-analytics".into(), true), ("youtube".into(), false)];
        let r = record(&c, Choice::Custom(vec![analytics]));
        assert!(!is_accepted(&c, Some(&r), "analytics", None));
        let mut fewer = c.clone();
        fewer.categories[1].services.retain(|s| s.id != "youtube");
        assert_eq!(check_record(&fewer, &r, NOW), Ok(()));
        assert!(is_accepted(&fewer, Some(&r), "analytics", None));
    }
}
