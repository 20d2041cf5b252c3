//! OAuth 2.0 client credentials (RFC 6749 §4.4): fetching, caching and
//! refreshing the access token a client-credentials scheme sends.

use std::fmt;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use tracing::Instrument;

use super::auth::sensitive;
use super::{Client, Error};

/// The most a token is refreshed ahead of its expiry, so calls in flight do not
/// carry a token that expires on the way.
const REFRESH_AHEAD: Duration = Duration::from_secs(30);

/// Client credentials for an OAuth 2.0 client-credentials scheme.
///
/// ```
/// use authlete::{ClientCredentials, TokenEndpointAuth};
///
/// let credentials = ClientCredentials::new("client-id", "client-secret")
///     .scopes(["read", "write"])
///     .token_url("https://auth.example.com/oauth/token")
///     .auth_method(TokenEndpointAuth::ClientSecretPost);
/// # let _ = credentials;
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: SecretString,
    scopes: Option<Vec<String>>,
    token_url: Option<String>,
    auth_method: TokenEndpointAuth,
}

/// How the client authenticates to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenEndpointAuth {
    /// HTTP basic with the client ID and secret (RFC 6749 §2.3.1); the default.
    #[default]
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
}

impl ClientCredentials {
    /// A client ID and secret; scopes and token URL come from the API document
    /// unless set.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            scopes: None,
            token_url: None,
            auth_method: TokenEndpointAuth::default(),
        }
    }

    /// The scopes to request instead of the document's.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The token endpoint instead of the document's; relative URLs are resolved
    /// against the client's base URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// How to authenticate to the token endpoint (default
    /// [`TokenEndpointAuth::ClientSecretBasic`]).
    pub fn auth_method(mut self, method: TokenEndpointAuth) -> Self {
        self.auth_method = method;
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("token_url", &self.token_url)
            .field("auth_method", &self.auth_method)
            .finish()
    }
}

/// Fetches tokens for one scheme and caches the current one. The lock is held
/// while a token is fetched, so however many calls wait, one request is made
/// and they all get its token.
pub(crate) struct TokenSource {
    credentials: ClientCredentials,
    token_url: String,
    scopes: Vec<String>,
    state: tokio::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// Counts fetched tokens, so a 401 invalidates only the token it was given.
    generation: u64,
}

struct Cached {
    header: HeaderValue,
    refresh_at: Option<Instant>,
}

impl TokenSource {
    pub(crate) fn new(
        credentials: &ClientCredentials,
        document_url: &'static str,
        document_scopes: &'static [&'static str],
    ) -> Self {
        Self {
            token_url: credentials
                .token_url
                .clone()
                .unwrap_or_else(|| document_url.to_owned()),
            scopes: match &credentials.scopes {
                Some(scopes) => scopes.clone(),
                None => document_scopes.iter().map(|s| (*s).to_owned()).collect(),
            },
            credentials: credentials.clone(),
            state: tokio::sync::Mutex::default(),
        }
    }

    /// The `Authorization` header for the current token, fetching one when
    /// there is none or it is about to expire, and the token's generation.
    pub(crate) async fn header(&self, client: &Client) -> Result<(HeaderValue, u64), Error> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.token {
            if token.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok((token.header.clone(), state.generation));
            }
        }
        let token = self.fetch(client).await?;
        let header = token.header.clone();
        state.token = Some(token);
        state.generation += 1;
        Ok((header, state.generation))
    }

    /// Forgets the token of `generation` (the server refused it), unless a
    /// newer one was fetched meanwhile.
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state.generation == generation {
            state.token = None;
        }
    }

    /// The token request (no await in here: the form serializer is not `Send`).
    fn request(&self, client: &Client) -> Result<reqwest::Request, Error> {
        let url = resolve(&client.inner.base_url, &self.token_url)
            .map_err(|message| TokenError::new(&self.token_url, message))?;
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials");
        if !self.scopes.is_empty() {
            form.append_pair("scope", &self.scopes.join(" "));
        }
        let credentials = &self.credentials;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(USER_AGENT, client.inner.user_agent.clone());
        match credentials.auth_method {
            TokenEndpointAuth::ClientSecretBasic => {
                // RFC 6749 §2.3.1: both parts are form-encoded before base64.
                let encode =
                    |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                let pair = format!(
                    "{}:{}",
                    encode(&credentials.client_id),
                    encode(credentials.client_secret.expose_secret())
                );
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                let value = sensitive(format!("Basic {encoded}"))
                    .map_err(|()| TokenError::new(&self.token_url, "invalid client credentials"))?;
                headers.insert(AUTHORIZATION, value);
            }
            TokenEndpointAuth::ClientSecretPost => {
                form.append_pair("client_id", &credentials.client_id);
                form.append_pair("client_secret", credentials.client_secret.expose_secret());
            }
        }
        let mut request = reqwest::Request::new(reqwest::Method::POST, url);
        *request.headers_mut() = headers;
        *request.body_mut() = Some(form.finish().into());
        Ok(request)
    }

    async fn fetch(&self, client: &Client) -> Result<Cached, Error> {
        let request = self.request(client)?;

        // Named after the crate (`{crate}.token`); never records the token.
        let span = tracing::info_span!(
            concat!(env!("CARGO_PKG_NAME"), ".token"),
            status = tracing::field::Empty
        );
        let started = Instant::now();
        let timeout = client.inner.timeout;
        let sent = async {
            let mut response = client.inner.http.execute(request).await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        };
        let (status, headers, body) = match tokio::time::timeout(timeout, sent)
            .instrument(span.clone())
            .await
        {
            Ok(Ok(received)) => received,
            Ok(Err(source)) => {
                let mut error =
                    TokenError::new(&self.token_url, "the token endpoint could not be reached");
                error.source = Some(source.without_url());
                return Err(error.into());
            }
            Err(_) => {
                return Err(TokenError::new(
                    &self.token_url,
                    format!(
                        "the token endpoint did not answer within {:?}",
                        started.elapsed()
                    ),
                )
                .into());
            }
        };
        span.record("status", status.as_u16());
        if !status.is_success() {
            let mut error =
                TokenError::new(&self.token_url, "the token endpoint refused the request");
            let parsed: Option<OAuthErrorBody> = serde_json::from_slice(&body).ok();
            if let Some(parsed) = parsed {
                error.error = parsed.error;
                error.error_description = parsed.error_description;
            }
            error.status = Some(status);
            error.headers = headers;
            error.body = body;
            return Err(error.into());
        }
        // The body holds the token: no error below may quote it.
        let Ok(parsed) = serde_json::from_slice::<TokenBody>(&body) else {
            let mut error = TokenError::new(
                &self.token_url,
                "the token response is not the expected JSON",
            );
            error.status = Some(status);
            return Err(error.into());
        };
        if parsed
            .token_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            let mut error = TokenError::new(
                &self.token_url,
                "the token endpoint issued a token type other than Bearer",
            );
            error.status = Some(status);
            return Err(error.into());
        }
        let header = sensitive(format!("Bearer {}", parsed.access_token)).map_err(|()| {
            TokenError::new(
                &self.token_url,
                "the access token has characters not allowed in a header",
            )
        })?;
        let refresh_at = parsed.expires_in.map(|seconds| {
            let lifetime = Duration::from_secs(seconds);
            started + lifetime.saturating_sub(REFRESH_AHEAD.min(lifetime / 10))
        });
        Ok(Cached { header, refresh_at })
    }
}

