//! Runs inside the crate generated from `tests/fixtures/auth.yaml` (`fixture-auth`), as its
//! `tests/wire.rs`; `tests/auth.rs` puts it there. Every test sends real requests to a
//! wiremock server on 127.0.0.1 and checks what crossed the wire for each kind of security
//! scheme: headers, query and cookie; alternatives and combinations; the OAuth 2.0 token
//! endpoint (caching, expiry, one fetch for many waiting calls, 401 → one refresh, errors);
//! and that no secret reaches `Debug`, errors or logs.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use fixture_auth::apis::auth::AuthWithQueryKeyParams;
use fixture_auth::reqwest::header::HeaderValue;
use fixture_auth::{
    Client, ClientBuilder, ClientCredentials, Credential, Error, Hook, HookContext, RequestOptions,
    RetryPolicy, TokenEndpointAuth, security,
};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET: &str = "s3cr3t-VALUE";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::none())
}

/// Requests to the API (not to the token endpoint), in order.
async fn api_requests(server: &MockServer) -> Vec<Request> {
    let all = server.received_requests().await.unwrap_or_default();
    all.into_iter()
        .filter(|r| r.url.path() != "/oauth/token")
        .collect()
}

async fn token_requests(server: &MockServer) -> Vec<Request> {
    let all = server.received_requests().await.unwrap_or_default();
    all.into_iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .collect()
}

async fn last(server: &MockServer) -> Request {
    api_requests(server)
        .await
        .pop()
        .expect("a request reached the server")
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

fn token_json(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    }))
}

#[tokio::test]
async fn each_kind_goes_where_the_document_says() {
    let server = server().await;
    let client = builder(&server)
        .bearer_token("tok-1")
        .basic_auth("ädmin", "pässwörd:1")
        .credential(&security::HEADER_KEY, Credential::api_key("hdr-key"))
        .credential(&security::QUERY_KEY, Credential::api_key("q key&1"))
        .credential(&security::COOKIE_KEY, Credential::api_key("ck-1"))
        .build()
        .unwrap();
    let auth = client.auth();

    auth.with_bearer().await.unwrap();
    let r = last(&server).await;
    assert_eq!(header_of(&r, "authorization"), Some("Bearer tok-1"));

    // RFC 7617 with UTF-8: the password may hold `:` and non-ASCII characters.
    auth.with_basic().await.unwrap();
    let r = last(&server).await;
    assert_eq!(
        header_of(&r, "authorization"),
        Some(basic("ädmin", "pässwörd:1").as_str())
    );

    auth.with_header_key().await.unwrap();
    let r = last(&server).await;
    assert_eq!(header_of(&r, "x-api-key"), Some("hdr-key"));
    assert_eq!(header_of(&r, "authorization"), None);

    // The key joins the operation's own query parameters, encoded.
    auth.with_query_key(AuthWithQueryKeyParams::new().q("x"))
        .await
        .unwrap();
    let r = last(&server).await;
    let pairs: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("q".to_owned(), "x".to_owned()),
            ("api_key".to_owned(), "q key&1".to_owned())
        ]
    );

    auth.with_cookie_key().await.unwrap();
    let r = last(&server).await;
    assert_eq!(header_of(&r, "cookie"), Some("session=ck-1"));
}

