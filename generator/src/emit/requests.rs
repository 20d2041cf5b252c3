//! How an operation's request is built, as tokens: parameters turned into their text on the
//! wire and added to the `Request`, the HTTP method, the body's media types and multipart
//! parts, the `Accept` header and the security alternatives. `apis.rs` assembles these into
//! the methods the surface names.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::ident;
use crate::ir::{
    Api, BodyMedia, HttpMethod, Operation, Param, ParamLocation, Primitive, TypeKind, TypeRef,
};

fn is_enum(api: &Api, name: &str) -> bool {
    api.type_def(name)
        .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_)))
}

/// The expression that turns a parameter value into its text on the wire.
pub(super) fn to_text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::String) => quote!(#value.to_string()),
        TypeRef::Primitive(Primitive::Bytes) => {
            quote!(String::from_utf8_lossy(#value).into_owned())
        }
        TypeRef::Primitive(_) => quote!(#value.to_string()),
        TypeRef::Named(name) if is_enum(api, name) => quote!(#value.to_string()),
        // Objects and other structured values have no standard text form; send JSON.
        _ => quote!(serde_json::to_string(&#value).unwrap_or_default()),
    }
}

/// Statements that add one parameter (bound to `value`) to `request`.
pub(super) fn add_param(api: &Api, param: &Param, value: TokenStream) -> TokenStream {
    let name = &param.name;
    match (&param.location, &param.ty) {
        (ParamLocation::Query, TypeRef::List(inner)) => {
            let item = to_text(api, inner, quote!(item));
            if param.explode {
                quote! {
                    for item in #value.iter() {
                        request.query(#name, #item);
                    }
                }
            } else {
                quote! {
                    request.query(#name, #value.iter().map(|item| #item).collect::<Vec<_>>().join(","));
                }
            }
        }
        (ParamLocation::Query, ty) => {
            let text = to_text(api, ty, value);
            quote!(request.query(#name, #text);)
        }
        (ParamLocation::Header, ty) => {
            let text = to_text(api, ty, value);
            quote!(request.header(#name, #text);)
        }
        (ParamLocation::Cookie, ty) => {
            let text = to_text(api, ty, value);
            let prefix = format!("{name}=");
            quote! {
                let mut cookie = String::from(#prefix);
                cookie.push_str(&#text);
                request.header("Cookie", cookie);
            }
        }
        (ParamLocation::QueryString { json: true }, _) => {
            quote!(request.query_string_json(&#value);)
        }
        (ParamLocation::QueryString { json: false }, _) => {
            quote!(request.query_string_form(&#value);)
        }
        (ParamLocation::Path, _) => quote!(),
    }
}

pub(super) fn method_tokens(method: &HttpMethod) -> TokenStream {
    let variant = format_ident!(
        "{}",
        match method {
            HttpMethod::Query => "Query",
            HttpMethod::Other(name) => return quote!(HttpMethod::Other(#name)),
            HttpMethod::Get => "Get",
            HttpMethod::Put => "Put",
            HttpMethod::Post => "Post",
            HttpMethod::Delete => "Delete",
            HttpMethod::Options => "Options",
            HttpMethod::Head => "Head",
            HttpMethod::Patch => "Patch",
            HttpMethod::Trace => "Trace",
        }
    );
    quote!(HttpMethod::#variant)
}

/// The runtime's media types for a request body, the default first.
pub(super) fn request_media_tokens(body: &crate::ir::RequestBody) -> Vec<TokenStream> {
    match &body.raw_media_type {
        Some(content_type) => vec![quote!(BodyMedia::Other(#content_type))],
        None => body.media.iter().map(|m| media_tokens(*m)).collect(),
    }
}

/// The `Accept` header of an operation: the media type of the first body among its 2xx
/// responses (JSON when it has none).
pub(super) fn success_accept(op: &Operation) -> String {
    let body = op.success_responses().find_map(|r| r.body.as_ref());
    match body {
        Some(body) if body.media != BodyMedia::Json => body.media_type.clone(),
        _ => "application/json".to_owned(),
    }
}

pub(super) fn media_tokens(media: BodyMedia) -> TokenStream {
    match media {
        BodyMedia::Json => quote!(BodyMedia::Json),
        BodyMedia::Form => quote!(BodyMedia::Form),
        BodyMedia::Text => quote!(BodyMedia::Text),
        BodyMedia::Binary => quote!(BodyMedia::OctetStream),
        BodyMedia::Multipart => quote!(BodyMedia::Multipart),
    }
}

/// Statements that encode `body` as `multipart/form-data`: one part per field of the body
/// model, in document order; files (binary fields) as raw bytes, strings and enums as text,
/// anything else as JSON. A body that is not a struct is sent as one JSON part, `body`.
pub(super) fn multipart_parts(api: &Api, ty: &TypeRef) -> TokenStream {
    let fields = match ty {
        TypeRef::Named(name) => match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => Some(&s.fields),
            _ => None,
        },
        _ => None,
    };
    let Some(fields) = fields else {
        return quote! {
            let mut form = Multipart::new();
            form.json("body", body);
            request.multipart(form);
        };
    };
    let parts = fields.iter().filter(|f| !f.read_only).map(|f| {
        let name = &f.name;
        let rust = ident(&f.rust_name);
        let add = match &f.ty {
            TypeRef::Primitive(Primitive::Bytes) => quote!(form.file(#name, value);),
            TypeRef::Primitive(Primitive::String) => quote!(form.text(#name, value);),
            TypeRef::Named(n) if is_enum(api, n) => quote!(form.text(#name, value.as_str());),
            _ => quote!(form.json(#name, value);),
        };
        if f.is_optional() {
            quote! {
                if let Some(value) = &body.#rust {
                    #add
                }
            }
        } else {
            quote! {
                let value = &body.#rust;
                #add
            }
        }
    });
    quote! {
        let mut form = Multipart::new();
        #(#parts)*
        request.multipart(form);
    }
}

/// `&[&[&crate::security::A, &crate::security::B], ..]`: the operation's alternatives.
pub(super) fn security_tokens(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alternative| {
        let schemes = alternative.iter().filter_map(|name| {
            let scheme = api.security_schemes.iter().find(|s| &s.name == name)?;
            let konst = ident(&scheme.const_name);
            Some(quote!(&crate::security::#konst))
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}
