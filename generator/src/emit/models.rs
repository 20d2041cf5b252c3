//! Named types → `src/models/*.rs`, one file per type.
//!
//! Structs are `#[non_exhaustive]` so that a field added upstream is not a breaking change; a
//! `new` constructor takes the required fields and every field stays public. String enums keep
//! unknown values in an `Unknown(String)` variant so that a value added upstream still decodes
//! and re-encodes unchanged.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model_types::{field_type, merged_alias_target};
use super::rust_file::RustFile;
use super::tokens::{ident, paragraphs, type_tokens};
use crate::ir::{Api, Directions, Enum, Field, Struct, TypeDef, TypeKind, TypeRef, Union};

/// `src/models/mod.rs`: declares each type's module and re-exports the type with its other
/// names (the merged inline types declared beside it, see [`merged_aliases`]).
pub fn models_mod(file: &mut RustFile, api: &Api) -> TokenStream {
    let features = super::features::model_features(api);
    let modules = model_modules(api);
    let aliases = merged_aliases(api);
    let mods = api.types.iter().filter_map(|t| {
        let name = ident(&t.name);
        let cfg = super::features::model_cfg(&features, &t.name);
        if let Some(target) = merged_alias_target(t) {
            if aliases.contains_key(target) {
                // Declared in the target's file, under the target's `cfg`.
                return None;
            }
            let docs = type_docs(file, t);
            let target = ident(target);
            return Some(quote! {
                #docs
                #cfg
                pub type #name = #target;
            });
        }
        let module = format_ident!("{}", modules[&t.name]);
        let others: Vec<_> = aliases
            .get(t.name.as_str())
            .into_iter()
            .flatten()
            .map(|a| ident(&a.name))
            .collect();
        let names = if others.is_empty() {
            quote!(#name)
        } else {
            quote!({#name #(, #others)*})
        };
        Some(quote! {
            #cfg
            mod #module;
            #cfg
            pub use self::#module::#names;
        })
    });
    quote! {
        //! Request and response models, one module per type, all re-exported here. A model
        //! only some groups use is compiled when one of their Cargo features is on.
        #(#mods)*
    }
}

/// The merged inline types (aliases `lower::shapes` left in place of an identical type) by
/// the type they name, when that type has a file of its own: they are declared in it, so the
/// target's one `cfg` covers them (Stripe's 3,755 aliases had a 40-line `cfg` each in
/// `models/mod.rs`).
pub fn merged_aliases(api: &Api) -> std::collections::BTreeMap<&str, Vec<&TypeDef>> {
    let mut out: std::collections::BTreeMap<&str, Vec<&TypeDef>> = Default::default();
    for def in &api.types {
        if let Some(target) = merged_alias_target(def) {
            let has_file = api
                .type_def(target)
                .is_some_and(|t| merged_alias_target(t).is_none());
            if has_file {
                out.entry(target).or_default().push(def);
            }
        }
    }
    out
}

/// Each type's module name (`IdtokenReissueRequest` → `idtoken_reissue_request`), decided by
/// `lower::naming`.
pub fn model_modules(api: &Api) -> std::collections::BTreeMap<String, String> {
    crate::lower::naming::model_modules(api.types.iter().map(|t| t.name.as_str()))
}

/// One type's file, with the merged inline types that are other names for it.
pub fn model_file(
    file: &mut RustFile,
    api: &Api,
    def: &TypeDef,
    aliases: &[&TypeDef],
    directions: Directions,
) -> TokenStream {
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_tokens(file, def, s, directions),
        TypeKind::Enum(e) => enum_tokens(file, def, e),
        TypeKind::Union(u) => union_tokens(file, api, def, u, directions),
        TypeKind::Alias(target) => {
            let docs = type_docs(file, def);
            let name = ident(&def.name);
            let target = type_tokens(target, true);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    };
    let referenced = referenced_types(def);
    let model_imports = referenced.iter().map(|n| {
        let n = ident(n);
        quote!(use super::#n;)
    });
    // After the type and its impls (appended text, so that they stay in that order).
    for alias in aliases {
        let mut text = String::new();
        for line in type_doc_lines(alias) {
            super::rust_file::push_doc_line(&mut text, "", &line);
        }
        if alias.deprecated {
            text.push_str("#[deprecated]\n");
        }
        text.push_str(&format!("pub type {} = {};\n", alias.name, def.name));
        file.append(&text);
    }
    quote! {
        #(#model_imports)*
        #body
    }
}

/// Named types a definition mentions, other than itself (imported with `use super::X`).
fn referenced_types(def: &TypeDef) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut visit = |ty: &TypeRef| collect_named(ty, &mut out);
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| visit(&f.ty));
            if let Some(a) = &s.additional {
                visit(a);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| visit(&v.ty)),
        TypeKind::Alias(t) => visit(t),
        TypeKind::Enum(_) => {}
    }
    out.remove(&def.name);
    out.into_iter().collect()
}

fn collect_named(ty: &TypeRef, out: &mut std::collections::BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            collect_named(inner, out)
        }
        TypeRef::Tuple(items) => items.iter().for_each(|t| collect_named(t, out)),
        TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

/// A type's doc lines: its description, else where it comes from.
fn type_doc_lines(def: &TypeDef) -> Vec<String> {
    let mut lines = paragraphs(&[def.description.as_deref()]);
    if lines.is_empty() {
        if def.origin.starts_with('/') {
            lines.push(format!("The schema at `{}`.", def.origin.replace('`', "'")));
        } else {
            lines.push(format!("The `{}` schema.", def.origin.replace('`', "'")));
        }
    }
    lines
}

fn type_docs(file: &mut RustFile, def: &TypeDef) -> TokenStream {
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let docs = file.docs(&type_doc_lines(def));
    quote!(#docs #deprecated)
}

/// Whether a union variant holds its value in a `Box`: on a type cycle, or when it is a struct
/// or union (often large and of very different sizes: clippy's `large_enum_variant`; a box
/// costs nothing to the serde representation).
pub fn union_variant_boxed(api: &Api, v: &crate::ir::UnionVariant) -> bool {
    v.boxed
        || match &v.ty {
            TypeRef::Named(n) => api
                .type_def(n)
                .is_some_and(|t| matches!(t.kind, TypeKind::Struct(_) | TypeKind::Union(_))),
            _ => false,
        }
}

/// Required string fields take `impl Into<String>` in `new`, so callers can pass `&str`.
pub fn takes_into_string(f: &Field) -> bool {
    !f.is_optional() && !f.boxed && f.ty == TypeRef::Primitive(crate::ir::Primitive::String)
}

fn struct_tokens(
    file: &mut RustFile,
    def: &TypeDef,
    s: &Struct,
    directions: Directions,
) -> TokenStream {
    let docs = type_docs(file, def);
    let name = ident(&def.name);
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let rust = ident(&f.rust_name);
            let ty = field_type(f);
            let mut notes = Vec::new();
            if f.read_only {
                notes.push("Read-only: set by the server; leave it `None` in requests.");
            }
            if f.write_only {
                notes.push("Write-only: sent in requests, never returned.");
            }
            if f.sensitive {
                notes.push("Sensitive: `Debug` prints `<redacted>` in place of the value.");
            }
            let mut lines = paragraphs(&[f.description.as_deref()]);
            if lines.is_empty() {
                lines.push(format!("`{}`", f.name.replace('`', "'")));
            }
            if let Some(default) = &f.default {
                lines.push(String::new());
                lines.push(format!(
                    "Default (applied by the server when unset): `{}`.",
                    default.to_string().replace('`', "'")
                ));
            }
            for note in notes {
                if !lines.is_empty() {
                    lines.push(String::new());
                }
                lines.push(note.to_owned());
            }
            let docs = file.docs(&lines);
            let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #docs
                #deprecated
                pub #rust: #ty,
            }
        })
        .collect();
    let additional = s.additional.as_ref().map(|ty| {
        let ty = type_tokens(ty, true);
        quote! {
            /// Properties beyond the ones declared above.
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });

    // `new` takes the required (non-optional) fields; everything else starts empty.
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.is_optional()).collect();
    let params = required.iter().map(|f| {
        let rust = ident(&f.rust_name);
        if takes_into_string(f) {
            quote!(#rust: impl Into<String>)
        } else {
            let ty = field_type(f);
            quote!(#rust: #ty)
        }
    });
    let inits = s.fields.iter().map(|f| {
        let rust = ident(&f.rust_name);
        if f.is_optional() {
            quote!(#rust: None)
        } else if takes_into_string(f) {
            quote!(#rust: #rust.into())
        } else {
            quote!(#rust)
        }
    });
    let additional_init = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: std::collections::BTreeMap::new(),));
    let derive_default = required.is_empty().then(|| quote!(Default,));
    let new_doc = if required.is_empty() {
        format!(" A `{}` with every field unset.", def.name)
    } else {
        format!(
            " A `{}` with its required fields; the others start unset.",
            def.name
        )
    };
    // Printed as text and appended after the file's other items (see `model_serde`).
    file.append(&super::model_serde::struct_serde_impls(def, s, directions));
    // Secrets are left out of `Debug`: written out for the structs that hold some.
    let redacts = super::model_debug::redacts(s);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    if redacts {
        file.append(&super::model_debug::debug_impl(def, s));
    }
    file.append(&super::model_setters::setters_impl(def, s));
    let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // A schema called `new` makes `New::new`, which clippy flags but users expect.
    let allow_self_named =
        (def.name == "New").then(|| quote!(#[allow(clippy::self_named_constructors)]));
    quote! {
        #docs
        #[derive(#derive_debug Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #allow_self_named
        impl #name {
            #[doc = #new_doc]
            #too_many
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits,)*
                    #additional_init
                }
            }
        }
    }
}

