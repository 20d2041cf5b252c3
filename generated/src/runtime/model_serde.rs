//! What the models' `Serialize` / `Deserialize` impls share.
//!
//! Struct models implement serde with code the generator writes rather than
//! with `#[derive]`. serde_derive's expansion for a struct also accepts a JSON
//! array in place of the object, matches field names as bytes and integers as
//! well as strings, tracks duplicate fields and keeps a field enum per struct;
//! an API's JSON objects need none of that, and it was more than half of the
//! generated crate's compile time. The written impls read an object as a map:
//! known names into their fields, unknown ones skipped (or kept, for a struct
//! with additional properties), a repeated name's last value kept.
//!
//! The loop that does so is here, once: a model's impls only name their
//! fields' JSON names. Decoding fills a tuple of [`Slots`] (nested tuples of
//! at most 16 for large structs) through [`decode_struct`];
//! encoding writes a tuple of [`Entry`]s through [`encode_struct`]. A model
//! then costs the compiler one small function per direction instead of a
//! visitor with a `match` arm per field: on big APIs those visitors were the
//! largest items the type checker and borrow checker saw (BENCHMARKS.md §4).

use std::fmt;

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

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

impl FieldName<'_> {
    fn into_string(self) -> String {
        match self {
            Self::Borrowed(name) => name.to_owned(),
            Self::Owned(name) => name,
        }
    }
}

/// One field of a struct being decoded, or a tuple of such (nested for large
/// structs): filled as names arrive, then finished into the fields' values in
/// order.
pub(crate) trait Slots<'de>: Sized {
    /// The decoded fields: a value, or a tuple shaped like the slots.
    type Output;
    /// Decodes the value of the field called `name` from `map`; `false` when
    /// no field here has that name.
    fn fill<A: MapAccess<'de>>(&mut self, name: &str, map: &mut A) -> Result<bool, A::Error>;
    /// The fields' values; serde's `missing field` error for a required one
    /// that never came.
    fn finish<E: serde::de::Error>(self) -> Result<Self::Output, E>;
}

/// A required field: its absence is serde's `missing field` error.
pub(crate) struct Required<T> {
    name: &'static str,
    value: Option<T>,
}

impl<T> Required<T> {
    pub(crate) fn new(name: &'static str) -> Self {
        Self { name, value: None }
    }
}

/// An optional (or nullable) field, `Option<T>` in the struct: `None` when
/// absent or `null`.
pub(crate) struct Optional<T> {
    name: &'static str,
    value: Option<T>,
}

impl<T> Optional<T> {
    pub(crate) fn new(name: &'static str) -> Self {
        Self { name, value: None }
    }
}

impl<'de, T: Deserialize<'de>> Slots<'de> for Required<T> {
    type Output = T;

    fn fill<A: MapAccess<'de>>(&mut self, name: &str, map: &mut A) -> Result<bool, A::Error> {
        if name != self.name {
            return Ok(false);
        }
        self.value = Some(map.next_value()?);
        Ok(true)
    }

    fn finish<E: serde::de::Error>(self) -> Result<T, E> {
        self.value.ok_or_else(|| E::missing_field(self.name))
    }
}

impl<'de, T: Deserialize<'de>> Slots<'de> for Optional<T> {
    type Output = Option<T>;

    fn fill<A: MapAccess<'de>>(&mut self, name: &str, map: &mut A) -> Result<bool, A::Error> {
        if name != self.name {
            return Ok(false);
        }
        self.value = map.next_value()?;
        Ok(true)
    }

    fn finish<E: serde::de::Error>(self) -> Result<Option<T>, E> {
        Ok(self.value)
    }
}

/// A struct without declared fields.
impl<'de> Slots<'de> for () {
    type Output = ();

    fn fill<A: MapAccess<'de>>(&mut self, _: &str, _: &mut A) -> Result<bool, A::Error> {
        Ok(false)
    }

    fn finish<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// One field of a struct being encoded, or a tuple of such.
pub(crate) trait Entries {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// A field always written (a required one; `null` for a required nullable
/// field that is `None`).
pub(crate) struct Always<'a, T: ?Sized>(pub(crate) &'static str, pub(crate) &'a T);

/// An optional field, left out when `None`.
pub(crate) struct SkipNone<'a, T>(pub(crate) &'static str, pub(crate) &'a Option<T>);

impl<T: Serialize + ?Sized> Entries for Always<'_, T> {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(self.0, self.1)
    }
}

impl<T: Serialize> Entries for SkipNone<'_, T> {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        match self.1 {
            Some(value) => map.serialize_entry(self.0, value),
            None => Ok(()),
        }
    }
}