#[tokio::test]
async fn alternatives_and_combinations() {
    let server = server().await;

    // Either: bearer first when the client has both; basic when it only has basic.
    let both = builder(&server)
        .bearer_token("tok-1")
        .basic_auth("u", "p")
        .build()
        .unwrap();
    both.auth().with_either().await.unwrap();
    assert_eq!(
        header_of(&last(&server).await, "authorization"),
        Some("Bearer tok-1")
    );
    let basic_only = builder(&server).basic_auth("u", "p").build().unwrap();
    basic_only.auth().with_either().await.unwrap();
    assert_eq!(
        header_of(&last(&server).await, "authorization"),
        Some(basic("u", "p").as_str())
    );

    // Both (AND): every scheme of the combination is sent.
    let keyed = builder(&server)
        .basic_auth("u", "p")
        .api_key("k-all")
        .build()
        .unwrap();
    keyed.auth().with_both().await.unwrap();
    let r = last(&server).await;
    assert_eq!(header_of(&r, "x-api-key"), Some("k-all"));
    assert_eq!(
        header_of(&r, "authorization"),
        Some(basic("u", "p").as_str())
    );

    // Half of a combination: refused before sending, naming what would do.
    let before = api_requests(&server).await.len();
    let err = basic_only.auth().with_both().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("`headerKey`") && message.contains("`basicAuth`"),
        "{message}"
    );
    assert_eq!(
        api_requests(&server).await.len(),
        before,
        "nothing was sent"
    );

    // `security: []`: nothing sent even though the client has credentials.
    both.auth().public_call().await.unwrap();
    assert_eq!(header_of(&last(&server).await, "authorization"), None);

    // Optional (`{}` or bearer): anonymous without credentials, the token when there is one.
    let anonymous = builder(&server).build().unwrap();
    anonymous.auth().optional_auth().await.unwrap();
    assert_eq!(header_of(&last(&server).await, "authorization"), None);
    both.auth().optional_auth().await.unwrap();
    assert_eq!(
        header_of(&last(&server).await, "authorization"),
        Some("Bearer tok-1")
    );

    // A required scheme and no credentials at all.
    let err = anonymous.auth().with_bearer().await.unwrap_err();
    assert!(err.to_string().contains("bearer_token"), "{err}");
}

/// Adds `Authorization: Digest …`, which the client cannot compute itself.
struct DigestHook;

impl Hook for DigestHook {
    fn before_request(
        &self,
        _ctx: &HookContext,
        request: &mut fixture_auth::reqwest::Request,
    ) -> Result<(), Error> {
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_static("Digest username=\"u\", response=\"r\""),
        );
        Ok(())
    }
}

#[tokio::test]
async fn schemes_the_client_cannot_produce_come_from_a_hook() {
    let server = server().await;
    let plain = builder(&server).build().unwrap();
    let err = plain.auth().with_digest().await.unwrap_err();
    assert!(err.to_string().contains("`digest` (a hook)"), "{err}");
    assert!(api_requests(&server).await.is_empty());

    let hooked = builder(&server).hook(DigestHook).build().unwrap();
    hooked.auth().with_digest().await.unwrap();
    assert!(
        header_of(&last(&server).await, "authorization").is_some_and(|v| v.starts_with("Digest "))
    );
}

#[tokio::test]
async fn per_call_credentials_replace_the_clients() {
    let server = server().await;
    let client = builder(&server)
        .bearer_token("tok-1")
        .basic_auth("u", "p")
        .api_key("k-1")
        .build()
        .unwrap();
    let auth = client.auth();
    auth.with_bearer_with(RequestOptions::new().bearer_token("tok-2"))
        .await
        .unwrap();
    assert_eq!(
        header_of(&last(&server).await, "authorization"),
        Some("Bearer tok-2")
    );
    auth.with_basic_with(RequestOptions::new().basic_auth("v", "q"))
        .await
        .unwrap();
    assert_eq!(
        header_of(&last(&server).await, "authorization"),
        Some(basic("v", "q").as_str())
    );
    let options = RequestOptions::new()
        .api_key("k-2")
        .credential(&security::COOKIE_KEY, Credential::api_key("ck-3"));
    auth.with_cookie_key_with(options).await.unwrap();
    assert_eq!(
        header_of(&last(&server).await, "cookie"),
        Some("session=ck-3")
    );
    auth.with_header_key_with(RequestOptions::new().api_key("k-2"))
        .await
        .unwrap();
    assert_eq!(header_of(&last(&server).await, "x-api-key"), Some("k-2"));
    // Per-call client credentials would need a token cache per call: refused.
    let options = RequestOptions::new().credential(
        &security::OAUTH,
        Credential::client_credentials(ClientCredentials::new("id", "secret")),
    );
    let err = auth.with_oauth_with(options).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}

