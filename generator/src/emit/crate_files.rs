//! The crate around the operations and models: `lib.rs`, `server.rs`, `Cargo.toml`, README.

use proc_macro2::TokenStream;
use quote::quote;

use super::Config;
use super::rust_file::RustFile;
use super::tokens::{ident, type_tokens};
use crate::ir::Api;

/// `src/lib.rs`: crate docs (the README), modules, re-exports and the constants the runtime
/// reads.
pub fn lib_rs(api: &Api, config: &Config) -> TokenStream {
    let error_model = match &api.error_model {
        Some(ty) => {
            let t = type_tokens(ty, false);
            quote!(#t)
        }
        None => quote!(serde_json::Value),
    };
    let error_model_doc = match &api.error_model {
        Some(crate::ir::TypeRef::Named(name)) => format!(
            " The body the API's error responses share ([`models::{name}`]), parsed into [`ApiError::result`] when it parses."
        ),
        _ => " The body of error responses (the document names no shared error model), parsed into [`ApiError::result`] when it is JSON.".to_owned(),
    };
    let env_prefix = config.env_prefix();
    let server_env = format!("{env_prefix}_SERVER_URL");
    // Without operations nothing calls the send path; the runtime is still the crate's API.
    let webhooks = (!api.webhooks.is_empty()).then(|| {
        quote!(
            pub mod webhooks;
        )
    });
    let runtime_attr = (api.groups.is_empty())
        .then(|| quote!(#[allow(dead_code, reason = "the document has no operations")]));
    quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        // The crate's own code uses the items the document deprecates (re-exports, serde and
        // `Debug` impls, operations taking deprecated models): `#[deprecated]` is there to warn
        // the crate's users, who still get the warning where they use such an item.
        // Each operation's plain form returns `impl Future<Output = Result<T, Error>>`, a type
        // clippy finds complex once `T` is a map in a list; the type is the document's.
        #[allow(deprecated, clippy::type_complexity)]
        pub mod apis;
        #[allow(deprecated)]
        pub mod models;
        #runtime_attr
        mod runtime;
        pub mod security;
        mod server;
        #webhooks

        pub use runtime::*;
        pub use server::Server;

        #[doc = #error_model_doc]
        #[allow(deprecated)]
        pub type ResultError = #error_model;

        /// The environment variable [`Client::from_env`] reads a base URL override from.
        pub const SERVER_URL_ENV: &str = #server_env;
        /// Always sent as the `User-Agent`: this crate's name and version (`{crate}/{version}`), as
        /// in its `Cargo.toml`. A name given to the builder's `user_agent` goes before it.
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    }
}

/// `src/server.rs`: the document's servers as an enum.
pub fn server_rs(file: &mut RustFile, api: &Api) -> TokenStream {
    let fallback;
    let servers: &[crate::ir::Server] = if api.servers.is_empty() {
        // OpenAPI's default server is `/`, which a client cannot use on its own; offer
        // localhost and let callers set `base_url`.
        fallback = [crate::ir::Server {
            variant: "Local".into(),
            url: "http://localhost".into(),
            description: Some(
                "The document lists no servers; set `base_url` on the client builder.".into(),
            ),
        }];
        &fallback
    } else {
        &api.servers
    };
    let variants = servers.iter().enumerate().map(|(i, s)| {
        let v = ident(&s.variant);
        let mut lines = s
            .description
            .as_deref()
            .map(crate::markdown::doc_lines)
            .unwrap_or_default();
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("`{}`", s.url));
        let docs = file.docs(&lines);
        let default = (i == 0).then(|| quote!(#[default]));
        quote!(#docs #default #v,)
    });
    let all = servers.iter().map(|s| {
        let v = ident(&s.variant);
        quote!(Server::#v)
    });
    let urls = servers.iter().map(|s| {
        let v = ident(&s.variant);
        let url = &s.url;
        quote!(Server::#v => #url,)
    });
    let descriptions = servers.iter().map(|s| {
        let v = ident(&s.variant);
        let d = s.description.clone().unwrap_or_default();
        quote!(Server::#v => #d,)
    });
    quote! {
        //! The servers the API document lists.

        /// A server from the API document. The first one is the default; use
        /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url) for any other URL.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Server {
            #(#variants)*
        }

        impl Server {
            /// Every server, in the document's order.
            pub const ALL: &'static [Server] = &[#(#all),*];

            /// The server's base URL.
            pub fn url(&self) -> &'static str {
                match self {
                    #(#urls)*
                }
            }

            /// The server's description from the document.
            pub fn description(&self) -> &'static str {
                match self {
                    #(#descriptions)*
                }
            }
        }
    }
}

/// `Cargo.toml`, from `templates/Cargo.toml.tmpl`.
pub fn cargo_toml(api: &Api, config: &Config) -> String {
    let template = include_str!("../../../templates/Cargo.toml.tmpl");
    let description = format!("Typed async Rust client for the {} (generated)", api.title);
    let (features, defaults) = super::features::cargo_features(api);
    template
        .replace("{{crate_name}}", &config.crate_name)
        .replace("{{version}}", &config.crate_version)
        .replace("{{description}}", &toml_string(&description))
        .replace("{{features}}", &features.join("\n"))
        .replace("{{default_features}}", &defaults.join(", "))
}

/// The contents of a TOML basic string (the template supplies the quotes). JSON's string
/// escapes (`\"`, `\\`, `\n`, `\uXXXX`) are all valid TOML escapes.
fn toml_string(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or("")
        .to_owned()
}
