//! Markdown made safe for rustdoc: prose written for people and web renderers (API
//! descriptions, summaries) in, rustdoc-safe Markdown out. Knows nothing of where the text
//! comes from; the emitters decide what to document and call [`doc_lines`] or [`sanitize`].
//!
//! Text written for web renderers, emitted verbatim as `///` lines, trips rustdoc in three ways:
//!
//! - code blocks without a language (fenced or indented) are Rust doctests,
//!   so `cargo test --doc` would try to compile `curl` command lines;
//! - brackets such as `[A001201]` or `[RFC 6749]` are intra-doc links that
//!   do not resolve (`broken_intra_doc_links`);
//! - `Bearer <token>` or `List<String>` are unclosed HTML tags
//!   (`invalid_html_tags`), and a plain `https://` address is a `bare_urls`
//!   warning.
//!
//! The fix rewrites the *source text* range by range: `pulldown-cmark`
//! locates code blocks, code spans, links, autolinks and raw HTML by byte
//! range, and only the ranges that need it are edited, so the output reads
//! like the input. Rewriting can expose new markdown (escaped raw HTML turns
//! back into paragraphs), so passes repeat until the text stops changing;
//! the result is therefore a fixed point and `sanitize` is idempotent.
//!
//! The generated crate is also linted by clippy, whose
//! `doc_lazy_continuation` flags markdown's *lazy continuation* lines: a
//! paragraph inside a list item or block quote that goes on in a line
//! without the item's indentation or the quote's `>`. Its sibling
//! `doc_overindented_list_items` flags the opposite, a list item's paragraph
//! going on in a line indented past the item's content (markdown strips
//! that indentation, and it is no code block: those cannot interrupt a
//! paragraph). Each pass therefore also gives such continuation lines
//! exactly the prefix of their containers, which renders the same; and
//! tabs, which `tabs_in_doc_comments` flags, become spaces.
//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | the API, the passes to a fixed point, input and line clean-up |
//! | `rewrite.rs` | one pass: walks the parse and collects edits by byte range |
//! | `inline.rs` | escapes in text (brackets, raw HTML), hard breaks, extra table cells |
//! | `links.rs` | links rustdoc would resolve as paths, bare URLs |
//! | `code_blocks.rs` | code blocks become non-Rust fenced blocks, unclosed fences closed |
//! | `containers.rs` | continuation lines get exactly their quotes' and list items' prefix |
//! | `text.rs` | byte and line helpers the others share |

mod code_blocks;
mod containers;
mod inline;
mod links;
mod rewrite;
#[cfg(test)]
mod tests;
mod text;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use self::containers::reindent;
use self::rewrite::rewrite;
use self::text::{expand_tabs, longest_backtick_run};

/// Rewrite passes before giving up; real descriptions settle in two or three.
const MAX_PASSES: usize = 16;

/// Bidirectional-override code points, which rustc rejects inside comments
/// (`text_direction_codepoint_in_comment` is deny-by-default).
const BIDI_CONTROLS: [char; 9] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// Markdown made safe for rustdoc.
///
/// Code blocks become non-Rust fenced blocks (so no doctest runs), and
/// outside code the text is escaped so that rustdoc's `bare_urls`,
/// `broken_intra_doc_links` and `invalid_html_tags` lints stay quiet: stray
/// square and angle brackets get a backslash, raw HTML is escaped into plain
/// text, and bare `http(s)` addresses are wrapped into autolinks. For
/// clippy, lazy continuation lines in quotes and list items get their `>`
/// markers and indentation written out, over-indented ones in list items
/// lose the extra indentation, and tabs become spaces. Line
/// endings become LF, trailing whitespace goes, runs of blank lines shrink to
/// one and leading / trailing blank lines are dropped. Never panics, and
/// `sanitize(&sanitize(x)) == sanitize(x)`.
pub fn sanitize(markdown: &str) -> String {
    let input = normalize_input(markdown);
    let mut current = input.clone();
    for _ in 0..MAX_PASSES {
        let next = reindent(&finalize(&rewrite(&current)));
        if next == current {
            return current;
        }
        current = next;
    }
    // Not reached by any input seen so far; quoting everything verbatim in
    // a text block is ugly but always safe.
    fallback(&input)
}

