//! The client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::auth::{Family, Held, Target, check_targets, credential_from_env, given_for};
use super::{ClientCredentials, Credential, Error, Hook, RetryPolicy, SecurityScheme};

/// Default time limit for one attempt (connect, send, and read the response).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time limit for establishing a connection, when the runtime builds
/// the `reqwest::Client` itself.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit on one item of a streamed response (an event, a JSON line):
/// a server that never ends an item cannot make the client buffer without bound.
pub(crate) const DEFAULT_MAX_ITEM_BYTES: usize = 16 * 1024 * 1024;

/// The API client. Cheap to clone: clones share one connection pool and
/// configuration, so build one and pass it around.
///
/// ```no_run
/// # async fn demo() -> Result<(), authlete::Error> {
/// use authlete::{Client, Server};
///
/// // From the environment: the credentials of the API's security schemes
/// // (`security::ALL` lists their variables), and optionally a server URL
/// // (`SERVER_URL_ENV`).
/// let client = Client::from_env()?;
///
/// // Or explicitly: any server the document lists, or `base_url` for another;
/// // credentials with `bearer_token`, `api_key`, `basic_auth`,
/// // `oauth2_client_credentials` or `credential`.
/// let client = Client::builder()
///     .server(Server::ALL[Server::ALL.len() - 1])
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Scheme, host and optional path prefix, without a trailing slash.
    pub(crate) base_url: String,
    /// A credential per scheme the caller gave one for, validated once by
    /// [`ClientBuilder::build`]; header values are marked sensitive.
    pub(crate) credentials: Vec<(&'static SecurityScheme, Held)>,
    pub(crate) timeout: Duration,
    /// Streamed responses: longest wait between two chunks, if any.
    pub(crate) idle_timeout: Option<Duration>,
    /// Streamed responses: largest item.
    pub(crate) max_item_bytes: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: HeaderValue,
    pub(crate) hooks: Vec<Box<dyn Hook>>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// Builds a client from the environment; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &SchemeNames(&inner.credentials))
            .field("timeout", &inner.timeout)
            .field("idle_timeout", &inner.idle_timeout)
            .field("max_item_bytes", &inner.max_item_bytes)
            .field("retry", &inner.retry)
            .field("user_agent", &inner.user_agent)
            .field("hooks", &inner.hooks.len())
            .finish_non_exhaustive()
    }
}

/// The schemes a client holds credentials for, by name: never the secrets.
struct SchemeNames<'a>(&'a [(&'static SecurityScheme, Held)]);

impl fmt::Debug for SchemeNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(s, _)| (s.name, "<redacted>")))
            .finish()
    }
}

/// Configures a [`Client`].
///
/// Nothing is validated until [`build`](Self::build), which reports every
/// problem as [`Error::Config`] rather than panicking.
pub struct ClientBuilder {
    credentials: Vec<(Target, Credential)>,
    base_url: Option<String>,
    server: crate::Server,
    timeout: Duration,
    connect_timeout: Duration,
    idle_timeout: Option<Duration>,
    max_item_bytes: usize,
    retry: RetryPolicy,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    hooks: Vec<Box<dyn Hook>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// A builder with the defaults: the default server, a 30 s timeout per
    /// attempt, a 10 s connect timeout and [`RetryPolicy::default`].
    pub fn new() -> Self {
        Self {
            credentials: Vec::new(),
            base_url: None,
            server: crate::Server::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            idle_timeout: None,
            max_item_bytes: DEFAULT_MAX_ITEM_BYTES,
            retry: RetryPolicy::default(),
            user_agent: None,
            http: None,
            hooks: Vec::new(),
        }
    }

