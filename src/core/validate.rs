//! Turns the admin's JSON into a [`Config`], field by field.
//!
//! Every problem is reported with its path and the field is left at its
//! default; nothing is all-or-nothing. A mistake never makes a category
//! optional-and-accepted: a broken `required` means "optional", and optional
//! categories are only ever accepted by the visitor.

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::{
    fail_closed_categories, Category, Config, ConsentCookie, ConsentMode, ConsentModeKind, Cookie, Layout, Localized,
    Service, Store, Theme, MAX_EXPIRY_DAYS,
};
#[cfg(any(test, feature = "id-set"))]
use super::id_set::IdSet;
use super::problem::{field, index, quoted, Problem};
use super::texts::{Text, TextOverrides, BUILT_IN_LANGUAGES, KNOWN_CATEGORIES};
use super::value::Value;

/// The root of every path in config problems.
pub const ROOT: &str = "config";

/// Reads a config from `value`: what is valid is used, the rest is replaced
/// by defaults, and every problem is returned. A value that is not an
/// object, or whose `categories` has no valid entry, fails closed: the
/// built-in categories apply with none required ([`Config::fail_closed`]).
pub fn config_from_value(value: &Value) -> (Config, Vec<Problem>) {
    let mut c = Checker::default();
    let mut config = Config::default();
    let Some(pairs) = c.object(value, ROOT) else {
        return (Config::fail_closed(), c.problems);
    };
    let (mut has_categories, mut unknown_list, mut has_cookie) = (false, false, false);
    for (key, v) in pairs {
        let path = field(ROOT, key);
        match key.as_str() {
            "revision" => set(&mut config.revision, c.whole(v, &path, 0, u32::MAX)),
            "language" => config.language = c.language(v, &path),
            "defaultLanguage" => set(&mut config.default_language, c.language(v, &path)),
            "expiryDays" => set(&mut config.expiry_days, c.whole(v, &path, 1, MAX_EXPIRY_DAYS)),
            "privacyPolicy" => set(&mut config.privacy_policy, c.addresses(v, &path)),
            "layout" => set(
                &mut config.layout,
                c.one_of(v, &path, &[("bar", Layout::Bar), ("box", Layout::Box)], "expected \"bar\" or \"box\""),
            ),
            "theme" => set(
                &mut config.theme,
                c.one_of(
                    v,
                    &path,
                    &[("auto", Theme::Auto), ("light", Theme::Light), ("dark", Theme::Dark)],
                    "expected \"auto\", \"light\" or \"dark\"",
                ),
            ),
            "blocking" => set(&mut config.blocking, c.bool(v, &path)),
            "reloadOnWithdrawal" => set(&mut config.reload_on_withdrawal, c.bool(v, &path)),
            "consentMode" => c.consent_mode(v, &path, &mut config.consent_mode),
            "categories" => {
                has_categories = true;
                config.categories = c.categories(v, &path).unwrap_or_else(fail_closed_categories);
            }
            "texts" => config.texts = c.texts(v, &path),
            "consentLog" => config.consent_log = c.consent_log(v, &path),
            "store" => set(
                &mut config.store,
                c.one_of(
                    v,
                    &path,
                    &[("localStorage", Store::LocalStorage), ("cookie", Store::Cookie), ("both", Store::Both)],
                    "expected \"localStorage\", \"cookie\" or \"both\"",
                ),
            ),
            "consentCookie" => {
                has_cookie = true;
                c.consent_cookie(v, &path, &mut config.consent_cookie);
            }
            // Editor help: the JSON Schema's address, and free notes.
            "$schema" | "$comment" => {}
            _ => {
                // A list of objects with an `id`, as categories are.
                unknown_list |= v.as_array().is_some_and(|items| items.iter().any(|i| i.get("id").is_some()));
                c.unknown(&path);
            }
        }
    }
    let categories = field(ROOT, "categories");
    if unknown_list && !has_categories {
        // `"categorys": […]`: the built-in categories, some of them
        // required, must not stand in for the ones the admin wrote.
        config.categories = fail_closed_categories();
        c.report(
            &categories,
            "missing, and an unknown key holds a list of ids (misspelt?): the built-in categories apply, none required",
        );
    }
    if has_cookie && !config.store.cookie() {
        c.report(&field(ROOT, "consentCookie"), "ignored: \"store\" is not \"cookie\" or \"both\"");
    }
    if !c.signal_categories.is_empty() {
        // Against the ids (a set with `id-set`: linear, however many of both there are).
        let all = &config.categories;
        let ids = Ids::of(all, category_id);
        for (path, id) in &c.signal_categories {
            if !ids.contains(id, all, category_id) {
                let mut message = quoted("unknown category", id);
                message.push_str(" (the signal stays denied)");
                c.problems.push(Problem::new(path, &message));
            }
        }
    }
    (config, c.problems)
}

/// The problem of a config that cannot be used at all: `config from
/// "<source>": <what><why>); the built-in categories apply, none required`
/// (`what` is `not valid JSON (` or `could not be loaded (`).
pub fn unusable(source: &str, what: &str, why: &str) -> Problem {
    let mut m = String::from(what);
    m.push_str(why);
    m.push_str("); the built-in categories apply, none required");
    Problem::new(&quoted("config from", source), &m)
}

/// Problems that only show once the languages are known: a `language` or
/// `defaultLanguage` with no texts, and every text the config gives in some
/// languages but not in `lang` (see [`missing_texts`]).
pub fn check_language(config: &Config, lang: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let available = config.languages();
    let wanted =
        [("language", config.language.as_deref()), ("defaultLanguage", Some(config.default_language.as_str()))];
    for (key, code) in wanted {
        if let Some(code) = code.filter(|c| !available.contains(c)) {
            let mut message = quoted("no texts in", code);
            message.push_str(" (ignored)");
            problems.push(Problem::new(&field(ROOT, key), &message));
        }
    }
    missing_texts(config, lang, &mut problems);
    problems
}

