//! Where the consent record lives: `localStorage`, under the key `koekje`.
//!
//! Storage may be missing or throw (disabled cookies, private modes, full
//! quota). Then the choice holds for this page view only and nothing throws.
//! The handle is taken with `Window::local_storage`, which reports failure as
//! a `Result`; gloo-storage's `LocalStorage::raw` would throw instead.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{console, json};
use crate::core::problem::Problem;
use crate::core::consent::Refused;
use crate::core::record::Record;

/// The localStorage key of the consent record.
pub const STORAGE_KEY: &str = "koekje";

/// The consent record's place in `localStorage`, if the browser lets us use it.
pub struct ConsentStore {
    storage: Option<web_sys::Storage>,
}

impl ConsentStore {
    /// Opens `localStorage`; says once in the console if it is unavailable.
    pub fn open() -> ConsentStore {
        let storage = super::dom::window().local_storage().ok().flatten();
        if storage.is_none() {
            console::warn(&Problem::new(
                "localStorage",
                "not available; the visitor's choice holds for this page view only",
            ));
        }
        ConsentStore { storage }
    }

    /// Reads the stored record. A record that cannot be read is reported
    /// and counts as none.
    pub fn load(&self) -> Option<Record> {
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

    /// Stores the record; false if the browser refused.
    pub fn save(&self, record: &Record) -> bool {
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

    /// Forgets the stored record.
    pub fn clear(&self) {
        if let Some(storage) = &self.storage {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}

/// Removes every `localStorage` and `sessionStorage` key that `refused`
/// deletes (a refused pattern matches it, no kept one does), for
/// withdrawal. Koekje's own key is kept.
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
            if key != STORAGE_KEY && refused.deletes_key(&key) {
                let _ = storage.remove_item(&key);
            }
        }
    }
}