impl Entries for () {
    fn write<M: SerializeMap>(&self, _: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}

/// The tuple impls of [`Slots`] and [`Entries`], for every arity up to 16
/// (the generator's `emit::model_serde::CHUNK`): the generator nests tuples
/// for structs with more fields.
macro_rules! tuples {
    ($($S:ident $s:ident),+) => {
        impl<'de, $($S: Slots<'de>),+> Slots<'de> for ($($S,)+) {
            type Output = ($($S::Output,)+);

            fn fill<A: MapAccess<'de>>(&mut self, name: &str, map: &mut A) -> Result<bool, A::Error> {
                let ($($s,)+) = self;
                $(
                    if $s.fill(name, map)? {
                        return Ok(true);
                    }
                )+
                Ok(false)
            }

            fn finish<E: serde::de::Error>(self) -> Result<Self::Output, E> {
                let ($($s,)+) = self;
                Ok(($($s.finish()?,)+))
            }
        }

        impl<$($S: Entries),+> Entries for ($($S,)+) {
            fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                let ($($s,)+) = self;
                $($s.write(map)?;)+
                Ok(())
            }
        }
    };
}

/// Calls `tuples!` for every prefix of the list: arity 1, 2, .. n.
macro_rules! prefixes {
    ([$($done:tt)*] $S:ident $s:ident $(, $rest_s:ident $rest:ident)*) => {
        tuples!($($done)* $S $s);
        prefixes!([$($done)* $S $s,] $($rest_s $rest),*);
    };
    ([$($done:tt)*]) => {};
}

prefixes! {
    [] S0 s0, S1 s1, S2 s2, S3 s3, S4 s4, S5 s5, S6 s6, S7 s7,
    S8 s8, S9 s9, S10 s10, S11 s11, S12 s12, S13 s13, S14 s14, S15 s15
}

/// What a struct does with names it does not declare.
trait Unknown<'de>: Default {
    fn take<A: MapAccess<'de>>(
        &mut self,
        name: FieldName<'de>,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// Unknown names are skipped, with their values.
#[derive(Default)]
struct Skip;

impl<'de> Unknown<'de> for Skip {
    fn take<A: MapAccess<'de>>(&mut self, _: FieldName<'de>, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(drop)
    }
}

/// Unknown names are kept: a struct's additional properties.
impl<'de, V: Deserialize<'de>> Unknown<'de> for BTreeMap<String, V> {
    fn take<A: MapAccess<'de>>(
        &mut self,
        name: FieldName<'de>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        self.insert(name.into_string(), map.next_value()?);
        Ok(())
    }
}

/// Reads a JSON object into `slots`: the one visitor of every struct model.
struct StructVisitor<S, U> {
    /// The struct's name, for "expected struct Name" in errors (serde_derive's wording).
    name: &'static str,
    slots: S,
    unknown: PhantomData<fn() -> U>,
}

impl<'de, S: Slots<'de>, U: Unknown<'de>> Visitor<'de> for StructVisitor<S, U> {
    type Value = (S::Output, U);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut unknown = U::default();
        while let Some(name) = map.next_key::<FieldName<'de>>()? {
            if !self.slots.fill(name.as_str(), &mut map)? {
                unknown.take(name, &mut map)?;
            }
        }
        Ok((self.slots.finish()?, unknown))
    }
}

/// Decodes the struct model `name` from an object into `slots`, its fields.
pub(crate) fn decode_struct<'de, D: Deserializer<'de>, S: Slots<'de>>(
    deserializer: D,
    name: &'static str,
    slots: S,
) -> Result<S::Output, D::Error> {
    let visitor = StructVisitor::<S, Skip> {
        name,
        slots,
        unknown: PhantomData,
    };
    Ok(deserializer.deserialize_map(visitor)?.0)
}

/// A struct's declared fields and its additional properties.
pub(crate) type WithAdditional<T, V> = (T, BTreeMap<String, V>);

/// [`decode_struct`] for a struct with additional properties: the names it
/// does not declare, with their values.
pub(crate) fn decode_open_struct<'de, D, S, V>(
    deserializer: D,
    name: &'static str,
    slots: S,
) -> Result<WithAdditional<S::Output, V>, D::Error>
where
    D: Deserializer<'de>,
    S: Slots<'de>,
    V: Deserialize<'de>,
{
    let visitor = StructVisitor {
        name,
        slots,
        unknown: PhantomData,
    };
    deserializer.deserialize_map(visitor)
}

/// Encodes a struct model as an object of `entries`.
pub(crate) fn encode_struct<S: Serializer, E: Entries>(
    serializer: S,
    entries: E,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    entries.write(&mut map)?;
    map.end()
}

