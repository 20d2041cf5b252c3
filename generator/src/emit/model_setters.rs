//! Chainable setters for the optional fields of struct models: `with_x(value) -> Self`.
//!
//! `X::new(required..)` plus one `with_` call per optional field builds a model in one
//! expression, without `let mut`. A setter takes the field's type without its `Option` (and
//! without its `Box`), or `impl Into<String>` for strings. Printed as text and appended after
//! the file's other items, like the serde impls (see `model_serde`): they are many and all of
//! one shape.

use std::fmt::Write as _;

use super::tokens::{ident, type_text, type_tokens};
use crate::ir::{Field, Primitive, Struct, TypeDef, TypeRef};

/// The `impl` block with a setter per optional field, or nothing when there are none.
pub fn setters_impl(def: &TypeDef, s: &Struct) -> String {
    let optional: Vec<&Field> = s.fields.iter().filter(|f| f.is_optional()).collect();
    if optional.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(out, "impl {} {{", ident(&def.name));
    for (i, field) in optional.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        setter(&mut out, field);
    }
    out.push_str("}\n");
    out
}

fn setter(out: &mut String, field: &Field) {
    let rust = ident(&field.rust_name);
    let name = ident(&field.setter());
    let (arg, mut value) = if field.ty == TypeRef::Primitive(Primitive::String) {
        ("impl Into<String>".to_owned(), "value.into()".to_owned())
    } else {
        (type_text(&type_tokens(&field.ty, true)), "value".to_owned())
    };
    if field.boxed {
        value = format!("Box::new({value})");
    }
    let _ = writeln!(
        out,
        "    /// Sets `{}` (chainable).",
        field.rust_name.replace('`', "'")
    );
    // `#[inline]`: a setter is compiled where it is used rather than in this crate, for the
    // Authlete crate's ~1,300 setters' sake (BENCHMARKS.md).
    out.push_str("    #[inline]\n");
    if field.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    let _ = writeln!(
        out,
        "    pub fn {name}(mut self, value: {arg}) -> Self {{\n        self.{rust} = Some({value});\n        self\n    }}"
    );
}
