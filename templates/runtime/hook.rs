//! Hooks: user code that observes or adjusts every call.

use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::{Error, OperationInfo};

/// Where in a call a hook is running.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct HookContext {
    /// The operation being called.
    pub operation: &'static OperationInfo,
    /// The attempt number, starting at 1; greater after retries. In
    /// [`Hook::on_error`], the last attempt, or 0 when the request was found
    /// invalid (e.g. a bad header value) before the first one.
    pub attempt: u32,
}

/// Code run around every call, e.g. for metrics, extra headers or request
/// signing. Register hooks with [`ClientBuilder::hook`](super::ClientBuilder::hook);
/// they run in registration order. Every method has a no-op default.
///
/// Hooks run synchronously on the calling task: keep them fast and
/// non-blocking.
///
/// ```
/// use {{crate}}::{Client, Error, Hook, HookContext};
/// use {{crate}}::reqwest::{self, header::HeaderValue};
///
/// struct Tenant(&'static str);
///
/// impl Hook for Tenant {
///     fn before_request(
///         &self,
///         _ctx: &HookContext,
///         request: &mut reqwest::Request,
///     ) -> Result<(), Error> {
///         request
///             .headers_mut()
///             .insert("x-tenant", HeaderValue::from_static(self.0));
///         Ok(())
///     }
/// }
///
/// let client = Client::builder()
///     .hook(Tenant("acme"))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), Error>(())
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt is sent, after the client has set its
    /// headers (including `Authorization`). May modify the request. An error
    /// (e.g. [`Error::invalid_request`]) aborts the call, without retries, and
    /// is returned to the caller.
    fn before_request(
        &self,
        _ctx: &HookContext,
        _request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// Called for each response received, of any status, before its body is
    /// decoded.
    fn after_response(&self, _ctx: &HookContext, _status: StatusCode, _headers: &HeaderMap) {}

    /// Called once when a call fails, with the error about to be returned
    /// (after all retries). Errors from decoding a 2xx body happen later, in
    /// the caller, and are not reported here.
    fn on_error(&self, _ctx: &HookContext, _error: &Error) {}
}

/// Lets one hook instance be registered and also kept by the caller, e.g. to
/// read counters it collects.
impl<H: Hook + ?Sized> Hook for Arc<H> {
    fn before_request(
        &self,
        ctx: &HookContext,
        request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        (**self).before_request(ctx, request)
    }

    fn after_response(&self, ctx: &HookContext, status: StatusCode, headers: &HeaderMap) {
        (**self).after_response(ctx, status, headers);
    }

    fn on_error(&self, ctx: &HookContext, error: &Error) {
        (**self).on_error(ctx, error);
    }
}
