//! `Debug` for struct models with sensitive fields, written out instead of derived.
//!
//! A field the document marks sensitive ([`Field::sensitive`]: `format: password` or
//! `x-sensitive: true`) is printed as `<redacted>` (`Some(<redacted>)` when set and optional),
//! everything else as the derive would. Models without sensitive fields keep the derive.
//! Printed as text, like the serde impls (see `model_serde`), and appended after the file's
//! other items.

use std::fmt::Write as _;

use super::tokens::ident;
use crate::ir::{Api, Field, Struct, TypeDef, TypeKind};

/// Whether the struct needs the written `Debug` rather than the derive.
pub fn redacts(s: &Struct) -> bool {
    s.fields.iter().any(|f| f.sensitive)
}

/// `impl Debug` for `def`, as formatted Rust. One array of `(name, value)` pairs and a loop,
/// like the derive's `debug_struct_fields_finish` (unstable, so not callable here): a chain of
/// one `.field(..)` call per field made a large function of every big model, and the debug
/// build of the Authlete crate measurably slower.
///
/// `#[inline]`, so that a debug build compiles `fmt` only in crates that print the model, as it
/// does the derive's (small, so inlinable across crates by default): a plain `fn` is compiled
/// in this crate always, and with it the `Debug` of every field type behind the `&dyn Debug`s.
/// In the Authlete crate that was 700 of the 3,161 functions `rustc -Zprint-mono-items` lists
/// for a debug build (70 models), most of issue 16's growth in `cargo build`.
pub fn debug_impl(def: &TypeDef, s: &Struct) -> String {
    let name = ident(&def.name).to_string();
    let mut out = String::new();
    let _ = writeln!(out, "impl std::fmt::Debug for {name} {{");
    out.push_str("    #[inline]\n");
    out.push_str("    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n");
    out.push_str("        let fields: &[(&str, &dyn std::fmt::Debug)] = &[\n");
    for field in &s.fields {
        let _ = writeln!(
            out,
            "            ({}, {}),",
            proc_macro2::Literal::string(field.rust_name.as_str()),
            shown(field)
        );
    }
    if s.additional.is_some() {
        out.push_str("            (\"additional_properties\", &self.additional_properties),\n");
    }
    out.push_str("        ];\n");
    let _ = writeln!(
        out,
        "        let mut out = f.debug_struct({});",
        proc_macro2::Literal::string(&def.name)
    );
    out.push_str(
        "        for (name, value) in fields {\n            out.field(name, value);\n        }\n",
    );
    out.push_str("        out.finish()\n    }\n}\n");
    out
}

/// What `Debug` is given for a field.
fn shown(field: &Field) -> String {
    let rust = ident(&field.rust_name);
    match (field.sensitive, field.is_optional()) {
        (false, _) => format!("&self.{rust}"),
        (true, false) => "&crate::runtime::Redacted".to_owned(),
        (true, true) => format!("&crate::runtime::redact_option(&self.{rust})"),
    }
}

/// A sentence for the generated README: how many fields are redacted, with a few examples.
pub fn readme_summary(api: &Api) -> String {
    let mut fields = Vec::new();
    for def in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            fields.extend(
                s.fields
                    .iter()
                    .filter(|f| f.sensitive)
                    .map(|f| format!("`{}::{}`", def.name, f.rust_name)),
            );
        }
    }
    match fields.len() {
        0 => "This API's document marks no field sensitive.".to_owned(),
        n => {
            let shown = fields
                .iter()
                .take(4)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            let more = if n > 4 { ", ..." } else { "" };
            let fields = if n == 1 { "field is" } else { "fields are" };
            format!(
                "In this crate, {n} {fields} redacted ({shown}{more}); each says so in its documentation."
            )
        }
    }
}
