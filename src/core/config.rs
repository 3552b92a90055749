//! The site's configuration: categories, services, cookies, texts and the
//! rules for asking again. [`Config::default`] is what a page gets with no
//! configuration at all; `validate` turns the admin's JSON into a `Config`.

#[allow(unused_imports)]
use crate::prelude::*;

use super::texts::{self, Text, TextOverrides, BUILT_IN_LANGUAGES};

/// Days a choice is kept when the config does not say (about six months).
pub const DEFAULT_EXPIRY_DAYS: u32 = 182;
/// The longest a choice may be kept: 13 months.
pub const MAX_EXPIRY_DAYS: u32 = 395;

/// A text given in one or several languages. A plain string in the config
/// applies to every language and is stored under the language `*`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Localized(pub Vec<(String, String)>);

impl Localized {
    /// A text for every language.
    pub fn any(text: &str) -> Localized {
        Localized(vec![("*".to_owned(), text.to_owned())])
    }

    /// The text for `lang` exactly, or the one for every language.
    pub fn get(&self, lang: &str) -> Option<&str> {
        let find = |l: &str| self.0.iter().find(|(k, _)| k == l).map(|(_, v)| v.as_str());
        find(lang).or_else(|| find("*"))
    }

    /// The text for `lang`, else English, else the first one given.
    pub fn get_or_any(&self, lang: &str) -> Option<&str> {
        self.get(lang)
            .or_else(|| self.get(texts::FALLBACK_LANGUAGE))
            .or_else(|| self.0.first().map(|(_, v)| v.as_str()))
    }

    /// Whether no text is given at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where a text the config gives per language sits (see
/// [`Config::each_text`]), by the indices of what was read: `key` of the
/// config (`privacyPolicy`), of a category (`title`, `description`), of
/// one of its services (`name`), or of a cookie that either lists
/// (`purpose`, `duration`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextAt {
    /// The category's index, if the text is within one.
    pub category: Option<usize>,
    /// The service's index within the category, if the text is within one.
    pub service: Option<usize>,
    /// The cookie's index within the category or service, if a cookie's.
    pub cookie: Option<usize>,
    /// The text's key.
    pub key: &'static str,
}

impl TextAt {
    /// The config path of the text, as problems name it
    /// (`config.categories[2].services[0].cookies[1].purpose`).
    pub fn path(&self) -> String {
        use super::problem::{field, index};
        let mut path = String::from(super::validate::ROOT);
        for (list, i) in [("categories", self.category), ("services", self.service), ("cookies", self.cookie)] {
            if let Some(i) = i {
                path = index(&field(&path, list), i);
            }
        }
        field(&path, self.key)
    }
}

/// A cookie (or a family of cookies, with `*` in the name) that a category
/// or service sets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cookie {
    /// The name, where `*` stands for any run of characters (`_ga_*`).
    pub name: String,
    /// Who sets it (`Google`).
    pub provider: Option<String>,
    /// What it is for.
    pub purpose: Localized,
    /// How long it is kept (`2 jaar`).
    pub duration: Localized,
}

/// A third-party service within a category (`google-analytics`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    /// The id that `data-service` names.
    pub id: String,
    /// The name shown to visitors (the id when not given).
    pub name: Localized,
    /// The cookies it sets.
    pub cookies: Vec<Cookie>,
    /// `localStorage`/`sessionStorage` keys it sets (`*` wildcards).
    pub storage: Vec<String>,
}

/// A purpose for which cookies are set (`analytics`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Category {
    /// The id that `data-category` names.
    pub id: String,
    /// Whether the site cannot work without it: always on, never asked.
    pub required: bool,
    /// The title shown to visitors (built in for known ids).
    pub title: Localized,
    /// What it is for (built in for known ids).
    pub description: Localized,
    /// Its services, each with its own decision.
    pub services: Vec<Service>,
    /// Cookies it sets outside of any listed service.
    pub cookies: Vec<Cookie>,
    /// `localStorage`/`sessionStorage` keys it sets outside of any service.
    pub storage: Vec<String>,
    /// Whether a Global Privacy Control signal refuses it (`None`: yes
    /// when optional).
    pub gpc: Option<bool>,
}

impl Category {
    /// The title in `lang`: the config's (in another language if it has
    /// none in this one), else the built-in one, else the id.
    pub fn title_in<'a>(&'a self, lang: &str) -> &'a str {
        self.title
            .get_or_any(lang)
            .or_else(|| texts::built_in_category(&self.id, lang).map(|t| t.0))
            .unwrap_or(&self.id)
    }

    /// The description in `lang`: the config's (in another language if it
    /// has none in this one), else the built-in one.
    pub fn description_in<'a>(&'a self, lang: &str) -> &'a str {
        self.description
            .get_or_any(lang)
            .or_else(|| texts::built_in_category(&self.id, lang).map(|t| t.1))
            .unwrap_or("")
    }

    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// Whether the browser's Global Privacy Control signal refuses it.
    pub fn covered_by_gpc(&self) -> bool {
        !self.required && self.gpc.unwrap_or(true)
    }
}

