//! A request as assembled by generated code, before it meets the client.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::form::encode_form;
use super::{BodyMedia, Error, OperationInfo, RequestOptions};

/// One call's operation, path, query, headers and encoded body.
///
/// Generated code fills it in; [`Client::execute`](super::Client::execute)
/// sends it. The body is encoded once, into [`Bytes`], so retries resend it
/// without copying. A paginator clones it for each page (the body is shared).
///
/// As with `reqwest::RequestBuilder`, a part that cannot be encoded (a body
/// that does not serialize, a media type the operation does not accept) is
/// kept as the request's error (the first, a body's last: the body may be
/// encoded again for other options), and sending it fails with that
/// [`Error::InvalidRequest`] before anything goes out. So generated methods
/// build a request without `?` and hand it to one generic send function
/// instead of each being an `async` block of its own (BENCHMARKS.md §4).
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) op: &'static OperationInfo,
    /// Concrete path, already percent-encoded, starting with `/`.
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    /// The whole query string, already encoded (an OpenAPI 3.2 `querystring`
    /// parameter); the other query parameters follow it.
    pub(crate) query_string: Option<String>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<(BodyMedia, Bytes)>,
    /// The body as JSON, before it was encoded for its media type: options given
    /// after the request was built (a paginator's `with_options(..form())`)
    /// encode it again from this. `None` for raw and multipart bodies.
    body_json: Option<Bytes>,
    /// Why the body could not be encoded, apart from [`Self::invalid`]: encoding
    /// it again for another media type replaces it.
    body_invalid: Option<String>,
    /// A `Content-Type` that is more than the media type (a multipart boundary).
    pub(crate) content_type: Option<String>,
    /// A whole URL to send to instead of the base URL, `path` and `query`: a
    /// next-page link, already checked to have the client's origin.
    pub(crate) next_url: Option<reqwest::Url>,
    /// The message of the first part that could not be encoded.
    pub(crate) invalid: Option<String>,
}

// Not every API uses every builder method (e.g. raw bodies or header
// parameters), and this file is copied verbatim into each generated crate.
#[allow(dead_code, reason = "used or not depending on the API being generated")]
impl Request {
    pub(crate) fn new(op: &'static OperationInfo, path: String) -> Self {
        Self {
            op,
            path,
            query: Vec::new(),
            query_string: None,
            headers: Vec::new(),
            body: None,
            body_json: None,
            body_invalid: None,
            content_type: None,
            next_url: None,
            invalid: None,
        }
    }

    /// Fails the request with `error` when it is sent, unless it already
    /// holds an earlier one (the first is what went wrong).
    fn reject(&mut self, error: Error) {
        if self.invalid.is_none() {
            self.invalid = Some(message_of(error));
        }
    }

