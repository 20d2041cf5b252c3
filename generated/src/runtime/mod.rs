//! Hand-written runtime shared by all generated operations.
//!
//! This directory is copied verbatim into every generated crate. Generated
//! code only describes operations ([`OperationInfo`]) and fills a
//! [`Request`]; everything about sending it lives here, once, non-generic.
//!
//! | file | job |
//! | --- | --- |
//! | `client.rs` | [`Client`], [`ClientBuilder`], configuration and environment |
//! | `auth.rs` | [`SecurityScheme`], [`Credential`]: choosing and sending credentials |
//! | `oauth2.rs` | [`ClientCredentials`]: OAuth 2.0 tokens fetched, cached, refreshed |
//! | `execute.rs` | the send path: headers, hooks, timeouts, retries, tracing |
//! | `request.rs` / `form.rs` | request assembly and body encoding |
//! | `response.rs` | decoding of 2xx bodies |
//! | `stream.rs` | streamed bodies: [`ByteStream`]; `json_stream.rs`: [`JsonStream`]; `event_stream.rs`: [`EventStream`] |
//! | `error.rs` | [`Error`], [`ApiError`] |
//! | `retry.rs` | [`RetryPolicy`], backoff, `Retry-After` |
//! | `hook.rs` | [`Hook`], [`HookContext`] |
//! | `options.rs` | [`RequestOptions`] |
//! | `model_serde.rs` | what the models' written serde impls share |
//! | `enums.rs` | `string_enum!`: every string enum model and its impls |
//! | `redact.rs` | what the models' `Debug` prints in place of secrets |
//! | `paginate.rs` | [`Paginator`], [`Items`]: paged operations as streams |
//! | `link.rs` | `Link` headers (RFC 8288): the `rel="next"` target |
//! | `method.rs`, `media.rs`, `operation.rs`, `path.rs` | small value types and path encoding |

mod auth;
mod client;
#[allow(
    dead_code,
    unused_macros,
    reason = "unused when the API has no string enums"
)]
mod enums;
mod error;
#[allow(dead_code, reason = "unused when the API has no event streams")]
mod event_stream;
mod execute;
mod form;
mod hook;
#[allow(dead_code, reason = "unused when the API has no JSON streams")]
mod json_stream;
#[allow(dead_code, reason = "unused when the API has no paged operations")]
mod link;
mod media;
mod method;
#[allow(dead_code, reason = "unused when the API has no object models")]
mod model_serde;
mod multipart;
mod oauth2;
mod operation;
mod options;
#[allow(dead_code, reason = "unused when the API has no paged operations")]
mod paginate;
mod path;
#[allow(dead_code, reason = "unused when the API has no sensitive fields")]
mod redact;
mod request;
mod response;
mod retry;
#[allow(dead_code, reason = "unused when the API has no streamed responses")]
mod stream;

pub use auth::{ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, DEBUG_BODY_BYTES, DecodeCause, Error};
pub use event_stream::{EventStream, ServerEvent};
pub use hook::{Hook, HookContext};
pub use json_stream::JsonStream;
pub use media::BodyMedia;
pub use method::HttpMethod;
pub use oauth2::{ClientCredentials, TokenEndpointAuth, TokenError};
pub use operation::OperationInfo;
pub use options::RequestOptions;
pub use paginate::{Items, Paginator};
pub use path::encode_path;
pub use retry::RetryPolicy;
pub use stream::ByteStream;

#[allow(unused_imports, reason = "unused when the API has no string enums")]
pub(crate) use enums::{enum_value, string_enum};
#[allow(unused_imports, reason = "unused when the API has no object models")]
pub(crate) use model_serde::FieldName;
#[allow(
    unused_imports,
    reason = "used when a union's variants declare the property that tags them"
)]
pub(crate) use model_serde::{serialize_tagged, tagged_object};
#[allow(unused_imports, reason = "used when the API has multipart operations")]
pub(crate) use multipart::Multipart;
#[allow(unused_imports, reason = "unused when the API has no paged operations")]
pub(crate) use paginate::{Found, PageSpec, PageStyle, Scalar};
#[allow(unused_imports, reason = "unused when the API has no sensitive fields")]
pub(crate) use redact::{Redacted, redact_option};
pub(crate) use request::Request;
pub(crate) use response::Response;
#[allow(unused_imports, reason = "used when the API has streamed responses")]
pub(crate) use stream::StreamResponse;

/// The stream trait of paged operations' [`Paginator`] and [`Items`]
/// (`futures-core`'s, which `futures-util`'s `StreamExt` extends).
pub use futures_core::Stream;

/// The HTTP client library the runtime is built on, re-exported so that
/// [`Hook`] implementations and [`ClientBuilder::http_client`] use the same
/// version.
pub use reqwest;