/// A string enum: one `string_enum!` invocation (the runtime's `enums.rs` writes the enum and
/// its impls), printed as text like the serde impls.
fn enum_tokens(file: &mut RustFile, def: &TypeDef, e: &Enum) -> TokenStream {
    file.append(&super::model_enums::string_enum(
        def,
        e,
        &type_doc_lines(def),
    ));
    TokenStream::new()
}

fn union_tokens(
    file: &mut RustFile,
    api: &Api,
    def: &TypeDef,
    u: &Union,
    directions: Directions,
) -> TokenStream {
    let docs = type_docs(file, def);
    let derives = union_derives(directions);
    let serde_attr = |inner: TokenStream| union_serde_attr(directions, inner);
    let name = ident(&def.name);
    let variant_ty = |v: &crate::ir::UnionVariant| {
        let ty = type_tokens(&v.ty, true);
        if union_variant_boxed(api, v) {
            quote!(Box<#ty>)
        } else {
            ty
        }
    };
    let variant_doc = |v: &crate::ir::UnionVariant| {
        let text = match &v.ty {
            TypeRef::Named(n) => format!(" A [`{n}`]."),
            other => format!(
                " A `{}` value.",
                type_tokens(other, true).to_string().replace(' ', "")
            ),
        };
        quote!(#[doc = #text])
    };
    match &u.discriminator {
        // Tagged by a property the variants declare: impls written out (see `union_serde`).
        Some(property)
            if u.variants.iter().all(|v| matches!(v.ty, TypeRef::Named(_)))
                && super::union_serde::variants_declare_tag(api, u, property) =>
        {
            file.append(&super::union_serde::tagged_union_impls(
                api, def, u, property, directions,
            ));
            let variants = u.variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let ty = variant_ty(v);
                let doc = variant_doc(v);
                quote!(#doc #variant(#ty),)
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A variant this version of the crate does not know.
                    Unknown,
                }
            }
        }
        // Tagged by a property: serde's internally tagged enum, with every tag the mapping names.
        Some(property) if u.variants.iter().all(|v| matches!(v.ty, TypeRef::Named(_))) => {
            let variants = u.variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let ty = variant_ty(v);
                let (first, rest) = v
                    .tags
                    .split_first()
                    .map(|(f, r)| (f.clone(), r.to_vec()))
                    .unwrap_or_else(|| (v.rust_name.clone(), Vec::new()));
                let doc = variant_doc(v);
                let rename = serde_attr(quote!(rename = #first #(, alias = #rest)*));
                quote! {
                    #doc
                    #rename
                    #variant(#ty),
                }
            });
            let (tag, other) = (
                serde_attr(quote!(tag = #property)),
                serde_attr(quote!(other)),
            );
            quote! {
                #docs
                #derives
                #tag
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A variant this version of the crate does not know.
                    #other
                    Unknown,
                }
            }
        }
        _ => {
            let variants = u.variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let ty = variant_ty(v);
                let doc = variant_doc(v);
                quote!(#doc #variant(#ty),)
            });
            let untagged = serde_attr(quote!(untagged));
            quote! {
                #docs
                #derives
                #untagged
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value that matches none of the variants above; kept as received.
                    Unknown(serde_json::Value),
                }
            }
        }
    }
}

