//! A set of ids, for finding a repeated id in one pass: checking n ids takes
//! about n steps, where comparing each with every earlier one took n²/2
//! (minutes for a config of 200,000 categories).
//!
//! An open-addressing hash table (FNV-1a, linear probing), sized once for
//! the number of ids it will hold; no `std`, no panicking index.

#[allow(unused_imports)]
use crate::prelude::*;

/// The ids seen so far (see the module's documentation).
pub struct IdSet {
    /// A power of two slots, at most half of them used.
    slots: Vec<Option<String>>,
    /// How many slots are used.
    len: usize,
}

impl IdSet {
    /// An empty set for up to `n` ids (more still work, growing the table).
    pub fn with_capacity(n: usize) -> IdSet {
        let mut set = IdSet { slots: Vec::new(), len: 0 };
        set.resize(n);
        set
    }

    /// Adds `id`; false if it was there already.
    pub fn insert(&mut self, id: &str) -> bool {
        if self.len.saturating_mul(2) >= self.slots.len() {
            self.resize(self.len.saturating_add(1).saturating_mul(2));
        }
        let at = self.find(id);
        match self.slots.get_mut(at) {
            Some(Some(_)) => false,
            Some(slot) => {
                *slot = Some(id.to_owned());
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// Whether `id` was added.
    pub fn contains(&self, id: &str) -> bool {
        matches!(self.slots.get(self.find(id)), Some(Some(_)))
    }

    /// The slot that holds `id`, or the empty slot where it would go.
    fn find(&self, id: &str) -> usize {
        let mask = self.slots.len().wrapping_sub(1);
        let mut at = hash(id) & mask;
        // At most half the slots are used: an empty one comes.
        for _ in 0..self.slots.len() {
            match self.slots.get(at) {
                Some(Some(s)) if s != id => at = (at + 1) & mask,
                _ => return at,
            }
        }
        at
    }

    /// Room for `n` ids: at least 2n slots, a power of two, the ids kept.
    fn resize(&mut self, n: usize) {
        let size = n.saturating_mul(2).max(8).checked_next_power_of_two().unwrap_or(usize::MAX / 2 + 1);
        let old = core::mem::take(&mut self.slots);
        self.slots.resize_with(size, || None);
        self.len = 0;
        for slot in old {
            let Some(id) = slot else { continue };
            let at = self.find(&id);
            if let Some(slot) = self.slots.get_mut(at) {
                *slot = Some(id);
                self.len += 1;
            }
        }
    }
}

/// FNV-1a over the bytes of `id`.
fn hash(id: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    h as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_repeated_ids() {
        let mut set = IdSet::with_capacity(3);
        assert!(set.insert("analytics"));
        assert!(set.insert("functional"));
        assert!(!set.insert("analytics"));
        assert!(set.insert(""));
        assert!(!set.insert(""));
        assert!(set.contains("functional") && !set.contains("marketing"));
    }

    #[test]
    fn grows_past_its_capacity_and_keeps_every_id() {
        let mut set = IdSet::with_capacity(0);
        for i in 0..10_000 {
            assert!(set.insert(&i.to_string()), "{i}");
        }
        for i in 0..10_000 {
            assert!(!set.insert(&i.to_string()), "{i}");
            assert!(set.contains(&i.to_string()));
        }
        assert!(!set.contains("10000"));
        assert_eq!(set.len, 10_000);
    }
}