/// Pushes a problem for every text a visitor in `lang` would see in another
/// language (`config.categories[2].description: no text in fr`): a category
/// title or description the config gives in other languages only (or, for
/// an id that is not built in, not at all), a service name, a cookie's
/// purpose or duration, and an interface text (`texts.nl.bannerText`) given
/// for another language but not this one. Paths count the categories,
/// services and cookies that were read (an entry left out shifts them).
/// Written out rather than over [`Config::each_text`], which cost 0.2 kB
/// gzip of shipped wasm (measured); `tests/config_schema_agreement.rs`
/// holds it to that walk: every text, in the same order.
pub fn missing_texts(config: &Config, lang: &str, out: &mut Vec<Problem>) {
    let mut message = String::from("no text in ");
    message.push_str(lang);
    let lacks = |text: &Localized, path: &str, out: &mut Vec<Problem>| {
        if !text.is_empty() && text.get(lang).is_none() {
            out.push(Problem::new(path, &message));
        }
    };
    let cookies = |cookies: &[Cookie], parent: &str, out: &mut Vec<Problem>| {
        let list = field(parent, "cookies");
        for (i, cookie) in cookies.iter().enumerate() {
            let p = index(&list, i);
            lacks(&cookie.purpose, &field(&p, "purpose"), out);
            lacks(&cookie.duration, &field(&p, "duration"), out);
        }
    };
    let categories = field(ROOT, "categories");
    for (i, category) in config.categories.iter().enumerate() {
        let p = index(&categories, i);
        let built_in = KNOWN_CATEGORIES.contains(&category.id.as_str()) && BUILT_IN_LANGUAGES.contains(&lang);
        for (key, text) in [("title", &category.title), ("description", &category.description)] {
            let path = field(&p, key);
            if text.is_empty() && !built_in {
                out.push(Problem::new(&path, &message));
            }
            lacks(text, &path, out);
        }
        let services = field(&p, "services");
        for (j, service) in category.services.iter().enumerate() {
            let sp = index(&services, j);
            lacks(&service.name, &field(&sp, "name"), out);
            cookies(&service.cookies, &sp, out);
        }
        cookies(&category.cookies, &p, out);
    }
    let texts = field(&field(ROOT, "texts"), lang);
    let shown = config.texts.iter().find(|o| o.language == lang);
    let mut named = Vec::new();
    for o in &config.texts {
        for (text, _) in &o.strings {
            if shown.is_none_or(|s| s.get(*text).is_none()) && !named.contains(text) {
                named.push(*text);
                out.push(Problem::new(&field(&texts, text.key()), &message));
            }
        }
    }
}

/// The names that `Object.prototype` gives every object (and `prototype`):
/// refused as ids.
const OBJECT_NAMES: [&str; 13] = [
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "prototype",
    "toLocaleString",
    "toString",
    "valueOf",
];

/// Whether `url` is a path or an `http(s):` address: anything with a
/// scheme (a `:` before the first `/`, `?` or `#`) other than exactly
/// `http` or `https` is refused, so no spelling the browser's URL parser
/// would read as `javascript:` or `data:` (case, tabs, leading control
/// characters) gets through.
pub fn is_web_address(url: &str) -> bool {
    match scheme(url) {
        Some(scheme) => scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"),
        None => true,
    }
}

/// The scheme of `url` (what comes before a `:` that precedes any `/`, `?`
/// and `#`), if it has one; `None` for a path.
fn scheme(url: &str) -> Option<&str> {
    let url = url.trim_ascii();
    let end = url.bytes().position(|b| matches!(b, b':' | b'/' | b'?' | b'#'))?;
    match url.as_bytes().get(end) {
        Some(b':') => url.get(..end),
        _ => None,
    }
}

/// Whether a path (an address without a scheme) stays on the page's site.
/// Browsers drop leading spaces and control characters and every tab and
/// line break, and read `\` as `/` in http addresses: so a path that then
/// starts with `//` (`//evil.example/p`, `\\evil.example/p`, `/\evil.example`)
/// names another host. Refused: such a start, and any `\`.
fn is_site_path(path: &str) -> bool {
    let mut seen = 0;
    let mut first_slash = false;
    for b in path.bytes() {
        match b {
            b'\\' => return false,
            b'\t' | b'\n' | b'\r' => continue,
            0..=0x20 if seen == 0 => continue,
            _ => {}
        }
        if seen == 0 {
            first_slash = b == b'/';
        } else if seen == 1 && first_slash && b == b'/' {
            return false;
        }
        seen += 1;
    }
    true
}

/// Why a config address (`privacyPolicy`, `consentLog.url`) is refused, if
/// it is: a scheme other than `http(s)`, or a path that leaves the site.
fn address_problem(url: &str) -> Option<String> {
    if !is_web_address(url) {
        return Some("expected a web address (http, https or a path)".to_owned());
    }
    if scheme(url).is_none() && !is_site_path(url) {
        let mut m = quoted("not a path on this site:", url);
        m.push_str(" (a path may not start with \"//\" or hold a \"\\\": browsers read \"//\" as another host, and \"\\\" as \"/\")");
        return Some(m);
    }
    None
}

/// Whether `name` is a host name as browsers write it: labels of lowercase
/// letters, digits and `-`, joined by single dots (`www.example.be`,
/// `localhost`).
fn is_host_name(name: &str) -> bool {
    let mut after_dot = true;
    for b in name.bytes() {
        match b {
            b'.' if !after_dot => after_dot = true,
            b'-' | b'0'..=b'9' | b'a'..=b'z' => after_dot = false,
            _ => return false,
        }
    }
    !after_dot
}

