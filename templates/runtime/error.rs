//! The error type returned by every operation.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything that can go wrong when calling an operation.
///
/// Match on the variant to react to a class of failure, or use the
/// accessors ([`status`](Self::status), [`api_result`](Self::api_result),
/// [`is_retryable`](Self::is_retryable), ...) when the class does not matter.
///
/// Following the standard library's convention, `Display` describes only this
/// error; the underlying cause (for example the I/O error behind
/// [`Connect`](Self::Connect)) is available through
/// [`std::error::Error::source`]. Error reporters such as `anyhow`'s `{:#}`
/// print the whole chain.
///
/// No variant ever contains a credential.
///
/// `Debug` is bounded like `Display`: a response body is kept whole (see
/// [`body`](Self::body)), but `{:?}` shows its length and its first
/// [`DEBUG_BODY_BYTES`] bytes only, so logging an error holding a megabytes-long
/// error page does not log megabytes.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status other than 2xx.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// An attempt did not complete (response headers and body) within the
    /// configured timeout; or, for a streamed response, no chunk arrived
    /// within the idle timeout.
    #[error("`{operation}` timed out after {elapsed:?}")]
    #[non_exhaustive]
    Timeout {
        /// The operation ID.
        operation: &'static str,
        /// How long the last attempt ran before it was abandoned.
        elapsed: Duration,
    },

    /// No connection to the server could be established (DNS, TCP, TLS or
    /// proxy failure). The request was not sent.
    #[error("`{operation}` could not connect to the server")]
    #[non_exhaustive]
    Connect {
        /// The operation ID.
        operation: &'static str,
        /// The transport error.
        source: reqwest::Error,
    },

    /// The connection failed after it was established, for example it was
    /// reset while the response was being read. The server may or may not
    /// have processed the request.
    #[error("`{operation}` failed in transit")]
    #[non_exhaustive]
    Transport {
        /// The operation ID.
        operation: &'static str,
        /// The transport error.
        source: reqwest::Error,
    },

    /// A 2xx response body did not have the expected shape.
    #[error("`{operation}`: could not decode the HTTP {status} response body{}", at_path(.path))]
    #[non_exhaustive]
    Decode {
        /// The operation ID.
        operation: &'static str,
        /// The response status.
        status: StatusCode,
        /// The raw response body.
        body: Bytes,
        /// Where decoding failed, as a JSON path such as `clients[0].clientId`;
        /// empty when the failure is not tied to a position.
        path: String,
        /// What was wrong.
        source: DecodeCause,
    },

    /// The request could not be built: an argument or option was invalid. Nothing
    /// was sent.
    #[error("invalid request: {message}")]
    #[non_exhaustive]
    InvalidRequest {
        /// What was wrong.
        message: String,
    },

    /// A paged operation's server broke its paging: it sent a cursor or next
    /// link already followed, the same page twice, or a next link to another
    /// origin (not followed: credentials never leave the client's origin). The
    /// stream ends after this item instead of looping forever.
    #[error("`{operation}`: pagination stopped: {message}")]
    #[non_exhaustive]
    Pagination {
        /// The operation ID.
        operation: &'static str,
        /// What the server did, e.g. which cursor it repeated.
        message: String,
    },

    /// The token endpoint of an OAuth 2.0 client-credentials scheme failed;
    /// nothing was sent to the API.
    #[error(transparent)]
    Token(Box<super::TokenError>),

    /// The client could not be configured (builder or environment).
    #[error("invalid client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What was wrong.
        message: String,
    },
}

fn at_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
}

/// Why a response body could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeCause {
    /// The body is not the expected JSON.
    #[error(transparent)]
    Json(serde_json::Error),
    /// The body is not valid UTF-8 text.
    #[error(transparent)]
    Utf8(std::str::Utf8Error),
    /// One item of a streamed body (an event, a JSON line) grew past the
    /// limit ([`RequestOptions::max_item_bytes`](super::RequestOptions::max_item_bytes))
    /// before it ended; the stream stops there rather than buffer on.
    #[error("a streamed item exceeded {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A streamed body is not in its media type's format (e.g. a malformed
    /// server-sent event).
    #[error("malformed stream: {0}")]
    Stream(String),
}

