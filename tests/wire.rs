//! The generated `authlete` crate against a real HTTP server on 127.0.0.1 (wiremock).
//!
//! Nothing here mocks the client: every test sends real requests through the crate's own
//! `reqwest` stack and checks what crossed the wire against `spec/openapi.yaml` (method, path,
//! query, headers, JSON and form bodies), how responses are decoded, how each class of failure
//! is reported, and the client's retry, timeout, hook, tracing and redaction behaviour.
//!
//! Every operation is called through the helpers in [`call`], so a rename of an operation or
//! of its group (the overlay may rename them) is a one-line change there.
//!
//! Timing: backoffs and timeouts are tens or hundreds of milliseconds; time assertions have
//! generous bounds because CI machines are shared. Only loopback addresses are used.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use authlete::reqwest::StatusCode;
use authlete::reqwest::header::{HeaderMap, HeaderValue};
use authlete::{
    Client, ClientBuilder, DecodeCause, Error, Hook, HookContext, RequestOptions, RetryPolicy,
    models,
};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// `service().list_all(..)` / `list_pages(..)`: Authlete's start/end paging as streams.
#[path = "wire/pagination.rs"]
mod pagination;

/// The bearer token every test client uses. Must never show up in `Debug`, errors or logs.
const TOKEN: &str = "svc-token-Zx81-SECRET";
/// A second token, sent per call (e.g. a service token on an organization-token client).
const OTHER_TOKEN: &str = "org-token-Qq77-SECRET";

/// The calls the tests make, one function per operation: the only place that names the
/// generated methods, their groups and their parameter structs.
mod call {
    use authlete::{Client, Error, RequestOptions, models};

    /// `service_get_api`: `GET /api/{serviceId}/service/get`.
    pub async fn service_get(
        c: &Client,
        service_id: &str,
        o: RequestOptions,
    ) -> Result<models::Service, Error> {
        c.service().get_with(service_id, o).await
    }

    /// `service_get_list_api`: `GET /api/service/get/list?start&end`.
    pub async fn service_list(
        c: &Client,
        start: Option<i32>,
        end: Option<i32>,
        o: RequestOptions,
    ) -> Result<models::ServiceGetListResponse, Error> {
        let mut params = authlete::apis::service::ServiceListParams::new();
        if let Some(start) = start {
            params = params.start(start);
        }
        if let Some(end) = end {
            params = params.end(end);
        }
        c.service().list_with(params, o).await
    }

    /// `service_create_api`: `POST /api/service/create` (JSON or form body).
    pub async fn service_create(
        c: &Client,
        body: &models::Service,
        o: RequestOptions,
    ) -> Result<models::Service, Error> {
        c.service().create_with(body, o).await
    }

    /// `client_get_api`: `GET /api/{serviceId}/client/get/{clientId}`.
    pub async fn client_get(
        c: &Client,
        service_id: &str,
        client_id: &str,
        o: RequestOptions,
    ) -> Result<models::Client, Error> {
        c.client().get_with(service_id, client_id, o).await
    }

    /// `client_delete_api`: `DELETE /api/{serviceId}/client/delete/{clientId}`.
    pub async fn client_delete(
        c: &Client,
        service_id: &str,
        client_id: &str,
        o: RequestOptions,
    ) -> Result<(), Error> {
        c.client().delete_with(service_id, client_id, o).await
    }

    /// `client_authorization_get_list_api`:
    /// `GET /api/{serviceId}/client/authorization/get/list?subject` (required) `&start&end`.
    pub async fn client_authorizations(
        c: &Client,
        service_id: &str,
        subject: &str,
        start: Option<i32>,
        o: RequestOptions,
    ) -> Result<models::ClientAuthorizationGetListResponse, Error> {
        let mut params =
            authlete::apis::client_management::ClientManagementListAuthorizedApplicationsParams::new();
        if let Some(start) = start {
            params = params.start(start);
        }
        c.client()
            .management()
            .list_authorized_applications_with(service_id, subject, params, o)
            .await
    }

    /// `auth_token_api`: `POST /api/{serviceId}/auth/token` (JSON or form body).
    pub async fn token(
        c: &Client,
        service_id: &str,
        body: &models::TokenRequest,
        o: RequestOptions,
    ) -> Result<models::TokenResponse, Error> {
        c.token().process_with(service_id, body, o).await
    }

    /// `auth_introspection_api`: `POST /api/{serviceId}/auth/introspection`.
    pub async fn introspection(
        c: &Client,
        service_id: &str,
        body: &models::IntrospectionRequest,
        o: RequestOptions,
    ) -> Result<models::IntrospectionResponse, Error> {
        c.introspection().process_with(service_id, body, o).await
    }

    /// `auth_token_create_batch_api`: `POST /api/{serviceId}/auth/token/create/batch?dryRun`
    /// (JSON array body only).
    pub async fn token_create_batch(
        c: &Client,
        service_id: &str,
        body: &Vec<models::TokenCreateRequest>,
        dry_run: Option<bool>,
        o: RequestOptions,
    ) -> Result<models::TokenCreateBatchResponse, Error> {
        let mut params = authlete::apis::token_management::TokenManagementCreateBatchParams::new();
        if let Some(dry_run) = dry_run {
            params = params.dry_run(dry_run);
        }
        c.token()
            .management()
            .create_batch_with(service_id, body, params, o)
            .await
    }

    /// `get_api_lifecycle_healthcheck`: `GET /api/lifecycle/healthcheck`, `security: []`,
    /// `text/plain` answer.
    pub async fn healthcheck(c: &Client, o: RequestOptions) -> Result<String, Error> {
        let params = authlete::apis::lifecycle::LifecycleHealthCheckParams::new();
        c.lifecycle().health_check_with(params, o).await
    }
}

// ----------------------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------------------

fn opts() -> RequestOptions {
    RequestOptions::new()
}

/// A builder pointed at `server` with the test token and fast retries.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(server.uri())
        .retry(fast_retry())
}

fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client builds")
}

/// The default policy (3 attempts, idempotent methods only) with millisecond backoffs.
fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

/// Answers `status` with `body` as `application/json`, for every request.
async fn mount_json(server: &MockServer, status: u16, body: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .mount(server)
        .await;
}

