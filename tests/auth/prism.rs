//! Runs inside the crate generated from `tests/fixtures/auth.yaml` (`fixture-auth`), as its
//! `tests/prism.rs`, against `prism mock` of the same document (`tests/auth.rs` starts it).
//! Prism checks that each request carries what the operation's security requirement names
//! (the header, query parameter or cookie of an API key, `Basic` or `Bearer` credentials)
//! and answers 401 otherwise; every call must succeed without a violation.

use std::sync::{Arc, Mutex};

use fixture_auth::apis::auth::AuthWithQueryKeyParams;
use fixture_auth::reqwest::StatusCode;
use fixture_auth::reqwest::header::{HeaderMap, HeaderValue};
use fixture_auth::{Client, Error, Hook, HookContext, RetryPolicy};

#[derive(Default)]
struct Violations(Mutex<Vec<String>>);

impl Hook for Violations {
    fn after_response(&self, ctx: &HookContext, status: StatusCode, headers: &HeaderMap) {
        if let Some(found) = headers.get("sl-violations") {
            self.0.lock().unwrap().push(format!(
                "{} ({status}): {}",
                ctx.operation.id,
                found.to_str().unwrap_or("?")
            ));
        }
    }
}

/// Prism wants `Authorization: Digest …` for the digest scheme; the client cannot compute it.
struct Digest;

impl Hook for Digest {
    fn before_request(
        &self,
        ctx: &HookContext,
        request: &mut fixture_auth::reqwest::Request,
    ) -> Result<(), Error> {
        if ctx.operation.id == "withDigest" {
            request.headers_mut().insert(
                "authorization",
                HeaderValue::from_static(
                    "Digest username=\"u\", realm=\"r\", nonce=\"n1\", uri=\"digest\", response=\"x1\"",
                ),
            );
        }
        Ok(())
    }
}

#[tokio::test]
async fn prism_finds_the_credentials_each_operation_requires() {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL names the Prism server");
    let violations = Arc::new(Violations::default());
    let client = Client::builder()
        .base_url(url)
        .retry(RetryPolicy::none())
        // Also the OAuth 2.0 scheme's token: Prism has no token endpoint to fetch one from.
        .bearer_token("prism-token")
        .basic_auth("user", "pässword")
        .api_key("prism-key")
        .hook(violations.clone())
        .hook(Digest)
        .build()
        .unwrap();
    let auth = client.auth();
    let calls = [
        ("withBearer", auth.with_bearer().await),
        ("withBasic", auth.with_basic().await),
        ("withHeaderKey", auth.with_header_key().await),
        (
            "withQueryKey",
            auth.with_query_key(AuthWithQueryKeyParams::new().q("x"))
                .await,
        ),
        ("withCookieKey", auth.with_cookie_key().await),
        ("withEither", auth.with_either().await),
        ("withBoth", auth.with_both().await),
        ("publicCall", auth.public_call().await),
        ("optionalAuth", auth.optional_auth().await),
        ("withOauth", auth.with_oauth().await),
        ("withOauthWrite", auth.with_oauth_write().await),
        ("withDigest", auth.with_digest().await),
    ];
    let mut failures = Vec::new();
    for (name, result) in calls {
        match result {
            Ok(_) => println!("prism-auth ok: {name}"),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    let violations = violations.0.lock().unwrap().clone();
    assert!(
        failures.is_empty() && violations.is_empty(),
        "failed calls: {failures:#?}\nPrism violations: {violations:#?}"
    );
}
