//! The browser shell: everything that touches the page. One module per Web
//! API concern; [`view`] is what the visitor sees, [`app`] ties the parts
//! to the core's decisions and [`api`] is what pages call.

pub mod api;
pub mod app;
pub mod consent_log;
pub mod consent_mode;
pub mod console;
pub mod cookies;
pub mod dom;
pub mod events;
pub mod gate;
pub mod json;
pub mod listeners;
pub mod live;
pub mod loader_helpers;
pub mod page;
pub mod page_dom;
pub mod random_id;
pub mod storage;
pub mod view;

pub use view::{banner, dialog, placeholder};
