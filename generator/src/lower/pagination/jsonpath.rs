//! The JSONPath subset paging declarations use: `$`, `$.a.b` (also `$['a'].b`), and the last
//! element of an array, `$.a[-1].id` or `$.a[(@.length-1)].id` (a cursor taken from the last
//! item, Stripe's `starting_after`). Anything else is refused with a reason.

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonPath {
    /// Object keys from the root; empty is the root.
    Plain(Vec<String>),
    /// The array at the first path, then the second path inside its last element.
    LastItem(Vec<String>, Vec<String>),
}

/// Parses `text`; the error says what is not supported.
pub fn parse(text: &str) -> Result<JsonPath, String> {
    let unsupported = |why: &str| format!("the JSONPath `{text}` is not supported ({why})");
    let mut rest = text
        .trim()
        .strip_prefix('$')
        .ok_or_else(|| unsupported("it must start with `$`"))?;
    let mut before: Option<Vec<String>> = None;
    let mut keys = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let key = &after[..end];
            if key.is_empty() || key == "*" || key.starts_with('.') {
                return Err(unsupported("empty keys, wildcards and `..` are not"));
            }
            keys.push(key.to_owned());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let close = after
                .find(']')
                .ok_or_else(|| unsupported("an unclosed `[`"))?;
            let inside = after[..close].trim();
            rest = &after[close + 1..];
            let quoted = inside
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inside.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
            if let Some(key) = quoted {
                keys.push(key.to_owned());
            } else if matches!(
                inside.replace(' ', "").as_str(),
                "-1" | "(@.length-1)" | "@.length-1"
            ) {
                if before.is_some() {
                    return Err(unsupported("only one `[-1]` is"));
                }
                before = Some(std::mem::take(&mut keys));
            } else {
                return Err(unsupported(
                    "of array selectors only the last element, `[-1]`, is",
                ));
            }
        } else {
            return Err(unsupported("expected `.key` or `[..]`"));
        }
    }
    Ok(match before {
        Some(array) => JsonPath::LastItem(array, keys),
        None => JsonPath::Plain(keys),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_supported_subset() {
        assert_eq!(parse("$"), Ok(JsonPath::Plain(vec![])));
        assert_eq!(parse("$.data"), Ok(JsonPath::Plain(keys(&["data"]))));
        assert_eq!(
            parse("$.meta.next_cursor"),
            Ok(JsonPath::Plain(keys(&["meta", "next_cursor"])))
        );
        assert_eq!(
            parse("$['odd-key'].x"),
            Ok(JsonPath::Plain(keys(&["odd-key", "x"])))
        );
        assert_eq!(
            parse("$.data[-1].id"),
            Ok(JsonPath::LastItem(keys(&["data"]), keys(&["id"])))
        );
        assert_eq!(
            parse("$.resultArray[(@.length-1)].created_at"),
            Ok(JsonPath::LastItem(
                keys(&["resultArray"]),
                keys(&["created_at"])
            ))
        );
        assert_eq!(
            parse(" $.a[ -1 ] "),
            Ok(JsonPath::LastItem(keys(&["a"]), vec![]))
        );
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        for bad in [
            "",
            "data",
            "$.",
            "$..data",
            "$.*",
            "$.data[0]",
            "$.data[*]",
            "$.a[?(@.x)]",
            "$.a[-1][-1]",
            "$.a[",
            "$x",
            "$.a b[",
            "$[1:2]",
        ] {
            let error = parse(bad).expect_err(bad);
            assert!(error.contains("not supported"), "{bad}: {error}");
        }
    }
}
