//! `Link` response headers (RFC 8288): the target of `rel="next"`.
//!
//! Small and strict on purpose (no crate parses just this well and is kept up):
//! a header may hold several comma-separated links, a `<...>` target may hold
//! commas and semicolons, parameter values may be quoted (with `\` escapes),
//! `rel` may list several relation types and is compared case-insensitively.
//! Anything malformed is skipped, never a panic.

use reqwest::header::{HeaderMap, LINK};

/// The target of the first link with relation type `next`, as written
/// (possibly relative), across every `Link` header.
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| find_rel(value, "next"))
}

/// The target of the first link in `header` whose `rel` includes `wanted`.
fn find_rel(header: &str, wanted: &str) -> Option<String> {
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let Some(after_open) = rest.strip_prefix('<') else {
            // Not a link: skip to the next one.
            rest = &rest[rest.find(',')? + 1..];
            continue;
        };
        let close = after_open.find('>')?;
        let target = &after_open[..close];
        rest = &after_open[close + 1..];
        let (params, tail) = split_params(rest);
        rest = tail;
        let rel = params
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("rel"))
            .map(|(_, value)| value.as_str());
        if rel.is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case(wanted))
        }) {
            return Some(target.trim().to_owned());
        }
    }
}

/// The `; name=value` parameters of one link, and what follows its comma.
fn split_params(mut rest: &str) -> (Vec<(String, String)>, &str) {
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        let Some(after) = rest.strip_prefix(';') else {
            // A comma (or the end) ends the link; anything else is garbage up to
            // the next comma.
            let tail = rest.find(',').map_or("", |i| &rest[i..]);
            return (params, tail);
        };
        let after = after.trim_start_matches([' ', '\t']);
        let name_end = after
            .find(|c: char| c == '=' || c == ';' || c == ',' || c.is_ascii_whitespace())
            .unwrap_or(after.len());
        let name = after[..name_end].to_owned();
        rest = after[name_end..].trim_start_matches([' ', '\t']);
        let Some(value_start) = rest.strip_prefix('=') else {
            params.push((name, String::new()));
            continue;
        };
        let value_start = value_start.trim_start_matches([' ', '\t']);
        let (value, tail) = match value_start.strip_prefix('"') {
            Some(quoted) => quoted_string(quoted),
            None => {
                let end = value_start.find([';', ',']).unwrap_or(value_start.len());
                (value_start[..end].trim().to_owned(), &value_start[end..])
            }
        };
        params.push((name, value));
        rest = tail;
    }
}

/// A quoted string's value (after the opening quote) and what follows it; an
/// unterminated string runs to the end.
fn quoted_string(text: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &text[i + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            c => value.push(c),
        }
    }
    (value, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn next(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(LINK, HeaderValue::from_str(value).unwrap());
        }
        next_link(&headers)
    }

    #[test]
    fn github_style() {
        let header = r#"<https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=9>; rel="last""#;
        assert_eq!(
            next(&[header]).as_deref(),
            Some("https://api.example.com/items?page=2")
        );
    }

    #[test]
    fn relation_lists_case_and_token_values() {
        assert_eq!(
            next(&[r#"</a>; rel="prev", </b>; title="x, y; z"; REL="Last NEXT""#]).as_deref(),
            Some("/b")
        );
        assert_eq!(next(&["</c>;rel=next"]).as_deref(), Some("/c"));
        assert_eq!(next(&["</d>; rel=nextpage"]), None);
        assert_eq!(
            next(&[r#"</e;x,y>; rel="next""#]).as_deref(),
            Some("/e;x,y")
        );
    }

    #[test]
    fn several_headers_and_none() {
        assert_eq!(
            next(&[r#"</p>; rel="prev""#, r#"</n>; rel="next""#]).as_deref(),
            Some("/n")
        );
        assert_eq!(next(&[]), None);
        assert_eq!(next(&[r#"</p>; rel="prev""#]), None);
    }

    #[test]
    fn malformed_never_panics() {
        for header in [
            "",
            "<",
            ">",
            "</x",
            "</x>; rel=\"next",
            "</x>; rel=\"ne\\",
            ";;;,,,<>",
            "garbage, </y>; rel=next",
            "</z>; =; rel",
            "</é>; rel=next",
        ] {
            let _ = find_rel(header, "next");
        }
        assert_eq!(
            find_rel("garbage, </y>; rel=next", "next").as_deref(),
            Some("/y")
        );
        assert_eq!(find_rel("</x>; rel=\"next", "next").as_deref(), Some("/x"));
        assert_eq!(find_rel("<>; rel=next", "next").as_deref(), Some(""));
    }
}
