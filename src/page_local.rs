//! The one way Koekje keeps state in a `static`: [`PageLocal`].

/// A value for a `static` that only the page's one thread touches. The
/// shipped wasm (`wasm32-unknown-unknown`, no threads) has one thread, so a
/// `RefCell` or `Cell` inside needs no lock. (Natively, only the core's
/// words store is one, which no two tests fill at once.)
pub struct PageLocal<T>(pub T);

// SAFETY: see the type's doc: there is one thread on the page.
unsafe impl<T> Sync for PageLocal<T> {}

impl<T> core::ops::Deref for PageLocal<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
