//! Random consent ids from the browser's `crypto`: `randomUUID` where the
//! page is a secure context, else 16 bytes of `getRandomValues`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::consent_id::uuid_v4;

/// A fresh random UUID, or an empty string if the browser has no `crypto`.
pub fn new_consent_id() -> String {
    let Some(crypto) = super::dom::window().crypto().ok() else {
        return String::new();
    };
    if js_sys::Reflect::has(&crypto, &"randomUUID".into()).unwrap_or(false) {
        return crypto.random_uuid();
    }
    let mut bytes = [0u8; 16];
    match crypto.get_random_values_with_u8_array(&mut bytes) {
        Ok(_) => uuid_v4(bytes),
        Err(_) => String::new(),
    }
}
