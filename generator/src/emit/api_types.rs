//! The types an operation brings along beside its methods: the enum a call returns when its
//! success responses differ, and the struct of its optional parameters.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_file::RustFile;
use super::tokens::{ident, link_name, type_tokens};
use crate::ir::{Api, Group, Operation, ParamLocation, Returns, StatusMatch};

/// The enum a `Success::Several` operation returns.
pub(super) fn success_enum(api: &Api, group: &Group, op: &Operation) -> Option<TokenStream> {
    let surface = api.operation_surface(group, op);
    let Returns::Statuses(statuses) = &surface.returns else {
        return None;
    };
    let name = ident(&statuses.name);
    let variants = statuses.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let description = op
            .success_responses()
            .find(|r| r.status == StatusMatch::Code(v.code))
            .and_then(|r| r.description.as_deref())
            .map(|d| crate::markdown::doc_lines(d).join(" "))
            .unwrap_or_default();
        let doc = format!(" HTTP {}. {description}", v.code);
        match &v.holds {
            Some(holds) => {
                let t = super::signatures::returns(holds);
                quote!(#[doc = #doc] #variant(#t),)
            }
            None => quote!(#[doc = #doc] #variant,),
        }
    });
    let doc = format!(
        " What [`{}::{}`] returns: its documented success responses differ.",
        group.handle,
        link_name(&surface.method)
    );
    // A returned value, matched once and taken apart: boxing the large bodies (what clippy's
    // `large_enum_variant` suggests) would cost an allocation and a `*` for that.
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
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
    let surface = api.operation_surface(group, op);
    let params = surface.params.as_ref()?;
    let name = ident(&params.name);
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
    let setters = op.optional_params().zip(&params.fields).map(|(p, field)| {
        let rust = ident(&field.field);
        let setter = ident(&field.setter);
        let (arg_ty, convert) = if field.into_string {
            (quote!(impl Into<String>), quote!(value.into()))
        } else {
            (type_tokens(&field.ty, false), quote!(value))
        };
        let doc = format!(" Sets `{}`.", field.field);
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
        link_name(&surface.method)
    )]);
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