/// `url` as is when absolute, else resolved against the base URL's origin.
fn resolve(base: &str, url: &str) -> Result<reqwest::Url, String> {
    if let Ok(absolute) = reqwest::Url::parse(url) {
        return Ok(absolute);
    }
    reqwest::Url::parse(&format!("{base}/"))
        .and_then(|base| base.join(url))
        .map_err(|e| format!("invalid token URL: {e}"))
}

#[derive(serde::Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default, deserialize_with = "seconds")]
    expires_in: Option<u64>,
}

/// `expires_in` is a number by the RFC; some servers send it as a string.
fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(f64),
        Text(String),
    }
    Ok(match Option::<Seconds>::deserialize(deserializer)? {
        Some(Seconds::Number(n)) if n >= 0.0 => Some(n as u64),
        Some(Seconds::Text(t)) => t.trim().parse().ok(),
        _ => None,
    })
}

use serde::Deserialize as _;

#[derive(serde::Deserialize)]
struct OAuthErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// The token endpoint of an OAuth 2.0 client-credentials scheme failed: it
/// could not be reached, refused the client (its status and OAuth error body
/// are kept), or answered without a usable token. Never holds a secret.
#[non_exhaustive]
pub struct TokenError {
    /// The token endpoint as configured.
    pub token_url: String,
    /// What went wrong.
    pub message: String,
    /// The endpoint's status, when it answered.
    pub status: Option<StatusCode>,
    /// The endpoint's response headers, when it refused the request.
    pub headers: HeaderMap,
    /// The endpoint's error body, when it refused the request (a successful
    /// response is never kept: it holds the token).
    pub body: Bytes,
    /// The OAuth `error` code, e.g. `invalid_client`.
    pub error: Option<String>,
    /// The OAuth `error_description`.
    pub error_description: Option<String>,
    source: Option<reqwest::Error>,
}

impl TokenError {
    fn new(token_url: &str, message: impl Into<String>) -> Self {
        Self {
            token_url: token_url.to_owned(),
            message: message.into(),
            status: None,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            error: None,
            error_description: None,
            source: None,
        }
    }
}

impl From<TokenError> for Error {
    fn from(error: TokenError) -> Self {
        Error::Token(Box::new(error))
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.token_url)?;
        if let Some(status) = self.status {
            write!(f, ": HTTP {status}")?;
        }
        if let Some(error) = &self.error {
            write!(f, ": {error}")?;
            if let Some(description) = &self.error_description {
                write!(f, ": {description}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenError")
            .field("token_url", &self.token_url)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .field("body_len", &self.body.len())
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}
