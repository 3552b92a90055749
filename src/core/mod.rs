//! The pure core: configuration, validation, the consent record, decisions,
//! cookie-name matching and texts. No browser types: tested with `cargo test`.

pub mod action_words;
pub mod config;
pub mod consent;
pub mod consent_id;
pub mod cookie_match;
pub mod id_set;
pub mod language;
pub mod log_event;
pub mod notice;
pub mod problem;
pub mod record;
pub mod record_cookie;
pub mod release;
pub mod texts;
pub mod validate;
pub mod value;
