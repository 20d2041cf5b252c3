//! YAML text → `serde_json::Value`, in one pass and with the document's own limits.
//!
//! `serde_yaml` drives a visitor of ours instead of building `serde_yaml::Value` or
//! `serde_json::Value` itself, because both of those refuse valid documents:
//! - integers beyond the 64-bit range (`minimum: -9223372036854776000` in a real document) arrive
//!   as `i128`/`u128`, which neither value type accepts; here they become JSON numbers (as
//!   `f64`, which is what a JSON reader makes of them too);
//! - keys that are not strings (`200:`, `true:`) are what OpenAPI means as strings;
//! - tags (`!!str`, `!custom`) are dropped and their value kept.
//!
//! Depth is counted here, so YAML and JSON documents share one limit ([`super::MAX_DEPTH`]).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses YAML text into a JSON value.
pub fn from_str(text: &str, max_depth: usize) -> Result<Value, serde_yaml::Error> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    ValueSeed {
        depth: 0,
        max_depth,
    }
    .deserialize(deserializer)
}

/// serde_yaml's and serde_json's own recursion limits are also 128 levels; their message says
/// less than ours.
pub fn depth_message(text: &str, max_depth: usize) -> String {
    match text.strip_prefix("recursion limit exceeded") {
        Some(rest) => format!("the document nests deeper than {max_depth} levels{rest}"),
        None => text.to_owned(),
    }
}

#[derive(Clone, Copy)]
struct ValueSeed {
    depth: usize,
    max_depth: usize,
}

impl ValueSeed {
    fn deeper<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= self.max_depth {
            return Err(E::custom(format_args!(
                "the document nests deeper than {} levels",
                self.max_depth
            )));
        }
        Ok(ValueSeed {
            depth: self.depth + 1,
            ..self
        })
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn float<E: de::Error>(f: f64) -> Result<Value, E> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| E::custom(format_args!("the number {f} has no JSON form")))
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(small) => Ok(Value::from(small)),
            Err(_) => float(v as f64),
        }
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(small) => Ok(Value::from(small)),
            Err(_) => float(v as f64),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // `.inf` and `.nan` are valid YAML but have no JSON form; they only ever appear in
        // examples, where a string says the same.
        if v.is_finite() {
            float(v)
        } else {
            Ok(Value::String(v.to_string()))
        }
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let seed = self.deeper()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(seed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let seed = self.deeper()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(seed)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    /// A tagged value (`!name value`): the tag carries nothing OpenAPI reads.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

/// Mapping keys: scalars of any kind, as the strings OpenAPI means (`200:` is `"200"`).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a mapping key is not a scalar"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a mapping key is not a scalar"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_64_bits_are_numbers() {
        let v = from_str(
            "a: -9223372036854776000\nb: 99999999999999999999999\nc: 7\n",
            128,
        )
        .unwrap();
        assert_eq!(v["a"].as_f64(), Some(-9.223372036854776e18));
        assert!(v["b"].as_f64().unwrap() > 9.9e22);
        assert_eq!(v["c"].as_i64(), Some(7));
    }

    #[test]
    fn scalar_keys_become_strings_and_tags_are_dropped() {
        let v = from_str("200: x\ntrue: y\n~: z\nt: !custom 5\n", 128).unwrap();
        assert_eq!(v["200"], "x");
        assert_eq!(v["true"], "y");
        assert_eq!(v["null"], "z");
        assert_eq!(v["t"], 5);
    }

    #[test]
    fn depth_is_limited_in_flow_and_block_style() {
        let nested = |n: usize| format!("{}1{}", "{a: ".repeat(n), "}".repeat(n));
        assert!(from_str(&nested(100), 128).is_ok());
        let e = from_str(&nested(130), 128).unwrap_err();
        let e = depth_message(&e.to_string(), 128);
        assert!(e.contains("deeper than 128"), "{e}");
        let e = from_str("a: [b, {c: 1}]\n", 2).unwrap_err().to_string();
        assert!(e.contains("deeper than 2"), "{e}");
    }

    #[test]
    fn non_scalar_keys_are_refused() {
        let e = from_str("? [a]\n: 1\n", 128).unwrap_err().to_string();
        assert!(e.contains("not a scalar"), "{e}");
    }
}
