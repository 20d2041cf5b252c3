//! `Serialize` and `Deserialize` for struct models, written out instead of derived.
//!
//! serde_derive's expansion for a struct also accepts a JSON array in place of the object,
//! matches field names as bytes and integers as well as strings, tracks duplicate fields and
//! declares a field enum with its own visitor; on the Authlete crate that was more than half of
//! `cargo check`'s time (issue 7's measurements, BENCHMARKS.md). The impls written here read an
//! object as a map and write one: a `match` on the field name (the runtime's `FieldName`,
//! borrowed from the input when it can be) and one `serialize_entry` per field. The JSON is the
//! same as the derive's: names as in the document, optional fields skipped when `None`
//! (required nullable ones sent as `null`), additional properties after the declared fields;
//! unknown names are skipped, a missing required field is serde's `missing field` error, and a
//! repeated name keeps its last value.
//!
//! The impls are printed here as text, already formatted, and appended to the model's file
//! after prettyplease has printed the rest ([`super::rust_file::RustFile::append`]): they are a
//! third of the models' code, all of one fixed shape, and sending them through `quote!`, `syn`
//! and prettyplease made up a large share of the generator's run time.

use std::fmt::Write as _;

use super::tokens::{ident, type_text, type_tokens};
use crate::ir::{Directions, Field, Struct, TypeDef};

/// Errors are passed on with `match` / `if let` rather than `?` in the per-field code: `?` goes
/// through the `Try` and `FromResidual` traits, and across ~3,000 fields that made `cargo check`
/// of the Authlete crate ~15 % slower (measured A/B, BENCHMARKS.md). Clippy would suggest `?`.
fn errors_by_hand(indent: &str) -> String {
    format!(
        "{indent}// Not `?` per field: measurably slower to compile (see the generator's model_serde.rs).\n\
         {indent}#[allow(clippy::question_mark)]\n"
    )
}

// Hygiene: the type parameters (`__S`, `__D`, `__A`) and the visitor (`__Visitor`) start with
// `__`, which no name from a document does (`lower::naming` builds names from ASCII letters
// and digits), so a schema called `A` or `ObjectVisitor` cannot shadow them or be shadowed.

/// Lines longer than this are broken (prettyplease's width, which the rest of the file has).
const WIDTH: usize = 100;

/// Both impls for the struct model `def`, as formatted Rust; each under its feature's `cfg`
/// when the model's direction does not need it ([`Directions`]).
pub fn struct_serde_impls(def: &TypeDef, s: &Struct, directions: Directions) -> String {
    // Deprecated fields are read here without warnings: `lib.rs` allows `deprecated` in
    // `models`.
    let mut out = String::new();
    feature_cfg(&mut out, directions.serialize_feature());
    serialize_impl(&mut out, def, s);
    feature_cfg(&mut out, directions.deserialize_feature());
    deserialize_impl(&mut out, def, s);
    out
}

/// `#[cfg(feature = ..)]` before an impl the model's direction does not need, if any.
pub(super) fn feature_cfg(out: &mut String, feature: Option<&str>) {
    if let Some(feature) = feature {
        let _ = writeln!(out, "#[cfg(feature = {})]", literal(feature));
    }
}

/// Whether `None` is left out of the JSON rather than sent as `null`: always, except for a
/// required nullable field, whose `null` is meaningful.
fn skipped_when_none(f: &Field) -> bool {
    f.is_optional() && (!f.required || f.read_only || f.write_only)
}

/// The field's Rust type as declared in the struct.
fn field_type(f: &Field) -> String {
    type_text(&super::model_types::field_type(f))
}

/// A JSON name (or any text) as a Rust string literal.
pub(super) fn literal(name: &str) -> String {
    proc_macro2::Literal::string(name).to_string()
}

fn serialize_impl(out: &mut String, def: &TypeDef, s: &Struct) {
    let name = ident(&def.name).to_string();
    let _ = writeln!(out, "impl serde::Serialize for {name} {{");
    if !s.fields.is_empty() {
        out.push_str(&errors_by_hand("    "));
    }
    out.push_str(
        "    fn serialize<__S: serde::Serializer>(\n        &self,\n        serializer: __S,\n    ) -> Result<__S::Ok, __S::Error> {\n",
    );
    if s.fields.is_empty() && s.additional.is_none() {
        out.push_str("        serde::ser::SerializeMap::end(serializer.serialize_map(Some(0))?)\n");
        out.push_str("    }\n}\n");
        return;
    }
    out.push_str("        use serde::ser::SerializeMap as _;\n");
    out.push_str("        let mut map = serializer.serialize_map(None)?;\n");
    for f in &s.fields {
        let rust = ident(&f.rust_name);
        let json = literal(&f.name);
        if skipped_when_none(f) {
            let _ = writeln!(out, "        if let Some(value) = &self.{rust} {{");
            let _ = writeln!(
                out,
                "            if let Err(e) = map.serialize_entry({json}, value) {{"
            );
            out.push_str("                return Err(e);\n            }\n        }\n");
        } else {
            let line =
                format!("        if let Err(e) = map.serialize_entry({json}, &self.{rust}) {{");
            if line.len() <= WIDTH {
                let _ = writeln!(out, "{line}");
            } else {
                let _ = writeln!(
                    out,
                    "        if let Err(e) = map.serialize_entry(\n            {json},\n            &self.{rust},\n        ) {{"
                );
            }
            out.push_str("            return Err(e);\n        }\n");
        }
    }
    if s.additional.is_some() {
        out.push_str("        for (name, value) in &self.additional_properties {\n");
        out.push_str("            map.serialize_entry(name, value)?;\n");
        out.push_str("        }\n");
    }
    out.push_str("        map.end()\n    }\n}\n");
}

