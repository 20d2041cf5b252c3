//! String enums: a schema's `enum` of strings, or a `oneOf` / `anyOf` whose every member is one
//! string value, and which of their values are deprecated.
//!
//! OpenAPI 3.0 cannot deprecate one value of an `enum`. Documents say it in two ways, both read
//! here:
//! - the JSON Schema idiom: a `oneOf` (or `anyOf`) of single-value strings (`const` in 3.1,
//!   which the loader turns into a one-value `enum`), each with its own `deprecated`,
//!   `description` or `title`. It is one string enum, not a union of one-value types (so is a
//!   `oneOf` of string `enum`s of several values each, as Dropshot writes them);
//! - the `x-enum-deprecated` extension on a plain `enum`: the deprecated values, as a list
//!   (`[old, older]`) or as a map of value to `true` (both forms are in use).

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::Lowerer;
use super::naming::{self, Scope};
use crate::ir::{Enum, EnumVariant};

/// The extension that lists an `enum`'s deprecated values.
const DEPRECATED_VALUES: &str = "x-enum-deprecated";

impl Lowerer<'_> {
    /// The string enum of a schema with `enum: values`, its deprecated values taken from
    /// `x-enum-deprecated`. A listed value the `enum` does not have is warned about (a typo
    /// would otherwise leave the value undeprecated without a word).
    pub(super) fn plain_enum(&mut self, values: &[String], schema: &Schema, pointer: &str) -> Enum {
        let deprecated = match schema.schema_data.extensions.get(DEPRECATED_VALUES) {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::Object(map)) => map
                .iter()
                .filter(|(_, v)| **v == Value::Bool(true))
                .map(|(k, _)| k.as_str())
                .collect(),
            Some(_) => {
                self.warn(
                    &format!("{pointer}/{DEPRECATED_VALUES}"),
                    format!("`{DEPRECATED_VALUES}` is neither a list of values nor a map of value to `true`; ignored"),
                );
                Vec::new()
            }
        };
        for value in deprecated
            .iter()
            .filter(|d| !values.iter().any(|v| v == *d))
        {
            self.warn(
                &format!("{pointer}/{DEPRECATED_VALUES}"),
                format!("`{value}` is not a value of this enum; nothing deprecated for it"),
            );
        }
        enum_of(values.iter().map(|value| EnumVariant {
            deprecated: deprecated.contains(&value.as_str()),
            description: None,
            value: value.clone(),
            rust_name: String::new(),
        }))
    }
}

/// The string enum a `oneOf` / `anyOf` stands for when every member is an inline schema of
/// string values only (one each in the idiom; Dropshot writes several per member), each value
/// with its member's `deprecated` and doc; `None` for any other union.
pub(super) fn string_members(members: &[ReferenceOr<Schema>]) -> Option<Enum> {
    if members.is_empty() {
        return None;
    }
    let mut variants = Vec::with_capacity(members.len());
    for member in members {
        let ReferenceOr::Item(schema) = member else {
            return None;
        };
        let values: Vec<String> = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                s.enumeration.iter().cloned().collect::<Option<_>>()?
            }
            SchemaKind::Any(any)
                if !any.enumeration.is_empty()
                    && matches!(any.typ.as_deref(), None | Some("string")) =>
            {
                any.enumeration
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?
            }
            _ => return None,
        };
        let data = &schema.schema_data;
        variants.extend(values.into_iter().map(|value| EnumVariant {
            value,
            rust_name: String::new(),
            deprecated: data.deprecated,
            description: data.description.clone().or_else(|| data.title.clone()),
        }));
    }
    Some(enum_of(variants))
}

/// Names the variants (from their values; `Unknown` is the catch-all's) and drops repeated
/// values, keeping the first.
fn enum_of(values: impl IntoIterator<Item = EnumVariant>) -> Enum {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut variants: Vec<EnumVariant> = Vec::new();
    for mut variant in values {
        if variants.iter().any(|v| v.value == variant.value) {
            continue;
        }
        variant.rust_name = scope.claim(&naming::variant_name(&variant.value, "Value"), "");
        variants.push(variant);
    }
    Enum { variants }
}
