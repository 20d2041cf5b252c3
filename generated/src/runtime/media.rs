//! Request body media types.

/// How a request body is encoded on the wire.
///
/// Operations list the media types they accept in
/// [`OperationInfo::body_media`](super::OperationInfo::body_media); the first
/// entry is the default and [`RequestOptions::media`](super::RequestOptions::media)
/// picks another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyMedia {
    /// `application/json`
    Json,
    /// `application/x-www-form-urlencoded`
    Form,
    /// `application/octet-stream` (raw bytes)
    OctetStream,
    /// `text/plain; charset=utf-8`
    Text,
    /// `multipart/form-data` (the boundary is added per request)
    Multipart,
    /// Bytes the caller encoded, sent with this `Content-Type` (a media type the
    /// crate has no encoder for, e.g. `application/pkix-cert`).
    Other(&'static str),
}

impl BodyMedia {
    /// The `Content-Type` header value sent with a body of this media type.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Form => "application/x-www-form-urlencoded",
            Self::OctetStream => "application/octet-stream",
            Self::Text => "text/plain; charset=utf-8",
            Self::Multipart => "multipart/form-data",
            Self::Other(content_type) => content_type,
        }
    }
}

impl std::fmt::Display for BodyMedia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.content_type())
    }
}
