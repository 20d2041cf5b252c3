//! `src/webhooks.rs`: decoding functions for the payloads of the document's webhooks (OpenAPI
//! 3.1 `webhooks`), one per webhook operation, named in the IR.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_file::RustFile;
use super::tokens::{ident, type_tokens};
use crate::ir::{Api, TypeRef};
use crate::markdown;

/// The module, or `None` when the document declares no webhooks.
pub fn webhooks_rs(file: &mut RustFile, api: &Api) -> Option<TokenStream> {
    if api.webhooks.is_empty() {
        return None;
    }
    let functions = api.webhooks.iter().map(|hook| {
        let name = ident(&hook.fn_name);
        let ty = type_tokens(&hook.payload, false);
        let mut lines = Vec::new();
        if let Some(summary) = &hook.summary {
            lines.extend(markdown::doc_lines(summary));
            lines.push(String::new());
        }
        lines.push(format!(
            "Decodes the body of the `{}` webhook (`{}` request the API sends), e.g. in the handler of your endpoint for it.",
            hook.name,
            hook.http_method.as_str()
        ));
        if let Some(description) = &hook.description {
            lines.push(String::new());
            lines.extend(markdown::doc_lines(description));
        }
        lines.push(String::new());
        lines.push("# Errors".to_owned());
        lines.push(String::new());
        lines.push("When the body is not JSON of the payload's shape.".to_owned());
        let docs = file.docs(&lines);
        let body = match &hook.payload {
            TypeRef::Primitive(crate::ir::Primitive::Bytes) => {
                quote!(Ok(body.to_vec()))
            }
            _ => quote!(serde_json::from_slice(body)),
        };
        quote! {
            #docs
            pub fn #name(body: &[u8]) -> Result<#ty, serde_json::Error> {
                #body
            }
        }
    });
    let uses_models = api.webhooks.iter().any(|h| h.payload.mentions_named());
    let import = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    Some(quote! {
        //! Payloads of the requests the API sends to your service (the document's `webhooks`).
        //!
        //! The client does not receive webhooks; a service that does decodes the request body
        //! with the function named after the webhook.

        #import

        #(#functions)*
    })
}
