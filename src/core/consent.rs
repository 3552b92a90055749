//! Decisions about consent: does the stored record still count, must we ask
//! again, is a category or service accepted, what changed between two
//! choices. Pure functions of the config, the record and the time.

use super::config::Config;
use super::record::{Decision, Method, Record};

/// Why a stored record does not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stale {
    /// It was made for another revision of the config.
    OtherRevision,
    /// Its time is up.
    Expired,
    /// The config has an optional category the visitor was never asked about.
    NewCategory,
}

/// Whether `record` still counts, and if not, why not.
pub fn check_record(config: &Config, record: &Record, now: f64) -> Result<(), Stale> {
    if record.revision != config.revision {
        return Err(Stale::OtherRevision);
    }
    if now >= record.expires_at {
        return Err(Stale::Expired);
    }
    let unasked = config
        .categories
        .iter()
        .any(|c| !c.required && record.decision(&c.id).is_none());
    if unasked {
        return Err(Stale::NewCategory);
    }
    Ok(())
}

/// Whether the banner must ask: there is no record that still counts.
pub fn must_ask(config: &Config, record: Option<&Record>, now: f64) -> bool {
    record.is_none_or(|r| check_record(config, r, now).is_err())
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
        CategoryChoice {
            category: category.to_owned(),
            accepted,
            services: Vec::new(),
        }
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
}

/// Turns a choice into a complete record: one decision for every category
/// of the config, required ones always on, anything not chosen off.
pub fn make_record(config: &Config, choice: &Choice, ctx: RecordContext) -> Record {
    let decisions = config
        .categories
        .iter()
        .map(|category| {
            let chosen = match choice {
                Choice::AcceptAll => Some(true),
                Choice::RejectAll => Some(false),
                Choice::Custom(list) => list
                    .iter()
                    .find(|c| c.category == category.id)
                    .map(|c| c.accepted),
            };
            let on = category.required || chosen.unwrap_or(false);
            let services: Vec<(String, bool)> = category
                .services
                .iter()
                .map(|s| {
                    let chosen_service = match choice {
                        Choice::Custom(list) => list
                            .iter()
                            .find(|c| c.category == category.id)
                            .and_then(|c| c.services.iter().find(|(id, _)| *id == s.id))
                            .map(|(_, a)| *a),
                        _ => None,
                    };
                    (s.id.clone(), category.required || chosen_service.unwrap_or(on))
                })
                .collect();
            // A category is on when any of its services is.
            let accepted = on || services.iter().any(|(_, a)| *a);
            Decision {
                category: category.id.clone(),
                accepted,
                services,
            }
        })
        .collect();
    let method = match choice {
        Choice::AcceptAll => Method::AcceptAll,
        Choice::RejectAll => Method::RejectAll,
        Choice::Custom(_) => Method::Custom,
    };
    let previous = ctx.previous;
    Record {
        id: previous.map_or(ctx.new_id, |p| p.id.clone()),
        revision: config.revision,
        decisions,
        method,
        language: ctx.language.to_owned(),
        given_at: previous.map_or(ctx.now, |p| p.given_at),
        updated_at: ctx.now,
        expires_at: ctx.now + config.expiry_ms(),
    }
}

/// Whether `category` (and `service`, if named) is accepted, given the
/// record that counts now (`None` when there is none). Unknown categories
/// are never accepted; required ones always are. A service the config does
/// not list is accepted only with its whole category.
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
    match service {
        None => true,
        Some(s) => match decision.services.iter().find(|(id, _)| id == s) {
            Some((_, accepted)) => *accepted,
            None => decision.services.iter().all(|(_, a)| *a),
        },
    }
}

/// The cookie-name patterns of everything `record` refuses: the cookies of
/// refused categories, and of refused services within accepted ones. These
/// are deleted whenever a choice is saved, so withdrawal takes effect.
pub fn refused_cookie_patterns<'c>(config: &'c Config, record: &Record) -> Vec<&'c str> {
    let mut out = Vec::new();
    for category in &config.categories {
        let accepted = |service: Option<&str>| is_accepted(config, Some(record), &category.id, service);
        if !accepted(None) {
            out.extend(category.cookies.iter().map(|c| c.name.as_str()));
        }
        for service in &category.services {
            if !accepted(Some(&service.id)) {
                out.extend(service.cookies.iter().map(|c| c.name.as_str()));
            }
        }
    }
    out
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