/// [`encode_struct`] for a struct with additional properties, written after
/// the declared fields.
pub(crate) fn encode_open_struct<S: Serializer, E: Entries, V: Serialize>(
    serializer: S,
    entries: E,
    additional: &BTreeMap<String, V>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    entries.write(&mut map)?;
    for (name, value) in additional {
        map.serialize_entry(name, value)?;
    }
    map.end()
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
    fn owned_names_are_kept() {
        let de = StringDeserializer::<Error>::new("x".to_owned());
        let name = FieldName::deserialize(de).unwrap();
        assert!(matches!(name, FieldName::Owned(_)));
        assert_eq!(name.as_str(), "x");
    }

    /// Slots for 34 integer fields `f0` .. `f33` (the last required), nested as the
    /// generator nests structs past 16 fields: two tuples of 16, then two leaves.
    type Wide = (Sixteen, Sixteen, Optional<u32>, Required<u32>);
    type Sixteen = (
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
        Optional<u32>,
    );

    const NAMES: [&str; 34] = [
        "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13",
        "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25", "f26",
        "f27", "f28", "f29", "f30", "f31", "f32", "f33",
    ];

    fn sixteen(offset: usize) -> Sixteen {
        let n = |i: usize| Optional::new(NAMES[offset + i]);
        (
            n(0),
            n(1),
            n(2),
            n(3),
            n(4),
            n(5),
            n(6),
            n(7),
            n(8),
            n(9),
            n(10),
            n(11),
            n(12),
            n(13),
            n(14),
            n(15),
        )
    }

    fn wide() -> Wide {
        (
            sixteen(0),
            sixteen(16),
            Optional::new(NAMES[32]),
            Required::new(NAMES[33]),
        )
    }

    fn decode_wide(json: &str) -> Result<<Wide as Slots<'_>>::Output, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        decode_struct(&mut de, "Wide", wide())
    }

    #[test]
    fn nested_slots_fill_each_field_by_name() {
        let (first, second, f32, f33) =
            decode_wide(r#"{"f33": 33, "f0": 0, "f17": 17, "f31": 31, "f32": null}"#).unwrap();
        assert_eq!(first.0, Some(0));
        assert_eq!(first.1, None);
        assert_eq!(second.1, Some(17));
        assert_eq!(second.15, Some(31));
        assert_eq!(f32, None, "null is None");
        assert_eq!(f33, 33);
    }

    #[test]
    fn a_missing_required_field_is_named_and_unknown_names_are_skipped() {
        let err = decode_wide(r#"{"f0": 1, "other": {"a": [1, 2]}}"#)
            .err()
            .unwrap();
        assert_eq!(err.to_string(), "missing field `f33` at line 1 column 33");
        let (first, ..) = decode_wide(r#"{"other": [true], "f33": 1, "f1": 5}"#).unwrap();
        assert_eq!(first.1, Some(5));
    }

    #[test]
    fn a_repeated_name_keeps_its_last_value() {
        let (first, ..) = decode_wide(r#"{"f2": 1, "f33": 0, "f2": 9}"#).unwrap();
        assert_eq!(first.2, Some(9));
    }

    #[test]
    fn a_wrong_shape_says_which_struct_was_expected() {
        let err = decode_wide("[1]").err().unwrap();
        assert_eq!(
            err.to_string(),
            "invalid type: sequence, expected struct Wide at line 1 column 0"
        );
    }

    #[test]
    fn open_structs_keep_unknown_names_with_their_values() {
        let mut de = serde_json::Deserializer::from_str(r#"{"b": 2, "id": "x", "a": 1}"#);
        let (id, extra): (String, BTreeMap<String, u8>) =
            decode_open_struct(&mut de, "Open", Required::new("id")).unwrap();
        assert_eq!(id, "x");
        assert_eq!(
            extra,
            BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)])
        );
        let mut de = serde_json::Deserializer::from_str(r#"{"id": 7}"#);
        let err = decode_open_struct::<_, _, u8>(&mut de, "Open", Required::<String>::new("id"))
            .unwrap_err();
        assert!(
            err.to_string().starts_with("invalid type: integer `7`"),
            "{err}"
        );
    }

    #[test]
    fn entries_are_written_in_order_skipping_none() {
        let (a, b, c): (u8, Option<u8>, Option<u8>) = (1, None, Some(3));
        let entries = (
            Always("a", &a),
            SkipNone("b", &b),
            (SkipNone("c", &c), Always("n", &b)),
        );
        let mut out = Vec::new();
        encode_struct(&mut serde_json::Serializer::new(&mut out), entries).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"c":3,"n":null}"#);
        let extra = BTreeMap::from([("z".to_owned(), true)]);
        let mut out = Vec::new();
        let serializer = &mut serde_json::Serializer::new(&mut out);
        encode_open_struct(serializer, Always("a", &a), &extra).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"z":true}"#);
    }
}
