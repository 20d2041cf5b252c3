//! Code blocks: rustdoc runs every block that names no other language as a Rust doctest, so
//! fenced blocks keep only a plain language name (`text` when there is none), indented blocks
//! become fenced `text` blocks, and an unclosed fence is closed after its last content line.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::options;
use super::rewrite::{CodeState, Rewriter};
use super::text::{continuation_prefix, expand_tabs, line_start, longest_backtick_run};

impl Rewriter<'_> {
    pub(super) fn code_block(&mut self, code: &CodeState) {
        if code.fenced {
            self.fenced_block(code);
        } else {
            self.indented_block(code);
        }
    }

    /// Fixes the info string in place and closes an unclosed fence.
    fn fenced_block(&mut self, code: &CodeState) {
        let src = self.src;
        let range = code.range.clone();
        let Some(block) = src.get(range.clone()) else {
            return;
        };
        let Some(&fence_char @ (b'`' | b'~')) = block.as_bytes().first() else {
            return;
        };
        let fence_len = block.bytes().take_while(|&b| b == fence_char).count();
        let fence = &block[..fence_len];
        let open_end = block.find('\n').map_or(range.end, |p| range.start + p);
        // After the content only container markers and the closing fence
        // remain, so a fence string there means the block is closed.
        let after_content = code.text_end.max(open_end);
        let closed = src
            .get(after_content..range.end)
            .is_some_and(|rest| rest.contains(fence));
        let info_range = range.start + fence_len..open_end;
        let info = fence_info(&src[info_range.clone()]);
        if closed {
            if let Some(info) = info {
                self.edits.push((info_range, info));
            }
            return;
        }
        let Some(last_text_start) = code
            .last_text_start
            .filter(|_| !code.content.trim().is_empty())
        else {
            // Nothing inside: drop the lone opening fence.
            let keep = if block.ends_with('\n') { "\n" } else { "" };
            self.edits.push((range.clone(), keep.to_owned()));
            return;
        };
        if let Some(info) = info {
            self.edits.push((info_range, info));
        }
        // Close it right after the last non-blank content line.
        let mut pos = range.end;
        while pos > open_end + 1 {
            let line_end = if src.as_bytes()[pos - 1] == b'\n' {
                pos - 1
            } else {
                pos
            };
            let start = line_start(src, line_end);
            if start <= open_end
                || !src[start..line_end]
                    .bytes()
                    .all(|b| matches!(b, b' ' | b'\t' | b'>'))
            {
                break;
            }
            pos = start;
        }
        // The closing fence needs the container markers of the content
        // lines; which spelling works depends on list / footnote markers and
        // tabs, so try the likely ones and keep the first that closes.
        let content_prefix = &src[line_start(src, last_text_start)..last_text_start];
        let opening_prefix = &src[line_start(src, range.start)..range.start];
        let candidates = [
            content_prefix.to_owned(),
            continuation_prefix(opening_prefix),
            expand_tabs(content_prefix),
            String::new(),
        ];
        for prefix in candidates {
            let closing = if src[..pos].ends_with('\n') {
                format!("{prefix}{fence}\n")
            } else {
                format!("\n{prefix}{fence}")
            };
            if closes_block(src, range.start, pos, &closing) {
                self.edits.push((pos..pos, closing));
                return;
            }
        }
        // None did (only seen for contrived input): the block stays
        // unclosed, which rustdoc still renders as a text block.
    }

    /// An indented block becomes a fenced `text` block with the same
    /// (dedented) content, inside the same containers.
    fn indented_block(&mut self, code: &CodeState) {
        let src = self.src;
        let range = code.range.clone();
        let start = line_start(src, range.start);
        let Some(first_prefix) = src.get(start..range.start) else {
            return;
        };
        let expanded = expand_tabs(first_prefix);
        let container = expanded.strip_suffix("    ").map_or_else(
            || {
                let mut container = expanded.trim_end().to_owned();
                if container.ends_with('>') {
                    container.push(' ');
                }
                container
            },
            str::to_owned,
        );
        let continuation = continuation_prefix(&container);
        let fence = "`".repeat((longest_backtick_run(&code.content) + 1).max(3));
        let mut out = format!("{container}{fence}text\n");
        for line in code.content.lines() {
            if line.is_empty() {
                out.push_str(continuation.trim_end());
            } else {
                out.push_str(&continuation);
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push_str(&continuation);
        out.push_str(&fence);
        if src[range.clone()].ends_with('\n') {
            out.push('\n');
        }
        self.edits.push((start..range.end, out));
    }
}

/// Whether inserting `closing` at `pos` closes the fenced block that starts
/// at `block_start`: the block then ends with that fence, which holds none of
/// its content.
fn closes_block(src: &str, block_start: usize, pos: usize, closing: &str) -> bool {
    let candidate = format!("{}{closing}{}", &src[..pos], &src[pos..]);
    let fence_end = pos + closing.trim_end_matches('\n').len();
    // Content may run up to the line break that starts `closing`.
    let content_end = pos + closing.len() - closing.trim_start_matches('\n').len();
    let mut events = Parser::new_ext(&candidate, options()).into_offset_iter();
    let Some((_, block)) = events.find(|(event, range)| {
        matches!(event, Event::Start(Tag::CodeBlock(_))) && range.start == block_start
    }) else {
        return false;
    };
    block.end == fence_end
        && events
            .take_while(|(event, _)| !matches!(event, Event::End(TagEnd::CodeBlock)))
            .all(|(_, range)| range.end <= content_end)
}

/// The replacement info string for a fence, or `None` to keep it.
///
/// rustdoc tests a block unless some token names another language, and it
/// warns about tokens that look like misspelt attributes (`should-panic`),
/// so only plain language names are kept.
pub(super) fn fence_info(info: &str) -> Option<String> {
    let tokens: Vec<&str> = info
        .split([',', ' ', '\t'])
        .filter(|token| !token.is_empty())
        .collect();
    match tokens.first().filter(|first| is_plain_language(first)) {
        Some(_) if tokens.iter().all(|token| is_plain_language(token)) => None,
        Some(first) => Some((*first).to_owned()),
        None => Some("text".to_owned()),
    }
}

/// A language name such as `json` or `c++`, and nothing rustdoc reads as a
/// doctest attribute (`rust`, `ignore`, `no_run`, `edition2021`, `E0001`,
/// ...) or a misspelling of one.
fn is_plain_language(token: &str) -> bool {
    let shape_ok = token.len() <= 40
        && token.starts_with(|c: char| c.is_ascii_alphabetic())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'));
    if !shape_ok {
        return false;
    }
    let squashed: String = token
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let error_code = squashed.len() > 1
        && squashed.starts_with('e')
        && squashed[1..].bytes().all(|b| b.is_ascii_digit());
    let rustish = matches!(
        squashed.as_str(),
        "rust"
            | "rs"
            | "norun"
            | "shouldpanic"
            | "compilefail"
            | "testharness"
            | "standalone"
            | "standalonecrate"
            | "allowfail"
    ) || squashed.starts_with("ignore")
        || squashed.starts_with("edition")
        || error_code;
    !rustish
}
