//! Per-call options.

use std::fmt;
use std::time::Duration;

use super::auth::{Family, Target};
use super::{BodyMedia, Credential, RetryPolicy, SecurityScheme};

/// Options for a single call, overriding the client's settings.
///
/// Every operation has a `..._with` variant that takes these; the plain
/// variant uses `RequestOptions::default()`.
///
/// ```
/// use std::time::Duration;
/// use {{crate}}::{RequestOptions, RetryPolicy};
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
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) max_item_bytes: Option<usize>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) media: Option<BodyMedia>,
    pub(crate) credentials: Vec<(Target, Credential)>,
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

    /// For a streamed response: the longest wait for its next chunk, instead
    /// of the client's ([`ClientBuilder::idle_timeout`](super::ClientBuilder::idle_timeout)).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// For a streamed response: the largest item buffered, instead of the
    /// client's ([`ClientBuilder::max_item_bytes`](super::ClientBuilder::max_item_bytes)).
    pub fn max_item_bytes(mut self, bytes: usize) -> Self {
        self.max_item_bytes = Some(bytes);
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

    /// Uses this bearer token for the call instead of the client's credentials
    /// for its bearer schemes, e.g. a token chosen per tenant.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.family(Family::Bearer, Credential::bearer(token))
    }

    /// Uses this key for the call's API-key schemes instead of the client's.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.family(Family::ApiKey, Credential::api_key(key))
    }

    /// Uses these credentials for the call's HTTP basic schemes instead of the
    /// client's.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.family(Family::Basic, Credential::basic(username, password))
    }

    /// Uses `credential` for one scheme (`security::NAME`) on this call. OAuth 2.0
    /// client credentials cannot be given per call (the call fails with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest)): build a client
    /// with them, or pass a token with [`bearer_token`](Self::bearer_token).
    pub fn credential(mut self, scheme: &'static SecurityScheme, credential: Credential) -> Self {
        self.credentials.push((Target::Scheme(scheme), credential));
        self
    }

    fn family(mut self, family: Family, credential: Credential) -> Self {
        self.credentials.push((Target::Family(family), credential));
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
            .field("idle_timeout", &self.idle_timeout)
            .field("max_item_bytes", &self.max_item_bytes)
            .field("retry", &self.retry)
            .field("headers", &header_names)
            .field("media", &self.media)
            .field("credentials", &self.credentials)
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
