//! Crossing JSON between the browser and the core: the browser's own
//! `JSON.parse`/`JSON.stringify` on one side, `serde-wasm-bindgen` to and
//! from [`Value`] on the other. Keeps `serde_json` out of the shipped wasm.

use crate::core::value::Value;
use wasm_bindgen::{JsCast, JsValue};

/// Parses JSON text with the browser's `JSON.parse`; the error is the
/// browser's own message.
pub fn parse(text: &str) -> Result<Value, String> {
    let js = js_sys::JSON::parse(text).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "not valid JSON".to_owned())
    })?;
    from_js(&js).ok_or_else(|| "not valid JSON".to_owned())
}

/// Reads a JavaScript value (plain data only) into a [`Value`].
pub fn from_js(js: &JsValue) -> Option<Value> {
    serde_wasm_bindgen::from_value(js.clone()).ok()
}

/// Turns a [`Value`] into a plain JavaScript value (objects, not `Map`s).
pub fn to_js(value: &Value) -> JsValue {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Writes a [`Value`] as JSON text with the browser's `JSON.stringify`.
pub fn stringify(value: &Value) -> Option<String> {
    js_sys::JSON::stringify(&to_js(value)).ok().and_then(|s| s.as_string())
}