    /// A builder configured from the environment:
    ///
    /// - each security scheme's variables (listed in `security::ALL`, e.g.
    ///   `AUTHLETE_BEARER`), for every scheme whose variables are set; when the
    ///   API declares schemes, at least one must be set;
    /// - the variable named by [`SERVER_URL_ENV`](crate::SERVER_URL_ENV)
    ///   (optional): a base URL overriding the default server.
    ///
    /// Further settings can be chained before [`build`](Self::build).
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = Self::new();
        for scheme in crate::security::ALL {
            if let Some(credential) = credential_from_env(scheme)? {
                builder = builder.credential(scheme, credential);
            }
        }
        let can_authenticate = crate::security::ALL.iter().any(|s| !s.env.is_empty());
        if builder.credentials.is_empty() && can_authenticate {
            return Err(Error::config(format!(
                "no credentials in the environment: set {}",
                super::auth::all_env()
            )));
        }
        if let Some(url) = optional_env(crate::SERVER_URL_ENV)? {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The bearer token for the API's bearer schemes (HTTP bearer, OpenID
    /// Connect, OAuth 2.0), sent as `Authorization: Bearer <token>`. Never shown
    /// by `Debug`, logs or errors.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.family(Family::Bearer, Credential::bearer(token))
    }

    /// The key for the API's API-key schemes, sent verbatim in the header,
    /// query parameter or cookie the document names.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.family(Family::ApiKey, Credential::api_key(key))
    }

    /// Username and password for the API's HTTP basic schemes.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.family(Family::Basic, Credential::basic(username, password))
    }

    /// Client ID and secret for the API's OAuth 2.0 client-credentials schemes,
    /// with the document's scopes and token URL; the client fetches, caches and
    /// refreshes tokens. See [`oauth2`](Self::oauth2) for other settings.
    pub fn oauth2_client_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.oauth2(ClientCredentials::new(client_id, client_secret))
    }

    /// OAuth 2.0 client credentials with scopes, token URL or token endpoint
    /// authentication of your choice.
    pub fn oauth2(self, credentials: ClientCredentials) -> Self {
        self.family(Family::OAuth2, Credential::client_credentials(credentials))
    }

    /// A credential for one scheme (`security::NAME`), for APIs that declare
    /// several schemes of a kind. Wins over the setters above for that scheme.
    pub fn credential(mut self, scheme: &'static SecurityScheme, credential: Credential) -> Self {
        self.credentials.push((Target::Scheme(scheme), credential));
        self
    }

    fn family(mut self, family: Family, credential: Credential) -> Self {
        self.credentials.push((Target::Family(family), credential));
        self
    }

    /// One of the API's servers (the default is the first one listed in the
    /// API description). Ignored when [`base_url`](Self::base_url) is set.
    pub fn server(mut self, server: crate::Server) -> Self {
        self.server = server;
        self
    }

    /// A custom base URL, e.g. a proxy or a test server; may include a path
    /// prefix. Takes precedence over [`server`](Self::server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time limit for each attempt (default 30 s), from sending the request to
    /// reading the whole response. Retries get a fresh limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time limit for establishing a connection (default 10 s). Ignored when
    /// [`http_client`](Self::http_client) is used; configure that client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// For streamed responses (server-sent events, JSON lines, byte streams):
    /// the longest wait for the next chunk once the response head has arrived,
    /// after which the stream yields [`Error::Timeout`] and ends. Default: no
    /// limit, since event streams may be quiet for long; the per-attempt
    /// [`timeout`](Self::timeout) covers only a stream's head.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// For streamed responses: the largest item (one event, one JSON line)
    /// the client buffers, 16 MiB by default; a larger one is an
    /// [`Error::Decode`] item and ends the stream.
    pub fn max_item_bytes(mut self, bytes: usize) -> Self {
        self.max_item_bytes = bytes;
        self
    }

    /// The default retry policy for calls.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Identifies your application in the `User-Agent` header. The crate's
    /// own product token, `{crate}/{version}` ([`USER_AGENT`](crate::USER_AGENT)),
    /// is kept after it, so the server still sees the client version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this `reqwest::Client` instead of building one, for proxies,
    /// custom TLS roots, or to share a connection pool.
    ///
    /// The runtime does not follow redirects with the client it builds; a
    /// client passed here keeps its own redirect policy.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a hook. Hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Box::new(hook));
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = match self.base_url {
            Some(url) => validate_base_url(&url)?,
            None => validate_base_url(self.server.url())?,
        };
        check_targets(&self.credentials).map_err(Error::config)?;
        let mut credentials = Vec::new();
        for scheme in crate::security::ALL {
            if let Some(credential) = given_for(&self.credentials, scheme) {
                let held = Held::new(scheme, credential).map_err(Error::config)?;
                credentials.push((*scheme, held));
            }
        }
        let user_agent = match &self.user_agent {
            Some(app) => format!("{app} {}", crate::USER_AGENT),
            None => crate::USER_AGENT.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::config(format!("invalid user agent {user_agent:?}")))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                // An API answering with a redirect is misconfigured; surface the
                // 3xx as an error instead of re-sending (possibly a POST as GET).
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                timeout: self.timeout,
                idle_timeout: self.idle_timeout,
                max_item_bytes: self.max_item_bytes,
                retry: self.retry,
                user_agent,
                hooks: self.hooks,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("server", &self.server)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_item_bytes", &self.max_item_bytes)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("hooks", &self.hooks.len())
            .finish_non_exhaustive()
    }
}

