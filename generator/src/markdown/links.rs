//! Links: a link or reference definition whose destination rustdoc would resolve as an
//! intra-doc path (`[x](Foo)`, which fails to resolve) is turned into plain text, and bare
//! `http(s)` addresses are found GFM style so `inline` can wrap them in `<...>`.

use std::ops::Range;

use super::rewrite::{Frame, Rewriter};
use super::text::is_escaped;

impl Rewriter<'_> {
    /// A link rustdoc would resolve as a path: escape its own syntax (the
    /// parts not covered by inner events) so it becomes plain text.
    pub(super) fn escape_gaps(&mut self, frame: Frame) {
        let mut children = frame.children;
        children.sort_by_key(|range| range.start);
        let mut cursor = frame.range.start;
        for child in children {
            if child.start > cursor {
                self.escape(cursor..child.start.min(frame.range.end), false);
            }
            cursor = cursor.max(child.end);
        }
        if cursor < frame.range.end {
            self.escape(cursor..frame.range.end, false);
        }
    }

    /// `[label]: dest` with a path-like `dest`: escaping the label's
    /// brackets turns the definition into a plain paragraph.
    pub(super) fn escape_definition_label(&mut self, span: Range<usize>) {
        let bytes = self.src.as_bytes();
        let end = span.end.min(bytes.len());
        let Some(open) = (span.start..end).find(|&i| bytes[i] == b'[') else {
            return;
        };
        let Some(close) = (open + 1..end).find(|&i| bytes[i] == b']' && !is_escaped(bytes, i))
        else {
            return;
        };
        self.insert(open, "\\");
        self.insert(close, "\\");
    }
}

/// Whether rustdoc would treat a link destination as an intra-doc path
/// (mirrors `preprocess_link` / `should_ignore_link` in rustdoc, erring on
/// the side of "yes").
pub(super) fn rustdoc_would_resolve(dest: &str) -> bool {
    if dest.is_empty() || dest.contains('/') {
        return false;
    }
    let stripped: String = dest.chars().filter(|&c| c != '`').collect();
    let mut parts = stripped.split('#');
    let path = parts.next().unwrap_or_default().trim();
    if path.is_empty() {
        return false;
    }
    if parts.nth(1).is_some() {
        // Several anchors: rustdoc reports that too.
        return true;
    }
    path.chars()
        .all(|c| c.is_alphanumeric() || ":_<>, !*&;@()".contains(c))
}

/// End of a bare `http://` / `https://` URL starting at `start`, GFM style:
/// it stops at whitespace, `<`, `>`, quotes, backticks, backslashes and
/// non-ASCII, and trailing punctuation and unbalanced closing brackets stay
/// outside. `None` if there is no URL at `start`.
pub(super) fn bare_url_end(bytes: &[u8], start: usize, limit: usize) -> Option<usize> {
    let rest = bytes.get(start..limit)?;
    let scheme_len = [&b"https://"[..], &b"http://"[..]]
        .iter()
        .find(|scheme| {
            rest.len() >= scheme.len() && rest[..scheme.len()].eq_ignore_ascii_case(scheme)
        })?
        .len();
    let body = start + scheme_len;
    let mut end = body;
    while end < limit
        && bytes[end].is_ascii_graphic()
        && !matches!(bytes[end], b'<' | b'>' | b'"' | b'`' | b'\\')
    {
        end += 1;
    }
    while end > body {
        let url = &bytes[start..end];
        let count = |c: u8| url.iter().filter(|&&b| b == c).count();
        match url[url.len() - 1] {
            b'.' | b',' | b':' | b'!' | b'?' | b'\'' | b'*' | b'_' | b'~' => end -= 1,
            b';' => {
                // `&amp;` and the like stay out as a whole.
                let name = url[..url.len() - 1]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                let amp = url.len() - 1 - name;
                if name > 0 && amp > scheme_len && url[amp - 1] == b'&' {
                    end = start + amp - 1;
                } else {
                    end -= 1;
                }
            }
            b')' if count(b'(') < count(b')') => end -= 1,
            b']' if count(b'[') < count(b']') => end -= 1,
            b'}' if count(b'{') < count(b'}') => end -= 1,
            _ => return Some(end),
        }
    }
    None
}
