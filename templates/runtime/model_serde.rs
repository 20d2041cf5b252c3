//! What the models' `Serialize` / `Deserialize` impls share.
//!
//! Struct models implement serde with code the generator writes rather than
//! with `#[derive]`. serde_derive's expansion for a struct also accepts a JSON
//! array in place of the object, matches field names as bytes and integers as
//! well as strings, tracks duplicate fields and keeps a field enum per struct;
//! an API's JSON objects need none of that, and it was more than half of the
//! generated crate's compile time. The written impls read an object as a map:
//! known names into their fields, unknown ones skipped (or kept, for a struct
//! with additional properties), a repeated name's last value kept. A union
//! tagged by a property its variants declare is read and written whole
//! ([`tagged_object`], [`serialize_tagged`]).

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, Visitor};
use serde::ser::{Error as _, Serialize, Serializer};

/// An object key as the format gives it: borrowed from the input when it can
/// be (no escapes), owned otherwise.
pub(crate) enum FieldName<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl FieldName<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(name) => name,
            Self::Owned(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(FieldNameVisitor)
    }
}

struct FieldNameVisitor;

impl<'de> Visitor<'de> for FieldNameVisitor {
    type Value = FieldName<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(FieldName::Borrowed(name))
    }

    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(FieldName::Owned(name.to_owned()))
    }

    fn visit_string<E>(self, name: String) -> Result<Self::Value, E> {
        Ok(FieldName::Owned(name))
    }
}

/// Writes `value` as a JSON object with `property` set to `tag`, unless the value's own field
/// holds it already: a variant of a union tagged by a property the variants declare.
pub(crate) fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut object = match serde_json::to_value(value).map_err(S::Error::custom)? {
        serde_json::Value::Object(object) => object,
        _ => {
            return Err(S::Error::custom(
                "a tagged union's variant is not an object",
            ));
        }
    };
    object
        .entry(property)
        .or_insert_with(|| serde_json::Value::from(tag));
    object.serialize(serializer)
}

/// Reads an object of a union tagged by `property`: its tag, and the whole object (the tag
/// included, which the variants declare) to decode the variant the tag names from.
pub(crate) fn tagged_object<'de, D: Deserializer<'de>>(
    deserializer: D,
    property: &'static str,
) -> Result<(String, serde_json::Value), D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    if !value.is_object() {
        return Err(D::Error::custom(format!(
            "expected an object with a `{property}` tag"
        )));
    }
    match value.get(property).and_then(serde_json::Value::as_str) {
        Some(tag) => Ok((tag.to_owned(), value)),
        None => Err(D::Error::missing_field(property)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error, StringDeserializer};

    /// Each key of a JSON object, and whether it came borrowed.
    fn names(json: &str) -> Vec<(bool, String)> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Vec<(bool, String)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = map.next_key::<FieldName<'de>>()? {
                    out.push((
                        matches!(name, FieldName::Borrowed(_)),
                        name.as_str().to_owned(),
                    ));
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(out)
            }
        }
        serde_json::Deserializer::from_str(json)
            .deserialize_map(Keys)
            .unwrap()
    }

    #[test]
    fn borrows_plain_names_and_owns_escaped_ones() {
        assert_eq!(
            names(r#"{"clientId": 1, "a\"b": 2}"#),
            vec![(true, "clientId".to_owned()), (false, "a\"b".to_owned())]
        );
    }

    #[test]
    fn a_tagged_object_keeps_its_tag_and_a_tag_is_added_only_when_missing() {
        let json = serde_json::json!({"kind": "card", "last4": "4242"});
        let (tag, value) = tagged_object(&json, "kind").unwrap();
        assert_eq!((tag.as_str(), &value), ("card", &json));
        assert!(tagged_object(&serde_json::json!({"last4": "1"}), "kind").is_err());
        assert!(tagged_object(&serde_json::json!("card"), "kind").is_err());

        let write = |value: &serde_json::Value| {
            serialize_tagged(serde_json::value::Serializer, "kind", "card", value).unwrap()
        };
        assert_eq!(write(&json), json);
        assert_eq!(
            write(&serde_json::json!({"kind": "other", "x": 1})),
            serde_json::json!({"kind": "other", "x": 1})
        );
        assert_eq!(
            write(&serde_json::json!({"x": 1})),
            serde_json::json!({"kind": "card", "x": 1})
        );
    }

    #[test]
    fn owned_names_are_kept() {
        let de = StringDeserializer::<Error>::new("x".to_owned());
        let name = FieldName::deserialize(de).unwrap();
        assert!(matches!(name, FieldName::Owned(_)));
        assert_eq!(name.as_str(), "x");
    }
}
