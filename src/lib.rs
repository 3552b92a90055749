//! Koekje: a cookie-consent banner in Rust, compiled to WebAssembly.
//!
//! [`core`] holds everything that can be decided without a browser and is
//! tested with plain `cargo test`; `shell` (built for `wasm32` only) wraps
//! the browser: DOM, storage, the script gate, cookies and events. See
//! ARCHITECTURE.md for the map.

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]
// ASCII is pushed as `&str`, not `char`: `push(char)` brings in a UTF-8
// encoder, measured at 0.1 kB gzip of the shipped wasm (README, Performance).
#![allow(clippy::single_char_add_str)]

extern crate alloc;

pub mod core;
pub mod page_local;

#[cfg(all(target_arch = "wasm32", feature = "shell"))]
pub mod shell;

/// What every module uses from `alloc` (the shipped wasm has no `std`).
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

/// The allocator of the shipped wasm (the `std` one is not there): a
/// sorted free list that merges neighbouring blocks. Koekje allocates
/// little, so its linear search costs nothing measurable.
// SAFETY: the wasm runs on the page's one thread.
#[cfg(all(target_arch = "wasm32", feature = "standalone"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The shipped build (`--features standalone`, see scripts/build.sh) has no
/// `std`: a panic (there should be none) stops the wasm with a trap,
/// without the formatting machinery a panic message would need.
#[cfg(all(target_arch = "wasm32", feature = "standalone"))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