/// A union's derives: serde's in the directions it travels, the other under its feature
/// ([`Directions`]). A model no operation uses may have both under their features (it holds a
/// model only sent and one only received).
fn union_derives(directions: Directions) -> TokenStream {
    let derive = |feature: Option<&str>, path: TokenStream| match feature {
        None => (quote!(#path,), quote!()),
        Some(feature) => (
            quote!(),
            quote!(#[cfg_attr(feature = #feature, derive(#path))]),
        ),
    };
    let (ser, ser_attr) = derive(directions.serialize_feature(), quote!(serde::Serialize));
    let (de, de_attr) = derive(directions.deserialize_feature(), quote!(serde::Deserialize));
    quote! {
        #[derive(Debug, Clone, PartialEq, #ser #de)]
        #ser_attr
        #de_attr
    }
}

/// `#[serde(inner)]` on a union or its variant; when neither serde derive is unconditional,
/// only where one of them is (the attribute exists only with a serde derive).
fn union_serde_attr(directions: Directions, inner: TokenStream) -> TokenStream {
    match (
        directions.serialize_feature(),
        directions.deserialize_feature(),
    ) {
        (Some(ser), Some(de)) => {
            quote!(#[cfg_attr(any(feature = #ser, feature = #de), serde(#inner))])
        }
        _ => quote!(#[serde(#inner)]),
    }
}
