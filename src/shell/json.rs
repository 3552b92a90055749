//! Crossing JSON between the browser and the core: the browser's own
//! `JSON.parse`/`JSON.stringify` on one side, a walk over the resulting
//! JavaScript values into [`Value`] (and back) on the other.
//!
//! The walk uses `js_sys` directly. Going through `serde-wasm-bindgen`
//! instead cost about 10 kB gzip of shipped wasm (serde's error formatting
//! pulls in float printing), measured with `npm run size`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::value::{Value, MAX_DEPTH, TOO_DEEP};
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

/// Parses JSON text with the browser's `JSON.parse`; the error is the
/// browser's own message.
pub fn parse(text: &str) -> Result<Value, String> {
    let js = js_sys::JSON::parse(text)
        .map_err(|e| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default())?;
    from_js(&js).ok_or_else(|| TOO_DEEP.to_owned())
}

/// Reads a JavaScript value (plain data only) into a [`Value`]; `None` for
/// anything else, or a value nested deeper than [`MAX_DEPTH`].
pub fn from_js(js: &JsValue) -> Option<Value> {
    read(js, 0)
}

fn read(js: &JsValue, depth: u32) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    if js.is_null() || js.is_undefined() {
        return Some(Value::Null);
    }
    if let Some(b) = js.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Some(n) = js.as_f64() {
        return Some(Value::Number(n));
    }
    if let Some(s) = js.as_string() {
        return Some(Value::String(s));
    }
    if Array::is_array(js) {
        let items: &Array = js.unchecked_ref();
        let mut out = Vec::with_capacity(items.length() as usize);
        for item in items.iter() {
            out.push(read(&item, depth + 1)?);
        }
        return Some(Value::Array(out));
    }
    if js.is_object() {
        let mut pairs = Vec::new();
        for entry in Object::entries(js.unchecked_ref()).iter() {
            let entry: Array = entry.unchecked_into();
            let key = entry.get(0).as_string()?;
            pairs.push((key, read(&entry.get(1), depth + 1)?));
        }
        return Some(Value::Object(pairs));
    }
    None
}

/// Turns a [`Value`] into a plain JavaScript value. Objects are built with
/// `Object.fromEntries`, so a key such as `__proto__` is an own property.
pub fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(*n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => {
            let array = Array::new();
            for item in items {
                array.push(&to_js(item));
            }
            array.into()
        }
        Value::Object(pairs) => {
            let entries = Array::new();
            for (k, v) in pairs {
                entries.push(&Array::of2(&JsValue::from_str(k), &to_js(v)));
            }
            Object::from_entries(&entries).map_or(JsValue::NULL, JsValue::from)
        }
    }
}

/// Writes a [`Value`] as JSON text with the browser's `JSON.stringify`.
pub fn stringify(value: &Value) -> Option<String> {
    js_sys::JSON::stringify(&to_js(value)).ok().and_then(|s| s.as_string())
}
