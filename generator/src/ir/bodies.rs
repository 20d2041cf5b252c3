//! Request and response bodies in the IR: media types, documented responses, streamed items,
//! and what a successful call returns.

use serde::Serialize;

use super::TypeRef;

/// What a successful call returns, decided by the documented 2xx responses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Success<'a> {
    /// No 2xx response has a body: `()`.
    Empty,
    /// Every 2xx response with a body has this one: `T`.
    One(BodyMedia, &'a TypeRef),
    /// As `One`, but some 2xx statuses (e.g. 204) have no body: `Option<T>`.
    Optional(BodyMedia, &'a TypeRef),
    /// Every 2xx response is this stream of items: the call returns it once the response
    /// head has arrived, and items are decoded as they come.
    Stream(&'a ItemStream),
    /// The 2xx bodies differ: an enum with a variant per status.
    Several,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    /// The Rust type sent, shared by every media type of the body.
    pub ty: TypeRef,
    /// The media types the operation accepts, in document order; the first is the default.
    pub media: Vec<BodyMedia>,
    /// The `Content-Type` of a raw-bytes body whose media type has no encoder of its own
    /// (`application/pkix-cert`, `multipart/mixed`, ...); `None` means each media's usual one.
    pub raw_media_type: Option<String>,
}

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum BodyMedia {
    /// `application/json` (and `+json` types).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/plain`.
    Text,
    /// `application/octet-stream` and other binary types.
    Binary,
    /// `multipart/form-data`: one part per field of the body model.
    Multipart,
}

impl BodyMedia {
    pub fn mime(self) -> &'static str {
        match self {
            BodyMedia::Json => "application/json",
            BodyMedia::Form => "application/x-www-form-urlencoded",
            BodyMedia::Text => "text/plain",
            BodyMedia::Binary => "application/octet-stream",
            BodyMedia::Multipart => "multipart/form-data",
        }
    }
}

/// Which status codes a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum StatusMatch {
    Code(u16),
    /// `2XX` and friends: the hundreds digit.
    Range(u16),
    Default,
}

impl StatusMatch {
    /// Whether the entry describes a successful (2xx) answer.
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(hundreds) => hundreds == 2,
            StatusMatch::Default => false,
        }
    }
}

/// One documented response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub status: StatusMatch,
    pub description: Option<String>,
    /// The body, when the response has one.
    pub body: Option<ResponseBody>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseBody {
    pub media: BodyMedia,
    pub ty: TypeRef,
    /// The media type asked for in `Accept`, as the document writes it.
    pub media_type: String,
    /// For a sequential media type (`text/event-stream`, `application/jsonl`,
    /// `application/json-seq`): how items are framed and their type. The operation then
    /// returns a stream of items instead of the whole body.
    pub stream: Option<ItemStream>,
}

/// A response body that is a sequence of items, decoded one at a time as they arrive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStream {
    pub framing: Framing,
    /// The type of one item: for server-sent events, of one event's `data`.
    pub item: TypeRef,
}

/// How the items of a streamed body are delimited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Framing {
    /// `text/event-stream` (server-sent events). `sentinel`: a `data` value that ends the
    /// stream (OpenAI-style `[DONE]`), from `x-speakeasy-sse-sentinel` or the description.
    Events { sentinel: Option<String> },
    /// `application/jsonl`, `application/x-ndjson`: one JSON value per line.
    Lines,
    /// `application/json-seq` (RFC 7464): each JSON value after an ASCII record separator.
    Sequence,
}
