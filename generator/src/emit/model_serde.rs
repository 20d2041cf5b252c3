//! `Serialize` and `Deserialize` for struct models, written out instead of derived.
//!
//! serde_derive's expansion for a struct also accepts a JSON array in place of the object,
//! matches field names as bytes and integers as well as strings, tracks duplicate fields and
//! declares a field enum with its own visitor; on the Authlete crate that was more than half of
//! `cargo check`'s time (issue 7's measurements, BENCHMARKS.md). A model's impls here only list
//! its fields: the loop that reads an object, the one visitor, the `missing field` errors and
//! the skipping of `None` are the runtime's (`runtime/model_serde.rs`), written once and generic
//! over tuples of fields. A visitor with a `match` arm per field was the largest item per model
//! that the type checker and borrow checker saw (BENCHMARKS.md §4).
//!
//! The JSON is the same as the derive's: names as in the document, optional fields skipped
//! when `None` (required nullable ones sent as `null`), additional properties after the
//! declared fields; unknown names are skipped, a missing required field is serde's `missing
//! field` error, and a repeated name keeps its last value.
//!
//! The impls are printed here as text, already formatted as rustfmt would, and appended to the
//! model's file after prettyplease has printed the rest ([`super::rust_file::RustFile::append`]):
//! they are many, all of one fixed shape, and sending them through `quote!`, `syn` and
//! prettyplease made up a large share of the generator's run time.

use std::fmt::Write as _;

use super::tokens::ident;
use crate::ir::{Field, Struct, TypeDef};

// Hygiene: the type parameters (`__S`, `__D`) start with `__`, which no name from a document
// does (`lower::naming` builds names from ASCII letters and digits). The locals (`slots`,
// `entries`, `fields`, `additional_properties`) are bound before any field is named and read
// only through paths, so a field called `fields` or `slots` cannot be confused with them.

/// The widest tuple the runtime implements `Slots` and `Entries` for (its `tuples!` list):
/// larger structs nest tuples of at most this many.
pub const CHUNK: usize = 16;

/// Lines longer than this are broken (rustfmt's and prettyplease's width).
const WIDTH: usize = 100;

/// rustfmt's `fn_call_width`: a call (or tuple) whose arguments take more than this on one
/// line is written one argument per line.
const CALL_WIDTH: usize = 60;

/// rustfmt's `struct_lit_width`: the widest struct literal body kept on one line.
const STRUCT_LIT_WIDTH: usize = 18;

/// Both impls for the struct model `def`, as formatted Rust.
pub fn struct_serde_impls(def: &TypeDef, s: &Struct) -> String {
    // Deprecated fields are read here without warnings: `lib.rs` allows `deprecated` in
    // `models`.
    let mut out = String::new();
    serialize_impl(&mut out, def, s);
    deserialize_impl(&mut out, def, s);
    out
}

/// Whether `None` is left out of the JSON rather than sent as `null`: always, except for a
/// required nullable field, whose `null` is meaningful.
fn skipped_when_none(f: &Field) -> bool {
    f.is_optional() && (!f.required || f.read_only || f.write_only)
}

/// A JSON name as a Rust string literal.
fn literal(name: &str) -> String {
    proc_macro2::Literal::string(name).to_string()
}

/// Writes field `i` as an element starting at a column, on a line of an indentation.
type Leaf<'a> = dyn Fn(usize, usize, usize) -> String + 'a;

/// How a struct's fields are grouped into (nested) tuples of at most [`CHUNK`]: the field
/// indexes of each leaf, as a tree.
enum Layout {
    Field(usize),
    Tuple(Vec<Layout>),
}

impl Layout {
    /// `n` fields, flat when they fit one tuple, otherwise in consecutive groups of
    /// [`CHUNK`] (and groups of groups): field `i` is always the `i`-th leaf.
    fn of(n: usize) -> Layout {
        let mut level: Vec<Layout> = (0..n).map(Layout::Field).collect();
        while level.len() > CHUNK {
            let mut grouped = Vec::new();
            let mut rest = level.into_iter().peekable();
            while rest.peek().is_some() {
                let mut group: Vec<Layout> = rest.by_ref().take(CHUNK).collect();
                grouped.push(if group.len() == 1 {
                    group.remove(0)
                } else {
                    Layout::Tuple(group)
                });
            }
            level = grouped;
        }
        if level.len() == 1 {
            level.remove(0)
        } else {
            Layout::Tuple(level)
        }
    }