    /// The error the request fails with when sent, if a part could not be
    /// encoded.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match self.invalid.as_ref().or(self.body_invalid.as_ref()) {
            Some(message) => Err(Error::invalid_request(message.clone())),
            None => Ok(()),
        }
    }

    /// The URL without credentials: the base URL, the path, the query string,
    /// then the query parameters (or the next-page link as it is).
    pub(crate) fn url(&self, base_url: &str) -> Result<reqwest::Url, Error> {
        if let Some(url) = &self.next_url {
            return Ok(url.clone());
        }
        let op = self.op;
        let mut url = reqwest::Url::parse(&format!("{base_url}{}", self.path))
            .map_err(|e| Error::invalid_request(format!("`{}`: invalid URL: {e}", op.id)))?;
        if let Some(query_string) = &self.query_string {
            url.set_query(Some(query_string));
        }
        if !self.query.is_empty() {
            let mut query = url.query_pairs_mut();
            for (name, value) in &self.query {
                query.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// The last value of query parameter `name`.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Replaces every value of query parameter `name` with `value`.
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, value));
    }

    /// Appends a query parameter; repeat the name for array parameters.
    pub(crate) fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
    }

    /// Sets the whole query string from `value` encoded as
    /// `application/x-www-form-urlencoded` (an object's fields as `name=value`
    /// pairs, lists repeated).
    pub(crate) fn query_string_form<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Err(e) = self.encode_query_string_form(value) {
            self.reject(e);
        }
    }

    fn encode_query_string_form<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let value = serde_json::to_value(value).map_err(|e| {
            Error::invalid_request(format!("`{}`: the query string: {e}", self.op.id))
        })?;
        let encoded = encode_form(&value).map_err(|e| {
            Error::invalid_request(format!("`{}`: the query string: {e}", self.op.id))
        })?;
        self.query_string = Some(encoded);
        Ok(())
    }

    /// Sets the whole query string to `value` as JSON text, percent-encoded.
    pub(crate) fn query_string_json<T: Serialize + ?Sized>(&mut self, value: &T) {
        match serde_json::to_string(value) {
            Ok(json) => self.query_string = Some(super::encode_path(&json)),
            Err(e) => self.reject(Error::invalid_request(format!(
                "`{}`: the query string: {e}",
                self.op.id
            ))),
        }
    }

    /// Sets a header parameter. Validated when the request is sent.
    pub(crate) fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// Encodes `body` as the media type chosen by `options` or, by default, the
    /// first one the operation accepts.
    ///
    /// The one generic step is serializing to JSON bytes, so each body type
    /// adds a single `Serialize` instantiation to the generated crate's compile
    /// time. JSON, nearly every body, is sent as is; the other media types are
    /// encoded from those bytes read back as a `serde_json::Value` (rare, and
    /// cheap next to a network round trip).
    pub(crate) fn body<B: Serialize + ?Sized>(&mut self, body: &B, options: &RequestOptions) {
        match serde_json::to_vec(body) {
            Ok(json) => {
                let json = Bytes::from(json);
                self.body_json = Some(json.clone());
                self.encode_body(json, options.media);
            }
            Err(e) => {
                let e = format!("`{}`: could not serialize the body: {e}", self.op.id);
                self.body_invalid = Some(e);
            }
        }
    }

    /// Encodes the body again as `media`, when it was given as a value and is
    /// not sent as `media` yet: a paginator's first request is built before
    /// its options are known. Raw and multipart bodies are left as they are,
    /// as a plain call leaves them whatever its options ask.
    pub(crate) fn encode_body_as(&mut self, media: BodyMedia) {
        if self
            .body
            .as_ref()
            .is_some_and(|(current, _)| *current == media)
        {
            return;
        }
        if let Some(json) = self.body_json.clone() {
            self.encode_body(json, Some(media));
        }
    }

    /// The media type to send: the one asked for, if the operation accepts it,
    /// else the operation's first.
    fn body_media(&self, requested: Option<BodyMedia>) -> Result<BodyMedia, Error> {
        let op = self.op;
        match requested {
            Some(media) if !op.accepts(media) => {
                let accepted: Vec<&str> = op.body_media.iter().map(|m| m.content_type()).collect();
                Err(Error::invalid_request(format!(
                    "`{}` does not accept a {media} body; it accepts: {}",
                    op.id,
                    if accepted.is_empty() {
                        "no body".to_owned()
                    } else {
                        accepted.join(", ")
                    }
                )))
            }
            Some(media) => Ok(media),
            None => Ok(op.body_media.first().copied().unwrap_or(BodyMedia::Json)),
        }
    }

    /// Encodes `json` as the media type to send, keeping the result or the
    /// reason it cannot be sent (which replaces an earlier encoding's).
    fn encode_body(&mut self, json: Bytes, requested: Option<BodyMedia>) {
        match self.encoded(json, requested) {
            Ok(body) => {
                self.body = Some(body);
                self.body_invalid = None;
            }
            Err(error) => {
                self.body = None;
                self.body_invalid = Some(message_of(error));
            }
        }
    }

    fn encoded(
        &self,
        json: Bytes,
        requested: Option<BodyMedia>,
    ) -> Result<(BodyMedia, Bytes), Error> {
        let op = self.op;
        let media = self.body_media(requested)?;
        if media == BodyMedia::Json {
            return Ok((media, json));
        }
        let value: Value = serde_json::from_slice(&json).map_err(|e| {
            Error::invalid_request(format!("`{}`: could not encode the body: {e}", op.id))
        })?;
        let bytes = match (media, value) {
            (BodyMedia::Form, value) => encode_form(&value)
                .map_err(|e| Error::invalid_request(format!("`{}`: {e}", op.id)))?
                .into_bytes(),
            (BodyMedia::OctetStream | BodyMedia::Text, Value::String(text)) => text.into_bytes(),
            (media, _) => {
                return Err(Error::invalid_request(format!(
                    "`{}`: a {media} body must be given as a string",
                    op.id
                )));
            }
        };
        Ok((media, Bytes::from(bytes)))
    }

    /// Sets a `multipart/form-data` body.
    pub(crate) fn multipart(&mut self, form: super::multipart::Multipart) {
        match form.finish() {
            Ok((content_type, bytes)) => {
                self.body = Some((BodyMedia::Multipart, bytes));
                self.content_type = Some(content_type);
            }
            Err(e) => self.reject(e),
        }
    }

    /// Sets an already-encoded body, e.g. `application/octet-stream` content.
    pub(crate) fn raw_body(&mut self, media: BodyMedia, bytes: Vec<u8>) {
        self.body = Some((media, Bytes::from(bytes)));
    }
}

