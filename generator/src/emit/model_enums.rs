//! String enum models as text: one invocation of the runtime's `string_enum!` per enum.
//!
//! Written out, a string enum is about seventy lines of one shape (the enum, `as_str`,
//! `From<&str>`, `FromStr`, `Display`, `Ord`, serde both ways); the macro holds that shape once
//! and the model file only what the document decides: docs, the variants' names and their
//! values. Printed as text, like the serde impls, since prettyplease prints a macro's body as
//! one line of tokens.

use std::fmt::Write as _;

use super::tokens::ident;
use crate::ir::{Enum, TypeDef};

/// The `string_enum!` invocation for `def`, documented with `docs`.
pub fn string_enum(def: &TypeDef, e: &Enum, docs: &[String]) -> String {
    let mut out = String::from("crate::runtime::string_enum! {\n");
    for line in docs {
        doc_line(&mut out, "    ", line);
    }
    if def.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    let _ = writeln!(out, "    pub enum {} {{", ident(&def.name));
    for v in &e.variants {
        doc_line(
            &mut out,
            "        ",
            &format!("`{}`", v.value.replace('`', "'")),
        );
        if let Some(description) = &v.description {
            let lines = crate::markdown::doc_lines(description);
            if !lines.is_empty() {
                doc_line(&mut out, "        ", "");
            }
            for line in &lines {
                doc_line(&mut out, "        ", line);
            }
        }
        // Users who name the variant are warned; the macro's own uses of it (`as_str`,
        // `From<&str>`) sit in the models module, which allows `deprecated`.
        if v.deprecated {
            out.push_str("        #[deprecated]\n");
        }
        let _ = writeln!(
            out,
            "        {} = {},",
            ident(&v.rust_name),
            proc_macro2::Literal::string(&v.value)
        );
    }
    out.push_str("    }\n}\n");
    out
}

fn doc_line(out: &mut String, indent: &str, line: &str) {
    out.push_str(indent);
    out.push_str("///");
    if !line.is_empty() {
        out.push(' ');
        out.push_str(line);
    }
    out.push('\n');
}
