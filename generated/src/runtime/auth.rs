//! Security schemes and credentials: what the document declares (the crate's
//! `security` module), what the caller gives ([`ClientBuilder`](super::ClientBuilder),
//! [`RequestOptions`](super::RequestOptions)), and what one call sends.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::oauth2::{ClientCredentials, TokenSource};
use super::{Client, Error, OperationInfo, RequestOptions};

/// One entry of the document's `components.securitySchemes`. The crate's
/// `security` module holds a static per scheme and `security::ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityScheme {
    /// The scheme's name in the document, e.g. `"bearer"`.
    pub name: &'static str,
    /// How its credential travels.
    pub kind: SchemeKind,
    /// The environment variables [`Client::from_env`] reads for it: the token
    /// (bearer), the key (API key), username and password (basic), or client ID,
    /// client secret and scopes (OAuth 2.0 client credentials).
    pub env: &'static [&'static str],
}

/// How a scheme's credential travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OpenID Connect, OAuth 2.0
    /// flows in which the caller obtains the token).
    Bearer,
    /// `Authorization: Basic base64(username:password)`, UTF-8.
    Basic,
    /// The key, verbatim, in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: &'static str,
    },
    /// OAuth 2.0 client credentials: the client fetches a token from
    /// `token_url`, caches it and refreshes it before it expires.
    OAuth2ClientCredentials {
        /// The token endpoint; relative URLs are resolved against the base URL.
        token_url: &'static str,
        /// The scopes requested unless [`ClientCredentials::scopes`] says otherwise.
        scopes: &'static [&'static str],
    },
    /// A scheme the client cannot produce (e.g. HTTP digest): add it with a
    /// [`Hook`](super::Hook).
    Other,
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A credential for one scheme, given to
/// [`ClientBuilder::credential`](super::ClientBuilder::credential) or
/// [`RequestOptions::credential`]. Never shown by `Debug`.
#[derive(Clone)]
pub struct Credential(pub(crate) Secret);

#[derive(Clone)]
pub(crate) enum Secret {
    /// A bearer token or an API key.
    Token(SecretString),
    Basic {
        username: String,
        password: SecretString,
    },
    ClientCredentials(ClientCredentials),
}

impl Credential {
    /// A bearer token (HTTP bearer, OpenID Connect or OAuth 2.0 schemes).
    pub fn bearer(token: impl Into<String>) -> Self {
        Self(Secret::Token(SecretString::from(token.into())))
    }

    /// An API key, sent as given (include any prefix the API expects, e.g. `Bot …`).
    pub fn api_key(key: impl Into<String>) -> Self {
        Self(Secret::Token(SecretString::from(key.into())))
    }

    /// HTTP basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self(Secret::Basic {
            username: username.into(),
            password: SecretString::from(password.into()),
        })
    }

    /// OAuth 2.0 client credentials; the client fetches and refreshes tokens.
    pub fn client_credentials(credentials: ClientCredentials) -> Self {
        Self(Secret::ClientCredentials(credentials))
    }

    fn fits(&self, kind: SchemeKind) -> bool {
        matches!(
            (&self.0, kind),
            (
                Secret::Token(_),
                SchemeKind::Bearer
                    | SchemeKind::ApiKey { .. }
                    | SchemeKind::OAuth2ClientCredentials { .. }
            ) | (Secret::Basic { .. }, SchemeKind::Basic)
                | (
                    Secret::ClientCredentials(_),
                    SchemeKind::OAuth2ClientCredentials { .. }
                )
        )
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credential(<redacted>)")
    }
}

/// Which schemes a credential is for: one, or every scheme of a family
/// (`bearer_token`, `api_key`, `basic_auth`, `oauth2_client_credentials`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Target {
    Scheme(&'static SecurityScheme),
    Family(Family),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Family {
    /// Bearer schemes, and OAuth 2.0 client-credentials schemes given a ready token.
    Bearer,
    ApiKey,
    Basic,
    OAuth2,
}

impl Family {
    fn setter(self) -> &'static str {
        match self {
            Family::Bearer => "bearer_token",
            Family::ApiKey => "api_key",
            Family::Basic => "basic_auth",
            Family::OAuth2 => "oauth2_client_credentials",
        }
    }

    fn covers(self, kind: SchemeKind) -> bool {
        matches!(
            (self, kind),
            (
                Family::Bearer,
                SchemeKind::Bearer | SchemeKind::OAuth2ClientCredentials { .. }
            ) | (Family::ApiKey, SchemeKind::ApiKey { .. })
                | (Family::Basic, SchemeKind::Basic)
                | (Family::OAuth2, SchemeKind::OAuth2ClientCredentials { .. })
        )
    }
}