#[tokio::test]
async fn client_credentials_fetch_cache_and_send_a_token() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_json("at-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .oauth2_client_credentials("my client", "sec:ret/1")
        .build()
        .unwrap();
    client.auth().with_oauth().await.unwrap();
    client.auth().with_oauth_write().await.unwrap();
    for r in api_requests(&server).await {
        assert_eq!(header_of(&r, "authorization"), Some("Bearer at-1"));
    }
    let tokens = token_requests(&server).await;
    assert_eq!(tokens.len(), 1, "the token is cached");
    let t = &tokens[0];
    // client_secret_basic: both parts form-encoded, then base64 (RFC 6749 §2.3.1).
    assert_eq!(
        header_of(t, "authorization"),
        Some(basic("my+client", "sec%3Aret%2F1").as_str())
    );
    assert_eq!(
        header_of(t, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(String, String)> = form_urlencoded::parse(&t.body).into_owned().collect();
    assert_eq!(
        form,
        [
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            ("scope".to_owned(), "read write".to_owned())
        ],
        "the document's scopes by default"
    );
}

#[tokio::test]
async fn client_secret_post_scopes_and_token_url_can_be_chosen() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/custom/token"))
        .respond_with(token_json("at-9", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let credentials = ClientCredentials::new("id-1", "secret-1")
        .scopes(["read"])
        .token_url(format!("{}/custom/token", server.uri()))
        .auth_method(TokenEndpointAuth::ClientSecretPost);
    let client = builder(&server).oauth2(credentials).build().unwrap();
    client.auth().with_oauth().await.unwrap();
    let all = server.received_requests().await.unwrap();
    let t = all
        .iter()
        .find(|r| r.url.path() == "/custom/token")
        .unwrap();
    assert_eq!(header_of(t, "authorization"), None);
    let form: Vec<(String, String)> = form_urlencoded::parse(&t.body).into_owned().collect();
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("client_id"), Some("id-1"));
    assert_eq!(get("client_secret"), Some("secret-1"));
    assert_eq!(get("scope"), Some("read"));
    assert_eq!(
        header_of(&last(&server).await, "authorization"),
        Some("Bearer at-9")
    );
}

#[tokio::test]
async fn an_expired_token_is_fetched_again() {
    let server = server().await;
    // `expires_in: 0`: stale at once, so every call fetches.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_json("short", 0))
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    client.auth().with_oauth().await.unwrap();
    client.auth().with_oauth().await.unwrap();
    assert_eq!(token_requests(&server).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_waiting_calls_share_one_token_request() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_json("shared", 3600).set_delay(Duration::from_millis(200)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.auth().with_oauth().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(token_requests(&server).await.len(), 1);
    assert_eq!(api_requests(&server).await.len(), 200);
}

#[tokio::test]
async fn a_refused_token_is_replaced_once_and_the_call_retried_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_json("old", 3600))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_json("new", 3600))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/oauth"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(path("/oauth"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = builder(&server)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    client.auth().with_oauth().await.unwrap();
    assert_eq!(token_requests(&server).await.len(), 2);
    let sent: Vec<Option<String>> = api_requests(&server)
        .await
        .iter()
        .map(|r| header_of(r, "authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        sent,
        [Some("Bearer old".to_owned()), Some("Bearer new".to_owned())]
    );

    // A server that refuses every token: one refresh, one retry, then the 401.
    let refusing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_json("any", 3600))
        .mount(&refusing)
        .await;
    Mock::given(path("/oauth"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&refusing)
        .await;
    let client = builder(&refusing)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    let err = client.auth().with_oauth().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(token_requests(&refusing).await.len(), 2);
    assert_eq!(api_requests(&refusing).await.len(), 2);
}

#[tokio::test]
async fn token_endpoint_failures_are_typed_and_keep_the_oauth_error() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "unknown client"
        })))
        .mount(&server)
        .await;
    let client = builder(&server)
        .oauth2_client_credentials("id", SECRET)
        .build()
        .unwrap();
    let err = client.auth().with_oauth().await.unwrap_err();
    let Error::Token(token) = &err else {
        panic!("expected Error::Token, got {err:?}");
    };
    assert_eq!(token.status.map(|s| s.as_u16()), Some(401));
    assert_eq!(token.error.as_deref(), Some("invalid_client"));
    assert_eq!(token.error_description.as_deref(), Some("unknown client"));
    assert!(!token.body.is_empty());
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(
        api_requests(&server).await.is_empty(),
        "nothing sent to the API"
    );

    // A 200 without a token: an error that never quotes the body.
    let odd = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(format!("{{\"token\":\"{SECRET}\"}}")),
        )
        .mount(&odd)
        .await;
    let client = builder(&odd)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    let err = client.auth().with_oauth().await.unwrap_err();
    assert!(matches!(err, Error::Token(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(SECRET));
}

#[derive(Default, Clone)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_show_in_debug_errors_or_logs() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_json(&format!("at-{SECRET}"), 3600))
        .mount(&server)
        .await;
    let secret = |tag: &str| format!("{tag}-{SECRET}");
    let builder = builder(&server)
        .bearer_token(secret("bearer"))
        .basic_auth("user", secret("password"))
        .api_key(secret("key"))
        .oauth2_client_credentials("id", secret("client"));
    let options = RequestOptions::new()
        .bearer_token(secret("per-call"))
        .basic_auth("u", secret("per-call-pw"));
    let client = builder.build().unwrap();
    let auth = client.auth();
    auth.with_oauth().await.unwrap();
    auth.with_query_key(AuthWithQueryKeyParams::new())
        .await
        .unwrap();
    auth.with_both().await.unwrap();
    let shown = format!(
        "{client:?} {options:?} {:?} {:?}",
        Credential::basic("u", secret("c")),
        ClientCredentials::new("id", secret("cc"))
    );
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(!logged.contains(SECRET), "{logged}");

    // A transport error on a call with the key in the query: the URL is not in the error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = Client::builder()
        .base_url(dead)
        .retry(RetryPolicy::none())
        .api_key(secret("key"))
        .build()
        .unwrap();
    let err = client
        .auth()
        .with_query_key(AuthWithQueryKeyParams::new())
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?} {:?}", std::error::Error::source(&err));
    assert!(!shown.contains(SECRET), "{shown}");

    // Invalid credentials are configuration errors that do not echo the value.
    for bad in [
        Client::builder()
            .bearer_token(format!("a\n{SECRET}"))
            .build(),
        Client::builder().api_key(format!("b\r{SECRET}")).build(),
        Client::builder().bearer_token("  ").build(),
    ] {
        let err = bad.unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(!err.to_string().contains(SECRET), "{err}");
    }
}

