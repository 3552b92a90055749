//! Koekje: a cookie-consent banner in Rust, compiled to WebAssembly.
//!
//! [`core`] holds everything that can be decided without a browser and is
//! tested with plain `cargo test`; `shell` (built for `wasm32` only) wraps
//! the browser: DOM, storage, the script gate, cookies and events. See
//! ARCHITECTURE.md for the map.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod shell;
