//! Problems found in input, each naming where it was found
//! (`config.categories[2].id: expected a string`).
//!
//! Messages are built by pushing string pieces, not with `format!`, to keep
//! the formatting machinery out of the shipped wasm.

#[allow(unused_imports)]
use crate::prelude::*;

/// One problem in the input: the path of the field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: `config.categories[2].id`.
    pub path: String,
    /// What: `expected a string`.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: &str, message: &str) -> Problem {
        Problem { path: path.to_owned(), message: message.to_owned() }
    }

    /// The line shown in the console: `koekje: <path>: <message>`.
    pub fn to_console_line(&self) -> String {
        let mut line = String::with_capacity(10 + self.path.len() + self.message.len());
        line.push_str("koekje: ");
        line.push_str(&self.path);
        line.push_str(": ");
        line.push_str(&self.message);
        line
    }
}

/// Appends the decimal digits of `n` to `out`.
pub fn push_number(out: &mut String, n: usize) {
    push_u64(out, n as u64);
}

/// Appends the decimal digits of `n` to `out` (times in milliseconds need
/// more than 32 bits).
pub fn push_u64(out: &mut String, n: u64) {
    // From the largest power of ten not above `n` down: no buffer to index,
    // and a divisor that cannot be zero, so no panic path.
    let mut unit = core::num::NonZeroU64::MIN;
    while n / unit >= 10 {
        // Never above 10^19, below 2^64: no overflow (and no 128-bit
        // multiplication to check for one).
        unit = core::num::NonZeroU64::new(unit.get().wrapping_mul(10)).unwrap_or(core::num::NonZeroU64::MIN);
    }
    loop {
        super::consent_id::push_digit(out, (n / unit % 10) as usize);
        let Some(next) = core::num::NonZeroU64::new(unit.get() / 10) else { break };
        unit = next;
    }
}

/// `parent.key`.
pub fn field(parent: &str, key: &str) -> String {
    let mut p = String::with_capacity(parent.len() + key.len() + 1);
    p.push_str(parent);
    p.push_str(".");
    p.push_str(key);
    p
}

/// `parent[index]`.
pub fn index(parent: &str, i: usize) -> String {
    let mut p = String::with_capacity(parent.len() + 4);
    p.push_str(parent);
    p.push_str("[");
    push_number(&mut p, i);
    p.push_str("]");
    p
}

/// A message with a quoted part: `before "quoted"`.
pub fn quoted(before: &str, quoted: &str) -> String {
    let mut m = String::with_capacity(before.len() + quoted.len() + 3);
    m.push_str(before);
    m.push_str(" \"");
    m.push_str(quoted);
    m.push_str("\"");
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_paths_and_lines() {
        let p = field(&index(&field("config", "categories"), 12), "id");
        assert_eq!(p, "config.categories[12].id");
        let problem = Problem::new(&p, "expected a string");
        assert_eq!(problem.to_console_line(), "koekje: config.categories[12].id: expected a string");
    }

    #[test]
    fn writes_numbers() {
        for n in [0usize, 7, 10, 395, usize::MAX] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn quotes() {
        assert_eq!(quoted("duplicate id", "x"), "duplicate id \"x\"");
    }
}
