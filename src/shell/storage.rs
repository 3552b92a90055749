//! Where the consent record lives: `localStorage`, under the key `koekje`,
//! and/or a first-party cookie (the config's `store` and `consentCookie`).
//!
//! Storage may be missing or throw (disabled cookies, private modes, full
//! quota). Then the choice holds for this page view only and nothing throws.
//! The handle is taken with `Window::local_storage`, which reports failure as
//! a `Result`; gloo-storage's `LocalStorage::raw` would throw instead. The
//! cookie is written through `document.cookie` (by way of `Document.prototype`,
//! see `page_dom`) and read back to see that the browser kept it.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{console, dom, json, page_dom};
use crate::core::config::Config;
use crate::core::consent::Refused;
use crate::core::cookie_match::{cookie_domains, cookie_pairs};
use crate::core::problem::{quoted, Problem};
use crate::core::record::Record;
use crate::core::record_cookie;

/// The localStorage key of the consent record.
pub const STORAGE_KEY: &str = crate::core::consent::RECORD_KEY;

/// The consent cookie's settings as they apply on this page.
struct Jar {
    name: String,
    /// The configured domain, if this page's host is it or under it.
    domain: Option<String>,
    /// This page's host (for deleting every copy on withdrawal).
    host: String,
    /// Whether the page is https (the cookie is then `Secure`).
    secure: bool,
}

/// What the stores held when they were read.
pub struct Stored {
    /// Every record that could be read: `localStorage`'s first (when
    /// `local`), then those of the cookies with the consent cookie's name
    /// (one for this host, one for a parent domain, …).
    pub records: Vec<Record>,
    /// Whether the first of `records` is `localStorage`'s.
    local: bool,
}

/// The consent record's places, if the browser lets us use them.
pub struct ConsentStore {
    storage: Option<web_sys::Storage>,
    cookie: Option<Jar>,
}

impl ConsentStore {
    /// Opens the places the config names; says once in the console if
    /// `localStorage` is unavailable, or if the cookie's domain is not this
    /// page's host or a parent of it (the cookie is then kept for this host
    /// only).
    pub fn open(config: &Config) -> ConsentStore {
        let window = dom::window();
        let mut storage = None;
        if config.store.local() {
            storage = window.local_storage().ok().flatten();
            if storage.is_none() {
                console::warn(&Problem::new(
                    "localStorage",
                    "not available; the visitor's choice holds for this page view only",
                ));
            }
        }
        let cookie = config.store.cookie().then(|| {
            let location = window.location();
            let host = location.hostname().unwrap_or_default();
            let mut domain = config.consent_cookie.domain.clone();
            if domain.take_if(|d| !cookie_domains(&host).contains(&d.as_str())).is_some() {
                console::error(&Problem::new(
                    "config.consentCookie.domain",
                    "not this page's host or a parent of it; the cookie is kept for this host only",
                ));
            }
            Jar {
                name: config.consent_cookie.name.clone(),
                domain,
                host,
                secure: location.protocol().is_ok_and(|p| p == "https:"),
            }
        });
        ConsentStore { storage, cookie }
    }

    /// Reads the stored records. A record that cannot be read is reported
    /// and counts as none.
    pub fn load(&self) -> Stored {
        let mut records = Vec::new();
        let mut local = self.load_local();
        if let Some(jar) = &self.cookie {
            let all = page_dom::cookie();
            for (name, value) in cookie_pairs(&all) {
                if name != jar.name {
                    continue;
                }
                match record_cookie::decode(value) {
                    Some(record) => records.push(record),
                    None => {
                        console::warn(&Problem::new(&quoted("cookie", &jar.name), "not a consent record (ignored)"))
                    }
                }
            }
            // A cookie shared across subdomains is the choice: a record in
            // this host's localStorage that it does not hold was withdrawn
            // or replaced on another subdomain (whose reset cannot reach
            // this host's storage), or the cookie is gone: it no longer
            // counts, and is never copied back into the cookie.
            if jar.domain.is_some()
                && local.as_ref().is_some_and(|l| !records.iter().any(|r| r.id == l.id && r.updated_at == l.updated_at))
            {
                local = None;
            }
        }
        let stored = local.is_some();
        if let Some(record) = local {
            records.insert(0, record);
        }
        Stored { records, local: stored }
    }

