//! Fixes in running text: stray square and angle brackets and raw HTML are backslash-escaped
//! (rustdoc reads them as intra-doc links and HTML tags), bare URLs become autolinks,
//! trailing-space hard breaks become backslash ones (trailing whitespace is stripped), and a
//! table row's cells past the header's are kept in its last cell.

use std::ops::Range;

use super::links::bare_url_end;
use super::rewrite::Rewriter;
use super::text::is_escaped;

impl Rewriter<'_> {
    /// Backslash-escapes `[`, `]`, `<`, `>` in `range` (unless escaped
    /// already) and, if asked, wraps bare URLs in `<...>`.
    pub(super) fn escape(&mut self, range: Range<usize>, wrap_urls: bool) {
        let bytes = self.src.as_bytes();
        let end = range.end.min(bytes.len());
        let mut i = range.start;
        while i < end {
            if wrap_urls {
                if let Some(url_end) = bare_url_end(bytes, i, end) {
                    self.insert(i, "<");
                    self.insert(url_end, ">");
                    i = url_end;
                    continue;
                }
            }
            if matches!(bytes[i], b'[' | b']' | b'<' | b'>') && !is_escaped(bytes, i) {
                self.insert(i, "\\");
            }
            i += 1;
        }
    }

    /// Trailing-spaces hard breaks become backslash hard breaks, so that
    /// stripping trailing whitespace does not lose them.
    pub(super) fn hard_break(&mut self, range: Range<usize>) {
        let Some(text) = self.src.get(range.clone()) else {
            return;
        };
        let spaces = text.trim_end_matches('\n');
        if !spaces.is_empty() && spaces.bytes().all(|b| b == b' ') {
            self.edits
                .push((range.start..range.start + spaces.len(), "\\".to_owned()));
        }
    }

    /// A table row with more cells than the header silently drops the extra
    /// ones; escaping the extra pipes keeps their text in the last cell.
    pub(super) fn excess_cells(&mut self, row: Range<usize>) {
        let Some(last) = self.last_cell_end.take() else {
            return;
        };
        let bytes = self.src.as_bytes();
        let Some(tail) = self.src.get(last..row.end) else {
            return;
        };
        if tail.trim().is_empty() {
            return;
        }
        let closing = tail
            .trim_end()
            .len()
            .checked_sub(1)
            .map(|i| last + i)
            .filter(|&i| bytes[i] == b'|' && !is_escaped(bytes, i));
        let pipes: Vec<usize> = (last..row.end)
            .filter(|&i| bytes[i] == b'|' && !is_escaped(bytes, i) && Some(i) != closing)
            .collect();
        for i in pipes {
            self.insert(i, "\\");
        }
    }
}