/// The ids read so far (of categories, or of one category's services), to
/// find a repeated one. With the feature `id-set` (the checker, the tests) a
/// hash set ([`IdSet`]): one pass, however many ids (200,000 categories in
/// seconds). Without it (the shipped banner, which reads one site's handful
/// of categories) each id is compared with the earlier ones: as fast there,
/// and 0.6 kB gzip smaller.
struct Ids {
    #[cfg(any(test, feature = "id-set"))]
    set: IdSet,
}

impl Ids {
    fn with_capacity(_n: usize) -> Ids {
        Ids {
            #[cfg(any(test, feature = "id-set"))]
            set: IdSet::with_capacity(_n),
        }
    }

    /// The ids of `items` (whose ids `key` gives).
    fn of<T>(items: &[T], key: fn(&T) -> &str) -> Ids {
        #[allow(unused_mut)]
        let mut ids = Ids::with_capacity(items.len());
        #[cfg(any(test, feature = "id-set"))]
        for (i, item) in items.iter().enumerate() {
            ids.insert(key(item), items.get(..i).unwrap_or_default(), key);
        }
        #[cfg(not(any(test, feature = "id-set")))]
        let _ = key;
        ids
    }

    /// Adds `id`, to come after the `earlier` items (whose ids `key`
    /// gives); false if one of them has the same id.
    fn insert<T>(&mut self, id: &str, earlier: &[T], key: fn(&T) -> &str) -> bool {
        #[cfg(any(test, feature = "id-set"))]
        return self.set.insert(id, earlier.len(), |i| earlier.get(i).map_or("", key));
        #[cfg(not(any(test, feature = "id-set")))]
        return !self.contains(id, earlier, key);
    }

    /// Whether one of `items` (all that were added) has the id `id`.
    fn contains<T>(&self, id: &str, items: &[T], key: fn(&T) -> &str) -> bool {
        #[cfg(any(test, feature = "id-set"))]
        return self.set.contains(id, |i| items.get(i).map_or("", key));
        #[cfg(not(any(test, feature = "id-set")))]
        return items.iter().any(|t| key(t) == id);
    }
}

fn category_id(c: &Category) -> &str {
    &c.id
}

fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *target = v;
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    /// The categories `consentMode.signals` names, with their paths: checked
    /// once every category is read.
    signal_categories: Vec<(String, String)>,
}

impl Checker {
    fn report(&mut self, path: &str, message: &str) {
        self.problems.push(Problem::new(path, message));
    }

    fn unknown(&mut self, path: &str) {
        self.report(path, "unknown key (ignored)");
    }

    fn object<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v [(String, Value)]> {
        let pairs = v.as_object();
        if pairs.is_none() {
            self.report(path, "expected an object");
        }
        pairs
    }

    fn array<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v [Value]> {
        let items = v.as_array();
        if items.is_none() {
            self.report(path, "expected an array");
        }
        items
    }

    fn string(&mut self, v: &Value, path: &str) -> Option<String> {
        match v.as_str() {
            Some(s) if !s.trim_ascii().is_empty() => Some(s.to_owned()),
            Some(_) => {
                self.report(path, "expected a non-empty string");
                None
            }
            None => {
                self.report(path, "expected a string");
                None
            }
        }
    }

    fn bool(&mut self, v: &Value, path: &str) -> Option<bool> {
        let b = v.as_bool();
        if b.is_none() {
            self.report(path, "expected true or false");
        }
        b
    }

    fn whole(&mut self, v: &Value, path: &str, min: u32, max: u32) -> Option<u32> {
        match v.as_f64() {
            // `as` saturates: a whole number in range survives the round trip.
            Some(n) if n == (n as u32) as f64 && n >= min as f64 && n <= max as f64 => Some(n as u32),
            _ => {
                let mut m = String::from("expected a whole number from ");
                super::problem::push_number(&mut m, min as usize);
                m.push_str(" to ");
                super::problem::push_number(&mut m, max as usize);
                self.report(path, &m);
                None
            }
        }
    }

    /// An id: letters, digits, `-` and `_` (it ends up in attributes and
    /// ids), and not a name that plain JavaScript objects already have: ids
    /// are keys of the objects `consent()` returns, and page code that calls
    /// `record.categories.hasOwnProperty(…)` must keep working.
    fn id(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.token(v, path)?;
        if OBJECT_NAMES.contains(&s.as_str()) {
            self.report(path, "a name every JavaScript object has; choose another id");
            None
        } else if s.len() > super::log_event::MAX_ID_LEN {
            // The consent log records ids of at most this length: a longer
            // one could never be proven.
            self.report(path, "longer than 64 characters (the consent log records ids of at most 64)");
            None
        } else {
            Some(s)
        }
    }

    /// A non-empty string of letters, digits, `-` and `_`.
    fn token(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.string(v, path)?;
        if super::record_cookie::is_token(&s) {
            Some(s)
        } else {
            self.report(path, "expected only letters, digits, - and _");
            None
        }
    }

    /// `{ "name": "koekje", "domain": "example.be" }`. A domain that is not
    /// a host name in lowercase is left out (the cookie stays on the page's
    /// host); a leading `.` is dropped.
    fn consent_cookie(&mut self, v: &Value, path: &str, cookie: &mut ConsentCookie) {
        for (key, v) in self.object(v, path).unwrap_or(&[]) {
            let p = field(path, key);
            match key.as_str() {
                "name" => set(&mut cookie.name, self.token(v, &p)),
                "domain" => {
                    let Some(d) = self.string(v, &p) else { continue };
                    let d = d.get(usize::from(d.as_bytes().first() == Some(&b'.'))..).unwrap_or_default();
                    if is_host_name(d) {
                        cookie.domain = Some(d.to_owned());
                    } else {
                        self.report(&p, "expected a domain name such as \"example.be\"");
                    }
                }
                _ => self.unknown(&p),
            }
        }
        // The browser refuses a `__Host-` cookie with a domain.
        if cookie.name.as_bytes().starts_with(b"__Host-") && cookie.domain.take().is_some() {
            self.report(&field(path, "domain"), "a __Host- cookie has none (ignored)");
        }
    }