/// A non-2xx response, kept whole. Its `Debug` shows the body's length and first
/// [`DEBUG_BODY_BYTES`] bytes.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation ID.
    pub operation: &'static str,
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw response body, always kept, whether or not it parsed.
    pub body: Bytes,
    /// The body parsed as the API's error model, when it parses.
    pub result: Option<crate::ResultError>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        // Error bodies are best effort: gateways and proxies answer with HTML or
        // nothing at all, so a body that does not parse is not an error here.
        let result = serde_json::from_slice(&body).ok();
        Self {
            operation,
            status,
            headers,
            body,
            result,
        }
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The delay the server asked for in `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(&self.headers)
    }
}

/// Longest body excerpt shown by `Display`; the full body is in [`ApiError::body`].
const DISPLAY_BODY_CHARS: usize = 300;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed with HTTP {}", self.operation, self.status)?;
        // The error model's fields cannot be named generically, so show the
        // start of the body: for JSON errors it holds the code and message.
        match std::str::from_utf8(&self.body) {
            Ok(text) if text.trim().is_empty() => Ok(()),
            Ok(text) => write!(f, ": {}", excerpt(text)),
            Err(_) => write!(f, " ({} bytes of binary body)", self.body.len()),
        }
    }
}

/// The start of `text` on one line: whitespace runs collapsed (multi-line HTML
/// error pages are common), at most [`DISPLAY_BODY_CHARS`] characters.
fn excerpt(text: &str) -> String {
    // Look at a bounded prefix only: error bodies can be megabytes.
    let head = match text.char_indices().nth(DISPLAY_BODY_CHARS * 4) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    let collapsed = head.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(DISPLAY_BODY_CHARS) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None if head.len() < text.len() => format!("{collapsed}…"),
        None => collapsed,
    }
}

impl std::error::Error for ApiError {}

/// Most bytes of a response body that `Debug` of [`Error`] and [`ApiError`]
/// shows; the body itself is always kept whole.
pub const DEBUG_BODY_BYTES: usize = 512;

/// A body as `Debug` shows it: `<N bytes> b"prefix"`, with `…` after the
/// prefix when the body is longer.
struct BodyDebug<'a>(&'a [u8]);

impl fmt::Debug for BodyDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = &self.0[..self.0.len().min(DEBUG_BODY_BYTES)];
        write!(f, "<{} bytes> b\"{}\"", self.0.len(), prefix.escape_ascii())?;
        if prefix.len() < self.0.len() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &BodyDebug(&self.body))
            .field("result", &self.result)
            .finish()
    }
}

// Written out, like the derive would be, only for the body of `Decode`.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Self::Token(e) => f.debug_tuple("Token").field(e).finish(),
            Self::Timeout { operation, elapsed } => f
                .debug_struct("Timeout")
                .field("operation", operation)
                .field("elapsed", elapsed)
                .finish(),
            Self::Connect { operation, source } => f
                .debug_struct("Connect")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Self::Transport { operation, source } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Self::Decode {
                operation,
                status,
                body,
                path,
                source,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("body", &BodyDebug(body))
                .field("path", path)
                .field("source", source)
                .finish(),
            Self::InvalidRequest { message } => f
                .debug_struct("InvalidRequest")
                .field("message", message)
                .finish(),
            Self::Config { message } => f.debug_struct("Config").field("message", message).finish(),
            Self::Pagination { operation, message } => f
                .debug_struct("Pagination")
                .field("operation", operation)
                .field("message", message)
                .finish(),
        }
    }
}

impl Error {
    /// An [`Error::InvalidRequest`] with this message. This is how a
    /// [`Hook::before_request`](super::Hook::before_request) refuses to send a
    /// request: the variant is `#[non_exhaustive]`, so it cannot be built
    /// directly outside this crate.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            message: message.into(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
        }
    }

    /// The operation ID the error belongs to, when it is tied to one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Api(e) => Some(e.operation),
            Self::Timeout { operation, .. }
            | Self::Connect { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Decode { operation, .. }
            | Self::Pagination { operation, .. } => Some(operation),
            Self::InvalidRequest { .. } | Self::Config { .. } | Self::Token(_) => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API's error model parsed from a non-2xx response, when it parsed.
    pub fn api_result(&self) -> Option<&crate::ResultError> {
        match self {
            Self::Api(e) => e.result.as_ref(),
            _ => None,
        }
    }

    /// The non-2xx response, when this is an [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The raw response body, when a response was received.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Self::Api(e) => Some(&e.body),
            Self::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the failure was a timeout (of an attempt or of connecting).
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Connect { source, .. } | Self::Transport { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// Whether the failure is transient, so the same request may succeed later:
    /// HTTP 429, 502, 503 and 504, timeouts, and connection failures (before
    /// or during the exchange).
    ///
    /// This says nothing about whether retrying is *safe*; for operations that
    /// are not idempotent it usually is not. See [`RetryPolicy`](super::RetryPolicy).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(e) => super::retry::is_retryable_status(e.status),
            Self::Timeout { .. } | Self::Connect { .. } => true,
            // Connection resets and the like; not e.g. a redirect loop reported
            // by a caller-supplied reqwest::Client.
            Self::Transport { source, .. } => source.is_request() || source.is_body(),
            Self::Decode { .. }
            | Self::Pagination { .. }
            | Self::InvalidRequest { .. }
            | Self::Config { .. }
            | Self::Token(_) => false,
        }
    }

    /// Classifies a reqwest error from sending a request or reading its body.
    pub(crate) fn from_reqwest(
        operation: &'static str,
        elapsed: Duration,
        source: reqwest::Error,
    ) -> Self {
        // Without the URL: an API key may travel in the query.
        let source = source.without_url();
        if source.is_connect() {
            Self::Connect { operation, source }
        } else if source.is_timeout() {
            // Only a caller-supplied reqwest::Client has its own timeout; report it
            // like ours.
            Self::Timeout { operation, elapsed }
        } else if source.is_builder() {
            Self::InvalidRequest {
                message: format!("`{operation}`: {source}"),
            }
        } else {
            Self::Transport { operation, source }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &'static [u8]) -> ApiError {
        ApiError::new(
            "op_api",
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            Bytes::from_static(body),
        )
    }

    #[test]
    fn error_stays_small() {
        // clippy::result_large_err fires above 128 bytes; every operation
        // returns Result<_, Error>.
        assert!(size_of::<Error>() <= 128, "{}", size_of::<Error>());
    }

    #[test]
    fn api_error_keeps_raw_body_and_parses_when_possible() {
        let e = api(400, br#"{"resultCode":"A001","resultMessage":"bad"}"#);
        assert!(e.result.is_some());
        let e = api(502, b"<html><body>Bad gateway</body></html>");
        assert!(e.result.is_none());
        assert_eq!(&e.body[..], b"<html><body>Bad gateway</body></html>");
        let e = api(500, b"{\"resultCode\":");
        assert!(e.result.is_none());
    }

    #[test]
    fn api_display_is_one_line_and_truncated() {
        let e = api(502, b"<html>\n  <body>\n Bad   gateway </body>\n</html>\n");
        assert_eq!(
            e.to_string(),
            "`op_api` failed with HTTP 502 Bad Gateway: <html> <body> Bad gateway </body> </html>"
        );
        let long = "é".repeat(1000).into_bytes();
        let e = ApiError::new("op", StatusCode::BAD_REQUEST, HeaderMap::new(), long.into());
        let shown = e.to_string();
        assert!(shown.ends_with('…'));
        assert!(shown.chars().count() < DISPLAY_BODY_CHARS + 60);
        let e = api(500, b"");
        assert_eq!(
            e.to_string(),
            "`op_api` failed with HTTP 500 Internal Server Error"
        );
        let e = api(500, b"\xff\xfe");
        assert!(e.to_string().ends_with("(2 bytes of binary body)"));
    }

    #[test]
    fn debug_shows_length_and_prefix_of_a_long_body() {
        let page = format!("<html>{}</html>", "x".repeat(5 * 1024 * 1024));
        let e = ApiError::new(
            "op",
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            Bytes::from(page.clone()),
        );
        assert_eq!(e.body.len(), page.len(), "the body is kept whole");
        for shown in [format!("{e:?}"), format!("{:?}", Error::Api(Box::new(e)))] {
            assert!(shown.len() < DEBUG_BODY_BYTES + 300, "{}", shown.len());
            assert!(shown.contains(&format!("<{} bytes> b\"<html>xxx", page.len())));
            assert!(shown.contains("…"));
        }
        // Not a literal: rustc lints a literal that can never be UTF-8.
        let invalid = vec![0xff_u8];
        let e = Error::Decode {
            operation: "op",
            status: StatusCode::OK,
            body: Bytes::from(page),
            path: "a.b".into(),
            source: DecodeCause::Utf8(std::str::from_utf8(&invalid).unwrap_err()),
        };
        let shown = format!("{e:?}");
        assert!(shown.starts_with("Decode { operation: \"op\", status: 200, body: <"));
        assert!(shown.len() < DEBUG_BODY_BYTES + 300, "{}", shown.len());
        // A short body is shown whole, without the ellipsis.
        let shown = format!("{:?}", api(400, b"{\"a\":\"\xff\"}"));
        assert!(
            shown.contains(r#"body: <9 bytes> b"{\"a\":\"\xff\"}", "#),
            "{shown}"
        );
    }

    #[test]
    fn accessors() {
        let e = Error::Api(Box::new(api(503, b"{}")));
        assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert!(e.is_retryable());
        assert_eq!(e.body(), Some(&b"{}"[..]));
        assert_eq!(e.operation(), Some("op_api"));
        let e = Error::Api(Box::new(api(400, b"{}")));
        assert!(!e.is_retryable());
        let e = Error::Timeout {
            operation: "x",
            elapsed: Duration::from_secs(1),
        };
        assert!(e.is_timeout() && e.is_retryable() && e.status().is_none());
        assert!(!Error::invalid_request("x").is_retryable());
    }
}
