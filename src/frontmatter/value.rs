//! The format-neutral value tree that every front-matter reader produces.
//!
//! Readers (YAML, TOML, JSON) deserialize into [`Value`] through
//! [`ValueSeed`], which bounds nesting depth and rejects duplicate keys, so
//! no reader's own value type leaks out of its file. This stage only builds
//! and serializes trees; it must not interpret keys.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use std::collections::HashSet;
use std::fmt;

/// Deepest nesting accepted when reading, and written when emitting.
pub const MAX_DEPTH: usize = 64;

/// A front-matter value. Maps keep their original key order.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer that fits in `i64`.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string (also integers too large for `i64`).
    String(String),
    /// A sequence.
    List(Vec<Value>),
    /// A mapping in document order.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The text of a scalar (string, number, boolean); `None` for null, lists and maps.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::String(s) => Some(s.clone()),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }

    /// The value as TOML can say it: null map entries and list items
    /// dropped, at every depth; `None` for null itself.
    pub(super) fn without_nulls(&self) -> Option<Value> {
        match self {
            Value::Null => None,
            Value::List(items) => Some(Value::List(
                items.iter().filter_map(Value::without_nulls).collect(),
            )),
            Value::Map(entries) => Some(Value::Map(without_null_entries(entries))),
            scalar => Some(scalar.clone()),
        }
    }
}

/// Map entries without the null ones, nulls dropped inside the others too.
pub(super) fn without_null_entries(entries: &[(String, Value)]) -> Vec<(String, Value)> {
    entries
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.without_nulls()?)))
        .collect()
}

/// Deserializes a [`Value`] at a given nesting depth.
#[derive(Debug, Clone, Copy)]
pub struct ValueSeed {
    /// How deep this value sits (0 for the document root).
    pub depth: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(de::Error::custom(format!(
                "nesting deeper than {MAX_DEPTH} levels"
            )));
        }
        d.deserialize_any(ValueVisitor { depth: self.depth })
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        ValueSeed { depth: 0 }.deserialize(d)
    }
}

struct ValueVisitor {
    depth: usize,
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a front-matter value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::String(v.to_string()), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::String(v.to_string()), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::String(v.to_string()), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        ValueSeed { depth: self.depth }.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        let seed = ValueSeed {
            depth: self.depth + 1,
        };
        while let Some(item) = seq.next_element_seed(seed)? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        let seed = ValueSeed {
            depth: self.depth + 1,
        };
        while let Some(key) = map.next_key_seed(seed)? {
            let key = key_text(key)?;
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            entries.push((key, map.next_value_seed(seed)?));
        }
        Ok(Value::Map(entries))
    }
}

/// Turns a scalar key into its text; `null` keys become `"null"`.
fn key_text<E: de::Error>(key: Value) -> Result<String, E> {
    match key {
        Value::Null => Ok("null".to_owned()),
        Value::List(_) | Value::Map(_) => {
            Err(E::custom("a key must be a scalar, not a list or map"))
        }
        scalar => Ok(scalar.scalar_text().unwrap_or_default()),
    }
}

/// Serializes a value, writing anything nested deeper than [`MAX_DEPTH`] as null.
struct Bounded<'a> {
    value: &'a Value,
    depth: usize,
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Bounded {
            value: self,
            depth: 0,
        }
        .serialize(s)
    }
}

impl serde::Serialize for Bounded<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let depth = self.depth + 1;
        match self.value {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(v) => s.serialize_str(v),
            _ if depth > MAX_DEPTH => s.serialize_unit(),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for value in items {
                    seq.serialize_element(&Bounded { value, depth })?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, value) in entries {
                    map.serialize_entry(k, &Bounded { value, depth })?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_order_and_rejects_duplicates() {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":[true,null,1.5]}"#).unwrap();
        assert_eq!(
            v,
            Value::Map(vec![
                ("b".into(), Value::Int(1)),
                (
                    "a".into(),
                    Value::List(vec![Value::Bool(true), Value::Null, Value::Float(1.5)])
                ),
            ])
        );
        assert!(serde_json::from_str::<Value>(r#"{"a":1,"a":2}"#).is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let err = serde_json::from_str::<Value>(&deep).unwrap_err();
        assert!(err.to_string().contains("nesting deeper"), "{err}");
    }
}
