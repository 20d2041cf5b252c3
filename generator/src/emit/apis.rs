//! Groups → `src/apis/<group>.rs`: a handle type per tag with one pair of async methods per
//! operation (`op(..)` and `op_with(.., RequestOptions)`), plus `src/apis/mod.rs` with the
//! accessors on `Client`.
//!
//! Per-operation code stays small on purpose: it builds a `Request` (path, query, headers,
//! body) and hands it to the runtime's single non-generic send path. Everything else (auth,
//! retries, timeouts, hooks, tracing, error classification) lives in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::api_types::{params_struct, success_enum};
use super::operation_docs::operation_docs;
use super::requests::{
    add_param, method_tokens, multipart_parts, request_media_tokens, security_tokens,
    success_accept, to_text,
};
use super::rust_file::RustFile;
use super::tokens::{ident, link_name, paragraphs};
use crate::ir::{
    Api, BodyMedia, Group, Operation, ParamLocation, PathSegment, Primitive, Returns, StatusMatch,
    Success, TypeRef,
};

/// `src/apis/mod.rs`.
pub fn apis_mod(file: &mut RustFile, api: &Api) -> TokenStream {
    let mods = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let handle = ident(&g.handle);
        let cfg = super::features::group_cfg(g);
        let doc = format!(" The `{}` operations.", g.tag.replace('`', "'"));
        let _ = &api;
        // A tag called `apis` makes `apis::apis`, which clippy flags but the document chose.
        let inception = (g.module == "apis").then(|| quote!(#[allow(clippy::module_inception)]));
        quote! {
            #[doc = #doc]
            #cfg
            #inception
            pub mod #module;
            #cfg
            pub use self::#module::#handle;
        }
    });
    let accessors = api
        .groups
        .iter()
        .filter(|g| g.parent.is_none())
        .map(|g| accessor(file, g, quote!(self)));
    quote! {
        //! Operations, one module per tag of the API document.
        #(#mods)*

        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// The method that returns a group's handle, on the client (`from` = `self`) or on the
/// parent handle (`from` = `self.client`).
fn accessor(file: &mut RustFile, group: &Group, from: TokenStream) -> TokenStream {
    let cfg = super::features::group_cfg(group);
    let name = ident(&group.accessor);
    let handle = ident(&group.handle);
    let lines = own_then(
        format!("The `{}` operations.", group.tag.replace('`', "'")),
        group.description.as_deref(),
    );
    let docs = file.docs(&lines);
    let lifetime = if from.to_string() == "self" {
        quote!('_)
    } else {
        quote!('a)
    };
    quote! {
        #docs
        #cfg
        pub fn #name(&self) -> crate::apis::#handle<#lifetime> {
            crate::apis::#handle::from_client(#from)
        }
    }
}

/// One group's module.
pub fn group_file(
    file: &mut RustFile,
    api: &Api,
    config: &super::Config,
    group: &Group,
) -> TokenStream {
    let handle = ident(&group.handle);
    let module_docs = own_then(
        format!("The `{}` operations.", group.tag.replace('`', "'")),
        group.description.as_deref(),
    )
    .into_iter()
    .map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    })
    .map(|l| quote!(#![doc = #l]));
    let handle_docs = file.docs(&own_then(
        format!(
            "The `{}` operations. Get one with `client.{}`.",
            group.tag.replace('`', "'"),
            api.accessor_path(group)
        ),
        group.description.as_deref(),
    ));
    // Collected: each one adds docs to `file`.
    let methods: Vec<TokenStream> = group
        .operations
        .iter()
        .map(|op| operation_methods(file, api, config, group, op))
        .collect();
    let children: Vec<TokenStream> = api
        .children(&group.module)
        .map(|child| accessor(file, child, quote!(self.client)))
        .collect();
    let params_structs: Vec<TokenStream> = group
        .operations
        .iter()
        .filter_map(|op| params_struct(file, api, group, op))
        .collect();
    let success_enums = group
        .operations
        .iter()
        .filter_map(|op| success_enum(api, group, op));
    let uses_models = group.operations.iter().any(mentions_models);
    let models_import = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let uses_media = group.operations.iter().any(|op| op.body.is_some());
    let media_import = uses_media.then(|| quote!(BodyMedia,));
    let uses_path_params = group.operations.iter().any(|op| {
        op.path_segments
            .iter()
            .any(|s| matches!(s, PathSegment::Param(_)))
    });
    let encode_import = uses_path_params.then(|| quote!(encode_path,));
    let uses_multipart = group
        .operations
        .iter()
        .any(|op| op.body.as_ref().is_some_and(builds_multipart));
    let multipart_import = uses_multipart.then(|| quote!(Multipart,));
    let runtime_import = if group.operations.is_empty() {
        quote!(
            use crate::runtime::Client;
        )
    } else {
        quote!(use crate::runtime::{#media_import Client, Error, HttpMethod, OperationInfo, Request, RequestOptions, #encode_import #multipart_import};)
    };
    quote! {
        #(#module_docs)*

        #models_import
        #runtime_import

        #handle_docs
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a Client,
        }

        impl<'a> #handle<'a> {
            pub(crate) fn from_client(client: &'a Client) -> Self {
                Self { client }
            }

            #(#children)*

            #(#methods)*
        }

        #(#params_structs)*

        #(#success_enums)*
    }
}

/// Our own first line, then the document's description (sanitized) as a second paragraph.
fn own_then(own: String, description: Option<&str>) -> Vec<String> {
    let mut lines = vec![own];
    let rest = paragraphs(&[description]);
    if !rest.is_empty() {
        lines.push(String::new());
        lines.extend(rest);
    }
    lines
}

fn mentions_models(op: &Operation) -> bool {
    let named = TypeRef::mentions_named;
    op.params.iter().any(|p| named(&p.ty))
        || op.body.as_ref().is_some_and(|b| named(&b.ty))
        || op
            .success_responses()
            .filter_map(|r| r.body.as_ref())
            .any(|b| named(&b.ty) || b.stream.as_ref().is_some_and(|s| named(&s.item)))
}

/// The end of an operation's `op_with`, after the request is built.
enum Finish {
    /// An expression that is the call's future: `op_with` is a plain `fn`.
    Call(TokenStream),
    /// Statements that await the response: `op_with` is an `async fn`.
    Await(TokenStream),
}

fn operation_methods(
    file: &mut RustFile,
    api: &Api,
    config: &super::Config,
    group: &Group,
    op: &Operation,
) -> TokenStream {
    // Every name and type callers see comes from the surface; this function only writes
    // how the request is built and the response decoded.
    let surface = api.operation_surface(group, op);
    let name = ident(&surface.method);
    let name_with = ident(&surface.method_with);
    let (args, arg_names) = super::signatures::args(&surface.args);
    let output = super::signatures::returns(&surface.returns);

    let decoder = |media: BodyMedia| match media {
        BodyMedia::Text => quote!(text),
        BodyMedia::Binary => quote!(bytes),
        _ => quote!(json),
    };
    // The common successes hand the request to one of the client's generic send functions and
    // return its future, so `op_with` is a plain function: an `async` body per operation costs
    // the compiler far more (BENCHMARKS.md §4). The rest decode in an `async` body.
    let finish = match op.success() {
        Success::Empty => Finish::Call(quote!(self.client.call_empty(request, options))),
        Success::One(media, _) => {
            let call = match media {
                BodyMedia::Text => quote!(call_text),
                BodyMedia::Binary => quote!(call_bytes),
                _ => quote!(call_json),
            };
            Finish::Call(quote!(self.client.#call(request, options)))
        }
        Success::Optional(media, _) => {
            let decode = decoder(media);
            // The statuses documented without a body (e.g. 204) mean "nothing".
            let empty: Vec<proc_macro2::Literal> = op
                .success_responses()
                .filter(|r| r.body.is_none())
                .filter_map(|r| match r.status {
                    StatusMatch::Code(code) => Some(proc_macro2::Literal::u16_unsuffixed(code)),
                    _ => None,
                })
                .collect();
            Finish::Await(quote! {
                let response = self.client.execute(request, options).await?;
                if matches!(response.status().as_u16(), #(#empty)|*) {
                    return response.empty().map(|()| None);
                }
                response.#decode().map(Some)
            })
        }
        Success::Stream(stream) => Finish::Await(super::streams::item_stream_finish(stream)),
        Success::Several => {
            let Returns::Statuses(statuses) = &surface.returns else {
                unreachable!("the surface returns a per-status enum exactly for `Several`")
            };
            let name = ident(&statuses.name);
            let arms = statuses.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let code = proc_macro2::Literal::u16_unsuffixed(v.code);
                match &v.holds {
                    Some(holds) => {
                        let decode = match holds {
                            Returns::Text => quote!(text),
                            Returns::Bytes => quote!(bytes),
                            _ => quote!(json),
                        };
                        quote!(#code => response.#decode().map(#name::#variant),)
                    }
                    None => quote!(#code => response.empty().map(|()| #name::#variant),),
                }
            });
            Finish::Await(quote! {
                let response = self.client.execute(request, options).await?;
                match response.status().as_u16() {
                    #(#arms)*
                    status => response.bytes().map(|body| #name::Other { status, body }),
                }
            })
        }
    };

    // The path, with each parameter percent-encoded.
    let mut format_string = String::new();
    let mut format_args = Vec::new();
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => {
                format_string.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathSegment::Param(param) => {
                format_string.push_str("{}");
                let p = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.name == param)
                    .expect("lowering checked that every path placeholder has a parameter");
                let rust = ident(&p.rust_name);
                let text = match &p.ty {
                    TypeRef::Primitive(Primitive::String) => quote!(#rust),
                    _ => {
                        let t = to_text(api, &p.ty, quote!(#rust));
                        quote!(&#t)
                    }
                };
                format_args.push(quote!(encode_path(#text)));
            }
        }
    }
    let path_expr = if format_args.is_empty() {
        quote!(#format_string.to_owned())
    } else {
        quote!(format!(#format_string, #(#format_args),*))
    };

    let required_params: Vec<TokenStream> = op
        .required_params()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let rust = ident(&p.rust_name);
            add_param(api, p, quote!(#rust))
        })
        .collect();
    let optional_params: Vec<TokenStream> = op
        .optional_params()
        .map(|p| {
            let rust = ident(&p.rust_name);
            let add = add_param(api, p, quote!(value));
            quote! {
                if let Some(value) = &params.#rust {
                    #add
                }
            }
        })
        .collect();
    // Whether the body is encoded as `RequestOptions` choose (JSON or form).
    let mut encodes_with_options = false;
    let body_stmt = op.body.as_ref().map(|b| {
        let set = match &b.ty {
            TypeRef::Primitive(Primitive::Bytes) => {
                let media = &request_media_tokens(b)[0];
                quote!(request.raw_body(#media, body.to_vec());)
            }
            TypeRef::Primitive(Primitive::String) if b.media[0] == BodyMedia::Text => {
                quote!(request.raw_body(BodyMedia::Text, body.as_bytes().to_vec());)
            }
            ty if builds_multipart(b) => multipart_parts(api, ty),
            // A paged operation builds its request in a function taking `&RequestOptions`.
            _ if op.pagination.is_some() => {
                encodes_with_options = true;
                quote!(request.body(body, options);)
            }
            _ => quote!(request.body(body, &options);),
        };
        if b.required {
            set
        } else {
            quote! {
                if let Some(body) = body {
                    #set
                }
            }
        }
    });

    let id = &op.id;
    let tag = &group.tag;
    let path_template = &op.path;
    let method = method_tokens(&op.http_method);
    let media = op
        .body
        .as_ref()
        .map(request_media_tokens)
        .unwrap_or_default();
    let security = security_tokens(api, op);
    let accept = success_accept(op);
    let has_form = op
        .body
        .as_ref()
        .is_some_and(|b| b.media.contains(&BodyMedia::Form) && b.media.len() > 1);
    let docs = file.docs(&operation_docs(api, config, group, op, has_form));
    let with_docs = file.docs(&[format!(
        "[`Self::{}`] with per-call [`RequestOptions`]: timeout, retry policy, extra headers{}.",
        link_name(&surface.method),
        if has_form { ", body encoding" } else { "" }
    )]);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let has_request_mutation =
        op.params.iter().any(|p| p.location != ParamLocation::Path) || op.body.is_some();
    let request_binding = if has_request_mutation {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    // clippy's limit is 7 parameters, `&self` included; `_with` methods take `options` too.
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let too_many_with = (args.len() > 5).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // An operation called `new` is a method `new` that does not return `Self`: clippy flags it,
    // but it is the document's name.
    let not_ctor = (surface.method == "new").then(|| quote!(#[allow(clippy::new_ret_no_self)]));

    // What every method of the operation starts with: its description and the request.
    let operation = quote! {
        static OPERATION: OperationInfo = OperationInfo {
            id: #id,
            group: #tag,
            method: #method,
            path_template: #path_template,
            body_media: &[#(#media),*],
            security: #security,
            accept: #accept,
        };
    };
    let build = quote! {
        #operation
        #request_binding = Request::new(&OPERATION, #path_expr);
        #(#required_params)*
        #(#optional_params)*
        #body_stmt
    };
    let byte_stream = surface.byte_stream.as_ref().map(|(stream, stream_with)| {
        let stream_with = ident(stream_with);
        let stream = ident(stream);
        let finish = super::streams::byte_stream_finish();
        let docs = file.docs(&[
            format!(
                "[`Self::{}`], its body as a stream of chunks instead of buffered whole: for large downloads, read with bounded memory. The call returns once the response head has arrived (within the timeout); [`RequestOptions::idle_timeout`] bounds the wait between chunks, and a connection lost mid-body is an [`Error::Transport`] item.",
                link_name(&surface.method)
            ),
        ]);
        let with_docs = file.docs(&[format!(
            "[`Self::{stream}`] with per-call [`RequestOptions`]."
        )]);
        quote! {
            #docs
            #deprecated
            #too_many
            pub fn #stream(&self, #(#args),*) -> impl ::core::future::Future<Output = Result<crate::runtime::ByteStream, Error>> {
                self.#stream_with(#(#arg_names,)* RequestOptions::default())
            }

            #with_docs
            #deprecated
            #too_many_with
            pub async fn #stream_with(&self, #(#args,)* options: RequestOptions) -> Result<crate::runtime::ByteStream, Error> {
                #build
                #finish
            }
        }
    });
    // A paged operation's request is built by a function the paginator shares.
    let (build, paged) = match &op.pagination {
        None => (build, None),
        Some(paging) => {
            let request_fn = ident(&paging.request_fn);
            let options_arg = if encodes_with_options {
                quote!(options)
            } else {
                quote!(_options)
            };
            let methods =
                super::pagination::methods(file, api, config, group, op, paging, &surface);
            let request_body = if has_request_mutation {
                quote!(#build request)
            } else {
                quote!(#operation Request::new(&OPERATION, #path_expr))
            };
            (
                quote!(let request = Self::#request_fn(#(#arg_names,)* &options);),
                Some(quote! {
                    #deprecated
                    #too_many
                    fn #request_fn(#(#args,)* #options_arg: &RequestOptions) -> Request {
                        #request_body
                    }

                    #methods
                }),
            )
        }
    };

    let with_fn = match finish {
        Finish::Call(call) => quote! {
            pub fn #name_with(&self, #(#args,)* options: RequestOptions) -> impl ::core::future::Future<Output = Result<#output, Error>> {
                #build
                #call
            }
        },
        Finish::Await(body) => quote! {
            pub async fn #name_with(&self, #(#args,)* options: RequestOptions) -> Result<#output, Error> {
                #build
                #body
            }
        },
    };
    quote! {
        #docs
        #deprecated
        #too_many
        #not_ctor
        pub fn #name(&self, #(#args),*) -> impl ::core::future::Future<Output = Result<#output, Error>> {
            self.#name_with(#(#arg_names,)* RequestOptions::default())
        }

        #with_docs
        #deprecated
        #too_many_with
        #with_fn

        #byte_stream
        #paged
    }
}

/// Whether the body is encoded part by part into a `Multipart` form; a `multipart/form-data`
/// body of raw bytes is sent as given (the caller encoded it).
fn builds_multipart(b: &crate::ir::RequestBody) -> bool {
    b.media.first() == Some(&BodyMedia::Multipart) && b.ty != TypeRef::Primitive(Primitive::Bytes)
}
