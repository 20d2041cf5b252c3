//! Streamed response bodies: raw chunks ([`ByteStream`]), and what the
//! framings build on them: JSON values one per line or record
//! ([`JsonStream`], `json_stream.rs`) and server-sent events
//! ([`EventStream`], `event_stream.rs`).
//!
//! Every stream is lazy (nothing is read until it is polled), ends for good
//! after its first error, and stops reading when dropped. Memory is bounded:
//! chunks are handed on as they arrive, and an item (a line, a record, an
//! event) larger than the limit is an error instead of a growing buffer. The
//! wait between chunks can be bounded too ([`RequestOptions::idle_timeout`](super::RequestOptions::idle_timeout)).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::event_stream::decode_json;
use super::json_stream::Framing;
use super::{DecodeCause, Error, EventStream, JsonStream};

/// What bounds a stream: the wait between chunks and the size of one item.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) idle: Option<Duration>,
    pub(crate) max_item: usize,
}

/// A 2xx response whose head has arrived and whose body has not been read.
///
/// Generated code picks the framing matching the operation's media type.
pub(crate) struct StreamResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Option<reqwest::Response>,
    limits: Limits,
}

#[allow(dead_code, reason = "used or not depending on the API being generated")]
impl StreamResponse {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Option<reqwest::Response>,
        limits: Limits,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body,
            limits,
        }
    }

    /// The body as chunks of bytes.
    pub(crate) fn bytes(self) -> ByteStream {
        let chunks: Chunks = match self.body {
            Some(response) => Box::pin(futures_util::stream::unfold(
                Some(response),
                |response| async move {
                    let mut response = response?;
                    match response.chunk().await {
                        Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                        Ok(None) => None,
                        // Nothing can follow a transport error.
                        Err(error) => Some((Err(error), None)),
                    }
                },
            )),
            None => Box::pin(futures_util::stream::empty()),
        };
        ByteStream {
            operation: self.operation,
            status: self.status,
            headers: self.headers,
            max_item: self.limits.max_item,
            chunks,
            idle: self.limits.idle.map(|idle| Idle {
                limit: idle,
                timer: Box::pin(tokio::time::sleep(idle)),
                armed: false,
            }),
            done: false,
        }
    }

    /// JSON Lines (`application/jsonl`, `application/x-ndjson`): one value per line.
    pub(crate) fn json_lines<T: DeserializeOwned>(self) -> JsonStream<T> {
        JsonStream::new(self.bytes(), Framing::Lines)
    }

    /// JSON text sequences (`application/json-seq`, RFC 7464): each value
    /// after an ASCII record separator.
    pub(crate) fn json_seq<T: DeserializeOwned>(self) -> JsonStream<T> {
        JsonStream::new(self.bytes(), Framing::Records)
    }

    /// Server-sent events whose `data` is JSON of type `T`.
    pub(crate) fn events<T: DeserializeOwned>(
        self,
        sentinel: Option<&'static str>,
    ) -> EventStream<T> {
        EventStream::new(self.bytes(), sentinel, decode_json::<T>)
    }

    /// Server-sent events whose `data` is text.
    pub(crate) fn text_events(self, sentinel: Option<&'static str>) -> EventStream<String> {
        EventStream::new(self.bytes(), sentinel, |_, data| Ok(data))
    }
}

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// The idle timer of a stream: re-armed whenever a chunk arrives.
struct Idle {
    limit: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
    armed: bool,
}

/// A response body as it arrives, chunk by chunk: read a download of any
/// size with bounded memory.
///
/// A [`Stream`] of `Result<Bytes, Error>`; [`next`](Self::next) reads one
/// chunk without any stream-combinator crate. A connection lost mid-body is an
/// [`Error::Transport`] item; a wait longer than the idle timeout an
/// [`Error::Timeout`]. Either ends the stream.
pub struct ByteStream {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The item limit of the framings built on these bytes.
    pub(crate) max_item: usize,
    chunks: Chunks,
    idle: Option<Idle>,
    /// Ended (by its end or an error): nothing more is read.
    pub(crate) done: bool,
}

impl ByteStream {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn failed(&mut self, error: Error) -> Poll<Option<Result<Bytes, Error>>> {
        self.done = true;
        Poll::Ready(Some(Err(error)))
    }

    /// An item of this stream's body could not be decoded.
    pub(crate) fn decode_error(&self, body: Bytes, path: String, source: DecodeCause) -> Error {
        Error::Decode {
            operation: self.operation,
            status: self.status,
            body,
            path,
            source,
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        match this.chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some(idle) = &mut this.idle {
                    idle.armed = false;
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(source))) => this.failed(Error::Transport {
                operation: this.operation,
                source,
            }),
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let Some(idle) = &mut this.idle else {
                    return Poll::Pending;
                };
                if !idle.armed {
                    let deadline = tokio::time::Instant::now() + idle.limit;
                    idle.timer.as_mut().reset(deadline);
                    idle.armed = true;
                }
                match idle.timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        let elapsed = idle.limit;
                        this.failed(Error::Timeout {
                            operation: this.operation,
                            elapsed,
                        })
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
