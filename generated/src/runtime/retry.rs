//! Retry policy: which failures to retry, and how long to wait in between.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::{Error, HttpMethod};

/// When and how failed attempts are retried.
///
/// # Non-idempotent operations are not retried by default
///
/// A `POST` usually has side effects: a request that timed out may already
/// have been carried out (an order placed, a token issued and the code it was
/// exchanged for consumed). Retrying it could fail the second time or, worse,
/// succeed twice. So by default only idempotent methods (`GET`, `HEAD`,
/// `OPTIONS`, `TRACE`, `PUT`, `DELETE`) are retried. Opt in for other methods
/// with [`retry_non_idempotent(true)`](Self::retry_non_idempotent), per client
/// or per call with [`RequestOptions::retry`](super::RequestOptions::retry),
/// when you know a repeat is harmless.
///
/// Two exceptions, retried for every method because the server did not act on
/// the request: a failure to *connect* ([`Error::Connect`]), where the request
/// never left the client, and HTTP 429 Too Many Requests, which says the
/// request was refused before it was processed (RFC 6585); its `Retry-After`
/// is honoured like any other.
///
/// # What is retried
///
/// HTTP 429, 502, 503 and 504, timeouts, and connection failures (see
/// [`Error::is_retryable`]); for non-idempotent methods only 429 and connection
/// failures unless [`retry_non_idempotent`](Self::retry_non_idempotent) is on.
///
/// # How long to wait
///
/// Exponential backoff with "full jitter": before retry `n` the client sleeps
/// a random duration between zero and `min(max_backoff, initial_backoff * 2^(n-1))`,
/// which spreads out clients that failed together. When the response carries
/// `Retry-After` (seconds or an HTTP date), the client waits exactly that long
/// instead, and gives up rather than retry earlier than the server asked if
/// that would exceed `max_backoff`; the error then still carries the header
/// ([`ApiError::retry_after`](super::ApiError::retry_after)).
///
/// No retry starts once `max_elapsed` has passed since the first attempt, and
/// no sleep is allowed to cross it.
///
/// ```
/// use std::time::Duration;
/// use authlete::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(100))
///     .max_elapsed(Duration::from_secs(10));
/// let no_retries = RetryPolicy::none();
/// # let _ = (policy, no_retries);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_elapsed: Duration,
    pub(crate) retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms initial backoff, 5 s maximum backoff, 30 s budget,
    /// idempotent methods only.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every call makes exactly one attempt.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Total number of attempts, including the first one (default 3). `0` is
    /// treated as `1`.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Upper bound of the first backoff (default 200 ms); doubles each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Longest single wait between attempts (default 5 s).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Time after the first attempt past which no retry starts (default 30 s).
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Also retry methods that are not idempotent, such as `POST` (default
    /// `false`). Read the type-level documentation before enabling this.
    pub fn retry_non_idempotent(mut self, enabled: bool) -> Self {
        self.retry_non_idempotent = enabled;
        self
    }

    /// Whether a failed attempt may be repeated at all, ignoring timing.
    pub(crate) fn allows(&self, method: HttpMethod, error: &Error, attempt: u32) -> bool {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return false;
        }
        // A connect failure means nothing reached the server, and a 429 that the
        // server did not act on it: both always safe to repeat.
        matches!(error, Error::Connect { .. })
            || error.status() == Some(StatusCode::TOO_MANY_REQUESTS)
            || method.is_idempotent()
            || self.retry_non_idempotent
    }

    /// How long to sleep before the retry that follows failed attempt
    /// `attempt` (1-based), or `None` to give up.
    ///
    /// `elapsed` is the time since the first attempt started.
    pub(crate) fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        let delay = match retry_after {
            Some(asked) if asked > self.max_backoff => return None,
            Some(asked) => asked,
            None => full_jitter(self.backoff_cap(attempt)),
        };
        if elapsed.saturating_add(delay) >= self.max_elapsed {
            return None;
        }
        Some(delay)
    }

    /// `min(max_backoff, initial_backoff * 2^(attempt-1))`, without overflow.
    fn backoff_cap(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// A uniformly random duration in `[0, cap]`.
fn full_jitter(cap: Duration) -> Duration {
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// Statuses that signal a transient condition on the server or in between.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// Parses `Retry-After` (RFC 9110, section 10.2.3): delta-seconds or an
/// HTTP date. Anything unparsable is ignored, never an error: it comes from
/// the server.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, SystemTime::now())
}

fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for u64 is garbage, not "forever".
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    // A date in the past means "now".
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_cap_doubles_and_saturates() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_cap(1), Duration::from_millis(200));
        assert_eq!(p.backoff_cap(2), Duration::from_millis(400));
        assert_eq!(p.backoff_cap(3), Duration::from_millis(800));
        assert_eq!(p.backoff_cap(10), Duration::from_secs(5));
        assert_eq!(p.backoff_cap(u32::MAX), Duration::from_secs(5));
        let huge = RetryPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        assert_eq!(huge.backoff_cap(40), Duration::MAX);
    }

    #[test]
    fn jitter_stays_in_bounds_and_varies() {
        let p = RetryPolicy::default();
        let samples: Vec<Duration> = (0..200)
            .map(|_| p.delay(2, None, Duration::ZERO).unwrap())
            .collect();
        assert!(samples.iter().all(|d| *d <= Duration::from_millis(400)));
        let first = samples[0];
        assert!(samples.iter().any(|d| *d != first), "no jitter");
        assert_eq!(full_jitter(Duration::ZERO), Duration::ZERO);
        assert!(full_jitter(Duration::MAX) <= Duration::MAX);
    }

    #[test]
    fn no_retry_past_max_elapsed() {
        let p = RetryPolicy::default().max_elapsed(Duration::from_secs(1));
        assert_eq!(p.delay(1, None, Duration::from_secs(1)), None);
        let asked = Some(Duration::from_millis(600));
        assert_eq!(p.delay(1, asked, Duration::from_millis(500)), None);
        assert_eq!(
            p.delay(1, asked, Duration::from_millis(100)),
            Some(Duration::from_millis(600))
        );
    }

    #[test]
    fn retry_after_longer_than_max_backoff_gives_up() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(6)), Duration::ZERO),
            None
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(5)), Duration::ZERO),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn parses_retry_after() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00 UTC
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        for garbage in [
            "",
            "-1",
            "1.5",
            "soon",
            "99999999999999999999999",
            "+5",
            "Wed, 99 Oct",
        ] {
            assert_eq!(parse_retry_after(garbage, now), None, "{garbage:?}");
        }
        assert_eq!(
            parse_retry_after("18446744073709551615", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn retry_after_header_tolerates_non_ascii() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_bytes(b"\xff1").unwrap());
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 3 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
    }

    #[test]
    fn only_idempotent_methods_by_default_except_connect_failures_and_429() {
        let p = RetryPolicy::default();
        let unavailable = Error::Api(Box::new(super::super::ApiError::new(
            "op",
            StatusCode::SERVICE_UNAVAILABLE,
            HeaderMap::new(),
            bytes::Bytes::new(),
        )));
        assert!(p.allows(HttpMethod::Get, &unavailable, 1));
        assert!(p.allows(HttpMethod::Get, &unavailable, 2));
        assert!(!p.allows(HttpMethod::Get, &unavailable, 3));
        assert!(!p.allows(HttpMethod::Post, &unavailable, 1));
        let p = p.retry_non_idempotent(true);
        assert!(p.allows(HttpMethod::Post, &unavailable, 1));
        assert!(!RetryPolicy::none().allows(HttpMethod::Get, &unavailable, 1));
        assert!(!p.allows(HttpMethod::Get, &Error::invalid_request("x"), 1));

        let too_many = Error::Api(Box::new(super::super::ApiError::new(
            "op",
            StatusCode::TOO_MANY_REQUESTS,
            HeaderMap::new(),
            bytes::Bytes::new(),
        )));
        let p = RetryPolicy::default();
        for method in [HttpMethod::Post, HttpMethod::Patch, HttpMethod::Get] {
            assert!(p.allows(method, &too_many, 1), "{method:?}");
            assert!(!p.allows(method, &too_many, 3), "attempts still bound it");
        }
        assert!(!RetryPolicy::none().allows(HttpMethod::Post, &too_many, 1));
    }
}
