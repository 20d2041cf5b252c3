//! JSON values decoded one at a time from a streamed body: JSON Lines
//! (`application/jsonl`, `application/x-ndjson`) and JSON text sequences
//! (`application/json-seq`, RFC 7464).

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::{ByteStream, DecodeCause, Error};

/// How a [`JsonStream`] tells its values apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
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
    pub(crate) fn new(bytes: ByteStream, framing: Framing) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_keeps_the_value() {
        assert_eq!(trim_ascii(b"\x1e {\"a\":1}\r\n"), b"{\"a\":1}");
        assert_eq!(trim_ascii(b" \n\t"), b"");
    }
}
