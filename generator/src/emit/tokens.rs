//! Small pieces every emitter needs: identifiers, type tokens, doc attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::rustdoc;
use crate::ir::{Primitive, TypeRef};
use crate::lower::naming::is_keyword;

/// An identifier, written raw (`r#type`) when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}

/// The Rust type for a type reference, as seen from a module that has `use crate::models;`
/// (or is `models` itself, with `in_models`).
pub fn type_tokens(ty: &TypeRef, in_models: bool) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            if in_models {
                quote!(#name)
            } else {
                quote!(models::#name)
            }
        }
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, in_models);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, in_models);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, in_models);
            quote!(Option<#inner>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|t| type_tokens(t, in_models));
            quote!((#(#items,)*))
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// A type's tokens as compact text, the way it is written by hand (`Option<Vec<String>>`,
/// `std::collections::BTreeMap<String, Value>`), for code printed as text. `TokenStream`'s
/// own `to_string` puts a space between every token.
pub fn type_text(tokens: &TokenStream) -> String {
    tokens.to_string().replace(' ', "").replace(',', ", ")
}

pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Bytes => quote!(Vec<u8>),
    }
}

/// `///` docs for already-safe lines.
///
/// The text itself does not travel through the token stream: `syn` and prettyplease would
/// spend most of their time on it (documentation is the bulk of a generated crate). Instead a
/// short placeholder attribute does, and [`splice_docs`] puts the lines back after printing.
/// The placeholders are per thread and per file: `rust_file` takes them after each file.
pub fn doc_lines(lines: &[String]) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let id = PENDING_DOCS.with(|docs| {
        let mut docs = docs.borrow_mut();
        docs.push(lines.to_vec());
        docs.len() - 1
    });
    let marker = format!("{DOC_MARKER}{id}");
    quote!(#[doc = #marker])
}

/// Marks a placeholder doc attribute; never produced by anything else (document text never
/// passes through the token stream).
const DOC_MARKER: &str = "__generated_doc_";

thread_local! {
    static PENDING_DOCS: std::cell::RefCell<Vec<Vec<String>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Takes the doc lines recorded on this thread since the last call.
pub fn take_docs() -> Vec<Vec<String>> {
    PENDING_DOCS.with(|docs| std::mem::take(&mut *docs.borrow_mut()))
}

/// Replaces each printed placeholder (`///__generated_doc_N`) with its `///` lines, at the
/// placeholder's indentation.
pub fn splice_docs(printed: &str, docs: &[Vec<String>]) -> String {
    let mut out = String::with_capacity(
        printed.len() + docs.iter().flatten().map(|l| l.len() + 12).sum::<usize>(),
    );
    for line in printed.lines() {
        let trimmed = line.trim_start();
        let id = trimmed
            .strip_prefix("///")
            .and_then(|rest| rest.strip_prefix(DOC_MARKER))
            .and_then(|n| n.parse::<usize>().ok());
        match id.and_then(|id| docs.get(id)) {
            Some(lines) => {
                let indent = &line[..line.len() - trimmed.len()];
                for doc in lines {
                    out.push_str(indent);
                    out.push_str("///");
                    if !doc.is_empty() {
                        out.push(' ');
                        out.push_str(doc);
                    }
                    out.push('\n');
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

thread_local! {
    static PENDING_VERBATIM: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Appends already formatted Rust to the end of the file being built on this thread, after
/// prettyplease has printed its tokens: for large code of a fixed shape that would only cost
/// time going through `syn` and prettyplease. `rust_file` takes it with [`take_verbatim`].
pub fn append_verbatim(text: &str) {
    PENDING_VERBATIM.with(|pending| pending.borrow_mut().push_str(text));
}

/// Takes the text appended on this thread since the last call.
pub fn take_verbatim() -> String {
    PENDING_VERBATIM.with(|pending| std::mem::take(&mut *pending.borrow_mut()))
}

/// Doc lines joined from several paragraphs, skipping empty ones.
pub fn paragraphs(parts: &[Option<&str>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.iter().flatten() {
        let lines = rustdoc::doc_lines(part);
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(lines);
    }
    out
}
