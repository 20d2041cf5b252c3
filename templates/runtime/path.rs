//! Path parameter encoding and validation.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything except RFC 3986 `unreserved` characters (`ALPHA DIGIT - . _ ~`).
///
/// Encoding sub-delimiters too (`!`, `$`, `&`, `'`, `(`, ...) is allowed by
/// RFC 3986 and is the only choice that is safe with every server router.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path parameter value so it stays a single path segment.
///
/// `/`, `?`, `#`, `%`, spaces and non-ASCII characters (as UTF-8) are encoded;
/// RFC 3986 unreserved characters are kept as they are. For example
/// `a/b c?d#%` becomes `a%2Fb%20c%3Fd%23%25`.
pub fn encode_path(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// Rejects path parameters that would make the URL point elsewhere.
///
/// Percent-encoding cannot protect `.` and `..`: URL parsers (including the
/// one reqwest uses) resolve them, and `%2e` spellings too, so a client ID of
/// `..` would silently address the parent resource. An empty value would
/// likewise collapse into another route. Because [`encode_path`] encodes `/`,
/// the concrete path has as many segments as the template, so the two can be
/// compared segment by segment.
pub(crate) fn check_path(template: &str, path: &str) -> Result<(), String> {
    let mut actual = path.split('/');
    for expected in template.split('/') {
        let Some(segment) = actual.next() else {
            return Ok(()); // Shape differs: not produced by encode_path; leave it to the server.
        };
        if !expected.contains('{') {
            continue;
        }
        let lower = segment.to_ascii_lowercase();
        let decoded = lower.replace("%2e", ".");
        if segment.is_empty() || decoded == "." || decoded == ".." {
            return Err(format!(
                "path parameter in `{expected}` must not be empty, `.` or `..` (got {segment:?})"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unreserved_characters() {
        let unreserved = "ABCxyz0189-._~";
        assert_eq!(encode_path(unreserved), unreserved);
    }

    #[test]
    fn encodes_delimiters_and_non_ascii() {
        assert_eq!(encode_path("a/b"), "a%2Fb");
        assert_eq!(encode_path("a b"), "a%20b");
        assert_eq!(encode_path("?#%"), "%3F%23%25");
        assert_eq!(encode_path("+&=;:@"), "%2B%26%3D%3B%3A%40");
        assert_eq!(encode_path("é"), "%C3%A9");
        assert_eq!(encode_path(""), "");
    }

    #[test]
    fn rejects_dot_segments_and_empty_values() {
        let t = "/api/{serviceId}/client/get/{clientId}";
        assert!(check_path(t, "/api/1/client/get/abc").is_ok());
        assert!(check_path(t, "/api/1/client/get/..").is_err());
        assert!(check_path(t, "/api/./client/get/x").is_err());
        assert!(check_path(t, "/api/1/client/get/%2E%2e").is_err());
        assert!(check_path(t, "/api/1/client/get/.%2E").is_err());
        assert!(check_path(t, "/api/1/client/get/").is_err());
        assert!(check_path(t, "/api/1/client/get/...").is_ok());
        assert!(check_path("/api/info", "/api/info").is_ok());
    }
}
