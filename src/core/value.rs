//! A JSON-shaped value tree: the one type that crosses between the browser's
//! `JSON` and the pure core.
//!
//! The browser parses text with `JSON.parse` and the shell walks the result
//! into a [`Value`] (`shell::json`); tests build values from JSON text with
//! `serde_json` (a dev-dependency only). Either way the core sees a [`Value`]
//! and validates it by hand, so that every problem can name the field it is
//! about.

#[allow(unused_imports)]
use crate::prelude::*;

/// How deep a config's JSON may nest (the outermost value is level 0, its
/// items level 1, …): a value nested deeper is refused as hostile input,
/// with [`TOO_DEEP`], by the browser's reading (`shell::json`) and the
/// checker's (`check/`) alike. The shipped wasm's 64 KiB stack is sized for it.
pub const MAX_DEPTH: u32 = 64;

/// Why a value nested deeper than [`MAX_DEPTH`] is refused.
pub const TOO_DEEP: &str = "nested too deeply";

/// Whether `value` nests no deeper than [`MAX_DEPTH`] (the checker's test
/// of a tree it read itself; the shell tests while it reads).
pub fn within_depth(value: &Value) -> bool {
    fn within(v: &Value, depth: u32) -> bool {
        depth <= MAX_DEPTH
            && match v {
                Value::Array(items) => items.iter().all(|i| within(i, depth + 1)),
                Value::Object(pairs) => pairs.iter().all(|(_, i)| within(i, depth + 1)),
                _ => true,
            }
    }
    within(value, 0)
}

/// A JSON value. Objects keep their keys in document order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` (and JavaScript's `undefined`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any JSON number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, as key/value pairs in order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number inside, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean inside, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The pairs of an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Builds an object from pairs with static keys.
    pub fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
        let mut out = Vec::with_capacity(N);
        for (k, v) in pairs {
            out.push((k.to_owned(), v));
        }
        Value::Object(out)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

/// serde support, for tests and the checker (feature `serde`): JSON text
/// <-> [`Value`], keys in document order.
#[cfg(any(test, feature = "serde"))]
mod serde_support {
    use super::Value;
    #[allow(unused_imports)]
    use crate::prelude::*;
    use ::core::fmt;
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

    impl Serialize for Value {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Number(n) => s.serialize_f64(*n),
                Value::String(v) => s.serialize_str(v),
                Value::Array(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(item)?;
                    }
                    seq.end()
                }
                Value::Object(pairs) => {
                    let mut map = s.serialize_map(Some(pairs.len()))?;
                    for (k, v) in pairs {
                        map.serialize_entry(k, v)?;
                    }
                    map.end()
                }
            }
        }
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ValueVisitor)
        }
    }

    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            Deserialize::deserialize(d)
        }
        fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }
        fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
            Ok(Value::Number(n as f64))
        }
        fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
            Ok(Value::Number(n as f64))
        }
        fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
            Ok(Value::Number(n))
        }
        fn visit_str<E>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.to_owned()))
        }
        fn visit_string<E>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::Array(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut pairs = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                pairs.push((k, v));
            }
            Ok(Value::Object(pairs))
        }
    }
}

/// Parses JSON text into a [`Value`] (tests only: the browser parses with `JSON`).
#[cfg(test)]
pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON must be valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_object_order_and_types() {
        let v = parse(r#"{"b": 1, "a": [true, null, "x"], "c": {"d": 2.5}}"#);
        let pairs = v.as_object().unwrap();
        assert_eq!(pairs[0].0, "b");
        assert_eq!(pairs[1].0, "a");
        assert_eq!(v.get("b"), Some(&Value::Number(1.0)));
        assert_eq!(v.get("a").unwrap().as_array().unwrap(), &[Value::Bool(true), Value::Null, Value::from("x")]);
        assert_eq!(v.get("c").unwrap().get("d").unwrap().as_f64(), Some(2.5));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn round_trips_through_serde() {
        let v = parse(r#"{"k": [1, "two", false, {"n": null}]}"#);
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(parse(&text), v);
    }
}