fn deserialize_impl(out: &mut String, def: &TypeDef, s: &Struct) {
    let name = ident(&def.name).to_string();
    let local = |f: &Field| format!("field_{}", f.rust_name);
    // A struct whose fields are all optional is filled in place, starting from all `None`.
    // Otherwise each field gets a local: the field's own `Option`, or an `Option` around a
    // required one. In place is cheaper to compile: every `?` is a return that drops what is
    // live, so N locals make N drops at each of N returns.
    let in_place = s.fields.iter().all(Field::is_optional);

    let _ = writeln!(out, "impl<'de> serde::Deserialize<'de> for {name} {{");
    out.push_str(concat!(
        "    fn deserialize<__D: serde::Deserializer<'de>>(\n",
        "        deserializer: __D,\n",
        "    ) -> Result<Self, __D::Error> {\n",
        "        struct __Visitor;\n",
        "        impl<'de> serde::de::Visitor<'de> for __Visitor {\n",
    ));
    let _ = writeln!(out, "            type Value = {name};");
    out.push_str(
        "            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n",
    );
    // The wording serde_derive uses, so that decode errors read as before.
    let _ = writeln!(
        out,
        "                f.write_str({})",
        literal(&format!("struct {}", def.name))
    );
    out.push_str("            }\n");
    if !s.fields.is_empty() {
        out.push_str(&errors_by_hand("            "));
    }
    out.push_str(concat!(
        "            fn visit_map<__A: serde::de::MapAccess<'de>>(\n",
        "                self,\n",
        "                mut map: __A,\n",
    ));
    let _ = writeln!(out, "            ) -> Result<{name}, __A::Error> {{");

    let body = "                ";
    if in_place {
        // Nothing to fill in a struct without fields or additional properties.
        let mutable = if s.fields.is_empty() && s.additional.is_none() {
            ""
        } else {
            "mut "
        };
        let _ = writeln!(out, "{body}let {mutable}value = <{name}>::default();");
    } else {
        for f in &s.fields {
            let ty = field_type(f);
            let ty = if f.is_optional() {
                ty
            } else {
                format!("Option<{ty}>")
            };
            let _ = writeln!(out, "{body}let mut {}: {ty} = None;", local(f));
        }
        if let Some(ty) = &s.additional {
            let _ = writeln!(
                out,
                "{body}let mut additional_properties = std::collections::BTreeMap::<\n{body}    String,\n{body}    {},\n{body}>::new();",
                type_text(&type_tokens(ty, true))
            );
        }
    }
    let binding = if s.fields.is_empty() && s.additional.is_none() {
        "_name"
    } else {
        "name"
    };
    let _ = writeln!(
        out,
        "{body}while let Some({binding}) = map.next_key::<crate::runtime::FieldName<'de>>()? {{"
    );
    let additional_target = if in_place {
        "value.additional_properties"
    } else {
        "additional_properties"
    };
    let unknown = if s.additional.is_some() {
        format!("{additional_target}.insert(name.as_str().to_owned(), map.next_value()?);")
    } else {
        "map.next_value::<serde::de::IgnoredAny>()?;".to_owned()
    };
    if s.fields.is_empty() {
        // No declared field to match: every name is unknown (a lone `_` arm is a lint).
        let _ = writeln!(out, "{body}    {unknown}");
    } else {
        let arm = "                        ";
        let _ = writeln!(out, "{body}    match name.as_str() {{");
        for f in &s.fields {
            let json = literal(&f.name);
            let target = if in_place {
                format!("value.{}", ident(&f.rust_name))
            } else {
                local(f)
            };
            let value = if f.is_optional() { "v" } else { "Some(v)" };
            let _ = writeln!(
                out,
                "{arm}{json} => match map.next_value() {{\n{arm}    Ok(v) => {target} = {value},\n{arm}    Err(e) => return Err(e),\n{arm}}},"
            );
        }
        let _ = writeln!(out, "{arm}_ => {{\n{arm}    {unknown}\n{arm}}}");
        let _ = writeln!(out, "{body}    }}");
    }
    let _ = writeln!(out, "{body}}}");
    if in_place {
        let _ = writeln!(out, "{body}Ok(value)");
    } else {
        let _ = writeln!(out, "{body}Ok({name} {{");
        for f in &s.fields {
            let rust = ident(&f.rust_name);
            if f.is_optional() {
                let _ = writeln!(out, "{body}    {rust}: {},", local(f));
            } else {
                // A `match`, not `.ok_or_else(|| ..)?`: the closure is a body of its own to
                // type-check and borrow-check per required field (Box, 482 of them: `cargo
                // check` 7.82 → 7.44 s, alternating runs; BENCHMARKS.md §4).
                let json = literal(&f.name);
                let error = format!(
                    "{body}            return Err(<__A::Error as serde::de::Error>::missing_field({json}));"
                );
                let error = if error.len() <= WIDTH {
                    error
                } else {
                    format!(
                        "{body}            return Err(<__A::Error as serde::de::Error>::missing_field(\n{body}                {json},\n{body}            ));"
                    )
                };
                let _ = writeln!(
                    out,
                    "{body}    {rust}: match {} {{\n{body}        Some(v) => v,\n{body}        None => {{\n{error}\n{body}        }}\n{body}    }},",
                    local(f),
                );
            }
        }
        if s.additional.is_some() {
            let _ = writeln!(out, "{body}    additional_properties,");
        }
        let _ = writeln!(out, "{body}}})");
    }
    out.push_str(concat!(
        "            }\n",
        "        }\n",
        "        deserializer.deserialize_map(__Visitor)\n",
        "    }\n",
        "}\n",
    ));
}