/// Where the first layer sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// A bar across the bottom of the window.
    #[default]
    Bar,
    /// A box in the bottom corner.
    Box,
}

/// The seven Google Consent Mode v2 signals.
pub const CONSENT_SIGNALS: [&str; 7] = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
];

/// How the Google tag is handled (see the README's "Google Analytics").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConsentModeKind {
    /// The Google tag is held by the gate until consent.
    #[default]
    Basic,
    /// The Google tag loads at once with every signal denied, and receives
    /// updates.
    Advanced,
}

/// Google Consent Mode settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsentMode {
    /// Basic or advanced.
    pub kind: ConsentModeKind,
    /// For each signal, the categories that must all be accepted for it to
    /// be granted (none: always granted), in [`CONSENT_SIGNALS`] order.
    pub signals: Vec<(String, Vec<String>)>,
    /// The `data-service` ids that are the Google tag (released at once in
    /// advanced mode).
    pub google_services: Vec<String>,
}

impl Default for ConsentMode {
    fn default() -> Self {
        let map = |signal: &str, categories: &[&str]| {
            let mut owned = Vec::new();
            for c in categories {
                owned.push((*c).to_owned());
            }
            (signal.to_owned(), owned)
        };
        ConsentMode {
            kind: ConsentModeKind::Basic,
            signals: vec![
                map("ad_storage", &["marketing"]),
                map("ad_user_data", &["marketing"]),
                map("ad_personalization", &["marketing"]),
                map("analytics_storage", &["analytics"]),
                map("functionality_storage", &["functional"]),
                map("personalization_storage", &["functional"]),
                map("security_storage", &[]),
            ],
            google_services: vec![
                "google-analytics".to_owned(),
                "google-tag-manager".to_owned(),
                "google-ads".to_owned(),
            ],
        }
    }
}

/// The colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Light or dark, following the visitor's `prefers-color-scheme`.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The value of the `data-theme` attribute, if one is set.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

/// Where the consent record is kept (`store`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Store {
    /// `localStorage` only (the key `koekje`).
    #[default]
    LocalStorage,
    /// A first-party cookie only ([`ConsentCookie`]): the site's server
    /// can read it, and subdomains share it when it has a domain.
    Cookie,
    /// Both; on load, the newest record that still counts wins.
    Both,
}

impl Store {
    /// Whether the record is kept in `localStorage`.
    pub fn local(self) -> bool {
        self != Store::Cookie
    }

    /// Whether the record is kept in a cookie.
    pub fn cookie(self) -> bool {
        self != Store::LocalStorage
    }
}

/// The cookie that holds the consent record (`consentCookie`), when
/// [`Store`] says so.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsentCookie {
    /// Its name: letters, digits, `-` and `_`.
    pub name: String,
    /// The domain it is set for (`example.be`: every subdomain shares it);
    /// `None`: this host only.
    pub domain: Option<String>,
}

impl Default for ConsentCookie {
    fn default() -> Self {
        ConsentCookie { name: "koekje".to_owned(), domain: None }
    }
}

/// The whole configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Raise it when the purposes change: every visitor is asked again.
    pub revision: u32,
    /// A language to show whatever the page and browser say.
    pub language: Option<String>,
    /// The language when neither page nor browser names an available one.
    pub default_language: String,
    /// How long a choice is kept, in days.
    pub expiry_days: u32,
    /// The privacy policy's address, per language or for all.
    pub privacy_policy: Localized,
    /// Where the first layer sits.
    pub layout: Layout,
    /// The colour theme.
    pub theme: Theme,
    /// Whether the banner is modal: it takes focus and the page waits
    /// behind it until the visitor chooses.
    pub blocking: bool,
    /// Google Consent Mode.
    pub consent_mode: ConsentMode,
    /// Whether to reload the page after a withdrawal that affects scripts
    /// already run in it (they cannot be unloaded otherwise).
    pub reload_on_withdrawal: bool,
    /// The categories, in the order shown.
    pub categories: Vec<Category>,
    /// The config's words, per language.
    pub texts: Vec<TextOverrides>,
    /// Where choices are sent as consent-log events (`consentLog.url`):
    /// the receiver's base address.
    pub consent_log: Option<String>,
    /// Where the consent record is kept.
    pub store: Store,
    /// The consent cookie, when `store` uses one.
    pub consent_cookie: ConsentCookie,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            revision: 1,
            language: None,
            default_language: texts::FALLBACK_LANGUAGE.to_owned(),
            expiry_days: DEFAULT_EXPIRY_DAYS,
            privacy_policy: Localized::default(),
            layout: Layout::Bar,
            theme: Theme::Auto,
            blocking: false,
            consent_mode: ConsentMode::default(),
            reload_on_withdrawal: true,
            categories: default_categories(),
            texts: Vec::new(),
            consent_log: None,
            store: Store::LocalStorage,
            consent_cookie: ConsentCookie::default(),
        }
    }
}

