//! Integer, number and string formats → Rust primitives, and the `format` keyword as written.

use openapiv3::{Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

use crate::ir::{Primitive, TypeRef};

pub(super) fn integer(format: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
            integer_format(Some("int32"))
        }
        _ => integer_format(None),
    }
}

pub(super) fn number(format: &VariantOrUnknownOrEmpty<openapiv3::NumberFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
            number_format(Some("float"))
        }
        _ => number_format(None),
    }
}

pub(super) fn integer_format(format: Option<&str>) -> TypeRef {
    TypeRef::Primitive(match format {
        Some("int32") => Primitive::I32,
        _ => Primitive::I64,
    })
}

pub(super) fn number_format(format: Option<&str>) -> TypeRef {
    TypeRef::Primitive(match format {
        Some("float") => Primitive::F32,
        _ => Primitive::F64,
    })
}

/// The `format` keyword as written, for docs and diff.
pub(super) fn schema_format(schema: &Schema) -> Option<String> {
    fn text<T: serde::Serialize>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
        match format {
            VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
            VariantOrUnknownOrEmpty::Empty => None,
            VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned)),
        }
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => text(&s.format),
        SchemaKind::Type(Type::Integer(i)) => text(&i.format),
        SchemaKind::Type(Type::Number(n)) => text(&n.format),
        SchemaKind::Any(any) => any.format.clone(),
        _ => None,
    }
}