/// Checks that `url` can be a base URL and returns it without trailing slash,
/// ready for an operation path (which starts with `/`) to be appended.
fn validate_base_url(url: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| Error::config(format!("invalid base URL {url:?}: {e}")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::config(
            "invalid base URL: credentials in the URL are not supported; use the credential setters",
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "invalid base URL {url:?}: the scheme must be http or https"
        )));
    }
    if parsed.host_str().is_none() {
        return Err(Error::config(format!("invalid base URL {url:?}: no host")));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::config(format!(
            "invalid base URL {url:?}: it must not have a query or fragment"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

pub(crate) fn optional_env(name: &str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        // The value itself is not echoed: it may be a secret.
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::config(format!(
            "environment variable {name} is not valid Unicode"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_token() {
        let builder = Client::builder().bearer_token("s3cr3t-TOKEN");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("s3cr3t") && shown.contains("<redacted>"),
            "{shown}"
        );
        let client = builder.build().unwrap();
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("s3cr3t") && shown.contains("<redacted>"),
            "{shown}"
        );
        assert!(shown.contains(client.base_url()));
    }

    #[test]
    fn default_server_is_used() {
        let client = Client::builder().build().unwrap();
        assert_eq!(
            client.base_url(),
            crate::Server::default().url().trim_end_matches('/')
        );
    }

    #[test]
    fn base_url_is_validated_and_normalized() {
        let ok = |u: &str| validate_base_url(u).unwrap();
        assert_eq!(ok("https://example.com/"), "https://example.com");
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(
            ok("https://gw.example.com/api/"),
            "https://gw.example.com/api"
        );
        for bad in [
            "",
            "not a url",
            "example.com",
            "ftp://example.com",
            "https://example.com/?q=1",
            "https://example.com/#f",
            "https://user:pw@example.com",
            "mailto:x@example.com",
        ] {
            let err = validate_base_url(bad).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
        assert!(Client::builder().base_url("nope").build().is_err());
    }

    #[test]
    fn bad_tokens_and_user_agents_are_config_errors() {
        let err = Client::builder()
            .bearer_token("a\nb-SECRET")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
        assert!(Client::builder().bearer_token("  ").build().is_err());
        assert!(Client::builder().user_agent("bad\r\nua").build().is_err());
        let client = Client::builder().user_agent("my-app/1.0").build().unwrap();
        let ua = client.inner.user_agent.to_str().unwrap().to_owned();
        assert_eq!(ua, format!("my-app/1.0 {}", crate::USER_AGENT));
    }
}
