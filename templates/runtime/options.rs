//! Per-call options.

use std::fmt;
use std::time::Duration;

use secrecy::SecretString;

use super::{BodyMedia, RetryPolicy};

/// Options for a single call, overriding the client's settings.
///
/// Every operation has a `..._with` variant that takes these; the plain
/// variant uses `RequestOptions::default()`.
///
/// ```
/// use std::time::Duration;
/// use authlete::{RequestOptions, RetryPolicy};
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::none())
///     .header("X-Request-Id", "7f0c2b")
///     .form();
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) media: Option<BodyMedia>,
    pub(crate) bearer_token: Option<SecretString>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time limit for each attempt, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retry policy for this call, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds a header, replacing any header of the same name the client would
    /// send. Invalid names or values make the call fail with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest); nothing is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses this bearer token for the call instead of the client's, e.g. a
    /// service access token chosen per tenant on a client built with an
    /// organization token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(SecretString::from(token.into()));
        self
    }

    /// Sends the body as `application/x-www-form-urlencoded`.
    pub fn form(self) -> Self {
        self.media(BodyMedia::Form)
    }

    /// Sends the body as `application/json` (the usual default).
    pub fn json(self) -> Self {
        self.media(BodyMedia::Json)
    }

    /// Sends the body as `media`. The call fails with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest) if the operation
    /// does not accept it.
    pub fn media(mut self, media: BodyMedia) -> Self {
        self.media = Some(media);
        self
    }
}

impl fmt::Debug for RequestOptions {
    // Header values may hold credentials, so only their names are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &header_names)
            .field("media", &self.media)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let o = RequestOptions::new()
            .bearer_token("tok-SECRET")
            .header("Authorization", "Bearer hdr-SECRET")
            .form();
        let shown = format!("{o:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("Authorization") && shown.contains("<redacted>"));
        assert!(shown.contains("Form"));
    }
}
