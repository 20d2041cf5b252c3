//! Server-sent events (`text/event-stream`) from a streamed body, parsed by
//! the `eventsource-stream` crate and decoded one at a time.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::{ByteStream, DecodeCause, Error};

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
pub(crate) type DecodeData<T> = fn(&ByteStreamInfo, String) -> Result<T, Error>;

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
    pub(crate) fn new(
        bytes: ByteStream,
        sentinel: Option<&'static str>,
        decode: DecodeData<T>,
    ) -> Self {
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

pub(crate) fn decode_json<T: DeserializeOwned>(
    info: &ByteStreamInfo,
    data: String,
) -> Result<T, Error> {
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
    use crate::runtime::stream::{Limits, StreamResponse};

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
        let mut cap = limit(16);
        assert!(cap.count(b"data: 1\r"));
        // The line feed completes a CRLF, not a blank line: the count goes on.
        assert!(cap.count(b"\ndata: 2"));
        assert!(
            !cap.count(b"\ndata: 3"),
            "three lines without a blank one exceed 16 bytes"
        );
    }
}