    /// The path from the whole to each field (`fields.1.3`), in field order.
    fn paths(&self, prefix: &str, out: &mut Vec<String>) {
        match self {
            Layout::Field(_) => out.push(prefix.to_owned()),
            Layout::Tuple(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    part.paths(&format!("{prefix}.{i}"), out);
                }
            }
        }
    }

    /// The tuple as an expression starting at `column` on a line indented by `indent`, each
    /// field written by `leaf(field, column, indent)` (a call, laid out by [`call`]). A tuple
    /// always has two or more calls, each wider than half of [`CALL_WIDTH`], so rustfmt
    /// writes it one element per line.
    fn render(&self, column: usize, indent: usize, leaf: &Leaf, out: &mut String) {
        match self {
            Layout::Field(i) => out.push_str(&leaf(*i, column, indent)),
            Layout::Tuple(parts) => {
                out.push_str("(\n");
                for part in parts {
                    out.push_str(&" ".repeat(indent + 4));
                    part.render(indent + 4, indent + 4, leaf, out);
                    out.push_str(",\n");
                }
                out.push_str(&" ".repeat(indent));
                out.push(')');
            }
        }
    }
}

/// `callee(args)` as rustfmt writes it when the call starts at column `column` on a line
/// indented by `indent` and `tail` follows it: on one line when it fits and the arguments
/// are narrow enough, else one argument per line.
fn call(callee: &str, args: &[String], column: usize, indent: usize, tail: &str) -> String {
    let one_line = format!("{callee}({})", args.join(", "));
    let args_width = one_line.len() - callee.len() - 2;
    if args_width <= CALL_WIDTH && column + one_line.len() + tail.len() <= WIDTH {
        return one_line;
    }
    let pad = " ".repeat(indent + 4);
    let mut out = format!("{callee}(\n");
    for arg in args {
        let _ = writeln!(out, "{pad}{arg},");
    }
    out.push_str(&" ".repeat(indent));
    out.push(')');
    out
}

/// `{indent}let {pattern} = {call}{tail}` as rustfmt writes it: the call on the same line if
/// it fits there, else on the next line if it fits there whole, else broken after `(`.
fn let_call(indent: usize, pattern: &str, callee: &str, args: &[String], tail: &str) -> String {
    let pad = " ".repeat(indent);
    let head = format!("{pad}let {pattern} = ");
    let same_line = call(callee, args, head.len(), indent, tail);
    if !same_line.contains('\n') {
        return format!("{head}{same_line}{tail}\n");
    }
    let next_line = call(callee, args, indent + 4, indent + 4, tail);
    if !next_line.contains('\n') {
        return format!("{pad}let {pattern} =\n{pad}    {next_line}{tail}\n");
    }
    format!("{head}{same_line}{tail}\n")
}

const SIGNATURE_SER: &str = "    fn serialize<__S: serde::Serializer>(\n        &self,\n        serializer: __S,\n    ) -> Result<__S::Ok, __S::Error> {\n";
const SIGNATURE_DE: &str = "    fn deserialize<__D: serde::Deserializer<'de>>(\n        deserializer: __D,\n    ) -> Result<Self, __D::Error> {\n";

fn serialize_impl(out: &mut String, def: &TypeDef, s: &Struct) {
    let name = ident(&def.name).to_string();
    let _ = writeln!(out, "impl serde::Serialize for {name} {{");
    out.push_str(SIGNATURE_SER);
    let entries = if s.fields.is_empty() {
        "()".to_owned()
    } else {
        let leaf = |i: usize, column: usize, indent: usize| {
            let f = &s.fields[i];
            let kind = if skipped_when_none(f) {
                "SkipNone"
            } else {
                "Always"
            };
            let args = [literal(&f.name), format!("&self.{}", ident(&f.rust_name))];
            call(
                &format!("crate::runtime::{kind}"),
                &args,
                column,
                indent,
                ";",
            )
        };
        let head = "        let entries = ";
        out.push_str(head);
        Layout::of(s.fields.len()).render(head.len(), 8, &leaf, out);
        out.push_str(";\n");
        "entries".to_owned()
    };
    let mut args = vec!["serializer".to_owned(), entries];
    let callee = if s.additional.is_some() {
        args.push("&self.additional_properties".to_owned());
        "crate::runtime::encode_open_struct"
    } else {
        "crate::runtime::encode_struct"
    };
    let _ = writeln!(out, "        {}", call(callee, &args, 8, 8, ""));
    out.push_str("    }\n}\n");
}