/// The categories a page gets without configuration: identification and
/// functional (required) and analytics with Google Analytics (optional).
pub fn default_categories() -> Vec<Category> {
    let category = |id: &str, required: bool| Category { id: id.to_owned(), required, ..Category::default() };
    let mut analytics = category("analytics", false);
    analytics.services.push(Service {
        id: "google-analytics".to_owned(),
        name: Localized::any("Google Analytics"),
        cookies: Vec::new(),
        storage: Vec::new(),
    });
    for name in ["_ga", "_ga_*", "_gid", "_gat*"] {
        analytics.services[0].cookies.push(Cookie {
            name: name.to_owned(),
            provider: Some("Google".to_owned()),
            ..Cookie::default()
        });
    }
    vec![category("identification", true), category("functional", true), analytics]
}

/// The built-in categories with none required (see [`Config::fail_closed`]).
pub fn fail_closed_categories() -> Vec<Category> {
    let mut categories = default_categories();
    for c in &mut categories {
        c.required = false;
    }
    categories
}

impl Config {
    /// The config that stands in when the admin's could not be used (not
    /// loaded, not JSON, not an object, no valid category): the built-in
    /// categories with none required, so that nothing runs, not even
    /// what the admin may have meant as optional, until the visitor says so.
    pub fn fail_closed() -> Config {
        Config { categories: fail_closed_categories(), ..Config::default() }
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The languages there are words for: the built-in ones and those the
    /// config adds.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = BUILT_IN_LANGUAGES.to_vec();
        for o in &self.texts {
            if !langs.contains(&o.language.as_str()) {
                langs.push(&o.language);
            }
        }
        langs
    }

    /// Calls `f` with every text the config gives per language, given or
    /// left empty, and where it is: the privacy policy's address, then for
    /// each category its title and description, each service's name and
    /// its cookies' purpose and duration, then the category's own cookies'.
    /// The one definition of where they are (the interface texts, `texts`,
    /// are [`TextOverrides`]): the checker's languages go through it, and
    /// `tests/config_schema_agreement.rs` holds it to the schema's
    /// per-language fields, and the two walks written out for the shipped
    /// wasm's size to it: `validate::missing_texts` (the same texts, in the
    /// same order) and `notice::snapshot` (every text).
    pub fn each_text<'c>(&'c self, mut f: impl FnMut(TextAt, &'c Localized)) {
        fn at(category: Option<usize>, service: Option<usize>, cookie: Option<usize>, key: &'static str) -> TextAt {
            TextAt { category, service, cookie, key }
        }
        fn cookies<'c>(
            f: &mut impl FnMut(TextAt, &'c Localized),
            list: &'c [Cookie],
            category: usize,
            service: Option<usize>,
        ) {
            for (i, c) in list.iter().enumerate() {
                f(at(Some(category), service, Some(i), "purpose"), &c.purpose);
                f(at(Some(category), service, Some(i), "duration"), &c.duration);
            }
        }
        f(at(None, None, None, "privacyPolicy"), &self.privacy_policy);
        for (i, c) in self.categories.iter().enumerate() {
            f(at(Some(i), None, None, "title"), &c.title);
            f(at(Some(i), None, None, "description"), &c.description);
            for (j, s) in c.services.iter().enumerate() {
                f(at(Some(i), Some(j), None, "name"), &s.name);
                cookies(&mut f, &s.cookies, i, Some(j));
            }
            cookies(&mut f, &c.cookies, i, None);
        }
    }

    /// The interface string `text` in `lang`.
    pub fn text(&self, lang: &str, text: Text) -> &str {
        texts::lookup(&self.texts, lang, text)
    }

    /// How long a choice is kept, in milliseconds.
    pub fn expiry_ms(&self) -> f64 {
        self.expiry_days as f64 * 86_400_000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_has_the_three_categories_with_words_in_every_language() {
        let config = Config::default();
        let ids: Vec<_> = config.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["identification", "functional", "analytics"]);
        assert!(config.category("identification").unwrap().required);
        assert!(!config.category("analytics").unwrap().required);
        for lang in BUILT_IN_LANGUAGES {
            assert!(crate::core::validate::check_language(&config, lang).is_empty());
        }
        assert_eq!(config.category("analytics").unwrap().title_in("nl"), "Analytische cookies");
    }

    #[test]
    fn localized_falls_back_sensibly() {
        let l = Localized(vec![("fr".into(), "Bonjour".into()), ("en".into(), "Hello".into())]);
        assert_eq!(l.get("fr"), Some("Bonjour"));
        assert_eq!(l.get("nl"), None);
        assert_eq!(l.get_or_any("nl"), Some("Hello"));
        assert_eq!(Localized::any("X").get("de"), Some("X"));
    }

    #[test]
    fn custom_category_without_words_shows_its_id() {
        let c = Category { id: "chat".into(), ..Category::default() };
        assert_eq!(c.title_in("nl"), "chat");
    }
}
