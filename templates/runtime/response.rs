//! A successful (2xx) response, fully read, waiting to be decoded.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::{DecodeCause, Error};

/// A 2xx response whose body has been read within the attempt's timeout.
///
/// Generated code picks the decoder matching the operation's response
/// (`json`, `text`, `bytes` or `empty`).
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

#[allow(dead_code, reason = "used or not depending on the API being generated")]
impl Response {
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the body as JSON, reporting where it stopped matching `T`.
    ///
    /// The usual case, a body that matches, takes plain `serde_json` (which
    /// also rejects trailing garbage). Only a body that fails is decoded a
    /// second time through `serde_path_to_error`, which finds the path of the
    /// mismatch but makes every value's decoding 1.7-3x slower: paying that on
    /// every success would cost the client a quarter of its throughput.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(plain) => {
                let (path, cause) = json_error_path::<T>(&self.body, plain);
                Err(self.decode_error(path, DecodeCause::Json(cause)))
            }
        }
    }

    /// The body as UTF-8 text.
    pub(crate) fn text(self) -> Result<String, Error> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => Err(self.decode_error(String::new(), DecodeCause::Utf8(e))),
        }
    }

    /// Discards the body: for operations whose success response has none (or
    /// one the API does not describe).
    ///
    /// Returns `Result` like the other decoders so every generated call ends
    /// the same way: `execute(..).await?.<decoder>()`.
    #[allow(clippy::unnecessary_wraps, clippy::unused_self)]
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The body as raw bytes.
    #[allow(clippy::unnecessary_wraps)]
    pub(crate) fn bytes(self) -> Result<Bytes, Error> {
        Ok(self.body)
    }

    fn decode_error(self, path: String, source: DecodeCause) -> Error {
        // serde_path_to_error renders the root as "."; an empty path reads better.
        let path = if path == "." { String::new() } else { path };
        Error::Decode {
            operation: self.operation,
            status: self.status,
            body: self.body,
            path,
            source,
        }
    }
}

/// Where `body` stops matching `T`, and the error to report, found by
/// decoding it again through `serde_path_to_error`.
///
/// When that second decoding succeeds, the value itself was fine and the
/// first one failed on what follows it (trailing characters): there is no
/// path, and `plain`, the first decoding's error, is the cause.
pub(crate) fn json_error_path<T: DeserializeOwned>(
    body: &[u8],
    plain: serde_json::Error,
) -> (String, serde_json::Error) {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        Ok(_) => (String::new(), plain),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Client {
        client_id: u64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct List {
        clients: Vec<Client>,
    }

    fn response(body: &'static [u8]) -> Response {
        Response {
            operation: "client_get_list_api",
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
        }
    }

    #[test]
    fn json_decodes() {
        let list: List = response(br#"{"clients":[{"clientId":1}]}"#).json().unwrap();
        assert_eq!(list.clients[0].client_id, 1);
    }

    #[test]
    fn json_mismatch_reports_path_and_keeps_body() {
        let body = br#"{"clients":[{"clientId":"x"}]}"#;
        match response(body).json::<List>() {
            Err(Error::Decode {
                path,
                body: kept,
                status,
                ..
            }) => {
                assert_eq!(path, "clients[0].clientId");
                assert_eq!(&kept[..], body);
                assert_eq!(status, StatusCode::OK);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_is_a_decode_error_not_a_panic() {
        for body in [
            &b""[..],
            b"<html>",
            b"{\"clients\":[",
            b"{\"clients\":[]} trailing",
            b"\xff\xfe",
        ] {
            let err = response(body).json::<List>().unwrap_err();
            assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        }
    }

    #[test]
    fn text_rejects_invalid_utf8() {
        assert_eq!(response(b"ok").text().unwrap(), "ok");
        let err = response(b"\xff").text().unwrap_err();
        assert!(matches!(
            err,
            Error::Decode {
                source: DecodeCause::Utf8(_),
                ..
            }
        ));
    }

    #[test]
    fn empty_and_bytes() {
        response(b"whatever").empty().unwrap();
        assert_eq!(response(b"\x00\x01").bytes().unwrap().as_ref(), b"\x00\x01");
    }
}