fn deserialize_impl(out: &mut String, def: &TypeDef, s: &Struct) {
    let name = ident(&def.name).to_string();
    let _ = writeln!(out, "impl<'de> serde::Deserialize<'de> for {name} {{");
    out.push_str(SIGNATURE_DE);
    let layout = Layout::of(s.fields.len());
    let slots = if s.fields.is_empty() {
        "()".to_owned()
    } else {
        let leaf = |i: usize, column: usize, indent: usize| {
            let f = &s.fields[i];
            let kind = if f.is_optional() {
                "Optional"
            } else {
                "Required"
            };
            let args = [literal(&f.name)];
            call(
                &format!("crate::runtime::{kind}::new"),
                &args,
                column,
                indent,
                ";",
            )
        };
        let head = "        let slots = ";
        out.push_str(head);
        layout.render(head.len(), 8, &leaf, out);
        out.push_str(";\n");
        "slots".to_owned()
    };
    let args = ["deserializer".to_owned(), literal(&def.name), slots];
    let (callee, pattern) = match (&s.additional, s.fields.is_empty()) {
        (None, _) => ("crate::runtime::decode_struct", "fields"),
        (Some(_), false) => (
            "crate::runtime::decode_open_struct",
            "(fields, additional_properties)",
        ),
        (Some(_), true) => (
            "crate::runtime::decode_open_struct",
            "((), additional_properties)",
        ),
    };
    if s.fields.is_empty() && s.additional.is_none() {
        let _ = writeln!(out, "        {}?;", call(callee, &args, 8, 8, "?;"));
    } else {
        out.push_str(&let_call(8, pattern, callee, &args, "?;"));
    }

    let mut paths = Vec::new();
    layout.paths("fields", &mut paths);
    let mut inits: Vec<String> = s
        .fields
        .iter()
        .zip(&paths)
        .map(|(f, path)| {
            let rust = ident(&f.rust_name).to_string();
            if rust == *path {
                rust
            } else {
                format!("{rust}: {path}")
            }
        })
        .collect();
    if s.additional.is_some() {
        inits.push("additional_properties".to_owned());
    }
    let one_line = inits.join(", ");
    if inits.is_empty() {
        out.push_str("        Ok(Self {})\n");
    } else if one_line.len() <= STRUCT_LIT_WIDTH && 8 + one_line.len() + 14 <= WIDTH {
        let _ = writeln!(out, "        Ok(Self {{ {one_line} }})");
    } else {
        out.push_str("        Ok(Self {\n");
        for init in &inits {
            let _ = writeln!(out, "            {init},");
        }
        out.push_str("        })\n");
    }
    out.push_str("    }\n}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(n: usize) -> Vec<String> {
        let mut out = Vec::new();
        Layout::of(n).paths("fields", &mut out);
        out
    }

    #[test]
    fn fields_are_flat_up_to_a_chunk_and_nested_past_it() {
        assert_eq!(paths(1), ["fields"]);
        assert_eq!(paths(2), ["fields.0", "fields.1"]);
        assert_eq!(paths(16).last().unwrap(), "fields.15");
        // 17: a tuple of 16, then the 17th alone.
        assert_eq!(paths(17)[15], "fields.0.15");
        assert_eq!(paths(17)[16], "fields.1");
        // 300: 19 groups of up to 16 are more than a chunk, so they are grouped again.
        let wide = paths(300);
        assert_eq!(wide.len(), 300);
        assert_eq!(wide[0], "fields.0.0.0");
        assert_eq!(wide[256], "fields.1.0.0");
        assert_eq!(wide[299], "fields.1.2.11");
    }

    #[test]
    fn calls_stay_on_one_line_only_when_rustfmt_would_keep_them() {
        let short = call("f", &["a".to_owned(), "b".to_owned()], 8, 8, ";");
        assert_eq!(short, "f(a, b)");
        // Arguments wider than rustfmt's `fn_call_width` go one per line.
        let wide = vec!["x".repeat(40), "y".repeat(25)];
        assert_eq!(
            call("f", &wide, 8, 8, ";"),
            format!(
                "f(\n            {},\n            {},\n        )",
                wide[0], wide[1]
            )
        );
        // A let whose call fits on the next line moves there rather than breaking.
        let args = vec![
            "deserializer".to_owned(),
            "\"Name\"".to_owned(),
            "slots".to_owned(),
        ];
        let long_pattern = format!("({}, additional_properties)", "f".repeat(40));
        assert_eq!(
            let_call(
                8,
                &long_pattern,
                "crate::runtime::decode_open_struct",
                &args,
                "?;"
            ),
            format!(
                "        let {long_pattern} =\n            crate::runtime::decode_open_struct(deserializer, \"Name\", slots)?;\n"
            )
        );
    }
}
