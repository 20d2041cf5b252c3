//! HTTP methods as a small `Copy` enum that generated code can put in a `static`.

/// The HTTP method of an operation.
///
/// The runtime keeps its own enum (instead of `reqwest::Method`) so that
/// [`OperationInfo`](super::OperationInfo) can be built in a `static` and so the
/// retry logic can ask [`is_idempotent`](Self::is_idempotent) without string
/// comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
    /// `QUERY`: safe and idempotent like `GET`, with a request body.
    Query,
    /// Any other method the API defines, e.g. `COPY` (checked to be a valid
    /// method name when the crate was generated).
    Other(&'static str),
}

impl HttpMethod {
    /// The method name as sent on the wire, e.g. `"POST"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
            Self::Query => "QUERY",
            Self::Other(name) => name,
        }
    }

    /// Whether sending the request twice has the same effect as sending it once
    /// (RFC 9110, section 9.2.2).
    ///
    /// Only idempotent requests are retried by default; see
    /// [`RetryPolicy`](super::RetryPolicy).
    pub const fn is_idempotent(self) -> bool {
        matches!(
            self,
            Self::Get
                | Self::Head
                | Self::Options
                | Self::Trace
                | Self::Put
                | Self::Delete
                | Self::Query
        )
    }

    pub(crate) fn to_reqwest(self) -> Result<reqwest::Method, super::Error> {
        Ok(match self {
            Self::Get => reqwest::Method::GET,
            Self::Put => reqwest::Method::PUT,
            Self::Post => reqwest::Method::POST,
            Self::Delete => reqwest::Method::DELETE,
            Self::Options => reqwest::Method::OPTIONS,
            Self::Head => reqwest::Method::HEAD,
            Self::Patch => reqwest::Method::PATCH,
            Self::Trace => reqwest::Method::TRACE,
            Self::Query | Self::Other(_) => reqwest::Method::from_bytes(self.as_str().as_bytes())
                .map_err(|_| {
                super::Error::invalid_request(format!(
                    "`{}` is not a valid HTTP method name",
                    self.as_str()
                ))
            })?,
        })
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::HttpMethod;

    #[test]
    fn idempotency_follows_rfc_9110() {
        use HttpMethod::*;
        for m in [Get, Head, Options, Trace, Put, Delete, Query] {
            assert!(m.is_idempotent(), "{m}");
        }
        for m in [Post, Patch, Other("COPY")] {
            assert!(!m.is_idempotent(), "{m}");
        }
    }

    #[test]
    fn names_match_reqwest() {
        use HttpMethod::*;
        for m in [
            Get,
            Put,
            Post,
            Delete,
            Options,
            Head,
            Patch,
            Trace,
            Query,
            Other("COPY"),
        ] {
            assert_eq!(m.as_str(), m.to_reqwest().unwrap().as_str());
        }
        assert!(Other("NOT A METHOD").to_reqwest().is_err());
    }
}
