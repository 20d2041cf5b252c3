//! `multipart/form-data` bodies (RFC 7578), encoded once into bytes.
//!
//! Hand-written rather than `reqwest::multipart`: a reqwest `Form` is a stream that cannot be
//! cloned, so a retried request could not resend it, and the feature pulls in dependencies
//! every generated crate would pay for. Generated code adds one part per field of the body
//! model, in the model's (the document's) order, which matters to some APIs.

use bytes::Bytes;
use serde::Serialize;

use super::Error;

/// A `multipart/form-data` body being built.
#[derive(Debug)]
pub(crate) struct Multipart {
    boundary: String,
    body: Vec<u8>,
    /// The first field that could not be encoded; the request fails with it.
    invalid: Option<Error>,
}

#[allow(dead_code, reason = "used or not depending on the API being generated")]
impl Multipart {
    pub(crate) fn new() -> Self {
        // 32 random alphanumerics: never found in a part by chance in practice, and valid in
        // a header without quoting.
        let boundary: String = std::iter::repeat_with(fastrand::alphanumeric)
            .take(32)
            .collect();
        Multipart {
            boundary: format!("----rust-client-{boundary}"),
            body: Vec::new(),
            invalid: None,
        }
    }

    fn start_part(&mut self, name: &str, filename: Option<&str>, content_type: Option<&str>) {
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body
            .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        self.body.extend_from_slice(quoted(name).as_bytes());
        self.body.push(b'"');
        if let Some(filename) = filename {
            self.body.extend_from_slice(b"; filename=\"");
            self.body.extend_from_slice(quoted(filename).as_bytes());
            self.body.push(b'"');
        }
        if let Some(content_type) = content_type {
            self.body.extend_from_slice(b"\r\nContent-Type: ");
            self.body.extend_from_slice(content_type.as_bytes());
        }
        self.body.extend_from_slice(b"\r\n\r\n");
    }

    /// A text field.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.start_part(name, None, None);
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
    }

    /// A structured field, sent as `application/json`. One that does not
    /// serialize fails the request when it is sent.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_vec(value) {
            Ok(bytes) => {
                self.start_part(name, None, Some("application/json"));
                self.body.extend_from_slice(&bytes);
                self.body.extend_from_slice(b"\r\n");
            }
            Err(e) if self.invalid.is_none() => {
                self.invalid = Some(Error::invalid_request(format!(
                    "multipart field `{name}`: {e}"
                )));
            }
            Err(_) => {}
        }
    }

    /// A file field: raw bytes, named after the field.
    pub(crate) fn file(&mut self, name: &str, bytes: &[u8]) {
        self.start_part(name, Some(name), Some("application/octet-stream"));
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
    }

    /// The `Content-Type` header value and the encoded body, or the first
    /// field that could not be encoded.
    pub(crate) fn finish(mut self) -> Result<(String, Bytes), Error> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body.extend_from_slice(b"--\r\n");
        Ok((
            format!("multipart/form-data; boundary={}", self.boundary),
            Bytes::from(self.body),
        ))
    }
}

/// A name fit for a quoted header parameter: quotes, backslashes and line breaks are
/// percent-encoded, as browsers do for form field names.
fn quoted(name: &str) -> String {
    name.replace('%', "%25")
        .replace('"', "%22")
        .replace('\\', "%5C")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_the_boundary() {
        let mut form = Multipart::new();
        form.json("attributes", &serde_json::json!({"name": "a.txt"}));
        form.file("file", b"\x00\xffdata");
        form.text("note", "hi");
        let (content_type, body) = form.finish().unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"attributes\"\r\nContent-Type: application/json\r\n\r\n{{\"name\":\"a.txt\"}}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            b = boundary
        );
        assert!(body.starts_with(expected.as_bytes()));
        let tail = format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--{boundary}--\r\n"
        );
        assert!(body.ends_with(tail.as_bytes()));
        assert!(body.windows(6).any(|w| w == b"\x00\xffdata"));
    }

    #[test]
    fn names_cannot_break_the_header() {
        let mut form = Multipart::new();
        form.text("a\"b\r\nc", "v");
        let (_, body) = form.finish().unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("name=\"a%22b%0D%0Ac\""), "{text}");
    }

    #[test]
    fn a_field_that_does_not_serialize_fails_the_form() {
        use std::collections::BTreeMap;
        let mut form = Multipart::new();
        form.text("note", "hi");
        // Non-string map keys cannot be JSON.
        form.json("map", &BTreeMap::from([((1, 2), 3)]));
        let message = form.finish().unwrap_err().to_string();
        assert!(message.contains("multipart field `map`"), "{message}");
    }

    #[test]
    fn boundaries_differ() {
        assert_ne!(Multipart::new().boundary, Multipart::new().boundary);
    }
}
