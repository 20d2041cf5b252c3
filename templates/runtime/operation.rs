//! Static description of one API operation.

use super::{BodyMedia, HttpMethod, SecurityScheme};

/// What the runtime knows about an operation, fixed at code-generation time.
///
/// Every generated operation owns one of these in a `static`, so passing it
/// around costs a pointer. Hooks receive it through
/// [`HookContext::operation`](super::HookContext::operation), e.g. to tag
/// metrics with [`id`](Self::id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    /// The OpenAPI `operationId`, e.g. `"auth_token_api"`.
    pub id: &'static str,
    /// The tag group the operation belongs to, e.g. `"Token Endpoint"`.
    pub group: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path with `{placeholders}`, e.g. `"/api/{serviceId}/auth/token"`.
    ///
    /// Low-cardinality by construction, which is why tracing and hooks use it
    /// instead of the concrete path.
    pub path_template: &'static str,
    /// Media types the request body may be sent as, the default first. Empty
    /// for operations without a body.
    pub body_media: &'static [BodyMedia],
    /// What the operation accepts as authentication: alternatives (the first
    /// the client has credentials for is sent), each a set of schemes sent
    /// together. Empty when the operation needs none; an empty alternative
    /// means anonymous calls are accepted too.
    pub security: &'static [&'static [&'static SecurityScheme]],
    /// The `Accept` header: the media type of the operation's successful response
    /// (`application/json` unless the document says otherwise, e.g. `text/plain`).
    pub accept: &'static str,
}

impl OperationInfo {
    /// Whether a call must carry credentials.
    pub fn authenticated(&self) -> bool {
        !self.security.is_empty() && self.security.iter().all(|a| !a.is_empty())
    }

    /// Whether a request body may be sent as `media`.
    pub fn accepts(&self, media: BodyMedia) -> bool {
        self.body_media.contains(&media)
    }
}
