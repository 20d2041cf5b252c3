//! Streamed responses: what an operation whose body is a sequence of items returns and how it
//! decodes, and the chunk-by-chunk form of downloads.
//!
//! Decisions live in the IR (`ir::ItemStream`, `Operation::byte_stream_method`); this file
//! only renders them. Stream types are written as `crate::runtime::…` paths, so API modules
//! need no extra imports.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Framing, ItemStream, Primitive, TypeRef};

/// The final expression of an operation that returns a stream of items (its type is the
/// surface's), given `request` and `options` in scope.
pub(super) fn item_stream_finish(stream: &ItemStream) -> TokenStream {
    let send = quote!(self.client.execute_stream(request, options).await);
    let text = stream.item == TypeRef::Primitive(Primitive::String);
    match &stream.framing {
        Framing::Events { sentinel } => {
            let sentinel = match sentinel {
                Some(text) => quote!(Some(#text)),
                None => quote!(None),
            };
            let decode = if text {
                quote!(text_events)
            } else {
                quote!(events)
            };
            quote!(#send.map(|response| response.#decode(#sentinel)))
        }
        Framing::Lines => quote!(#send.map(crate::runtime::StreamResponse::json_lines)),
        Framing::Sequence => quote!(#send.map(crate::runtime::StreamResponse::json_seq)),
    }
}

/// The final expression of a download's `_stream` method.
pub(super) fn byte_stream_finish() -> TokenStream {
    quote!(
        self.client
            .execute_stream(request, options)
            .await
            .map(crate::runtime::StreamResponse::bytes)
    )
}

/// A sentence for the method docs of an operation returning items as they arrive.
pub(super) fn item_stream_doc(stream: &ItemStream, item: &str, media_type: &str) -> String {
    let media_type = media_type.replace('`', "'");
    let what = match &stream.framing {
        Framing::Events { .. } => format!(
            "The response is a stream of server-sent events (`{media_type}`); the call returns once the response head has arrived, and each item of the returned stream is one event, its `data` decoded as {item}."
        ),
        Framing::Lines | Framing::Sequence => format!(
            "The response is a stream of {item} items (`{media_type}`); the call returns once the response head has arrived, and each item of the returned stream is decoded as it arrives."
        ),
    };
    let end = match &stream.framing {
        Framing::Events {
            sentinel: Some(sentinel),
        } => format!(
            " The stream ends when the server closes it or sends the event `data: {}`.",
            sentinel.replace('`', "'")
        ),
        _ => " The stream ends when the server closes it.".to_owned(),
    };
    format!(
        "{what}{end} A connection lost mid-stream is an [`Error::Transport`] item, an item that does not decode an [`Error::Decode`] holding its text, and one larger than the limit ([`RequestOptions::max_item_bytes`]) an error too; [`RequestOptions::idle_timeout`] bounds the wait between items."
    )
}