/// What a request that cannot be sent says: an `InvalidRequest`'s own message.
fn message_of(error: Error) -> String {
    match error {
        Error::InvalidRequest { message } => message,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static BOTH: OperationInfo = OperationInfo {
        id: "idtoken_reissue_api",
        group: "Token Endpoint",
        method: super::super::HttpMethod::Post,
        path_template: "/api/{serviceId}/idtoken/reissue",
        body_media: &[BodyMedia::Json, BodyMedia::Form],
        security: &[],
        accept: "application/json",
    };

    static JSON_ONLY: OperationInfo = OperationInfo {
        id: "client_create_api",
        body_media: &[BodyMedia::Json],
        ..BOTH
    };

    #[test]
    fn query_strings_as_form_or_json() {
        let mut r = Request::new(&BOTH, "/x".into());
        r.query_string_form(&json!({"name": "Mars", "type": ["a", "b"]}));
        assert_eq!(r.query_string.as_deref(), Some("name=Mars&type=a&type=b"));
        r.query_string_json(&json!({"name": "Mars"}));
        assert_eq!(
            r.query_string.as_deref(),
            Some("%7B%22name%22%3A%22Mars%22%7D")
        );
        assert!(r.check().is_ok());
    }

    fn body_of(r: &Request) -> (BodyMedia, String) {
        let (media, bytes) = r.body.as_ref().unwrap();
        (*media, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[test]
    fn defaults_to_first_media_type() {
        let mut r = Request::new(&BOTH, "/api/1/idtoken/reissue".into());
        r.body(&json!({"a": 1}), &RequestOptions::new());
        assert!(r.check().is_ok());
        assert_eq!(body_of(&r), (BodyMedia::Json, r#"{"a":1}"#.into()));
    }

    #[test]
    fn form_when_asked() {
        let mut r = Request::new(&BOTH, "/x".into());
        r.body(
            &json!({"a": 1, "s": ["x", "y"]}),
            &RequestOptions::new().form(),
        );
        assert!(r.check().is_ok());
        assert_eq!(body_of(&r), (BodyMedia::Form, "a=1&s=x&s=y".into()));
    }

    #[test]
    fn rejects_media_the_operation_does_not_accept() {
        let mut r = Request::new(&JSON_ONLY, "/x".into());
        r.body(&json!({"a": 1}), &RequestOptions::new().form());
        let err = r.check().unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::InvalidRequest { .. }));
        assert!(
            msg.contains("client_create_api") && msg.contains("application/json"),
            "{msg}"
        );
        assert!(r.body.is_none());
    }

    #[test]
    fn serialization_failures_are_errors() {
        use std::collections::BTreeMap;
        // Non-string map keys cannot be JSON.
        let map: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let mut r = Request::new(&BOTH, "/x".into());
        r.body(&map, &RequestOptions::new());
        let first = r.check().unwrap_err().to_string();
        assert!(first.contains("could not serialize the body"), "{first}");
        // A form body needs field names.
        let mut r = Request::new(&BOTH, "/x".into());
        r.body(&[1, 2], &RequestOptions::new().form());
        let form = r.check().unwrap_err().to_string();
        assert!(form.contains("idtoken_reissue_api"), "{form}");
        // Encoded again as JSON, which it can be, the request is whole.
        r.encode_body_as(BodyMedia::Json);
        assert!(r.check().is_ok());
        assert_eq!(body_of(&r), (BodyMedia::Json, "[1,2]".into()));
    }

    #[test]
    fn encoded_again_for_options_given_later() {
        let mut r = Request::new(&BOTH, "/x".into());
        r.body(&json!({"a": 1, "s": ["x", "y"]}), &RequestOptions::new());
        assert_eq!(body_of(&r).0, BodyMedia::Json);
        r.encode_body_as(BodyMedia::Form);
        assert!(r.check().is_ok());
        assert_eq!(body_of(&r), (BodyMedia::Form, "a=1&s=x&s=y".into()));
        r.encode_body_as(BodyMedia::Json);
        assert_eq!(
            body_of(&r),
            (BodyMedia::Json, r#"{"a":1,"s":["x","y"]}"#.into())
        );
        // A media type the operation does not take fails the request, as in a plain call.
        let mut r = Request::new(&JSON_ONLY, "/x".into());
        r.body(&json!({"a": 1}), &RequestOptions::new());
        r.encode_body_as(BodyMedia::Form);
        let error = r.check().unwrap_err().to_string();
        assert!(error.contains("does not accept"), "{error}");
        // A raw body stays as given.
        let mut r = Request::new(&BOTH, "/x".into());
        r.raw_body(BodyMedia::Json, b"{}".to_vec());
        r.encode_body_as(BodyMedia::Form);
        assert_eq!(body_of(&r), (BodyMedia::Json, "{}".into()));
    }

    #[test]
    fn raw_and_text_bodies() {
        static TEXT: OperationInfo = OperationInfo {
            body_media: &[BodyMedia::Text],
            ..BOTH
        };
        let mut r = Request::new(&TEXT, "/x".into());
        r.body("hello", &RequestOptions::new());
        assert!(r.check().is_ok());
        assert_eq!(body_of(&r), (BodyMedia::Text, "hello".into()));
        r.body(&json!({"a": 1}), &RequestOptions::new());
        assert!(r.check().is_err());
        r.raw_body(BodyMedia::OctetStream, vec![0xff, 0]);
        assert_eq!(r.body.as_ref().unwrap().1.as_ref(), &[0xff, 0]);
    }
}
