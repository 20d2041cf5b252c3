//! Small pieces every emitter needs: identifiers, type tokens, doc text. Doc attributes and
//! appended text belong to the file being built ([`super::rust_file::RustFile`]).

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Primitive, TypeRef};
use crate::lower::naming::is_keyword;
use crate::markdown;

/// An identifier, written raw (`r#type`) when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}

/// A name as an intra-doc link path spells it (`r#type` for keywords).
pub fn link_name(name: &str) -> String {
    if is_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_owned()
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

/// Doc lines joined from several paragraphs, skipping empty ones.
pub fn paragraphs(parts: &[Option<&str>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.iter().flatten() {
        let lines = markdown::doc_lines(part);
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