impl Target {
    fn matches(self, scheme: &SecurityScheme) -> bool {
        match self {
            Target::Scheme(s) => s.name == scheme.name,
            Target::Family(family) => family.covers(scheme.kind),
        }
    }
}

/// The credential given for `scheme`: the last one aimed at it by name, else
/// the last one for its family.
pub(crate) fn given_for<'a>(
    given: &'a [(Target, Credential)],
    scheme: &SecurityScheme,
) -> Option<&'a Credential> {
    let last = |exact: bool| {
        given
            .iter()
            .rev()
            .find(|(t, _)| matches!(t, Target::Scheme(_)) == exact && t.matches(scheme))
            .map(|(_, c)| c)
    };
    last(true).or_else(|| last(false))
}

/// Checks that every credential given applies to some scheme of the API.
pub(crate) fn check_targets(given: &[(Target, Credential)]) -> Result<(), String> {
    for (target, credential) in given {
        let fitting = crate::security::ALL
            .iter()
            .filter(|s| target.matches(s) && credential.fits(s.kind))
            .count();
        if fitting == 0 {
            let what = match target {
                Target::Scheme(s) => format!("the credential given for scheme `{}`", s.name),
                Target::Family(f) => format!("`{}`", f.setter()),
            };
            return Err(format!(
                "{what} does not fit any security scheme of this API ({})",
                declared()
            ));
        }
    }
    Ok(())
}

fn declared() -> String {
    if crate::security::ALL.is_empty() {
        return "it declares none".to_owned();
    }
    let names: Vec<String> = crate::security::ALL
        .iter()
        .map(|s| format!("`{}`", s.name))
        .collect();
    format!("it declares {}", names.join(", "))
}