#[test]
fn from_env_reads_each_schemes_variables() {
    let vars: Vec<&str> = security::ALL
        .iter()
        .flat_map(|s| s.env.iter().copied())
        .collect();
    // SAFETY: the only test in this binary that touches the environment.
    let set = |name: &str, value: Option<&str>| unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    };
    for var in &vars {
        set(var, None);
    }
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(
        err.to_string().contains("FIXTURE_AUTH_BEARER")
            && err.to_string().contains("FIXTURE_AUTH_CLIENT_SECRET"),
        "{err}"
    );

    set("FIXTURE_AUTH_USERNAME", Some("u"));
    let err = Client::from_env().unwrap_err();
    assert!(err.to_string().contains("FIXTURE_AUTH_PASSWORD"), "{err}");
    set("FIXTURE_AUTH_PASSWORD", Some(SECRET));
    set("FIXTURE_AUTH_QUERY_KEY_API_KEY", Some("qk"));
    let builder = ClientBuilder::from_env().unwrap();
    let shown = format!("{builder:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("basicAuth") && shown.contains("queryKey"),
        "{shown}"
    );
    assert!(!shown.contains("bearerAuth"), "{shown}");
    for var in &vars {
        set(var, None);
    }
}

#[test]
fn credentials_that_fit_no_scheme_are_refused() {
    // A basic credential named for an API-key scheme.
    let err = Client::builder()
        .credential(&security::HEADER_KEY, Credential::basic("u", "p"))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("headerKey"), "{err}");
    assert!(
        Client::builder()
            .credential(&security::DIGEST, Credential::bearer("t"))
            .build()
            .is_err()
    );
}