    fn load_local(&self) -> Option<Record> {
        let text = self.storage.as_ref()?.get_item(STORAGE_KEY).ok().flatten()?;
        let parsed = json::parse(&text)
            .map_err(|_| Problem::new(crate::core::record::ROOT, "not valid JSON (ignored)"))
            .and_then(|v| Record::from_value(&v));
        match parsed {
            Ok(record) => Some(record),
            Err(problem) => {
                console::warn(&problem);
                None
            }
        }
    }

    /// Stores the record in every place the config names, the cookie for
    /// as long as the record counts under `config`; false if no place kept
    /// it (the choice then holds for this page view only).
    pub fn save(&self, record: &Record, config: &Config) -> bool {
        // `|`, not `||`: both places are written.
        self.save_local(record) | self.save_cookie(record, config)
    }

    /// Writes `record` where `stored` (what [`Self::load`] found) does not
    /// hold it already: a choice made on another subdomain, or kept in
    /// one place only (before the cookie was configured, or after a
    /// browser cleared the other), is kept in both again.
    pub fn keep(&self, record: &Record, stored: &Stored, config: &Config) {
        // The same choice: the same id, changed at the same time.
        let same = |r: &Record| r.updated_at == record.updated_at && r.id == record.id;
        if !(stored.local && stored.records.first().is_some_and(same)) {
            self.save_local(record);
        }
        if !stored.records.get(usize::from(stored.local)..).unwrap_or_default().iter().any(same) {
            self.save_cookie(record, config);
        }
    }

    fn save_local(&self, record: &Record) -> bool {
        let (Some(storage), Some(text)) = (&self.storage, json::stringify(&record.to_value())) else {
            return false;
        };
        let saved = storage.set_item(STORAGE_KEY, &text).is_ok();
        if !saved {
            console::warn(&Problem::new(
                "localStorage",
                "refused to store the choice; it holds for this page view only",
            ));
        }
        saved
    }

    fn save_cookie(&self, record: &Record, config: &Config) -> bool {
        let Some(jar) = &self.cookie else { return false };
        let value = record_cookie::encode(record);
        if let Some(value) = &value {
            let max_age = record_cookie::max_age(config, record, js_sys::Date::now());
            page_dom::set_cookie(&record_cookie::cookie_line(
                &jar.name,
                value,
                max_age,
                jar.domain.as_deref(),
                jar.secure,
            ));
            let all = page_dom::cookie();
            if cookie_pairs(&all).contains(&(jar.name.as_str(), value.as_str())) {
                return true;
            }
        }
        console::warn(&Problem::new(
            &quoted("cookie", &jar.name),
            "not kept by the browser (cookies blocked, or a name or domain it refuses)",
        ));
        false
    }

    /// Forgets the stored record: the `localStorage` key, and the consent
    /// cookie for this host and for every parent domain it may have been
    /// set for.
    pub fn clear(&self) {
        if let Some(storage) = &self.storage {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        let Some(jar) = &self.cookie else { return };
        page_dom::set_cookie(&record_cookie::cookie_line(&jar.name, "", 0, None, jar.secure));
        for domain in cookie_domains(&jar.host) {
            page_dom::set_cookie(&record_cookie::cookie_line(&jar.name, "", 0, Some(domain), jar.secure));
        }
    }
}

/// Removes every `localStorage` and `sessionStorage` key that `refused`
/// deletes (a refused pattern matches it, no kept one does), for
/// withdrawal. Koekje's own keys (the record, the consent log's queue, the
/// debug flag) are kept.
pub fn delete_refused_keys(refused: &Refused) {
    if refused.storage.is_empty() {
        return;
    }
    let window = super::dom::window();
    for storage in [window.local_storage(), window.session_storage()] {
        let Ok(Some(storage)) = storage else { continue };
        let count = storage.length().unwrap_or(0);
        let mut keys = Vec::new();
        for i in 0..count {
            if let Ok(Some(key)) = storage.key(i) {
                keys.push(key);
            }
        }
        for key in keys {
            if refused.deletes_key(&key) {
                let _ = storage.remove_item(&key);
            }
        }
    }
}
