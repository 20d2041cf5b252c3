//! Streamed response bodies: raw chunks ([`ByteStream`]), JSON values one
//! per line or record ([`JsonStream`]), and server-sent events
//! ([`EventStream`]).
//!
//! Every stream is lazy (nothing is read until it is polled), ends for good
//! after its first error, and stops reading when dropped. Memory is bounded:
//! chunks are handed on as they arrive, and an item (a line, a record, an
//! event) larger than the limit is an error instead of a growing buffer. The
//! wait between chunks can be bounded too ([`RequestOptions::idle_timeout`](super::RequestOptions::idle_timeout)).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::{DecodeCause, Error};

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
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    max_item: usize,
    chunks: Chunks,
    idle: Option<Idle>,
    done: bool,
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
    fn decode_error(&self, body: Bytes, path: String, source: DecodeCause) -> Error {
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

/// How a [`JsonStream`] tells its values apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// A value per line.
    Lines,
    /// Each value after an ASCII record separator (0x1E), usually followed by
    /// a line feed; a record may span lines.
    Records,
}

const RECORD_SEPARATOR: u8 = 0x1e;

/// JSON values decoded one at a time as they arrive: JSON Lines or JSON text
/// sequences.
///
/// A [`Stream`] of `Result<T, Error>`; [`next`](Self::next) reads one value
/// without any stream-combinator crate. A value that does not decode is an
/// [`Error::Decode`] holding its text; one longer than the item limit an
/// [`Error::Decode`] with [`DecodeCause::TooLarge`]. Either ends the stream.
pub struct JsonStream<T> {
    bytes: ByteStream,
    framing: Framing,
    buffer: BytesMut,
    /// How much of `buffer` has been searched for a delimiter.
    scanned: usize,
    /// The body has ended: what is left in `buffer` is the last value.
    ended: bool,
    /// An error item has been returned: nothing follows it.
    failed: bool,
    item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonStream<T> {
    fn new(bytes: ByteStream, framing: Framing) -> Self {
        Self {
            bytes,
            framing,
            buffer: BytesMut::new(),
            scanned: 0,
            ended: false,
            failed: false,
            item: PhantomData,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.bytes.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.bytes.headers
    }

    /// The next value, or `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The next complete value in the buffer, decoded; `None` when more bytes
    /// are needed.
    fn next_value(&mut self) -> Option<Result<T, Error>> {
        loop {
            let found = self.buffer[self.scanned..]
                .iter()
                .position(|&b| b == b'\n' || b == RECORD_SEPARATOR)
                .map(|at| self.scanned + at);
            let Some(at) = found else {
                self.scanned = self.buffer.len();
                if !self.ended || self.buffer.is_empty() {
                    return None;
                }
                let frame = self.buffer.split().freeze();
                self.scanned = 0;
                match self.decode(frame) {
                    Some(Ok(value)) => return Some(Ok(value)),
                    Some(Err((frame, error))) => return Some(Err(self.json_error(frame, error))),
                    None => return None,
                }
            };
            let delimiter = self.buffer[at];
            if self.framing == Framing::Records && delimiter == b'\n' {
                // A line feed ends a record only if the record is complete
                // JSON; otherwise the value goes on over the next line.
                match self.decode(Bytes::copy_from_slice(&self.buffer[..at])) {
                    Some(Err((_, error))) if error.is_eof() => {
                        self.scanned = at + 1;
                        continue;
                    }
                    decoded => {
                        self.buffer.advance(at + 1);
                        self.scanned = 0;
                        match decoded {
                            None => continue,
                            Some(Ok(value)) => return Some(Ok(value)),
                            Some(Err((frame, error))) => {
                                return Some(Err(self.json_error(frame, error)));
                            }
                        }
                    }
                }
            }
            let frame = self.buffer.split_to(at).freeze();
            self.buffer.advance(1);
            self.scanned = 0;
            match self.decode(frame) {
                None => continue,
                Some(Ok(value)) => return Some(Ok(value)),
                Some(Err((frame, error))) => return Some(Err(self.json_error(frame, error))),
            }
        }
    }

    /// Decodes one frame; `None` for a blank one (blank lines and the empty
    /// frame before a sequence's first separator carry no value).
    fn decode(&self, frame: Bytes) -> Option<Result<T, (Bytes, serde_json::Error)>> {
        let text = trim_ascii(&frame);
        if text.is_empty() {
            return None;
        }
        Some(serde_json::from_slice(text).map_err(|error| (frame.clone(), error)))
    }

    fn json_error(&self, frame: Bytes, plain: serde_json::Error) -> Error {
        let text = trim_ascii(&frame);
        let (path, cause) = super::response::json_error_path::<T>(text, plain);
        let text = frame.slice_ref(text);
        self.bytes
            .decode_error(text, path, DecodeCause::Json(cause))
    }
}

impl<T: DeserializeOwned> Stream for JsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.failed {
                return Poll::Ready(None);
            }
            if let Some(item) = this.next_value() {
                this.failed = item.is_err();
                return Poll::Ready(Some(item));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.bytes).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    this.buffer.extend_from_slice(&chunk);
                    if this.buffer.len() > this.bytes.max_item {
                        // Values already complete come first; the check
                        // applies to what one value would need.
                        if let Some(item) = this.next_value() {
                            this.failed = item.is_err();
                            return Poll::Ready(Some(item));
                        }
                        if this.buffer.len() > this.bytes.max_item {
                            let limit = this.bytes.max_item;
                            this.buffer = BytesMut::new();
                            this.failed = true;
                            let error = this.bytes.decode_error(
                                Bytes::new(),
                                String::new(),
                                DecodeCause::TooLarge { limit },
                            );
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                }
                Poll::Ready(Some(Err(error))) => {
                    this.failed = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => this.ended = true,
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T> fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream")
            .field("bytes", &self.bytes)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(*b, b' ' | b'\t' | b'\r' | b'\n' | RECORD_SEPARATOR);
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// One server-sent event, its `data` decoded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServerEvent<T> {
    /// The event type (`event:`), `message` when the server names none.
    pub event: String,
    /// The event ID (`id:`), if the server sent one.
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry:`), if any.
    pub retry: Option<Duration>,
    /// The event's data (`data:` lines joined by line feeds), decoded.
    pub data: T,
}

type Events = Pin<
    Box<
        dyn Stream<
                Item = Result<
                    eventsource_stream::Event,
                    eventsource_stream::EventStreamError<Error>,
                >,
            > + Send,
    >,
>;

/// How an event's `data` becomes the item type; the stream's status for errors.
type DecodeData<T> = fn(&ByteStreamInfo, String) -> Result<T, Error>;

/// What an event's decoding error reports about the response.
pub(crate) struct ByteStreamInfo {
    operation: &'static str,
    status: StatusCode,
}

/// Server-sent events (`text/event-stream`), parsed by the
/// `eventsource-stream` crate (multi-line `data`, comments, `event`, `id`,
/// `retry`) and decoded one at a time as they arrive.
///
/// A [`Stream`] of `Result<ServerEvent<T>, Error>`; [`next`](Self::next)
/// reads one event without any stream-combinator crate. The stream ends when
/// the server closes it or sends the documented sentinel `data` (such as
/// `[DONE]`). An event whose `data` does not decode is an [`Error::Decode`]
/// holding the data; an event longer than the item limit an [`Error::Decode`]
/// with [`DecodeCause::TooLarge`]; a lost connection an [`Error::Transport`].
/// Each ends the stream.
pub struct EventStream<T> {
    info: ByteStreamInfo,
    headers: HeaderMap,
    events: Events,
    sentinel: Option<&'static str>,
    decode: DecodeData<T>,
    done: bool,
}

impl<T> EventStream<T> {
    fn new(bytes: ByteStream, sentinel: Option<&'static str>, decode: DecodeData<T>) -> Self {
        use eventsource_stream::Eventsource;
        let info = ByteStreamInfo {
            operation: bytes.operation,
            status: bytes.status,
        };
        let headers = bytes.headers.clone();
        let capped = EventSizeLimit {
            limit: bytes.max_item,
            pending: 0,
            line_empty: true,
            after_cr: false,
            bytes,
        };
        Self {
            info,
            headers,
            events: Box::pin(capped.eventsource()),
            sentinel,
            decode,
            done: false,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.info.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next event, or `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<ServerEvent<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<ServerEvent<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        let event = match this.events.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => {
                this.done = true;
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Ok(event))) => event,
            Poll::Ready(Some(Err(error))) => {
                this.done = true;
                let error = match error {
                    eventsource_stream::EventStreamError::Transport(error) => error,
                    eventsource_stream::EventStreamError::Utf8(error) => Error::Decode {
                        operation: this.info.operation,
                        status: this.info.status,
                        body: Bytes::from(error.as_bytes().to_vec()),
                        path: String::new(),
                        source: DecodeCause::Utf8(error.utf8_error()),
                    },
                    eventsource_stream::EventStreamError::Parser(error) => Error::Decode {
                        operation: this.info.operation,
                        status: this.info.status,
                        body: Bytes::from(error.input.clone()),
                        path: String::new(),
                        source: DecodeCause::Stream(format!("{:?}", error.code)),
                    },
                };
                return Poll::Ready(Some(Err(error)));
            }
        };
        if this.sentinel == Some(event.data.trim()) {
            this.done = true;
            return Poll::Ready(None);
        }
        let eventsource_stream::Event {
            event,
            data,
            id,
            retry,
        } = event;
        let item = (this.decode)(&this.info, data).map(|data| ServerEvent {
            event,
            id: Some(id).filter(|id| !id.is_empty()),
            retry,
            data,
        });
        if item.is_err() {
            this.done = true;
        }
        Poll::Ready(Some(item))
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("operation", &self.info.operation)
            .field("status", &self.info.status)
            .field("sentinel", &self.sentinel)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

fn decode_json<T: DeserializeOwned>(info: &ByteStreamInfo, data: String) -> Result<T, Error> {
    serde_json::from_str(&data).map_err(|plain| {
        let (path, cause) = super::response::json_error_path::<T>(data.as_bytes(), plain);
        Error::Decode {
            operation: info.operation,
            status: info.status,
            body: Bytes::from(data),
            path,
            source: DecodeCause::Json(cause),
        }
    })
}

/// Bytes on their way to the event parser, with the size of the event being
/// read bounded: the parser buffers an event until the blank line that ends
/// it, so without this a server could make it buffer without end.
struct EventSizeLimit {
    bytes: ByteStream,
    limit: usize,
    /// Bytes since the last blank line.
    pending: usize,
    /// No character yet on the current line.
    line_empty: bool,
    /// The last byte was a carriage return (so a line feed completes it).
    after_cr: bool,
}

impl EventSizeLimit {
    /// Counts `chunk` into the current event; `false` once it is too large.
    fn count(&mut self, chunk: &[u8]) -> bool {
        for &b in chunk {
            let crlf = b == b'\n' && self.after_cr;
            self.after_cr = b == b'\r';
            if crlf {
                continue;
            }
            if b == b'\n' || b == b'\r' {
                if self.line_empty {
                    // A blank line: the event is complete.
                    self.pending = 0;
                    continue;
                }
                self.line_empty = true;
            } else {
                self.line_empty = false;
            }
            self.pending += 1;
            if self.pending > self.limit {
                return false;
            }
        }
        true
    }
}

impl Stream for EventSizeLimit {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match Pin::new(&mut this.bytes).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) if !this.count(&chunk) => {
                let limit = this.limit;
                let error = this.bytes.decode_error(
                    Bytes::new(),
                    String::new(),
                    DecodeCause::TooLarge { limit },
                );
                this.bytes.done = true;
                Poll::Ready(Some(Err(error)))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(max: usize) -> EventSizeLimit {
        let response = StreamResponse::new(
            "op",
            StatusCode::OK,
            HeaderMap::new(),
            None,
            Limits {
                idle: None,
                max_item: max,
            },
        );
        EventSizeLimit {
            bytes: response.bytes(),
            limit: max,
            pending: 0,
            line_empty: true,
            after_cr: false,
        }
    }

    #[test]
    fn event_size_resets_at_blank_lines_of_every_line_ending() {
        for blank in ["\n\n", "\r\n\r\n", "\r\r"] {
            let mut cap = limit(12);
            let event = format!("data: 12345{blank}");
            // Each event alone fits; many in a row do too, since each ends.
            for _ in 0..100 {
                assert!(cap.count(event.as_bytes()), "{blank:?}");
            }
        }
    }

    #[test]
    fn event_size_counts_across_chunks_and_lines() {
        let mut cap = limit(12);
        assert!(cap.count(b"data: 1\r"));
        // The line feed completes a CRLF, not a blank line.
        assert!(cap.count(b"\ndata: 2"));
        assert!(
            !cap.count(b"\n"),
            "three lines without a blank one exceed 12 bytes"
        );
    }

    #[test]
    fn trimming_keeps_the_value() {
        assert_eq!(trim_ascii(b"\x1e {\"a\":1}\r\n"), b"{\"a\":1}");
        assert_eq!(trim_ascii(b" \n\t"), b"");
    }
}