    fn language(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.string(v, path)?;
        let lang = super::language::primary_subtag(&s);
        if (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_alphabetic()) {
            Some(lang)
        } else {
            self.report(path, "expected a language tag such as \"nl\" or \"nl-BE\"");
            None
        }
    }

    /// One of the keywords of `choices`, or a report that names them (`expected`).
    fn one_of<T: Copy>(&mut self, v: &Value, path: &str, choices: &[(&str, T)], expected: &str) -> Option<T> {
        let found = v.as_str().and_then(|s| choices.iter().find(|(k, _)| *k == s));
        if found.is_none() {
            self.report(path, expected);
        }
        found.map(|(_, t)| *t)
    }

    /// A string for every language, or an object of language -> string.
    fn localized(&mut self, v: &Value, path: &str) -> Option<Localized> {
        if let Value::String(_) = v {
            return self.string(v, path).map(|s| Localized::any(&s));
        }
        let pairs = match v.as_object() {
            Some(p) => p,
            None => {
                self.report(path, "expected a string or an object of language: string");
                return None;
            }
        };
        let mut texts = Vec::new();
        for (lang, text) in pairs {
            let p = field(path, lang);
            let language = self.language(&Value::String(lang.clone()), &p);
            if let (Some(l), Some(t)) = (language, self.string(text, &p)) {
                texts.push((l, t));
            }
        }
        Some(Localized(texts))
    }

    /// Web addresses (per language or for all): `http:`, `https:` or a path
    /// on this site; never `javascript:` or `data:`, which would run code
    /// when clicked, nor `//host/…`. One bad address leaves them all out.
    fn addresses(&mut self, v: &Value, path: &str) -> Option<Localized> {
        let all = self.localized(v, path)?;
        for (_, url) in &all.0 {
            if let Some(message) = address_problem(url) {
                self.report(path, &message);
                return None;
            }
        }
        Some(all)
    }

