//! `src/security.rs`: a static per security scheme the document declares, which operations'
//! `OperationInfo::security` point at and `Client::from_env` reads its variables from.

use proc_macro2::TokenStream;
use quote::quote;

use super::Config;
use super::rust_file::RustFile;
use super::tokens::ident;
use crate::ir::{Api, ApiKeyLocation, SchemeKind, SecurityScheme};

pub fn security_rs(file: &mut RustFile, api: &Api, config: &Config) -> TokenStream {
    let prefix = config.env_prefix();
    let statics = api.security_schemes.iter().map(|scheme| {
        let name = ident(&scheme.const_name);
        let docs = file.docs(&scheme_docs(scheme, &prefix));
        let scheme_name = &scheme.name;
        let kind = kind_tokens(&scheme.kind);
        let env = scheme.env.iter().map(|suffix| format!("{prefix}_{suffix}"));
        quote! {
            #docs
            pub static #name: SecurityScheme = SecurityScheme {
                name: #scheme_name,
                kind: #kind,
                env: &[#(#env),*],
            };
        }
    });
    let all = api.security_schemes.iter().map(|s| {
        let name = ident(&s.const_name);
        quote!(&#name)
    });
    quote! {
        //! The security schemes the API document declares. Give credentials with the
        //! [`ClientBuilder`](crate::ClientBuilder) setters, or for one scheme with
        //! [`ClientBuilder::credential`](crate::ClientBuilder::credential).

        use crate::runtime::SecurityScheme;

        #(#statics)*

        /// Every scheme, in the document's order.
        pub static ALL: &[&SecurityScheme] = &[#(#all),*];
    }
}

fn kind_tokens(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Bearer => quote!(crate::runtime::SchemeKind::Bearer),
        SchemeKind::Basic => quote!(crate::runtime::SchemeKind::Basic),
        SchemeKind::ApiKey { location, param } => {
            let location = match location {
                ApiKeyLocation::Header => quote!(crate::runtime::ApiKeyLocation::Header),
                ApiKeyLocation::Query => quote!(crate::runtime::ApiKeyLocation::Query),
                ApiKeyLocation::Cookie => quote!(crate::runtime::ApiKeyLocation::Cookie),
            };
            quote!(crate::runtime::SchemeKind::ApiKey { location: #location, name: #param })
        }
        SchemeKind::OAuth2ClientCredentials { token_url, scopes } => {
            quote!(crate::runtime::SchemeKind::OAuth2ClientCredentials { token_url: #token_url, scopes: &[#(#scopes),*] })
        }
        SchemeKind::Other { .. } => quote!(crate::runtime::SchemeKind::Other),
    }
}

/// The scheme's description, then how the client sends it and where `from_env` finds it.
fn scheme_docs(scheme: &SecurityScheme, prefix: &str) -> Vec<String> {
    let mut lines = vec![format!("`{}`: {}.", scheme.name, how_sent(&scheme.kind))];
    if let Some(description) = &scheme.description {
        lines.push(String::new());
        lines.extend(crate::markdown::doc_lines(description));
    }
    if !scheme.env.is_empty() {
        let vars: Vec<String> = scheme
            .env
            .iter()
            .map(|v| format!("`{prefix}_{v}`"))
            .collect();
        lines.push(String::new());
        lines.push(format!("`Client::from_env` reads {}.", vars.join(", ")));
    }
    lines
}

/// One sentence on what the client sends for a scheme of `kind` and which setter gives it.
pub fn how_sent(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Bearer => {
            "`Authorization: Bearer <token>`, the token given to `bearer_token`".to_owned()
        }
        SchemeKind::Basic => {
            "`Authorization: Basic …`, from the username and password given to `basic_auth`"
                .to_owned()
        }
        SchemeKind::ApiKey { location, param } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("the key given to `api_key`, in the {place} `{param}`")
        }
        SchemeKind::OAuth2ClientCredentials { token_url, .. } => format!(
            "an OAuth 2.0 access token the client fetches from `{token_url}` with the client \
             ID and secret given to `oauth2_client_credentials`, caches and refreshes"
        ),
        SchemeKind::Other { what } => {
            format!("{what}, which the client cannot produce; add it with a `Hook`")
        }
    }
}
