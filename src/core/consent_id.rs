//! Random consent ids: a version-4 UUID made from 16 random bytes, for
//! browsers where `crypto.randomUUID` is missing (pages not served over HTTPS).

#[allow(unused_imports)]
use crate::prelude::*;

/// The hex digits. Pushed as one-character `&str`s: `String::push(char)`
/// brings UTF-8 encoding into the wasm for what is always ASCII here.
pub(crate) const HEX: &str = "0123456789abcdef";

/// Appends the digit `d` (below 16) of [`HEX`].
pub(crate) fn push_digit(out: &mut String, d: usize) {
    out.push_str(HEX.get(d..d + 1).unwrap_or_default());
}

/// Formats 16 random bytes as a version-4, variant-1 UUID.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push_str("-");
        }
        push_digit(&mut out, (b >> 4) as usize);
        push_digit(&mut out, (b & 15) as usize);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_version_and_variant() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let id =
            uuid_v4([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(id, "12345678-9abc-4ef0-9234-56789abcdef0");
    }
}
