//! Retry policies, timeouts and telling errors apart.
//!
//! ```sh
//! export AUTHLETE_BEARER=<service access token>
//! cargo run --example retries_and_errors -- <service-id> [access-token]
//! ```

use std::time::Duration;

use authlete::{ClientBuilder, Error, RequestOptions, RetryPolicy, models};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let service_id = args.next().unwrap_or_else(|| "service-id".to_owned());
    let access_token = args.next().unwrap_or_else(|| "access-token".to_owned());

    // The client's defaults for every call: a limit per attempt and a retry policy. Only
    // idempotent methods (GET, PUT, DELETE, ...) are retried unless a policy says otherwise.
    let client = ClientBuilder::from_env()?
        .timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::default()
                .max_attempts(4)
                .initial_backoff(Duration::from_millis(250))
                .max_elapsed(Duration::from_secs(30)),
        )
        .build()?;

    // A GET: retried on connection failures, timeouts and HTTP 429/502/503/504.
    match client.service().get(&service_id).await {
        Ok(service) => println!("service: {:?}", service.service_name),
        Err(error) => describe(&error),
    }

    // A POST that only reads (token introspection): safe to repeat, so this call opts in,
    // with a tighter limit per attempt.
    let options = RequestOptions::new()
        .timeout(Duration::from_secs(3))
        .retry(RetryPolicy::default().retry_non_idempotent(true));
    let request = models::IntrospectionRequest::new(access_token);
    match client
        .introspection()
        .process_with(&service_id, &request, options)
        .await
    {
        Ok(response) => println!("introspection: {:?}", response.action),
        Err(error) => describe(&error),
    }
    Ok(())
}

/// What went wrong, by class.
fn describe(error: &Error) {
    match error {
        // A non-2xx answer: status, headers and raw body, and Authlete's `result` body when
        // it parsed (a proxy's HTML error page does not).
        Error::Api(api) => {
            eprintln!("{} answered HTTP {}", api.operation, api.status);
            match &api.result {
                Some(result) => eprintln!(
                    "{}: {}",
                    result.result_code.as_deref().unwrap_or("?"),
                    result.result_message.as_deref().unwrap_or("")
                ),
                None => eprintln!("{}", api.body_text()),
            }
            if let Some(delay) = api.retry_after() {
                eprintln!("the server asks to wait {delay:?}");
            }
        }
        Error::Timeout { elapsed, .. } => eprintln!("timed out after {elapsed:?}"),
        Error::Connect { .. } => eprintln!("could not connect: {error}"),
        Error::Decode { path, .. } => eprintln!("unexpected response body at `{path}`"),
        other => eprintln!("{other}"),
    }
    eprintln!("transient (worth trying later): {}", error.is_retryable());
}
