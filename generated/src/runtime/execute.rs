//! The one send path shared by every operation: URL and headers, hooks,
//! timeouts, retries, tracing and status classification.
//!
//! Deliberately not generic, so it is compiled once however many operations
//! the API has. Buffered and streamed responses take the same path; they
//! differ only in whether a 2xx body is read before the attempt ends.

use std::fmt;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use secrecy::ExposeSecret;
use tracing::{Instrument, Span};

use super::auth::{Chosen, add_cookies, carries_credentials, needed};
use super::path::check_path;
use super::stream::{Limits, StreamResponse};
use super::{
    ApiError, Client, Error, HookContext, OperationInfo, Request, RequestOptions, Response,
};

/// How much of a 2xx response an attempt reads before it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The whole body, within the attempt's timeout.
    Whole,
    /// Only the head: the body is left to the caller as a stream.
    Head,
}

/// A 2xx body: read whole, or still arriving.
enum Body {
    Whole(Bytes),
    Open(reqwest::Response),
}

/// A 2xx response as an attempt received it.
struct Received {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
}

impl Client {
    /// Sends `request`, retrying as the retry policy allows, and returns the
    /// 2xx response with its body read; any other status is [`Error::Api`].
    pub(crate) async fn execute(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<Response, Error> {
        let operation = request.op.id;
        let received = self.traced(request, options, Read::Whole).await?;
        let body = match received.body {
            Body::Whole(body) => body,
            // Not produced by `Read::Whole`; reading it is still the right answer.
            Body::Open(response) => response
                .bytes()
                .await
                .map_err(|source| Error::Transport { operation, source })?,
        };
        Ok(Response {
            operation,
            status: received.status,
            headers: received.headers,
            body,
        })
    }

    /// Sends `request` and decodes the 2xx body as JSON: the future an
    /// operation method returns. Each method only builds its request and calls
    /// one of these; one generic `async fn` per body kind, instantiated per
    /// response type, costs the compiler far less than an `async` body per
    /// operation (BENCHMARKS.md §4).
    #[allow(dead_code, reason = "unused when no operation returns JSON")]
    pub(crate) async fn call_json<T: serde::de::DeserializeOwned>(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<T, Error> {
        self.execute(request, options).await?.json()
    }

    /// As [`call_json`](Self::call_json), for a success without a body.
    #[allow(dead_code, reason = "unused when every operation returns a body")]
    pub(crate) async fn call_empty(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<(), Error> {
        self.execute(request, options).await?.empty()
    }

    /// As [`call_json`](Self::call_json), for a text body.
    #[allow(dead_code, reason = "unused when no operation returns text")]
    pub(crate) async fn call_text(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<String, Error> {
        self.execute(request, options).await?.text()
    }

    /// As [`call_json`](Self::call_json), for a binary body.
    #[allow(dead_code, reason = "unused when no operation returns bytes")]
    pub(crate) async fn call_bytes(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<Bytes, Error> {
        self.execute(request, options).await?.bytes()
    }

    /// As [`execute`](Self::execute), but returns once a 2xx response head
    /// has arrived: the per-attempt timeout and retries cover the head; the
    /// body is the caller's to read as a stream. Non-2xx bodies are read whole
    /// as usual (they are errors, not streams).
    #[allow(dead_code, reason = "unused when the API has no streamed responses")]
    pub(crate) async fn execute_stream(
        &self,
        request: Request,
        options: RequestOptions,
    ) -> Result<StreamResponse, Error> {
        let operation = request.op.id;
        let limits = Limits {
            idle: options.idle_timeout.or(self.inner.idle_timeout),
            max_item: options.max_item_bytes.unwrap_or(self.inner.max_item_bytes),
        };
        let received = self.traced(request, options, Read::Head).await?;
        let body = match received.body {
            Body::Open(response) => Some(response),
            Body::Whole(_) => None,
        };
        Ok(StreamResponse::new(
            operation,
            received.status,
            received.headers,
            body,
            limits,
        ))
    }

    async fn traced(
        &self,
        request: Request,
        options: RequestOptions,
        read: Read,
    ) -> Result<Received, Error> {
        // A part that could not be encoded: nothing is sent, nothing traced.
        request.check()?;
        let op = request.op;
        // The concrete path is not recorded: it holds IDs and would make
        // span cardinality unbounded. The template identifies the route.
        // Named after the crate (`{crate}.request`).
        let span = tracing::info_span!(
            concat!(env!("CARGO_PKG_NAME"), ".request"),
            operation = op.id,
            method = op.method.as_str(),
            path = op.path_template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.run(request, options, read, span.clone())
            .instrument(span)
            .await
    }

    async fn run(
        &self,
        request: Request,
        options: RequestOptions,
        read: Read,
        span: Span,
    ) -> Result<Received, Error> {
        let op = request.op;
        let started = Instant::now();
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let timeout = options.timeout.unwrap_or(self.inner.timeout);
        // A 401 answered to a fetched OAuth 2.0 token gets one fresh token and one retry.
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let ctx = HookContext {
                operation: op,
                attempt,
            };
            // Credentials are chosen per attempt: a cached token may have been refreshed.
            let chosen = match self.authenticate(op, &options).await {
                Ok(chosen) => chosen,
                Err(error) => return Err(self.fail(&ctx, &span, started, error)),
            };
            let http_request =
                match self
                    .prepare(&request, &options, &chosen)
                    .and_then(|(url, headers)| {
                        self.attempt_request(&ctx, &request, url, headers, chosen.unmet)
                    }) {
                    Ok(http_request) => http_request,
                    // Hook and credential errors are not transient: no retry.
                    Err(error) => return Err(self.fail(&ctx, &span, started, error)),
                };
            let error = match self.attempt(&ctx, http_request, timeout, read).await {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    span.record("latency_ms", millis(started.elapsed()));
                    return Ok(response);
                }
                Err(error) => error,
            };
            if let Some((source, generation)) = &chosen.refresh {
                if !refreshed && error.status() == Some(StatusCode::UNAUTHORIZED) {
                    refreshed = true;
                    source.invalidate(*generation).await;
                    tracing::debug!(attempt, "token refused; fetching a new one");
                    continue;
                }
            }

            let delay = if policy.allows(op.method, &error, attempt) {
                let retry_after = error.api_error().and_then(ApiError::retry_after);
                policy.delay(attempt, retry_after, started.elapsed())
            } else {
                None
            };
            let Some(delay) = delay else {
                return Err(self.fail(&ctx, &span, started, error));
            };
            tracing::warn!(
                attempt,
                delay_ms = millis(delay),
                reason = %Reason(&error),
                "retrying after a transient failure"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// The request for one attempt: shared parts, then the hooks' changes.
    fn attempt_request(
        &self,
        ctx: &HookContext,
        request: &Request,
        url: reqwest::Url,
        headers: HeaderMap,
        unmet: bool,
    ) -> Result<reqwest::Request, Error> {
        let op = ctx.operation;
        let mut http_request = reqwest::Request::new(op.method.to_reqwest()?, url);
        *http_request.headers_mut() = headers;
        if let Some((_, body)) = &request.body {
            // `Bytes` clones share the buffer: retries do not copy the body.
            *http_request.body_mut() = Some(body.clone().into());
        }
        for hook in &self.inner.hooks {
            hook.before_request(ctx, &mut http_request)?;
        }
        // Checked after the hooks, which may supply credentials themselves.
        if unmet && !carries_credentials(op, &http_request) {
            return Err(Error::invalid_request(format!(
                "`{}` needs credentials for {}; nothing was sent",
                op.id,
                needed(op)
            )));
        }
        Ok(http_request)
    }

    /// Sends one attempt within `timeout` and classifies the outcome: 2xx is
    /// `Ok`, anything else an error the retry policy can judge.
    async fn attempt(
        &self,
        ctx: &HookContext,
        http_request: reqwest::Request,
        timeout: Duration,
        read: Read,
    ) -> Result<Received, Error> {
        let operation = ctx.operation.id;
        tracing::debug!(attempt = ctx.attempt, "sending request");
        let started = Instant::now();
        let (status, headers, body) =
            match tokio::time::timeout(timeout, self.send(http_request, read)).await {
                Ok(Ok(received)) => received,
                Ok(Err(source)) => {
                    return Err(Error::from_reqwest(operation, started.elapsed(), source));
                }
                Err(_) => {
                    return Err(Error::Timeout {
                        operation,
                        elapsed: started.elapsed(),
                    });
                }
            };
        for hook in &self.inner.hooks {
            hook.after_response(ctx, status, &headers);
        }
        tracing::debug!(
            attempt = ctx.attempt,
            status = status.as_u16(),
            latency_ms = millis(started.elapsed()),
            "received response"
        );
        if !status.is_success() {
            let body = match body {
                Body::Whole(body) => body,
                // `send` reads every non-2xx body whole.
                Body::Open(_) => Bytes::new(),
            };
            let error = ApiError::new(operation, status, headers, body);
            return Err(Error::Api(Box::new(error)));
        }
        Ok(Received {
            status,
            headers,
            body,
        })
    }

    /// Builds the URL and headers shared by all attempts.
    fn prepare(
        &self,
        request: &Request,
        options: &RequestOptions,
        chosen: &Chosen,
    ) -> Result<(reqwest::Url, HeaderMap), Error> {
        let op = request.op;
        // A next-page link is the server's URL, not one built from arguments.
        if request.next_url.is_none() {
            check_path(op.path_template, &request.path)
                .map_err(|message| Error::invalid_request(format!("`{}`: {message}", op.id)))?;
        }
        let mut url = request.url(&self.inner.base_url)?;
        if !chosen.query.is_empty() {
            let mut query = url.query_pairs_mut();
            for (name, value) in &chosen.query {
                query.append_pair(name, value.expose_secret());
            }
        }

        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        // The generator writes `accept`; a value that is no valid header (only possible if
        // someone builds an `OperationInfo` by hand) falls back to JSON rather than panicking.
        let accept = HeaderValue::from_str(op.accept)
            .unwrap_or_else(|_| HeaderValue::from_static("application/json"));
        headers.insert(ACCEPT, accept);
        if let Some((media, _)) = &request.body {
            let content_type = match &request.content_type {
                Some(full) => HeaderValue::from_str(full).map_err(|_| {
                    Error::invalid_request(format!("`{}`: invalid Content-Type {full:?}", op.id))
                })?,
                None => HeaderValue::from_static(media.content_type()),
            };
            headers.insert(CONTENT_TYPE, content_type);
        }
        for (name, value) in &chosen.headers {
            headers.insert(name, value.clone());
        }
        // Operation header parameters, then per-call headers, which win.
        for (name, value) in &request.headers {
            insert_header(&mut headers, op, name, value)?;
        }
        for (name, value) in &options.headers {
            insert_header(&mut headers, op, name, value)?;
        }
        add_cookies(&mut headers, &chosen.cookies)?;
        Ok((url, headers))
    }

    /// One attempt: send, then read the whole body (both inside the timeout),
    /// unless `read` leaves a 2xx body to the caller.
    async fn send(
        &self,
        request: reqwest::Request,
        read: Read,
    ) -> Result<(StatusCode, HeaderMap, Body), reqwest::Error> {
        let mut response = self.inner.http.execute(request).await?;
        let status = response.status();
        // Taken, not cloned: `bytes` consumes the response and needs no headers.
        let headers = std::mem::take(response.headers_mut());
        if read == Read::Head && status.is_success() {
            return Ok((status, headers, Body::Open(response)));
        }
        let body = response.bytes().await?;
        Ok((status, headers, Body::Whole(body)))
    }

    /// Records the outcome of a failed call and tells the hooks.
    fn fail(&self, ctx: &HookContext, span: &Span, started: Instant, error: Error) -> Error {
        if let Some(status) = error.status() {
            span.record("status", status.as_u16());
        }
        span.record("latency_ms", millis(started.elapsed()));
        tracing::debug!(reason = %Reason(&error), "request failed");
        for hook in &self.inner.hooks {
            hook.on_error(ctx, &error);
        }
        error
    }
}

fn insert_header(
    headers: &mut HeaderMap,
    op: &OperationInfo,
    name: &str,
    value: &str,
) -> Result<(), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        Error::invalid_request(format!("`{}`: invalid header name {name:?}", op.id))
    })?;
    // The value is not echoed: it may be a credential.
    let mut header_value = HeaderValue::from_str(value).map_err(|_| {
        Error::invalid_request(format!("`{}`: invalid value for header `{name}`", op.id))
    })?;
    if header_name == AUTHORIZATION
        || header_name == reqwest::header::PROXY_AUTHORIZATION
        || header_name == reqwest::header::COOKIE
    {
        header_value.set_sensitive(true);
    }
    headers.insert(header_name, header_value);
    Ok(())
}

/// What to log about a failure: for HTTP errors only the status, since bodies
/// can be large and are the caller's to log; otherwise the error and its
/// causes, minus reqwest's own message, which repeats the URL and with it
/// path and query parameters (user identifiers, for instance).
struct Reason<'a>(&'a Error);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(api) = self.0.api_error() {
            return write!(f, "HTTP {}", api.status);
        }
        fmt::Display::fmt(self.0, f)?;
        let mut cause = std::error::Error::source(self.0);
        while let Some(error) = cause {
            if !error.is::<reqwest::Error>() {
                write!(f, ": {error}")?;
            }
            cause = error.source();
        }
        Ok(())
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::HttpMethod;

    fn assert_send<T: Send>(_: &T) {}
    fn assert_thread_safe<T: Send + Sync + 'static>() {}

    static OP: OperationInfo = OperationInfo {
        id: "op",
        group: "g",
        method: HttpMethod::Get,
        path_template: "/x",
        body_media: &[],
        security: &[],
        accept: "application/json",
    };

    #[test]
    fn futures_and_errors_work_across_threads() {
        // Callers spawn operations on multi-threaded runtimes and box errors
        // into anyhow/Box<dyn Error + Send + Sync>.
        assert_thread_safe::<Client>();
        assert_thread_safe::<Error>();
        let client = Client::builder().build().unwrap();
        let future = client.execute(Request::new(&OP, "/x".into()), RequestOptions::new());
        assert_send(&future);
    }
}
