//! HTTP methods of operations: OpenAPI 3.0's eight, 3.2's `QUERY`, and any other a 3.2
//! document's `additionalOperations` names.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// `QUERY` (OpenAPI 3.2): safe and idempotent like `GET`, with a request body.
    Query,
    /// Any other method (OpenAPI 3.2 `additionalOperations`), upper case as written, e.g. `COPY`.
    Other(String),
}

impl HttpMethod {
    /// The method of a path item's field (`get`, `post`, ...); `None` for other fields.
    pub fn from_field(field: &str) -> Option<HttpMethod> {
        Some(match field {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            HttpMethod::Query => "QUERY",
            HttpMethod::Other(name) => name,
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}