/// What differs from `before` to `after`: categories first, then services.
pub fn changes(before: &Record, after: &Record) -> Vec<Change> {
    let mut out = Vec::new();
    for d in &after.decisions {
        let old = before.decision(&d.category);
        if old.map(|o| o.accepted) != Some(d.accepted) {
            out.push(Change {
                category: d.category.clone(),
                service: None,
                accepted: d.accepted,
            });
        }
        for (s, accepted) in &d.services {
            let old_s = old.and_then(|o| o.services.iter().find(|(id, _)| id == s));
            if old_s.map(|(_, a)| *a) != Some(*accepted) {
                out.push(Change {
                    category: d.category.clone(),
                    service: Some(s.clone()),
                    accepted: *accepted,
                });
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
            RecordContext {
                previous: None,
                new_id: "id-1".into(),
                now: NOW,
                language: "nl",
            },
        )
    }

    #[test]
    fn accept_all_accepts_everything() {
        let c = config();
        let r = record(&c, Choice::AcceptAll);
        assert_eq!(r.method, Method::AcceptAll);
        assert_eq!(r.expires_at, NOW + 10.0 * DAY);
        for (cat, svc) in [("analytics", None), ("analytics", Some("youtube")), ("marketing", None), ("analytics", Some("hotjar"))] {
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
        assert_eq!(r.decision("analytics").unwrap().services, [("google-analytics".into(), false), ("youtube".into(), false)]);
    }

    #[test]
    fn without_a_record_only_required_categories_count() {
        let c = config();
        assert!(is_accepted(&c, None, "functional", None));
        assert!(!is_accepted(&c, None, "analytics", None));
        assert!(must_ask(&c, None, NOW));
    }

    #[test]
    fn custom_choice_per_service() {
        let c = config();
        let r = record(
            &c,
            Choice::Custom(vec![CategoryChoice {
                category: "analytics".into(),
                accepted: false,
                services: vec![("youtube".into(), true)],
            }]),
        );
        // Partly on: the category counts as accepted for its listed services only.
        assert!(r.decision("analytics").unwrap().accepted);
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
        assert!(!must_ask(&c, Some(&r), NOW + DAY));
        assert_eq!(check_record(&c, &r, NOW + 10.0 * DAY), Err(Stale::Expired));

        let mut newer = c.clone();
        newer.revision = 5;
        assert_eq!(check_record(&newer, &r, NOW), Err(Stale::OtherRevision));

        let mut more = c.clone();
        more.categories.push(crate::core::config::Category {
            id: "chat".into(),
            ..Default::default()
        });
        assert_eq!(check_record(&more, &r, NOW), Err(Stale::NewCategory));
        assert!(must_ask(&more, Some(&r), NOW));
    }

    #[test]
    fn a_later_choice_keeps_id_and_first_date() {
        let c = config();
        let first = record(&c, Choice::AcceptAll);
        let later = make_record(
            &c,
            &Choice::RejectAll,
            RecordContext {
                previous: Some(&first),
                new_id: "id-2".into(),
                now: NOW + DAY,
                language: "fr",
            },
        );
        assert_eq!(later.id, "id-1");
        assert_eq!(later.given_at, NOW);
        assert_eq!(later.updated_at, NOW + DAY);
        assert_eq!(later.language, "fr");
    }

    #[test]
    fn refused_cookies_follow_the_record() {
        let mut c = config();
        c.categories[1].services[0].cookies.push(crate::core::config::Cookie { name: "_ga*".into(), ..Default::default() });
        c.categories[1].cookies.push(crate::core::config::Cookie { name: "_hj*".into(), ..Default::default() });
        c.categories[0].cookies.push(crate::core::config::Cookie { name: "session".into(), ..Default::default() });
        let none = record(&c, Choice::RejectAll);
        assert_eq!(refused_cookie_patterns(&c, &none), ["_hj*", "_ga*"]);
        let all = record(&c, Choice::AcceptAll);
        assert!(refused_cookie_patterns(&c, &all).is_empty());
        let youtube_only = record(
            &c,
            Choice::Custom(vec![CategoryChoice {
                category: "analytics".into(),
                accepted: false,
                services: vec![("youtube".into(), true)],
            }]),
        );
        assert_eq!(refused_cookie_patterns(&c, &youtube_only), ["_ga*"]);
    }

    #[test]
    fn changes_name_categories_and_services() {
        let c = config();
        let all = record(&c, Choice::AcceptAll);
        let none = record(&c, Choice::RejectAll);
        let diff = changes(&all, &none);
        let names: Vec<_> = diff
            .iter()
            .map(|d| (d.category.as_str(), d.service.as_deref(), d.accepted))
            .collect();
        assert_eq!(
            names,
            [
                ("analytics", None, false),
                ("analytics", Some("google-analytics"), false),
                ("analytics", Some("youtube"), false),
                ("marketing", None, false),
            ]
        );
        assert!(changes(&all, &all).is_empty());
    }
}