/// Answers the first `n` requests with `first`, then every later one with `then`.
async fn mount_sequence(
    server: &MockServer,
    first: ResponseTemplate,
    n: u64,
    then: ResponseTemplate,
) {
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The only request the server received.
async fn single(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn p(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> Box<authlete::ApiError> {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// Decodes `json` as `T` the way the client does (through a real response) is tested below;
/// here: `T` encoded again must give back every field of the original.
fn assert_round_trips<T: serde::Serialize>(decoded: &T, original: &str) {
    let original: Value = serde_json::from_str(original).unwrap();
    let encoded = serde_json::to_value(decoded).unwrap();
    assert_eq!(
        encoded, original,
        "a field was lost or changed on the way through the model"
    );
}

fn token_request() -> models::TokenRequest {
    // `requestBody` example of `/api/{serviceId}/auth/token`, plus an array field.
    let mut body = models::TokenRequest::new(
        "grant_type=authorization_code&code=Xv_su944auuBgc5mfUnxXayiiQU9Z4-T_Yae_UfExmo&redirect_uri=https%3A%2F%2Fmy-client.example.com%2Fcb1&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    );
    body.client_id = Some("26478243745571".to_owned());
    body.client_secret = Some(
        "gXz97ISgLs4HuXwOZWch8GEmgL4YMvUJwu3er_kDVVGcA0UOhA9avLPbEmoeZdagi9yC_-tEiT2BdRyH9dbrQQ"
            .to_owned(),
    );
    body.client_certificate_path = Some(vec![
        "-----BEGIN CERTIFICATE-----\nMIIB a+b/c=\n-----END CERTIFICATE-----".to_owned(),
        "second cert".to_owned(),
    ]);
    body.access_token_duration = Some(3600);
    body.dpop_nonce_required = Some(false);
    body
}

fn batch_item(client_id: i64) -> models::TokenCreateRequest {
    models::TokenCreateRequest::new(models::GrantType::from("AUTHORIZATION_CODE"), client_id)
}

// ----------------------------------------------------------------------------------------
// What crosses the wire
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_method_path_bearer_and_standard_headers() {
    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;
    let client = builder(&server)
        .user_agent("wire-test/1.0")
        .build()
        .unwrap();

    call::service_get(&client, "715948317", opts())
        .await
        .unwrap();

    let request = single(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/715948317/service/get");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(header(&request, "accept"), Some("application/json"));
    // The crate's own name and version, as its manifest gives them, after the app's.
    let manifest = include_str!("../generated/Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    assert_eq!(
        header(&request, "user-agent"),
        Some(format!("wire-test/1.0 authlete/{version}").as_str())
    );
    assert_eq!(authlete::USER_AGENT, format!("authlete/{version}"));
    // No body, so no Content-Type.
    assert_eq!(header(&request, "content-type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    mount_json(&server, 200, CLIENT_JSON).await;
    let client = client(&server);

    call::client_get(&client, "svc 1/a", "c?d#e%f/é~._-", opts())
        .await
        .unwrap();

    let request = single(&server).await;
    assert_eq!(
        request.url.path(),
        "/api/svc%201%2Fa/client/get/c%3Fd%23e%25f%2F%C3%A9~._-"
    );
    assert_eq!(
        request.url.query(),
        None,
        "`?` and `#` stayed inside the segment"
    );
}

#[tokio::test]
async fn dot_segments_in_path_parameters_are_refused_before_sending() {
    let server = MockServer::start().await;
    mount_json(&server, 200, CLIENT_JSON).await;
    let client = client(&server);

    for bad in ["..", ".", ""] {
        let err = call::client_get(&client, "1", bad, opts())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{bad:?}: {err:?}"
        );
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;
    let client = Client::builder()
        .bearer_token(TOKEN)
        .base_url(format!("{}/gateway/authlete/", server.uri()))
        .build()
        .unwrap();
    assert_eq!(
        client.base_url(),
        format!("{}/gateway/authlete", server.uri())
    );

    call::service_get(&client, "1", opts()).await.unwrap();

    assert_eq!(
        single(&server).await.url.path(),
        "/gateway/authlete/api/1/service/get"
    );
}

#[tokio::test]
async fn optional_query_parameters_are_omitted_when_none() {
    let server = MockServer::start().await;
    mount_json(
        &server,
        200,
        r#"{"start":0,"end":5,"totalCount":0,"services":[]}"#,
    )
    .await;
    let client = client(&server);

    call::service_list(&client, None, None, opts())
        .await
        .unwrap();
    call::service_list(&client, Some(5), None, opts())
        .await
        .unwrap();
    call::service_list(&client, Some(0), Some(10), opts())
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(r.method.as_str(), "GET");
        assert_eq!(r.url.path(), "/api/service/get/list");
    }
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(query_pairs(&requests[1]), vec![p("start", "5")]);
    assert_eq!(
        query_pairs(&requests[2]),
        vec![p("start", "0"), p("end", "10")]
    );
}

#[tokio::test]
async fn required_query_parameter_is_sent_and_encoded() {
    let server = MockServer::start().await;
    mount_json(&server, 200, r#"{"subject":"john doe","clients":[]}"#).await;
    let client = client(&server);

    call::client_authorizations(&client, "42", "john doe&admin=1", Some(20), opts())
        .await
        .unwrap();

    let request = single(&server).await;
    assert_eq!(request.url.path(), "/api/42/client/authorization/get/list");
    assert_eq!(
        query_pairs(&request),
        vec![p("subject", "john doe&admin=1"), p("start", "20")]
    );
    assert!(!request.url.query().unwrap().contains(' '));
}

#[tokio::test]
async fn json_body_is_exactly_the_model() {
    let server = MockServer::start().await;
    mount_json(&server, 200, TOKEN_RESPONSE_JSON).await;
    let client = client(&server);

    call::token(&client, "715948317", &token_request(), opts())
        .await
        .unwrap();

    let request = single(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/715948317/auth/token");
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    // camelCase names from the document, unset optional fields absent (not null).
    assert_eq!(
        sent,
        json!({
            "parameters": token_request().parameters,
            "clientId": "26478243745571",
            "clientSecret": token_request().client_secret.unwrap(),
            "clientCertificatePath": token_request().client_certificate_path.unwrap(),
            "accessTokenDuration": 3600,
            "dpopNonceRequired": false,
        })
    );
}

#[tokio::test]
async fn form_body_when_asked_with_arrays_as_repeated_keys() {
    let server = MockServer::start().await;
    mount_json(&server, 200, TOKEN_RESPONSE_JSON).await;
    let client = client(&server);
    let body = token_request();

    call::token(&client, "715948317", &body, opts().form())
        .await
        .unwrap();

    let request = single(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/715948317/auth/token");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut pairs = form_pairs(&request.body);
    // Field order is serde_json's map order; the order of repeated keys must be kept.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let certs = body.client_certificate_path.clone().unwrap();
    assert_eq!(
        pairs,
        vec![
            p("accessTokenDuration", "3600"),
            p("clientCertificatePath", &certs[0]),
            p("clientCertificatePath", &certs[1]),
            p("clientId", "26478243745571"),
            p("clientSecret", body.client_secret.as_deref().unwrap()),
            p("dpopNonceRequired", "false"),
            // The token request's own form-encoded parameters travel as one value.
            p("parameters", &body.parameters),
        ]
    );
}

#[tokio::test]
async fn form_body_with_nested_values_sends_them_as_compact_json() {
    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;
    let client = client(&server);
    let mut service: models::Service = serde_json::from_str(SERVICE_JSON).unwrap();
    service.supported_grant_types = None;
    service.attributes = None;

    call::service_create(&client, &service, opts())
        .await
        .unwrap();
    call::service_create(&client, &service, opts().form())
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.method.as_str(), "POST");
        assert_eq!(r.url.path(), "/api/service/create");
    }
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/json")
    );
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent, serde_json::to_value(&service).unwrap());

    assert_eq!(
        header(&requests[1], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let pairs = form_pairs(&requests[1].body);
    let values = |key: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(values("serviceName"), ["My service"]);
    assert_eq!(values("number"), ["5041"]);
    assert_eq!(values("pkceRequired"), ["true"]);
    assert_eq!(values("supportedResponseTypes"), ["CODE"]);
    // Objects inside arrays: one key per item, each item as compact JSON.
    let scopes: Vec<Value> = values("supportedScopes")
        .iter()
        .map(|v| serde_json::from_str(v).unwrap())
        .collect();
    assert_eq!(
        Value::Array(scopes),
        serde_json::from_str::<Value>(SERVICE_JSON).unwrap()["supportedScopes"]
    );
    assert!(
        values("supportedGrantTypes").is_empty(),
        "unset fields are not sent"
    );
}

#[tokio::test]
async fn form_is_refused_for_json_only_operations_before_sending() {
    let server = MockServer::start().await;
    mount_json(&server, 200, "{}").await;
    let client = client(&server);

    let batch = vec![batch_item(1)];
    let err = call::token_create_batch(&client, "1", &batch, None, opts().form())
        .await
        .unwrap_err();

    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(err.to_string().contains("application/json"), "{err}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_call_sends_nothing_until_awaited() {
    // `op_with` builds its request when called and returns the send's future: building must
    // not send, and a future dropped unpolled must never send.
    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;
    let client = client(&server);

    let service = client.service();
    let pending = service.get("1");
    let batch = vec![batch_item(1)];
    let params = authlete::apis::token_management::TokenManagementCreateBatchParams::new();
    let tokens = client.token();
    let management = tokens.management();
    let refused = management.create_batch_with("1", &batch, params, opts().form());
    assert!(received(&server).await.is_empty());
    drop(pending);
    assert!(received(&server).await.is_empty());

    // Awaited, a request that could not be built fails as it did, still sending nothing.
    let err = refused.await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(received(&server).await.is_empty());
    client.service().get("2").await.unwrap();
    assert_eq!(single(&server).await.url.path(), "/api/2/service/get");
}

#[tokio::test]
async fn json_array_body_and_boolean_query() {
    let server = MockServer::start().await;
    mount_json(&server, 200, r#"{"requestId":"r-1"}"#).await;
    let client = client(&server);
    let mut first = batch_item(26888344961664);
    first.subject = Some("john".to_owned());
    first.scopes = Some(vec!["history.read".to_owned(), "timeline.read".to_owned()]);
    let batch = vec![first, batch_item(2)];

    call::token_create_batch(&client, "9", &batch, Some(true), opts())
        .await
        .unwrap();
    call::token_create_batch(&client, "9", &batch, None, opts())
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests[0].url.path(), "/api/9/auth/token/create/batch");
    assert_eq!(query_pairs(&requests[0]), vec![p("dryRun", "true")]);
    assert_eq!(requests[1].url.query(), None);
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        sent,
        json!([
            {
                "grantType": "AUTHORIZATION_CODE",
                "clientId": 26888344961664_i64,
                "subject": "john",
                "scopes": ["history.read", "timeline.read"],
            },
            {"grantType": "AUTHORIZATION_CODE", "clientId": 2},
        ])
    );
}

#[tokio::test]
async fn unauthenticated_operation_sends_no_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/lifecycle/healthcheck"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("OK", "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server);

    let answer = call::healthcheck(&client, opts()).await.unwrap();

    assert_eq!(answer, "OK");
    let request = single(&server).await;
    assert_eq!(header(&request, "authorization"), None, "`security: []`");

    // Without any token the unauthenticated operation still works...
    let anonymous = Client::builder().base_url(server.uri()).build().unwrap();
    assert_eq!(call::healthcheck(&anonymous, opts()).await.unwrap(), "OK");
    // ...and an authenticated one is refused before anything is sent.
    let before = received(&server).await.len();
    let err = call::service_get(&anonymous, "1", opts())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(received(&server).await.len(), before);
}

#[tokio::test]
async fn per_call_token_and_headers_override_the_client() {
    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;
    // E.g. a client built with an organization token, calling with a service token.
    let client = client(&server);

    let options = opts()
        .bearer_token(OTHER_TOKEN)
        .header("X-Request-Id", "req-7f0c2b")
        .header("Accept", "application/json; charset=utf-8");
    call::service_get(&client, "1", options).await.unwrap();

    let request = single(&server).await;
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {OTHER_TOKEN}").as_str())
    );
    assert_eq!(header(&request, "x-request-id"), Some("req-7f0c2b"));
    assert_eq!(
        header(&request, "accept"),
        Some("application/json; charset=utf-8")
    );

    let err = call::service_get(&client, "1", opts().header("X-Bad", "a\nb"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}

// ----------------------------------------------------------------------------------------
// Decoding success bodies
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn decodes_a_full_service() {
    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;
    let client = client(&server);

    let service = call::service_get(&client, "5041", opts()).await.unwrap();

    assert_eq!(service.service_name.as_deref(), Some("My service"));
    assert_eq!(service.number, Some(5041));
    assert_eq!(service.api_key, Some(21653835348762));
    assert_eq!(service.pkce_required, Some(true));
    let scopes = service.supported_scopes.as_ref().unwrap();
    assert_eq!(scopes.len(), 2);
    let grants: Vec<&str> = service
        .supported_grant_types
        .as_ref()
        .unwrap()
        .iter()
        .map(|g| g.as_str())
        .collect();
    assert_eq!(grants, ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);
    assert_round_trips(&service, SERVICE_JSON);
}

/// Services spawn these futures on multi-threaded runtimes, so they must be `Send`. An
/// operation's plain `op(..)` is an `fn` returning `impl Future` (forwarding to `op_with(..)`),
/// whose auto traits leak to the caller: `send` and `spawn_blocking` below stop compiling if
/// that future, or what it holds across an `.await`, is not `Send`. The calls then run on
/// another thread's runtime against the server on this one.
#[tokio::test]
async fn operation_futures_are_send_and_run_on_another_thread() {
    fn send<F: std::future::Future + Send>(future: F) -> F {
        future
    }
    let server = MockServer::start().await;
    for (at, body) in [
        ("/api/5041/service/get", SERVICE_JSON),
        ("/api/5041/auth/token", TOKEN_RESPONSE_JSON),
    ] {
        Mock::given(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let body = token_request();
    let calls = async move {
        let service = send(client.service().get("5041")).await?;
        let token = send(client.token().process("5041", &body)).await?;
        Ok::<_, Error>((service, token))
    };
    let (service, token) = tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(calls)
    })
    .await
    .unwrap()
    .unwrap();

    assert_eq!(service.number, Some(5041));
    assert_eq!(
        token.access_token.as_deref(),
        Some("C4SrUTijIj2IxqE1xBASr3dxQWgso3BpY49g8CyjGjQ")
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn decodes_a_full_client() {
    let server = MockServer::start().await;
    mount_json(&server, 200, CLIENT_JSON).await;
    let client = client(&server);

    let app = call::client_get(&client, "5041", "26478243745571", opts())
        .await
        .unwrap();

    assert_eq!(app.client_id, Some(26478243745571));
    assert_eq!(app.client_name.as_deref(), Some("My client"));
    assert_eq!(
        app.client_type.as_ref().map(|t| t.as_str()),
        Some("CONFIDENTIAL")
    );
    assert_eq!(app.redirect_uris.as_ref().map(Vec::len), Some(2));
    assert_round_trips(&app, CLIENT_JSON);
}

#[tokio::test]
async fn decodes_a_token_response() {
    let server = MockServer::start().await;
    mount_json(&server, 200, TOKEN_RESPONSE_JSON).await;
    let client = client(&server);

    let response = call::token(&client, "5041", &token_request(), opts())
        .await
        .unwrap();

    assert_eq!(response.action.as_ref().map(|a| a.as_str()), Some("OK"));
    assert_eq!(response.result_code.as_deref(), Some("A050001"));
    assert_eq!(response.access_token_duration, Some(3600));
    assert_eq!(response.client_id, Some(26478243745571));
    assert_eq!(
        response.scopes.as_deref(),
        Some(&["history.read".to_owned(), "timeline.read".to_owned()][..])
    );
    assert_round_trips(&response, TOKEN_RESPONSE_JSON);
}

#[tokio::test]
async fn unknown_enum_values_are_preserved_and_unknown_fields_ignored() {
    let server = MockServer::start().await;
    let mut body: Value = serde_json::from_str(TOKEN_RESPONSE_JSON).unwrap();
    body["action"] = json!("QUANTUM_GRANT");
    body["someFieldFromTheFuture"] = json!({"nested": [1, 2, {"deep": true}]});
    mount_json(&server, 200, &body.to_string()).await;
    let client = client(&server);

    let response = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap();

    let action = response.action.clone().unwrap();
    assert_eq!(action.as_str(), "QUANTUM_GRANT");
    assert!(
        matches!(&action, models::TokenResponseAction::Unknown(v) if v == "QUANTUM_GRANT"),
        "{action:?}"
    );
    let encoded = serde_json::to_value(&response).unwrap();
    assert_eq!(encoded["action"], "QUANTUM_GRANT", "re-encoded unchanged");
    assert!(encoded.get("someFieldFromTheFuture").is_none());
    assert_eq!(encoded["accessToken"], body["accessToken"]);

    // Unknown values inside arrays of enums, in another model.
    let mut app: Value = serde_json::from_str(CLIENT_JSON).unwrap();
    app["grantTypes"] = json!(["AUTHORIZATION_CODE", "FUTURE_GRANT"]);
    app["clientType"] = json!("SEMI_CONFIDENTIAL");
    server.reset().await;
    mount_json(&server, 200, &app.to_string()).await;
    let decoded = call::client_get(&client, "1", "2", opts()).await.unwrap();
    assert_eq!(
        decoded.client_type.as_ref().map(|t| t.as_str()),
        Some("SEMI_CONFIDENTIAL")
    );
    assert_round_trips(&decoded, &app.to_string());
}

// ----------------------------------------------------------------------------------------
// Errors
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn error_statuses_with_a_result_body_are_api_errors() {
    // components.responses 400/401/403/500 of the document.
    let cases = [
        (
            400,
            "A001201",
            "[A001201] /auth/authorization, TLS must be used.",
        ),
        (
            401,
            "A001202",
            "[A001202] /auth/authorization, Authorization header is missing.",
        ),
        (
            403,
            "A001215",
            "[A001215] /auth/authorization, The client (ID = 26837717140341) is locked.",
        ),
        (
            500,
            "A001101",
            "[A001101] /auth/authorization, Authlete Server error.",
        ),
    ];
    for (status, code, message) in cases {
        let server = MockServer::start().await;
        let body = json!({"resultCode": code, "resultMessage": message}).to_string();
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_raw(body.clone(), "application/json")
                    .insert_header("x-request-id", "abc-123")
                    .insert_header("www-authenticate", "Bearer error=\"invalid_token\""),
            )
            .mount(&server)
            .await;
        let client = client(&server);

        // A GET: even so, 4xx and 500 are not retried.
        let result = call::client_get(&client, "1", "2", opts()).await;
        let err = api_error(result);

        assert_eq!(err.status, StatusCode::from_u16(status).unwrap());
        assert_eq!(err.headers.get("x-request-id").unwrap(), "abc-123");
        assert!(err.headers.contains_key("www-authenticate"));
        assert_eq!(err.body.as_ref(), body.as_bytes(), "raw body kept");
        let result: &authlete::ResultError = err.result.as_ref().expect("result parsed");
        assert_eq!(result.result_code.as_deref(), Some(code));
        assert_eq!(result.result_message.as_deref(), Some(message));
        assert_eq!(err.operation, "client_get_api");
        let shown = err.to_string();
        assert!(
            shown.contains(&status.to_string()) && shown.contains(code),
            "{shown}"
        );
        assert!(!shown.contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
        assert_eq!(
            received(&server).await.len(),
            1,
            "HTTP {status} is not retried"
        );
    }
}

#[tokio::test]
async fn html_error_body_is_kept_without_result() {
    let server = MockServer::start().await;
    let html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>\n";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;
    let client = client(&server);

    // A POST, so the 502 is not retried.
    let err = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert!(err.is_retryable());
    assert!(err.api_result().is_none());
    assert_eq!(err.body(), Some(html.as_bytes()));
    let api = api_error(Err::<(), _>(err));
    assert!(api.result.is_none());
    assert_eq!(api.body_text(), html);
    assert!(api.to_string().contains("502 Bad Gateway"), "{api}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = MockServer::start().await;
    let truncated = &TOKEN_RESPONSE_JSON[..TOKEN_RESPONSE_JSON.len() / 2];
    mount_json(&server, 200, truncated).await;
    let client = client(&server);

    let err = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap_err();

    match &err {
        Error::Decode {
            status,
            body,
            source: DecodeCause::Json(e),
            operation,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(body.as_ref(), truncated.as_bytes());
            assert!(e.is_eof(), "{e}");
            assert_eq!(*operation, "auth_token_api");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn body_not_matching_the_model_reports_the_json_path() {
    let server = MockServer::start().await;
    let mut body: Value = serde_json::from_str(SERVICE_JSON).unwrap();
    body["supportedScopes"][1]["defaultEntry"] = json!("yes");
    let body = body.to_string();
    mount_json(&server, 200, &body).await;
    let client = client(&server);

    let err = call::service_get(&client, "1", opts()).await.unwrap_err();

    match &err {
        Error::Decode {
            path,
            body: kept,
            status,
            ..
        } => {
            assert_eq!(path, "supportedScopes[1].defaultEntry");
            assert_eq!(kept.as_ref(), body.as_bytes());
            assert_eq!(*status, StatusCode::OK);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(
        err.to_string().contains("supportedScopes[1].defaultEntry"),
        "{err}"
    );

    // An empty or non-JSON 2xx body is a decode error too, never a panic.
    for weird in ["", "OK", "[1,2,3]", "{\"number\": 99999999999}"] {
        server.reset().await;
        mount_json(&server, 200, weird).await;
        let err = call::service_get(&client, "1", opts()).await.unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{weird:?}: {err:?}");
    }
}

#[tokio::test]
async fn client_timeout_and_per_call_timeout() {
    let server = MockServer::start().await;
    let answer_after = |delay: Duration| {
        ResponseTemplate::new(200)
            .set_body_raw(SERVICE_JSON, "application/json")
            .set_delay(delay)
    };
    // Service 1 answers far too late; service 2 after 300 ms.
    Mock::given(path("/api/1/service/get"))
        .respond_with(answer_after(Duration::from_secs(3)))
        .mount(&server)
        .await;
    Mock::given(path("/api/2/service/get"))
        .respond_with(answer_after(Duration::from_millis(300)))
        .mount(&server)
        .await;
    // Well under the server's 3 s, so the client cannot have waited for it.
    let gave_up_early = Duration::from_millis(2500);

    // Per client.
    let client = builder(&server)
        .timeout(Duration::from_millis(80))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = call::service_get(&client, "1", opts()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_timeout() && err.is_retryable());
    assert!(elapsed >= Duration::from_millis(80), "{elapsed:?}");
    assert!(elapsed < gave_up_early, "{elapsed:?}");
    // The client's 80 ms is too short for service 2 too...
    let err = call::service_get(&client, "2", opts()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // ...unless one call gets longer.
    let service = call::service_get(&client, "2", opts().timeout(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(service.number, Some(5041));

    // Per call, shorter than the client's (default 30 s).
    let patient = builder(&server).retry(RetryPolicy::none()).build().unwrap();
    let started = Instant::now();
    let err = call::service_get(&patient, "1", opts().timeout(Duration::from_millis(60)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < gave_up_early);
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn connection_refused_is_a_connect_error_and_is_retried() {
    // A port that nothing listens on: bind, take the port, close.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let attempts = Arc::new(Recorder::default());
    let client = Client::builder()
        .bearer_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retry().max_attempts(2))
        .hook(Arc::clone(&attempts))
        .build()
        .unwrap();

    let err = call::service_get(&client, "1", opts()).await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.is_retryable() && err.status().is_none());
    assert!(!format!("{err:?}").contains(TOKEN));
    assert_eq!(attempts.before.load(Ordering::SeqCst), 2, "GET retried");

    // Nothing reached a server, so even a POST is retried.
    let err = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert_eq!(
        attempts.before.load(Ordering::SeqCst),
        4,
        "POST retried too"
    );
    assert_eq!(
        attempts.errors.lock().unwrap().len(),
        2,
        "on_error once per call"
    );
}

// ----------------------------------------------------------------------------------------
// Retries
// ----------------------------------------------------------------------------------------

fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(503).set_body_raw(
        r#"{"resultCode":"A000503","resultMessage":"busy"}"#,
        "application/json",
    )
}

#[tokio::test]
async fn get_is_retried_on_503_up_to_max_attempts() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        unavailable(),
        2,
        ResponseTemplate::new(200).set_body_raw(SERVICE_JSON, "application/json"),
    )
    .await;
    let client = client(&server);

    let service = call::service_get(&client, "1", opts()).await.unwrap();
    assert_eq!(service.number, Some(5041));
    assert_eq!(received(&server).await.len(), 3, "two 503s, then the 200");

    // Always 503: gives up after max_attempts, with the last response.
    server.reset().await;
    Mock::given(any())
        .respond_with(unavailable())
        .mount(&server)
        .await;
    let err = call::service_get(&client, "1", opts()).await.unwrap_err();
    let api = api_error(Err::<(), _>(err));
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        api.result.as_ref().unwrap().result_code.as_deref(),
        Some("A000503")
    );
    assert_eq!(received(&server).await.len(), 3);

    // Per-call policy wins over the client's.
    server.reset().await;
    Mock::given(any())
        .respond_with(unavailable())
        .mount(&server)
        .await;
    let options = opts().retry(fast_retry().max_attempts(5));
    call::service_get(&client, "1", options).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 5);
    server.reset().await;
    Mock::given(any())
        .respond_with(unavailable())
        .mount(&server)
        .await;
    call::service_get(&client, "1", opts().retry(RetryPolicy::none()))
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn delete_is_retried_and_other_statuses_are_not() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(502),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let client = client(&server);
    call::client_delete(&client, "1", "2", opts())
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method.as_str() == "DELETE"));

    for status in [400, 404, 409, 500, 501] {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let err = call::client_delete(&client, "1", "2", opts())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            received(&server).await.len(),
            1,
            "HTTP {status} is not retried"
        );
    }
}

#[tokio::test]
async fn timed_out_get_is_retried() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(200)
            .set_body_raw(SERVICE_JSON, "application/json")
            .set_delay(Duration::from_millis(500)),
        1,
        ResponseTemplate::new(200).set_body_raw(SERVICE_JSON, "application/json"),
    )
    .await;
    let client = client(&server);

    let service = call::service_get(&client, "1", opts().timeout(Duration::from_millis(100)))
        .await
        .unwrap();
    assert_eq!(service.number, Some(5041));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn backoff_waits_between_attempts_within_its_bounds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(unavailable())
        .mount(&server)
        .await;
    let client = client(&server);
    // Six attempts, five sleeps of uniform [0, 20 ms] ("full jitter"): in total at most
    // 100 ms, and less than 5 ms with a probability of about 1e-5.
    let policy = RetryPolicy::default()
        .max_attempts(6)
        .initial_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(20));

    let started = Instant::now();
    call::service_get(&client, "1", opts().retry(policy))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();

    assert_eq!(received(&server).await.len(), 6);
    assert!(
        elapsed >= Duration::from_millis(5),
        "no backoff at all: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(100) + Duration::from_secs(2),
        "{elapsed:?}"
    );

    // An enormous initial backoff is capped by max_backoff.
    server.reset().await;
    Mock::given(any())
        .respond_with(unavailable())
        .mount(&server)
        .await;
    let capped = RetryPolicy::default()
        .initial_backoff(Duration::from_secs(3600))
        .max_backoff(Duration::from_millis(30));
    let started = Instant::now();
    call::service_get(&client, "1", opts().retry(capped))
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 3);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // The whole budget: no sleep may cross max_elapsed, so the call ends early.
    server.reset().await;
    Mock::given(any())
        .respond_with(unavailable())
        .mount(&server)
        .await;
    let budget = RetryPolicy::default()
        .max_attempts(100)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(10))
        .max_elapsed(Duration::from_millis(150));
    let started = Instant::now();
    call::service_get(&client, "1", opts().retry(budget))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(150) + Duration::from_secs(1));
    assert!(received(&server).await.len() < 100);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
        ResponseTemplate::new(200).set_body_raw(SERVICE_JSON, "application/json"),
    )
    .await;
    let client = client(&server);
    // Jittered backoff would be at most 20 ms; the server asked for a second.
    let policy = fast_retry().max_backoff(Duration::from_secs(5));

    let started = Instant::now();
    call::service_get(&client, "1", opts().retry(policy))
        .await
        .unwrap();
    let elapsed = started.elapsed();

    assert_eq!(received(&server).await.len(), 2);
    assert!(
        elapsed >= Duration::from_secs(1),
        "retried before Retry-After: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");

    // Asked to wait longer than max_backoff: gives up at once, the header still readable.
    server.reset().await;
    Mock::given(any())
        .respond_with(unavailable().insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = call::service_get(&client, "1", opts()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(
        api_error(Err::<(), _>(err)).retry_after(),
        Some(Duration::from_secs(120))
    );
}

/// `idtoken_reissue_api`'s body is required through the overlay: the method takes `&T` and
/// always sends it.
#[tokio::test]
async fn a_required_body_is_taken_by_reference_and_sent() {
    let server = MockServer::start().await;
    mount_json(&server, 200, r#"{"action":"OK","idToken":"eyJ.new.id"}"#).await;
    let client = client(&server);
    let body = models::IdtokenReissueRequest::new("at-123", "rt-456");
    let response = client
        .token()
        .management()
        .reissue_id_token("1", &body)
        .await
        .unwrap();
    assert_eq!(response.id_token.as_deref(), Some("eyJ.new.id"));
    assert!(!format!("{response:?}").contains("eyJ.new.id"), "redacted");
    let request = single(&server).await;
    assert_eq!(request.url.path(), "/api/1/idtoken/reissue");
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({"accessToken": "at-123", "refreshToken": "rt-456"})
    );
}

#[tokio::test]
async fn post_answered_429_is_retried_by_default_after_retry_after() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
        ResponseTemplate::new(200).set_body_raw(TOKEN_RESPONSE_JSON, "application/json"),
    )
    .await;
    // The default policy: non-idempotent retries not opted into.
    let client = builder(&server)
        .retry(RetryPolicy::default())
        .build()
        .unwrap();

    let started = Instant::now();
    let response = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.action.as_ref().map(|a| a.as_str()), Some("OK"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "the 429 was retried");
    assert_eq!(requests[0].method.as_str(), "POST");
    assert_eq!(requests[0].body, requests[1].body);
    assert!(
        elapsed >= Duration::from_secs(1),
        "retried before Retry-After: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");

    // Without Retry-After: backoff, up to max_attempts, then the 429 is returned.
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let client = builder(&server).retry(fast_retry()).build().unwrap();
    let err = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(received(&server).await.len(), 3, "max_attempts bounds it");

    // RetryPolicy::none() still means one attempt.
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    call::token(
        &client,
        "1",
        &token_request(),
        opts().retry(RetryPolicy::none()),
    )
    .await
    .unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn debug_of_an_error_with_a_huge_body_is_bounded() {
    let server = MockServer::start().await;
    let page = format!("<html>{}</html>", "oops ".repeat(1024 * 1024));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_raw(page.clone(), "text/html"))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap_err();
    assert_eq!(err.body().map(<[u8]>::len), Some(page.len()), "kept whole");
    let debug = format!("{err:?}");
    assert!(debug.len() < 2_000, "Debug is {} bytes long", debug.len());
    assert!(debug.contains(&format!("<{} bytes> b\"<html>oops oops", page.len())));
    let debug = format!("{:?}", err.api_error().unwrap());
    assert!(debug.len() < 2_000, "Debug is {} bytes long", debug.len());
    assert!(format!("{err}").len() < 1_000, "Display stays bounded too");
}

#[tokio::test]
async fn post_is_not_retried_by_default_but_can_opt_in_per_call() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        unavailable(),
        1,
        ResponseTemplate::new(200).set_body_raw(TOKEN_RESPONSE_JSON, "application/json"),
    )
    .await;
    let client = client(&server);

    let err = call::token(&client, "1", &token_request(), opts())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(err.is_retryable(), "transient, but not safe to repeat");
    assert_eq!(
        received(&server).await.len(),
        1,
        "a POST is not retried by default"
    );

    server.reset().await;
    mount_sequence(
        &server,
        unavailable(),
        1,
        ResponseTemplate::new(200).set_body_raw(TOKEN_RESPONSE_JSON, "application/json"),
    )
    .await;
    let options = opts().retry(
        RetryPolicy::default()
            .retry_non_idempotent(true)
            .initial_backoff(Duration::from_millis(5)),
    );
    let response = call::token(&client, "1", &token_request(), options.form())
        .await
        .unwrap();
    assert_eq!(response.action.as_ref().map(|a| a.as_str()), Some("OK"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "retried after opting in");
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is sent again"
    );
    assert_eq!(
        header(&requests[1], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        header(&requests[1], "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    // Also when the client's default policy opts in.
    server.reset().await;
    mount_sequence(
        &server,
        unavailable(),
        1,
        ResponseTemplate::new(200).set_body_raw(TOKEN_RESPONSE_JSON, "application/json"),
    )
    .await;
    let eager = builder(&server)
        .retry(fast_retry().retry_non_idempotent(true))
        .build()
        .unwrap();
    call::introspection(
        &eager,
        "1",
        &models::IntrospectionRequest::new("at"),
        opts(),
    )
    .await
    .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

// ----------------------------------------------------------------------------------------
// Hooks
// ----------------------------------------------------------------------------------------

/// Counts what the hooks see and adds a header to every attempt.
#[derive(Default)]
struct Recorder {
    before: AtomicU32,
    statuses: Mutex<Vec<u16>>,
    errors: Mutex<Vec<(String, u32)>>,
}

impl Hook for Recorder {
    fn before_request(
        &self,
        ctx: &HookContext,
        request: &mut authlete::reqwest::Request,
    ) -> Result<(), Error> {
        self.before.fetch_add(1, Ordering::SeqCst);
        let value = format!("{}-{}", ctx.operation.id, ctx.attempt);
        request
            .headers_mut()
            .insert("x-hook", HeaderValue::from_str(&value).unwrap());
        Ok(())
    }

    fn after_response(&self, _ctx: &HookContext, status: StatusCode, _headers: &HeaderMap) {
        self.statuses.lock().unwrap().push(status.as_u16());
    }

    fn on_error(&self, ctx: &HookContext, error: &Error) {
        self.errors
            .lock()
            .unwrap()
            .push((error.to_string(), ctx.attempt));
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_and_can_add_headers() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        unavailable(),
        1,
        ResponseTemplate::new(200).set_body_raw(SERVICE_JSON, "application/json"),
    )
    .await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&server)
        .hook(Arc::clone(&recorder))
        .build()
        .unwrap();

    call::service_get(&client, "1", opts()).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "x-hook"), Some("service_get_api-1"));
    assert_eq!(header(&requests[1], "x-hook"), Some("service_get_api-2"));
    assert_eq!(recorder.before.load(Ordering::SeqCst), 2);
    assert_eq!(*recorder.statuses.lock().unwrap(), [503, 200]);
    assert!(
        recorder.errors.lock().unwrap().is_empty(),
        "success is not an error"
    );

    server.reset().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(r#"{"resultCode":"A000404"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    call::client_get(&client, "1", "2", opts())
        .await
        .unwrap_err();
    let errors = recorder.errors.lock().unwrap().clone();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].0.contains("404"), "{errors:?}");
    assert_eq!(errors[0].1, 1, "the attempt that failed");
}

#[tokio::test]
async fn a_hook_can_refuse_a_request() {
    struct Refuse;
    impl Hook for Refuse {
        fn before_request(
            &self,
            ctx: &HookContext,
            _request: &mut authlete::reqwest::Request,
        ) -> Result<(), Error> {
            Err(Error::invalid_request(format!(
                "{} is disabled here",
                ctx.operation.id
            )))
        }
    }
    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;
    let client = builder(&server).hook(Refuse).build().unwrap();

    let err = call::service_get(&client, "1", opts()).await.unwrap_err();

    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(
        err.to_string().contains("service_get_api is disabled"),
        "{err}"
    );
    assert!(received(&server).await.is_empty(), "nothing sent, no retry");
}

// ----------------------------------------------------------------------------------------
// Redaction and tracing
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let builder = Client::builder().bearer_token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(
        shown.contains("<redacted>") && shown.contains(client.base_url()),
        "{shown}"
    );
    let options = opts()
        .bearer_token(OTHER_TOKEN)
        .header("Authorization", format!("Bearer {OTHER_TOKEN}"));
    assert!(!format!("{options:?}").contains(OTHER_TOKEN));
    // A token with a line break is a configuration error that does not echo it.
    let err = Client::builder()
        .bearer_token(format!("{TOKEN}\n"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

/// A `tracing_subscriber` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn tracing_records_the_call_but_never_the_token() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    // While only one dispatcher was ever registered, tracing decides whether a callsite is
    // enabled from the dispatcher of the thread that first hits it: another test's thread
    // hitting the client's span first would disable it for this test too. With a second one
    // registered it asks every live dispatcher instead.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    // This test's runtime is single-threaded, so the whole call runs under the guard.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    mount_sequence(
        &server,
        unavailable(),
        1,
        ResponseTemplate::new(200).set_body_raw(SERVICE_JSON, "application/json"),
    )
    .await;
    let client = client(&server);
    call::service_get(&client, "5041", opts()).await.unwrap();
    // A failure too, with the other token given per call.
    server.reset().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(r#"{"resultCode":"A001202"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    call::client_get(&client, "5041", "77", opts().bearer_token(OTHER_TOKEN))
        .await
        .unwrap_err();

    let logs = captured.text();
    assert!(
        !logs.contains(TOKEN) && !logs.contains(OTHER_TOKEN),
        "{logs}"
    );
    assert!(!logs.contains("SECRET"), "{logs}");
    // The span: operation, method, path template (not the concrete path), status, attempt.
    let closed: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("authlete.request") && l.contains("close"))
        .collect();
    assert_eq!(closed.len(), 2, "{logs}");
    let ok = closed[0];
    for field in [
        "operation=\"service_get_api\"",
        "method=\"GET\"",
        "path=\"/api/{serviceId}/service/get\"",
        "status=200",
        "attempt=2",
        "latency_ms=",
    ] {
        assert!(ok.contains(field), "missing {field} in {ok}");
    }
    assert!(!ok.contains("/api/5041/"), "concrete path recorded: {ok}");
    let failed = closed[1];
    assert!(
        failed.contains("operation=\"client_get_api\"") && failed.contains("status=401"),
        "{failed}"
    );
    assert!(
        logs.contains("retrying after a transient failure"),
        "{logs}"
    );
}

// ----------------------------------------------------------------------------------------
// Environment
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn from_env_reads_the_token_and_server_url() {
    use authlete::SERVER_URL_ENV;
    let bearer_env = authlete::security::BEARER.env[0];
    assert_eq!(bearer_env, "AUTHLETE_BEARER");
    // The only test that touches the environment (process-global). std serializes its own
    // environment accesses; nothing else in this binary reads these variables.
    let saved = [bearer_env, SERVER_URL_ENV].map(|name| (name, std::env::var_os(name)));
    let set = |name: &str, value: Option<&str>| {
        // SAFETY: see above; no foreign code reads the environment concurrently here.
        unsafe {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    };

    let server = MockServer::start().await;
    mount_json(&server, 200, SERVICE_JSON).await;

    set(bearer_env, Some(TOKEN));
    set(SERVER_URL_ENV, Some(&format!("{}/", server.uri())));
    let from_env = Client::from_env();

    set(bearer_env, None);
    let missing = Client::from_env();

    set(bearer_env, Some("   "));
    let blank = Client::from_env();

    set(bearer_env, Some(TOKEN));
    set(SERVER_URL_ENV, None);
    let default_server = Client::from_env();

    for (name, value) in &saved {
        unsafe {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }

    let client = from_env.unwrap();
    assert_eq!(client.base_url(), server.uri());
    call::service_get(&client, "1", opts()).await.unwrap();
    assert_eq!(
        header(&single(&server).await, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    for err in [missing.unwrap_err(), blank.unwrap_err()] {
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains(bearer_env), "{err}");
    }
    assert_eq!(
        default_server.unwrap().base_url(),
        authlete::Server::default().url().trim_end_matches('/')
    );
}

#[test]
fn servers_come_from_the_document() {
    use authlete::Server;
    let urls: Vec<&str> = Server::ALL.iter().map(|s| s.url()).collect();
    assert_eq!(
        urls,
        [
            "https://us.authlete.com",
            "https://jp.authlete.com",
            "https://eu.authlete.com",
            "https://br.authlete.com"
        ]
    );
    assert_eq!(Server::default(), Server::Us);
    let client = Client::builder().server(Server::Jp).build().unwrap();
    assert_eq!(client.base_url(), "https://jp.authlete.com");
    // base_url wins over server.
    let client = Client::builder()
        .server(Server::Eu)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
}

// ----------------------------------------------------------------------------------------
// Realistic bodies: the document's own examples
// ----------------------------------------------------------------------------------------

/// `paths./api/{serviceId}/service/get.get.responses.200 (examples.full)` in spec/openapi.yaml.
const SERVICE_JSON: &str = r#"{
  "accessTokenDuration": 3600,
  "accessTokenType": "Bearer",
  "allowableClockSkew": 0,
  "apiKey": 21653835348762,
  "attributes": [
    {
      "key": "attribute1-key",
      "value": "attribute1-value"
    },
    {
      "key": "attribute2-key",
      "value": "attribute2-value"
    }
  ],
  "authorizationEndpoint": "https://my-service.example.com/authz",
  "authorizationResponseDuration": 0,
  "backchannelAuthReqIdDuration": 0,
  "backchannelBindingMessageRequiredInFapi": false,
  "backchannelPollingInterval": 0,
  "backchannelUserCodeParameterSupported": false,
  "claimShortcutRestrictive": false,
  "clientIdAliasEnabled": true,
  "clientsPerDeveloper": 0,
  "createdAt": 1639373421000,
  "dcrScopeUsedAsRequestable": false,
  "deviceFlowCodeDuration": 0,
  "deviceFlowPollingInterval": 0,
  "directAuthorizationEndpointEnabled": false,
  "directIntrospectionEndpointEnabled": false,
  "directJwksEndpointEnabled": false,
  "directRevocationEndpointEnabled": false,
  "directTokenEndpointEnabled": false,
  "directUserInfoEndpointEnabled": false,
  "dynamicRegistrationSupported": false,
  "errorDescriptionOmitted": false,
  "errorUriOmitted": false,
  "frontChannelRequestObjectEncryptionRequired": false,
  "grantManagementActionRequired": false,
  "hsmEnabled": false,
  "idTokenDuration": 0,
  "introspectionEndpoint": "https://my-service.example.com/introspection",
  "issSuppressed": false,
  "issuer": "https://my-service.example.com",
  "metadata": [
    {
      "key": "clientCount",
      "value": "1"
    }
  ],
  "missingClientIdAllowed": false,
  "modifiedAt": 1639373421000,
  "mutualTlsValidatePkiCertChain": false,
  "nbfOptional": false,
  "number": 5041,
  "parRequired": false,
  "pkceRequired": true,
  "pkceS256Required": false,
  "pushedAuthReqDuration": 0,
  "refreshTokenDuration": 3600,
  "refreshTokenDurationKept": false,
  "refreshTokenDurationReset": false,
  "refreshTokenKept": false,
  "requestObjectEncryptionAlgMatchRequired": false,
  "requestObjectEncryptionEncMatchRequired": false,
  "requestObjectRequired": false,
  "revocationEndpoint": "https://my-service.example.com/revocation",
  "scopeRequired": false,
  "serviceName": "My service",
  "serviceOwnerNumber": 2,
  "singleAccessTokenPerSubject": false,
  "supportedClaimTypes": [
    "NORMAL"
  ],
  "supportedDisplays": [
    "PAGE"
  ],
  "supportedGrantTypes": [
    "AUTHORIZATION_CODE",
    "REFRESH_TOKEN"
  ],
  "supportedIntrospectionAuthMethods": [
    "CLIENT_SECRET_BASIC"
  ],
  "supportedResponseTypes": [
    "CODE"
  ],
  "supportedRevocationAuthMethods": [
    "CLIENT_SECRET_BASIC"
  ],
  "supportedScopes": [
    {
      "defaultEntry": false,
      "description": "A permission to read your history.",
      "name": "history.read"
    },
    {
      "defaultEntry": false,
      "description": "A permission to read your timeline.",
      "name": "timeline.read"
    }
  ],
  "supportedTokenAuthMethods": [
    "CLIENT_SECRET_BASIC"
  ],
  "tlsClientCertificateBoundAccessTokens": false,
  "tokenEndpoint": "https://my-service.example.com/token",
  "tokenExpirationLinked": false,
  "traditionalRequestObjectProcessingApplied": false,
  "unauthorizedOnClientConfigSupported": false,
  "userCodeLength": 0
}"#;

/// `paths./api/{serviceId}/client/get/{clientId}.get.responses.200` in spec/openapi.yaml.
const CLIENT_JSON: &str = r#"{
  "applicationType": "WEB",
  "attributes": [
    {
      "key": "attribute1-key",
      "value": "attribute1-value"
    },
    {
      "key": "attribute2-key",
      "value": "attribute2-value"
    }
  ],
  "authTimeRequired": false,
  "bcUserCodeRequired": false,
  "clientId": 26478243745571,
  "clientIdAlias": "my-client",
  "clientIdAliasEnabled": true,
  "clientName": "My client",
  "clientSecret": "gXz97ISgLs4HuXwOZWch8GEmgL4YMvUJwu3er_kDVVGcA0UOhA9avLPbEmoeZdagi9yC_-tEiT2BdRyH9dbrQQ",
  "clientType": "CONFIDENTIAL",
  "createdAt": 1639468356000,
  "defaultMaxAge": 0,
  "derivedSectorIdentifier": "my-client.example.com",
  "developer": "john",
  "dynamicallyRegistered": false,
  "frontChannelRequestObjectEncryptionRequired": false,
  "grantTypes": [
    "AUTHORIZATION_CODE",
    "REFRESH_TOKEN"
  ],
  "idTokenSignAlg": "RS256",
  "modifiedAt": 1639468356000,
  "number": 6164,
  "parRequired": false,
  "redirectUris": [
    "https://my-client.example.com/cb1",
    "https://my-client.example.com/cb2"
  ],
  "requestObjectEncryptionAlgMatchRequired": false,
  "requestObjectEncryptionEncMatchRequired": false,
  "requestObjectRequired": false,
  "responseTypes": [
    "CODE",
    "TOKEN"
  ],
  "serviceNumber": 5041,
  "subjectType": "PUBLIC",
  "tlsClientCertificateBoundAccessTokens": false,
  "tokenAuthMethod": "CLIENT_SECRET_BASIC"
}"#;

/// `paths./api/{serviceId}/auth/token.post.responses.200` in spec/openapi.yaml.
const TOKEN_RESPONSE_JSON: &str = r#"{
  "resultCode": "A050001",
  "resultMessage": "[A050001] The token request (grant_type=authorization_code) was processed successfully.",
  "accessToken": "C4SrUTijIj2IxqE1xBASr3dxQWgso3BpY49g8CyjGjQ",
  "accessTokenDuration": 3600,
  "accessTokenExpiresAt": 1640252942736,
  "action": "OK",
  "clientAttributes": [
    {
      "key": "attribute1-key",
      "value": "attribute1-value"
    },
    {
      "key": "attribute2-key",
      "value": "attribute2-value"
    }
  ],
  "clientId": 26478243745571,
  "clientIdAlias": "my-client",
  "clientIdAliasUsed": false,
  "grantType": "AUTHORIZATION_CODE",
  "refreshToken": "60k0cZ38sJcpTgdxvG9Sqa-3RG5AmGExGpFB-1imSxo",
  "refreshTokenDuration": 3600,
  "refreshTokenExpiresAt": 1640252942736,
  "responseContent": "{\\\"access_token\\\":\\\"C4SrUTijIj2IxqE1xBASr3dxQWgso3BpY49g8CyjGjQ\\\",\\\"refresh_token\\\":\\\"60k0cZ38sJcpTgdxvG9Sqa-3RG5AmGExGpFB-1imSxo\\\",\\\"scope\\\":\\\"history.read timeline.read\\\",\\\"token_type\\\":\\\"Bearer\\\",\\\"expires_in\\\":3600}",
  "scopes": [
    "history.read",
    "timeline.read"
  ],
  "serviceAttributes": [
    {
      "key": "attribute1-key",
      "value": "attribute1-value"
    },
    {
      "key": "attribute2-key",
      "value": "attribute2-value"
    }
  ],
  "subject": "john"
}"#;

/// Authlete declares one bearer scheme: a credential of another kind is a configuration error
/// that names what the API does declare, rather than a client that silently sends nothing.
#[test]
fn credentials_for_schemes_the_api_does_not_declare_are_refused() {
    for builder in [
        Client::builder().api_key("key"),
        Client::builder().basic_auth("user", "password"),
        Client::builder().oauth2_client_credentials("id", "secret"),
    ] {
        let err = builder.build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains("it declares `bearer`"), "{err}");
    }
    assert!(Client::builder().bearer_token(TOKEN).build().is_ok());
}