/// The doc lines for an item: sanitize, trim, and return one String per line
/// (no leading `///`; empty Vec for empty/whitespace input).
///
/// Each line is meant to be emitted as `/// {line}` (an empty line as `///`).
pub fn doc_lines(markdown: &str) -> Vec<String> {
    sanitize(markdown).lines().map(str::to_owned).collect()
}

/// CRLF / CR to LF, bidi controls dropped, and tabs turned into spaces.
fn normalize_input(markdown: &str) -> String {
    let text: String = markdown
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !BIDI_CONTROLS.contains(c))
        .collect();
    if !text.contains('\t') {
        return text;
    }
    text.split('\n')
        .map(untab_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line without tabs that parses the same: tabs expand to the next
/// multiple of four columns, which is how CommonMark reads them for block
/// structure. Trailing whitespace is a hard break for pulldown-cmark when it
/// is two or more bytes of spaces or tabs, so such a run becomes two spaces
/// (a lone trailing tab goes).
fn untab_line(line: &str) -> String {
    let body = line.trim_end_matches([' ', '\t']);
    let trailing = &line[body.len()..];
    let mut out = expand_tabs(body);
    if !trailing.contains('\t') {
        out.push_str(trailing);
    } else if trailing.len() >= 2 {
        out.push_str("  ");
    }
    out
}

/// The extensions rustdoc enables (smart punctuation aside, which changes no
/// structure), so both parsers see the same blocks.
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Per-line clean-up: trailing whitespace stripped, blank-line runs outside
/// code blocks collapsed to one, leading and trailing blank lines dropped.
fn finalize(src: &str) -> String {
    let code_blocks: Vec<Range<usize>> = Parser::new_ext(src, options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            matches!(event, Event::Start(Tag::CodeBlock(_))).then_some(range)
        })
        .collect();
    let mut blocks = code_blocks.iter().peekable();
    let mut lines: Vec<&str> = Vec::new();
    let mut previous_blank = false;
    let mut offset = 0;
    for raw in src.split('\n') {
        let start = offset;
        offset += raw.len() + 1;
        while blocks.peek().is_some_and(|block| block.end <= start) {
            blocks.next();
        }
        let in_code = blocks
            .peek()
            .is_some_and(|block| block.start < start && start < block.end);
        let line = raw.trim_end();
        if line.is_empty() && !in_code {
            if previous_blank || lines.is_empty() {
                continue;
            }
            previous_blank = true;
        } else {
            previous_blank = false;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// What `src` renders to: its events without source ranges, with adjacent
/// text joined (escapes split it).
pub(super) fn rendering(src: &str) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::new();
    for event in Parser::new_ext(src, options()) {
        if let (Event::Text(text), Some(Event::Text(last))) = (&event, out.last_mut()) {
            *last = format!("{last}{text}").into();
        } else {
            out.push(event);
        }
    }
    out
}

/// Last resort: the whole text as one `text` block.
fn fallback(input: &str) -> String {
    let lines: Vec<&str> = input.split('\n').map(str::trim_end).collect();
    let Some(first) = lines.iter().position(|line| !line.is_empty()) else {
        return String::new();
    };
    let last = lines
        .iter()
        .rposition(|line| !line.is_empty())
        .unwrap_or(first);
    let fence = "`".repeat((longest_backtick_run(input) + 1).max(3));
    format!("{fence}text\n{}\n{fence}", lines[first..=last].join("\n"))
}

/// Replaces each range with its text; edits are non-overlapping by
/// construction, and any that is not (or not on a char boundary) is dropped.
pub(super) fn apply_edits(src: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(src.len() + edits.len() * 2);
    let mut cursor = 0;
    for (range, text) in edits {
        if range.start < cursor || range.end < range.start || src.get(range.clone()).is_none() {
            continue;
        }
        if let Some(before) = src.get(cursor..range.start) {
            out.push_str(before);
            out.push_str(&text);
            cursor = range.end;
        }
    }
    out.push_str(src.get(cursor..).unwrap_or_default());
    out
}