/// A credential ready to send for one scheme, validated once.
#[derive(Clone)]
pub(crate) enum Held {
    Header(HeaderName, HeaderValue),
    Query(&'static str, SecretString),
    Cookie(&'static str, SecretString),
    OAuth2(Arc<TokenSource>),
}

impl Held {
    /// Prepares `credential` for `scheme`; the error never echoes the secret.
    pub(crate) fn new(scheme: &SecurityScheme, credential: &Credential) -> Result<Self, String> {
        let fail = |what: &str| format!("the credential for scheme `{}` {what}", scheme.name);
        if !credential.fits(scheme.kind) {
            return Err(fail("is of the wrong kind"));
        }
        match (&credential.0, scheme.kind) {
            (Secret::Token(token), SchemeKind::ApiKey { location, name }) => {
                let key = token.expose_secret();
                if key.trim().is_empty() {
                    return Err(fail("is empty"));
                }
                match location {
                    ApiKeyLocation::Header => {
                        let header = HeaderName::from_bytes(name.as_bytes())
                            .map_err(|_| fail("names an invalid header"))?;
                        let value = sensitive(key.to_owned())
                            .map_err(|()| fail("has characters not allowed in a header"))?;
                        Ok(Held::Header(header, value))
                    }
                    ApiKeyLocation::Query => Ok(Held::Query(name, token.clone())),
                    ApiKeyLocation::Cookie => {
                        if key.contains([';', ',', '\r', '\n']) {
                            return Err(fail("has characters not allowed in a cookie"));
                        }
                        Ok(Held::Cookie(name, token.clone()))
                    }
                }
            }
            (Secret::Token(token), _) => {
                let token = token.expose_secret();
                if token.trim().is_empty() {
                    return Err(fail("is empty"));
                }
                let value = sensitive(format!("Bearer {token}"))
                    .map_err(|()| fail("has characters not allowed in a header"))?;
                Ok(Held::Header(AUTHORIZATION, value))
            }
            (Secret::Basic { username, password }, _) => {
                if username.contains(':') {
                    return Err(fail(
                        "has a username with `:`, which basic auth cannot carry",
                    ));
                }
                let pair = format!("{username}:{}", password.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                let value =
                    sensitive(format!("Basic {encoded}")).map_err(|()| fail("is invalid"))?;
                Ok(Held::Header(AUTHORIZATION, value))
            }
            (
                Secret::ClientCredentials(credentials),
                SchemeKind::OAuth2ClientCredentials { token_url, scopes },
            ) => Ok(Held::OAuth2(Arc::new(TokenSource::new(
                credentials,
                token_url,
                scopes,
            )))),
            (Secret::ClientCredentials(_), _) => Err(fail("is of the wrong kind")),
        }
    }
}

/// A header value marked sensitive: HTTP/2 never indexes it and `Debug` of the
/// header map hides it.
pub(crate) fn sensitive(text: String) -> Result<HeaderValue, ()> {
    let mut value = HeaderValue::try_from(text).map_err(|_| ())?;
    value.set_sensitive(true);
    Ok(value)
}

/// What one attempt sends to authenticate.
#[derive(Default)]
pub(crate) struct Chosen {
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) query: Vec<(&'static str, SecretString)>,
    pub(crate) cookies: Vec<(&'static str, SecretString)>,
    /// The token source used and the token's generation, so a 401 can refresh it.
    pub(crate) refresh: Option<(Arc<TokenSource>, u64)>,
    /// No alternative could be met with the credentials given: the hooks must
    /// supply one, or the call fails before sending.
    pub(crate) unmet: bool,
}

impl Client {
    /// Chooses what `op` sends: the first of its alternatives the client (or
    /// `options`) has every credential for; nothing when anonymous calls are
    /// allowed and no alternative can be met.
    pub(crate) async fn authenticate(
        &self,
        op: &OperationInfo,
        options: &RequestOptions,
    ) -> Result<Chosen, Error> {
        let mut chosen = Chosen::default();
        if op.security.is_empty() {
            return Ok(chosen);
        }
        let held = |scheme: &'static SecurityScheme| -> Result<Option<Held>, Error> {
            if let Some(credential) = given_for(&options.credentials, scheme) {
                if let Secret::ClientCredentials(_) = credential.0 {
                    return Err(Error::invalid_request(
                        "OAuth 2.0 client credentials cannot be given per call; \
                         build a client with them",
                    ));
                }
                return Held::new(scheme, credential)
                    .map(Some)
                    .map_err(Error::invalid_request);
            }
            Ok(self
                .inner
                .credentials
                .iter()
                .find(|(s, _)| s.name == scheme.name)
                .map(|(_, h)| h.clone()))
        };
        for alternative in op.security.iter().filter(|a| !a.is_empty()) {
            let mut holds = Vec::with_capacity(alternative.len());
            for scheme in alternative.iter() {
                match held(scheme)? {
                    Some(h) => holds.push(h),
                    None => break,
                }
            }
            if holds.len() < alternative.len() {
                continue;
            }
            for h in holds {
                match h {
                    Held::Header(name, value) => chosen.headers.push((name, value)),
                    Held::Query(name, value) => chosen.query.push((name, value)),
                    Held::Cookie(name, value) => chosen.cookies.push((name, value)),
                    Held::OAuth2(source) => {
                        let (value, generation) = source.header(self).await?;
                        chosen.headers.push((AUTHORIZATION, value));
                        chosen.refresh = Some((source, generation));
                    }
                }
            }
            return Ok(chosen);
        }
        chosen.unmet = !op.security.iter().any(|a| a.is_empty());
        Ok(chosen)
    }
}

/// Adds the cookies to the `Cookie` header (after any the call already has).
pub(crate) fn add_cookies(
    headers: &mut HeaderMap,
    cookies: &[(&'static str, SecretString)],
) -> Result<(), Error> {
    if cookies.is_empty() {
        return Ok(());
    }
    let mut line = headers
        .get(reqwest::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_default();
    for (name, value) in cookies {
        if !line.is_empty() {
            line.push_str("; ");
        }
        line.push_str(name);
        line.push('=');
        line.push_str(value.expose_secret());
    }
    let value = sensitive(line)
        .map_err(|()| Error::invalid_request("an API key cookie is not a valid header value"))?;
    headers.insert(reqwest::header::COOKIE, value);
    Ok(())
}

/// Whether `request` carries what one of `op`'s alternatives needs, e.g. a
/// header a hook added; used when the client had no credentials of its own.
pub(crate) fn carries_credentials(op: &OperationInfo, request: &reqwest::Request) -> bool {
    let has_header = |name: &str| request.headers().contains_key(name);
    let has_query = |name: &str| request.url().query_pairs().any(|(k, _)| k == name);
    let has_cookie = |name: &str| {
        request
            .headers()
            .get_all(reqwest::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|line| line.split(';'))
            .any(|pair| pair.trim_start().split('=').next() == Some(name))
    };
    op.security.iter().any(|alternative| {
        alternative.iter().all(|scheme| match scheme.kind {
            SchemeKind::ApiKey {
                location: ApiKeyLocation::Header,
                name,
            } => has_header(name),
            SchemeKind::ApiKey {
                location: ApiKeyLocation::Query,
                name,
            } => has_query(name),
            SchemeKind::ApiKey {
                location: ApiKeyLocation::Cookie,
                name,
            } => has_cookie(name),
            _ => has_header(AUTHORIZATION.as_str()),
        })
    })
}

/// What to set to call `op`: each alternative's schemes, e.g.
/// "`bearer` (`bearer_token`), or `key` (`api_key`) and `basic` (`basic_auth`)".
pub(crate) fn needed(op: &OperationInfo) -> String {
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|alternative| {
            let parts: Vec<String> = alternative
                .iter()
                .map(|s| match setter(s.kind) {
                    Some(setter) => format!("`{}` ({setter})", s.name),
                    None => format!("`{}` (a hook)", s.name),
                })
                .collect();
            parts.join(" and ")
        })
        .collect();
    alternatives.join(", or ")
}

fn setter(kind: SchemeKind) -> Option<&'static str> {
    Some(match kind {
        SchemeKind::Bearer => "bearer_token",
        SchemeKind::Basic => "basic_auth",
        SchemeKind::ApiKey { .. } => "api_key",
        SchemeKind::OAuth2ClientCredentials { .. } => "oauth2_client_credentials",
        SchemeKind::Other => return None,
    })
}

/// Reads each scheme's environment variables; `Ok(None)` when none is set.
pub(crate) fn credential_from_env(scheme: &SecurityScheme) -> Result<Option<Credential>, Error> {
    let var = |i: usize| -> Result<Option<String>, Error> {
        match scheme.env.get(i) {
            Some(name) => super::client::optional_env(name),
            None => Ok(None),
        }
    };
    let both = |a: Option<String>, b: Option<String>| -> Result<Option<(String, String)>, Error> {
        match (a, b) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (None, None) => Ok(None),
            _ => Err(Error::config(format!(
                "scheme `{}` needs both {} and {}",
                scheme.name,
                scheme.env.first().copied().unwrap_or_default(),
                scheme.env.get(1).copied().unwrap_or_default()
            ))),
        }
    };
    Ok(match scheme.kind {
        SchemeKind::Bearer => var(0)?.map(Credential::bearer),
        SchemeKind::ApiKey { .. } => var(0)?.map(Credential::api_key),
        SchemeKind::Basic => both(var(0)?, var(1)?)?.map(|(u, p)| Credential::basic(u, p)),
        SchemeKind::OAuth2ClientCredentials { .. } => {
            let scopes = var(2)?;
            both(var(0)?, var(1)?)?.map(|(id, secret)| {
                let mut credentials = ClientCredentials::new(id, secret);
                if let Some(scopes) = scopes {
                    credentials = credentials.scopes(scopes.split_whitespace());
                }
                Credential::client_credentials(credentials)
            })
        }
        SchemeKind::Other => None,
    })
}

/// Every variable `from_env` could read, for the error when none is set.
pub(crate) fn all_env() -> String {
    let names: Vec<&str> = crate::security::ALL
        .iter()
        .flat_map(|s| s.env.iter().copied())
        .collect();
    names.join(", ")
}