    fn categories(&mut self, v: &Value, path: &str) -> Option<Vec<Category>> {
        let items = self.array(v, path)?;
        let mut categories: Vec<Category> = Vec::new();
        let mut ids = Ids::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = index(path, i);
            if let Some(category) = self.category(item, &p) {
                if !ids.insert(&category.id, &categories, category_id) {
                    self.report(&field(&p, "id"), &quoted("duplicate id", &category.id));
                } else {
                    categories.push(category);
                }
            }
        }
        if categories.is_empty() {
            self.report(path, "no valid category: the built-in categories apply, none required");
            return None;
        }
        Some(categories)
    }

    fn category(&mut self, v: &Value, path: &str) -> Option<Category> {
        let pairs = self.object(v, path)?;
        let mut category = Category::default();
        let mut id = None;
        for (key, v) in pairs {
            let p = field(path, key);
            match key.as_str() {
                "id" => id = self.id(v, &p),
                // A broken `required` leaves the category optional: off until accepted.
                "required" => category.required = self.bool(v, &p).unwrap_or(false),
                "title" => set(&mut category.title, self.localized(v, &p)),
                "description" => set(&mut category.description, self.localized(v, &p)),
                "services" => category.services = self.services(v, &p),
                "cookies" => category.cookies = self.cookies(v, &p),
                "storage" => category.storage = self.strings(v, &p),
                "gpc" => category.gpc = self.bool(v, &p),
                _ => self.unknown(&p),
            }
        }
        match id {
            Some(id) => {
                category.id = id;
                Some(category)
            }
            None => {
                if v.get("id").is_none() {
                    self.report(&field(path, "id"), "missing (the category is left out)");
                }
                None
            }
        }
    }

    fn services(&mut self, v: &Value, path: &str) -> Vec<Service> {
        let mut services: Vec<Service> = Vec::new();
        let items = self.array(v, path).unwrap_or(&[]);
        let mut ids = Ids::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = index(path, i);
            let Some(pairs) = self.object(item, &p) else { continue };
            let mut service = Service::default();
            let mut id = None;
            for (key, v) in pairs {
                let fp = field(&p, key);
                match key.as_str() {
                    "id" => id = self.id(v, &fp),
                    "name" => set(&mut service.name, self.localized(v, &fp)),
                    "cookies" => service.cookies = self.cookies(v, &fp),
                    "storage" => service.storage = self.strings(v, &fp),
                    _ => self.unknown(&fp),
                }
            }
            match id {
                Some(id) if !ids.insert(&id, &services, |s| &s.id) => {
                    self.report(&field(&p, "id"), &quoted("duplicate id", &id))
                }
                Some(id) => {
                    if service.name.is_empty() {
                        service.name = Localized::any(&id);
                    }
                    service.id = id;
                    services.push(service);
                }
                None if item.get("id").is_none() => self.report(&field(&p, "id"), "missing (the service is left out)"),
                None => {}
            }
        }
        services
    }

    /// An array of non-empty strings.
    fn strings(&mut self, v: &Value, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, item) in self.array(v, path).unwrap_or(&[]).iter().enumerate() {
            if let Some(s) = self.string(item, &index(path, i)) {
                out.push(s);
            }
        }
        out
    }

    /// `{ "mode": "basic" | "advanced", "signals": { signal: [category…] },
    ///    "googleServices": [service…] }`
    fn consent_mode(&mut self, v: &Value, path: &str, mode: &mut ConsentMode) {
        for (key, v) in self.object(v, path).unwrap_or(&[]) {
            let p = field(path, key);
            match key.as_str() {
                "mode" => match v.as_str() {
                    Some("basic") => mode.kind = ConsentModeKind::Basic,
                    Some("advanced") => mode.kind = ConsentModeKind::Advanced,
                    _ => self.report(&p, "expected \"basic\" or \"advanced\""),
                },
                "signals" => {
                    for (signal, categories) in self.object(v, &p).unwrap_or(&[]) {
                        let sp = field(&p, signal);
                        let Some(slot) = mode.signals.iter_mut().find(|(s, _)| s == signal) else {
                            self.report(&sp, "unknown signal (ignored)");
                            continue;
                        };
                        if self.array(categories, &sp).is_some() {
                            slot.1 = self.strings(categories, &sp);
                            for id in &slot.1 {
                                self.signal_categories.push((sp.clone(), id.clone()));
                            }
                        }
                    }
                }
                "googleServices" => {
                    if self.array(v, &p).is_some() {
                        mode.google_services = self.strings(v, &p);
                    }
                }
                _ => self.unknown(&p),
            }
        }
    }

    /// `{ "url": address }`: where choices are sent (an `http(s)` address
    /// or a path).
    fn consent_log(&mut self, v: &Value, path: &str) -> Option<String> {
        let mut url = None;
        for (key, v) in self.object(v, path)? {
            let p = field(path, key);
            match key.as_str() {
                "url" => match self.string(v, &p).map(|u| (address_problem(&u), u)) {
                    Some((None, u)) => url = Some(u),
                    Some((Some(message), _)) => self.report(&p, &message),
                    None => {}
                },
                _ => self.unknown(&p),
            }
        }
        if url.is_none() && v.get("url").is_none() {
            self.report(&field(path, "url"), "missing (no consent log)");
        }
        url
    }

    /// Cookie names, or objects with a name and details for the cookie table.
    fn cookies(&mut self, v: &Value, path: &str) -> Vec<Cookie> {
        let mut cookies = Vec::new();
        for (i, item) in self.array(v, path).unwrap_or(&[]).iter().enumerate() {
            let p = index(path, i);
            if let Value::String(_) = item {
                if let Some(name) = self.string(item, &p) {
                    cookies.push(Cookie { name, ..Cookie::default() });
                }
                continue;
            }
            let Some(pairs) = item.as_object() else {
                self.report(&p, "expected a cookie name or an object with a name");
                continue;
            };
            let mut cookie = Cookie::default();
            for (key, v) in pairs {
                let fp = field(&p, key);
                match key.as_str() {
                    "name" => set(&mut cookie.name, self.string(v, &fp)),
                    "provider" => cookie.provider = self.string(v, &fp),
                    "purpose" => set(&mut cookie.purpose, self.localized(v, &fp)),
                    "duration" => set(&mut cookie.duration, self.localized(v, &fp)),
                    _ => self.unknown(&fp),
                }
            }
            if cookie.name.is_empty() {
                if item.get("name").is_none() {
                    self.report(&field(&p, "name"), "missing (the cookie is left out)");
                }
            } else {
                cookies.push(cookie);
            }
        }
        cookies
    }

    /// `{ "nl": { "acceptAll": "…" }, "es": { … } }`
    fn texts(&mut self, v: &Value, path: &str) -> Vec<TextOverrides> {
        let mut all: Vec<TextOverrides> = Vec::new();
        for (lang, strings) in self.object(v, path).unwrap_or(&[]) {
            let p = field(path, lang);
            let Some(language) = self.language(&Value::String(lang.clone()), &p) else {
                continue;
            };
            let Some(pairs) = self.object(strings, &p) else { continue };
            let mut overrides = TextOverrides { language, strings: Vec::new() };
            for (key, text) in pairs {
                let fp = field(&p, key);
                match Text::from_key(key) {
                    Some(t) => {
                        if let Some(s) = self.string(text, &fp) {
                            overrides.strings.push((t, s));
                        }
                    }
                    None => self.unknown(&fp),
                }
            }
            match all.iter_mut().find(|o| o.language == overrides.language) {
                Some(existing) => existing.strings.extend(overrides.strings),
                None => all.push(overrides),
            }
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::value::parse;

    fn read(json: &str) -> (Config, Vec<String>) {
        let (config, problems) = config_from_value(&parse(json));
        (config, problems.iter().map(|p| p.to_console_line()).collect())
    }

    #[test]
    fn empty_object_is_the_default() {
        let (config, problems) = read("{}");
        assert_eq!(config, Config::default());
        assert!(problems.is_empty());
    }

    #[test]
    fn full_config_is_read() {
        let (config, problems) = read(
            r#"{
              "revision": 3, "language": "nl-BE", "defaultLanguage": "fr", "expiryDays": 30,
              "privacyPolicy": {"nl": "/privacy.html", "fr": "/fr/vie-privee.html"},
              "layout": "box", "theme": "dark", "blocking": true,
              "categories": [
                {"id": "functional", "required": true},
                {"id": "analytics", "title": {"nl": "Statistieken"},
                 "services": [{"id": "google-analytics", "name": "Google Analytics",
                   "cookies": ["_ga", {"name": "_ga_*", "provider": "Google",
                     "purpose": {"nl": "Onderscheidt bezoekers"}, "duration": "2 jaar"}]}],
                 "cookies": ["_hj*"]}
              ],
              "texts": {"nl": {"acceptAll": "Ja, graag"}, "es": {"acceptAll": "Aceptar todo"}}
            }"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.revision, 3);
        assert_eq!(config.language.as_deref(), Some("nl"));
        assert_eq!(config.default_language, "fr");
        assert_eq!(config.expiry_days, 30);
        assert_eq!(config.privacy_policy.get("fr"), Some("/fr/vie-privee.html"));
        assert_eq!(config.layout, Layout::Box);
        assert_eq!(config.theme, Theme::Dark);
        assert!(config.blocking);
        let analytics = config.category("analytics").unwrap();
        assert_eq!(analytics.title_in("nl"), "Statistieken");
        // The admin's words stand in for a language they lack (and are
        // reported then); built-in words fill in only what the config leaves out.
        assert_eq!(analytics.title_in("fr"), "Statistieken");
        assert_eq!(
            analytics.description_in("fr"),
            "Comptent les visites et montrent quelles pages sont consultées, pour que le site puisse être amélioré."
        );
        let ga = analytics.service("google-analytics").unwrap();
        assert_eq!(ga.cookies.len(), 2);
        assert_eq!(ga.cookies[1].provider.as_deref(), Some("Google"));
        assert_eq!(ga.cookies[1].duration.get("de"), Some("2 jaar"));
        assert_eq!(analytics.cookies[0].name, "_hj*");
        assert_eq!(config.text("nl", Text::AcceptAll), "Ja, graag");
        assert_eq!(config.text("es", Text::AcceptAll), "Aceptar todo");
        assert_eq!(config.languages(), ["nl", "fr", "de", "en", "es"]);
    }

    #[test]
    fn consent_mode_and_withdrawal_settings() {
        let (config, problems) = read(
            r#"{"reloadOnWithdrawal": false,
                "consentMode": {"mode": "advanced", "signals": {"ad_storage": ["ads"], "analytics_storage": [], "fun": []},
                                "googleServices": ["gtm"]},
                "categories": [{"id": "analytics", "gpc": false, "storage": ["_hj*"],
                                "services": [{"id": "hotjar", "storage": ["hj_session"]}]}]}"#,
        );
        assert_eq!(
            problems,
            [
                "koekje: config.consentMode.signals.fun: unknown signal (ignored)",
                // Checked against the categories, whatever the keys' order.
                "koekje: config.consentMode.signals.ad_storage: unknown category \"ads\" (the signal stays denied)",
            ]
        );
        assert!(!config.reload_on_withdrawal);
        assert_eq!(config.consent_mode.kind, ConsentModeKind::Advanced);
        assert_eq!(config.consent_mode.signals[0], ("ad_storage".to_owned(), vec!["ads".to_owned()]));
        assert_eq!(config.consent_mode.signals[3], ("analytics_storage".to_owned(), vec![]));
        assert_eq!(config.consent_mode.google_services, ["gtm"]);
        let analytics = config.category("analytics").unwrap();
        assert!(!analytics.covered_by_gpc());
        assert_eq!(analytics.storage, ["_hj*"]);
        assert_eq!(analytics.services[0].storage, ["hj_session"]);
        assert!(Config::default().category("analytics").unwrap().covered_by_gpc());
        assert!(!Config::default().category("functional").unwrap().covered_by_gpc());
    }

    #[test]
    fn wrong_types_are_named_and_defaults_kept() {
        let (config, problems) = read(
            r#"{"revision": "two", "expiryDays": 1000, "layout": "popup", "theme": "pink", "blocking": 1,
                "categories": [{"id": "functional", "required": true}, {"id": "a"}, {"id": 7}]}"#,
        );
        assert_eq!(
            problems,
            [
                "koekje: config.revision: expected a whole number from 0 to 4294967295",
                "koekje: config.expiryDays: expected a whole number from 1 to 395",
                "koekje: config.layout: expected \"bar\" or \"box\"",
                "koekje: config.theme: expected \"auto\", \"light\" or \"dark\"",
                "koekje: config.blocking: expected true or false",
                "koekje: config.categories[2].id: expected a string",
            ]
        );
        assert_eq!(config.revision, 1);
        assert_eq!(config.expiry_days, 182);
        assert_eq!(config.categories.len(), 2);
    }

    #[test]
    fn unknown_keys_and_duplicates_are_reported() {
        let (config, problems) = read(
            r#"{"colour": "red", "categories": [
                {"id": "analytics", "requird": true},
                {"id": "analytics"},
                {"id": "x", "services": [{"id": "s"}, {"id": "s"}, {"name": "n"}],
                 "cookies": [3, {"provider": "p"}]}],
                "texts": {"nl": {"acceptEverything": "x"}}}"#,
        );
        assert_eq!(
            problems,
            [
                "koekje: config.colour: unknown key (ignored)",
                "koekje: config.categories[0].requird: unknown key (ignored)",
                "koekje: config.categories[1].id: duplicate id \"analytics\"",
                "koekje: config.categories[2].services[1].id: duplicate id \"s\"",
                "koekje: config.categories[2].services[2].id: missing (the service is left out)",
                "koekje: config.categories[2].cookies[0]: expected a cookie name or an object with a name",
                "koekje: config.categories[2].cookies[1].name: missing (the cookie is left out)",
                "koekje: config.texts.nl.acceptEverything: unknown key (ignored)",
            ]
        );
        assert_eq!(config.categories.len(), 2);
        // The misspelt `required` did not make the category required.
        assert!(!config.category("analytics").unwrap().required);
    }

    #[test]
    fn broken_required_never_means_required() {
        let (config, problems) = read(r#"{"categories": [{"id": "analytics", "required": "yes"}]}"#);
        assert_eq!(problems, ["koekje: config.categories[0].required: expected true or false"]);
        assert!(!config.category("analytics").unwrap().required);
    }

    #[test]
    fn not_an_object_or_no_valid_category_fails_closed() {
        let (config, problems) = read("[1, 2]");
        assert_eq!(config, Config::fail_closed());
        assert_eq!(problems, ["koekje: config: expected an object"]);
        // The built-in categories, none of them required: nothing runs
        // before the visitor chooses.
        let ids: Vec<_> = config.categories.iter().map(|c| (c.id.as_str(), c.required)).collect();
        assert_eq!(ids, [("identification", false), ("functional", false), ("analytics", false)]);
        assert!(Config::default().categories[1].required);

        for categories in [r#"[{"id": ""}]"#, "[]", r#"{"functional": true}"#] {
            let (config, problems) = read(&format!(r#"{{"revision": 3, "categories": {categories}}}"#));
            assert_eq!(config.categories, Config::fail_closed().categories, "{categories}");
            assert_eq!(config.revision, 3);
            assert!(!problems.is_empty());
        }
        let (_, problems) = read(r#"{"categories": [{"id": ""}]}"#);
        assert_eq!(
            problems,
            [
                "koekje: config.categories[0].id: expected a non-empty string",
                "koekje: config.categories: no valid category: the built-in categories apply, none required",
            ]
        );
    }

    #[test]
    fn privacy_policy_must_be_a_web_address() {
        for ok in ["/privacy.html", "privacy.html", "https://x.example/p?a=b:c", "#cookies", "HTTP://x"] {
            assert!(is_web_address(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "vbscript:x"] {
            assert!(!is_web_address(bad), "{bad}");
        }
        let (config, problems) = read(r#"{"privacyPolicy": {"nl": "/p", "fr": "javascript:x"}}"#);
        assert!(config.privacy_policy.is_empty());
        assert_eq!(problems, ["koekje: config.privacyPolicy: expected a web address (http, https or a path)"]);
    }

    #[test]
    fn a_path_must_stay_on_the_site() {
        for ok in [
            "/privacy.html",
            "privacy.html",
            "./p",
            "/a//b",
            "#cookies",
            "?x=/",
            " /p",
            "https://x.example//p",
            "http:\\\\x.example",
        ] {
            assert!(address_problem(ok).is_none(), "{ok}");
        }
        // What browsers read as another host (`\` is `/` to them; tabs and
        // line breaks are dropped, and leading spaces and control characters).
        for bad in [
            "//evil.example/p",
            "\\\\evil.example/p",
            "/\\evil.example",
            "\\/evil.example",
            " //e",
            "/\t/e",
            "\u{1}//e",
            "/p\\q",
            "privacy\\x.html",
        ] {
            assert!(address_problem(bad).is_some(), "{bad:?}");
        }
        let (config, problems) = read(
            r#"{"privacyPolicy": {"nl": "/p", "fr": "//evil.example/p"}, "consentLog": {"url": "\\\\evil.example/c"}}"#,
        );
        assert!(config.privacy_policy.is_empty());
        assert_eq!(config.consent_log, None);
        let why =
            r#"(a path may not start with "//" or hold a "\": browsers read "//" as another host, and "\" as "/")"#;
        assert_eq!(
            problems,
            [
                ["koekje: config.privacyPolicy: not a path on this site: \"//evil.example/p\" ", why].concat(),
                ["koekje: config.consentLog.url: not a path on this site: \"\\\\evil.example/c\" ", why].concat(),
            ]
        );
    }

    #[test]
    fn ids_must_be_safe_for_markup() {
        let (_, problems) = read(r#"{"categories": [{"id": "a b\"><img>"}, {"id": "ok"}]}"#);
        assert_eq!(problems, ["koekje: config.categories[0].id: expected only letters, digits, - and _"]);
    }

    #[test]
    fn schema_address_and_comments_are_accepted() {
        let (_, problems) = read(
            r#"{"$schema": "https://example.org/koekje-config.schema.json", "$comment": "for the shop", "revision": 2}"#,
        );
        assert_eq!(problems, Vec::<String>::new());
    }

    #[test]
    fn where_the_choice_is_kept() {
        assert_eq!(Config::default().store, Store::LocalStorage);
        assert!(Store::LocalStorage.local() && !Store::LocalStorage.cookie());
        assert!(!Store::Cookie.local() && Store::Cookie.cookie());
        assert!(Store::Both.local() && Store::Both.cookie());
        let (config, problems) =
            read(r#"{"store": "both", "consentCookie": {"name": "zw_consent", "domain": ".zonnepanelen.test"}}"#);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.store, Store::Both);
        assert_eq!(
            config.consent_cookie,
            ConsentCookie { name: "zw_consent".into(), domain: Some("zonnepanelen.test".into()) }
        );
        let (config, problems) = read(r#"{"store": "cookie"}"#);
        assert!(problems.is_empty());
        assert_eq!(config.consent_cookie, ConsentCookie { name: "koekje".into(), domain: None });
        let (config, problems) = read(r#"{"store": "__Host-koekje", "consentCookie": {"name": "__Host-koekje"}}"#);
        assert_eq!(
            problems,
            [
                "koekje: config.store: expected \"localStorage\", \"cookie\" or \"both\"",
                "koekje: config.consentCookie: ignored: \"store\" is not \"cookie\" or \"both\"",
            ]
        );
        assert_eq!(config.store, Store::LocalStorage);
    }

    #[test]
    fn a_bad_consent_cookie_keeps_the_safe_default() {
        let (config, problems) = read(
            r#"{"store": "cookie", "consentCookie": {"name": "koekje; domain=evil.test", "domain": "example.be/x", "path": "/"}}"#,
        );
        assert_eq!(
            problems,
            [
                "koekje: config.consentCookie.name: expected only letters, digits, - and _",
                "koekje: config.consentCookie.domain: expected a domain name such as \"example.be\"",
                "koekje: config.consentCookie.path: unknown key (ignored)",
            ]
        );
        assert_eq!(config.consent_cookie, ConsentCookie::default());
        for bad in [
            "",
            " ",
            "a..b",
            "a.",
            "-.b.",
            "Example.be",
            "exa mple.be",
            "example.be:8080",
            "*.example.be",
            "..example.be",
            "é.be",
        ] {
            let json = ["{\"store\": \"both\", \"consentCookie\": {\"domain\": \"", bad, "\"}}"].concat();
            let (config, problems) = read(&json);
            assert_eq!(problems.len(), 1, "{bad}");
            assert_eq!(config.consent_cookie.domain, None, "{bad}");
        }
        for ok in ["localhost", "example.be", "www.shop-1.example.be"] {
            assert!(is_host_name(ok), "{ok}");
        }
        let (config, problems) =
            read(r#"{"store": "cookie", "consentCookie": {"name": "__Host-koekje", "domain": "example.be"}}"#);
        assert_eq!(problems, ["koekje: config.consentCookie.domain: a __Host- cookie has none (ignored)"]);
        assert_eq!(config.consent_cookie, ConsentCookie { name: "__Host-koekje".into(), domain: None });
        let (_, problems) = read(r#"{"store": "cookie", "consentCookie": "koekje"}"#);
        assert_eq!(problems, ["koekje: config.consentCookie: expected an object"]);
    }

    #[test]
    fn ids_that_plain_objects_already_have_are_refused() {
        let (config, problems) = read(
            r#"{"categories": [{"id": "hasOwnProperty"}, {"id": "__proto__"}, {"id": "ok", "services": [{"id": "constructor"}]}]}"#,
        );
        assert_eq!(
            problems,
            [
                "koekje: config.categories[0].id: a name every JavaScript object has; choose another id",
                "koekje: config.categories[1].id: a name every JavaScript object has; choose another id",
                "koekje: config.categories[2].services[0].id: a name every JavaScript object has; choose another id",
            ]
        );
        assert_eq!(config.categories.len(), 1);
    }

    #[test]
    fn a_misspelt_categories_list_fails_closed() {
        let (config, problems) = read(r#"{"categorys": [{"id": "functional", "required": true}]}"#);
        assert_eq!(
            problems,
            [
                "koekje: config.categorys: unknown key (ignored)",
                "koekje: config.categories: missing, and an unknown key holds a list of ids (misspelt?): the built-in categories apply, none required",
            ]
        );
        assert_eq!(config.categories, Config::fail_closed().categories);
        // An unknown key that is not a list, or a list beside `categories`,
        // changes nothing else.
        for json in [
            r#"{"colour": "red"}"#,
            r#"{"googleServices": ["google-ads"]}"#,
            r#"{"notes": ["no ids here"]}"#,
            r#"{"tags": [{"id": "t"}], "categories": [{"id": "a"}]}"#,
        ] {
            let (config, problems) = read(json);
            assert_eq!(problems.len(), 1, "{json}");
            assert!(config.categories.iter().all(|c| c.id != "analytics" || !c.required));
            assert_ne!(config.categories, Config::fail_closed().categories, "{json}");
        }
    }

    #[test]
    fn a_language_must_be_a_tag_with_texts() {
        let (config, problems) = read(r#"{"language": "english", "defaultLanguage": "es"}"#);
        assert_eq!(problems, ["koekje: config.language: expected a language tag such as \"nl\" or \"nl-BE\""]);
        assert_eq!(config.language, None);
        assert_eq!(
            check_language(&config, "en"),
            [Problem::new("config.defaultLanguage", "no texts in \"es\" (ignored)")]
        );
        let (config, _) = read(r#"{"language": "es-ES", "texts": {"es": {"acceptAll": "Aceptar todo"}}}"#);
        assert_eq!(config.language.as_deref(), Some("es"));
        // Only the built-in categories' missing Spanish words are named.
        assert!(check_language(&config, "es").iter().all(|p| p.path.starts_with("config.categories[")));
    }

    #[test]
    fn missing_words_in_the_shown_language_are_named() {
        let (config, _) = read(
            r#"{"categories": [{"id": "analytics"},
               {"id": "chat", "title": {"nl": "Chat"}, "description": {"nl": "Livechat"}}]}"#,
        );
        assert!(check_language(&config, "nl").is_empty());
        let problems = check_language(&config, "fr");
        assert_eq!(
            problems,
            [
                Problem::new("config.categories[1].title", "no text in fr"),
                Problem::new("config.categories[1].description", "no text in fr"),
            ]
        );
        // Shown anyway, in the words there are.
        assert_eq!(config.categories[1].title_in("fr"), "Chat");
    }

    #[test]
    fn a_built_in_id_with_the_admins_words_is_reported_like_any_other() {
        let (config, problems) = read(
            r#"{"categories": [{"id": "functional", "required": true},
               {"id": "analytics", "description": {"nl": "Meet bezoeken; gegevens gaan naar de VS"},
                "services": [{"id": "google-analytics", "name": {"nl": "Google Analytics"},
                  "cookies": [{"name": "_ga", "purpose": {"nl": "Onderscheidt bezoekers"}, "duration": "2 jaar"}]}],
                "cookies": [{"name": "x", "duration": {"nl": "1 dag", "fr": "1 jour"}}]}],
               "texts": {"nl": {"bannerText": "Wij meten", "save": "Bewaren"}, "de": {"save": "Speichern"}}}"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert!(check_language(&config, "nl").is_empty());
        let lines: Vec<_> = check_language(&config, "fr").iter().map(|p| p.to_console_line()).collect();
        assert_eq!(
            lines,
            [
                "koekje: config.categories[1].description: no text in fr",
                "koekje: config.categories[1].services[0].name: no text in fr",
                "koekje: config.categories[1].services[0].cookies[0].purpose: no text in fr",
                "koekje: config.texts.fr.bannerText: no text in fr",
                "koekje: config.texts.fr.save: no text in fr",
            ]
        );
        // The admin's words, not the built-in sentence without the disclosure.
        assert_eq!(config.categories[1].description_in("fr"), "Meet bezoeken; gegevens gaan naar de VS");
        // A built-in title the admin left alone is still built in.
        assert_eq!(config.categories[1].title_in("fr"), "Cookies analytiques");
    }
}
