//! A client on a `reqwest::Client` of your own (proxy, connection pool), with a hook that
//! adds a header to every request and counts responses.
//!
//! ```sh
//! export AUTHLETE_BEARER=<service access token>
//! # Optional: a proxy for every request.
//! export EXAMPLE_PROXY=http://proxy.internal:3128
//! cargo run --example custom_http_client -- <service-id>
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use authlete::reqwest::header::{HeaderMap, HeaderValue};
use authlete::reqwest::{self, StatusCode};
use authlete::{ClientBuilder, Error, Hook, HookContext};

/// Tags every attempt with a header and counts the answers.
#[derive(Default)]
struct Instrumentation {
    responses: AtomicU64,
    failures: AtomicU64,
}

impl Hook for Instrumentation {
    fn before_request(
        &self,
        ctx: &HookContext,
        request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        let tag = format!("{}/{}", ctx.operation.id, ctx.attempt);
        let value =
            HeaderValue::from_str(&tag).map_err(|e| Error::invalid_request(e.to_string()))?;
        request.headers_mut().insert("x-example-attempt", value);
        Ok(())
    }

    fn after_response(&self, ctx: &HookContext, status: StatusCode, _headers: &HeaderMap) {
        self.responses.fetch_add(1, Ordering::Relaxed);
        println!(
            "{} {} -> {status}",
            ctx.operation.method, ctx.operation.path_template
        );
    }

    fn on_error(&self, _ctx: &HookContext, _error: &Error) {
        self.failures.fetch_add(1, Ordering::Relaxed);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let service_id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "service-id".to_owned());

    // `authlete::reqwest` is the version the client is built on.
    let mut http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(8);
    if let Ok(proxy) = std::env::var("EXAMPLE_PROXY") {
        http = http.proxy(reqwest::Proxy::all(proxy)?);
    }

    let metrics = Arc::new(Instrumentation::default());
    let client = ClientBuilder::from_env()?
        .http_client(http.build()?)
        .user_agent("custom-http-client-example/1.0")
        .hook(Arc::clone(&metrics))
        .build()?;
    // The token is redacted.
    println!("{client:?}");

    let service = client.service().get(&service_id).await?;
    println!("{:?}", service.service_name);
    println!(
        "responses: {}, failed calls: {}",
        metrics.responses.load(Ordering::Relaxed),
        metrics.failures.load(Ordering::Relaxed)
    );
    Ok(())
}
