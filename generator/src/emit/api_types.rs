//! The types an operation brings along beside its methods: the enum a call returns when its
//! success responses differ, and the struct of its optional parameters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_file::RustFile;
use super::tokens::{ident, link_name, type_tokens};
use crate::ir::{Api, BodyMedia, Group, Operation, ParamLocation, Primitive, StatusMatch, TypeRef};

/// One variant of an operation's success enum.
pub(super) struct SuccessVariant<'a> {
    pub(super) variant: proc_macro2::Ident,
    pub(super) code: u16,
    pub(super) status: StatusMatch,
    pub(super) body: Option<(BodyMedia, &'a TypeRef)>,
}

/// The variants of a `Success::Several` operation's enum: one per documented 2xx status,
/// named after the status (`Ok`, `Created`, ...).
pub(super) fn success_variants(op: &Operation) -> Vec<SuccessVariant<'_>> {
    op.success_responses()
        .filter_map(|r| {
            let StatusMatch::Code(code) = r.status else {
                // `2XX` ranges fall to the `Other` variant.
                return None;
            };
            let name = match code {
                200 => "Ok".to_owned(),
                201 => "Created".to_owned(),
                202 => "Accepted".to_owned(),
                203 => "NonAuthoritative".to_owned(),
                204 => "NoContent".to_owned(),
                205 => "ResetContent".to_owned(),
                206 => "PartialContent".to_owned(),
                other => format!("Status{other}"),
            };
            Some(SuccessVariant {
                variant: quote::format_ident!("{}", name),
                code,
                status: r.status,
                body: r.body.as_ref().map(|b| (b.media, &b.ty)),
            })
        })
        .collect()
}

/// The enum a `Success::Several` operation returns.
pub(super) fn success_enum(group: &Group, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.success_enum_type.as_deref()?);
    let variants = success_variants(op).into_iter().map(|v| {
        let variant = &v.variant;
        let description = op
            .success_responses()
            .find(|r| r.status == v.status)
            .and_then(|r| r.description.as_deref())
            .map(|d| crate::markdown::doc_lines(d).join(" "))
            .unwrap_or_default();
        let doc = format!(" HTTP {}. {description}", v.code);
        match v.body {
            Some((BodyMedia::Text, _)) => quote!(#[doc = #doc] #variant(String),),
            Some((BodyMedia::Binary, _)) => quote!(#[doc = #doc] #variant(bytes::Bytes),),
            Some((_, ty)) => {
                let t = type_tokens(ty, false);
                quote!(#[doc = #doc] #variant(#t),)
            }
            None => quote!(#[doc = #doc] #variant,),
        }
    });
    let doc = format!(
        " What [`{}::{}`] returns: its documented success responses differ.",
        group.handle,
        link_name(&op.method_name)
    );
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A success status the document does not describe, with the raw body.
            Other {
                /// The HTTP status.
                status: u16,
                /// The body as received.
                body: bytes::Bytes,
            },
        }
    })
}

/// The struct that carries an operation's optional parameters, with chainable setters.
pub(super) fn params_struct(
    file: &mut RustFile,
    api: &Api,
    group: &Group,
    op: &Operation,
) -> Option<TokenStream> {
    let type_name = op.optional_params_type.as_ref()?;
    let name = ident(type_name);
    // Collected: each adds docs to `file`, as `uses` below does.
    let fields: Vec<TokenStream> = op
        .optional_params()
        .map(|p| {
            let rust = ident(&p.rust_name);
            let ty = type_tokens(&p.ty, false);
            let mut lines = p
                .description
                .as_deref()
                .map(crate::markdown::doc_lines)
                .unwrap_or_default();
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!(
                "Sent as the {} parameter `{}`.",
                match p.location {
                    ParamLocation::Query => "query",
                    ParamLocation::QueryString { .. } => "query string",
                    ParamLocation::Header => "header",
                    ParamLocation::Cookie => "cookie",
                    ParamLocation::Path => "path",
                },
                p.name.replace('`', "'")
            ));
            let docs = file.docs(&lines);
            let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #docs
                #deprecated
                pub #rust: Option<#ty>,
            }
        })
        .collect();
    let setters = op.optional_params().map(|p| {
        let rust = ident(&p.rust_name);
        let setter = if p.rust_name == "new" {
            format_ident!("set_new")
        } else {
            rust.clone()
        };
        let ty = type_tokens(&p.ty, false);
        let (arg_ty, convert) = match &p.ty {
            TypeRef::Primitive(Primitive::String) => {
                (quote!(impl Into<String>), quote!(value.into()))
            }
            _ => (ty, quote!(value)),
        };
        let doc = format!(" Sets `{}`.", p.rust_name);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #setter(mut self, value: #arg_ty) -> Self {
                self.#rust = Some(#convert);
                self
            }
        }
    });
    let uses = file.docs(&[format!(
        "Optional parameters of [`{}::{}`].",
        group.handle,
        link_name(&op.method_name)
    )]);
    let _ = api;
    Some(quote! {
        #uses
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// No optional parameters set.
            pub fn new() -> Self {
                // Not `Self::default()`: a parameter named `default` has a setter of that name.
                <Self as Default>::default()
            }

            #(#setters)*
        }
    })
}
