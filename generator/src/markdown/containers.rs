//! Continuation lines inside block quotes and list items: clippy's `doc_lazy_continuation`
//! wants a quote's `>` and an item's indentation spelt out on every line of a paragraph, and
//! `doc_overindented_list_items` wants no more than the item's indentation. Rewritten only
//! where the text renders the same afterwards.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::text::line_start;
use super::{apply_edits, options, rendering};

/// A container that a paragraph's continuation lines repeat.
#[derive(Clone, Copy)]
enum Container {
    /// A block quote: `> `.
    Quote,
    /// A list item: as many spaces as its content starts after its marker
    /// (counted the way clippy counts them).
    Item(usize),
}

/// A lazy or over-indented continuation line: the prefix it has and the
/// one it should have.
struct Misindented {
    /// Quote markers and spaces that start the line.
    prefix: Range<usize>,
    /// Markers and indentation of all its containers.
    explicit: String,
}

/// One pass giving continuation lines exactly their containers' prefix.
///
/// Markdown lets a paragraph inside block quotes and list items go on in
/// lines that leave out the quote markers or the item indentation; clippy's
/// `doc_lazy_continuation` wants them spelt out. It equally lets a list
/// item's paragraph go on in lines indented past the item's content (four
/// columns past it or more still read as paragraph text, since an indented
/// code block cannot interrupt a paragraph); `doc_overindented_list_items`
/// wants exactly the item's indentation. Either rewrite renders the same,
/// except where the line then starts a block of its own (`===` under a
/// quoted line becomes a heading underline, `      - b` moved left becomes
/// a nested list), so the parse is compared before and after: such a line
/// gets a backslash that keeps it from starting the block if that keeps the
/// rendering, and is left as it was otherwise. (rustdoc and clippy parse
/// with an older pulldown-cmark, which reads a task-list marker alone on its
/// line, `- [ ]`, as text; lines after one can stay lazy to them.)
pub(super) fn reindent(src: &str) -> String {
    let lines = misindented_lines(src);
    if lines.is_empty() {
        return src.to_owned();
    }
    let before = rendering(src);
    let edits: Vec<(Range<usize>, String)> = lines
        .iter()
        .map(|line| (line.prefix.clone(), line.explicit.clone()))
        .collect();
    let all = apply_edits(src, edits);
    if rendering(&all) == before {
        return all;
    }
    let mut kept: Vec<(Range<usize>, String)> = Vec::new();
    for line in lines {
        let explicit = (line.prefix.clone(), line.explicit);
        let mut candidates = vec![vec![explicit.clone()]];
        if let Some(at) = block_marker_end(src, line.prefix.end) {
            candidates.push(vec![explicit, (at..at, "\\".to_owned())]);
        }
        for candidate in candidates {
            let mut edits = kept.clone();
            edits.extend(candidate);
            if rendering(&apply_edits(src, edits.clone())) == before {
                kept = edits;
                break;
            }
        }
    }
    apply_edits(src, kept)
}

/// Where a backslash stops the line at `at` from starting a block: before
/// the `.` or `)` of `1.`, else before a leading punctuation character
/// (`=`, `-`, `+`, `#`, `|`, ...). `None` if neither applies.
fn block_marker_end(src: &str, at: usize) -> Option<usize> {
    let rest = src.as_bytes().get(at..)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    match rest.get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => Some(at + digits),
        Some(&first) if digits == 0 && first.is_ascii_punctuation() && first != b'\\' => Some(at),
        _ => None,
    }
}

/// The continuation lines in `src` that leave out some of their
/// containers' markers or indentation, or that are indented past their
/// innermost list item's content, found where clippy looks: after each soft
/// or hard break inside quotes or list items (footnotes aside).
fn misindented_lines(src: &str) -> Vec<Misindented> {
    let mut found = Vec::new();
    let mut containers: Vec<Container> = Vec::new();
    let mut footnotes = 0_usize;
    let mut events = Parser::new_ext(src, options())
        .into_offset_iter()
        .peekable();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => containers.push(Container::Quote),
            Event::Start(Tag::Item) => {
                let next = match events.peek() {
                    Some((Event::End(_), next)) => next.end,
                    Some((_, next)) => next.start,
                    None => range.end,
                };
                containers.push(Container::Item(item_width(src, range.start, next)));
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item) => {
                containers.pop();
            }
            Event::Start(Tag::FootnoteDefinition(_)) => footnotes += 1,
            Event::End(TagEnd::FootnoteDefinition) => footnotes = footnotes.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if footnotes == 0 && !containers.is_empty() => {
                let Some((next_event, next)) = events.peek() else {
                    continue;
                };
                let line = range.end;
                if matches!(next_event, Event::End(_)) || line_start(src, line) != line {
                    continue;
                }
                let Some(lead) = src
                    .get(line..next.start)
                    .filter(|lead| !lead.contains('\n'))
                else {
                    continue;
                };
                let prefix_len = lead.len() - lead.trim_start_matches([' ', '>']).len();
                if !matches!(indentation(&lead[..prefix_len], &containers), Indent::Exact) {
                    found.push(Misindented {
                        prefix: line..line + prefix_len,
                        explicit: explicit_prefix(&containers),
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// Where clippy takes a list item's content to start (it finds no marker
/// width in the parse): at the item's first event, one byte earlier after a
/// backslash (escapes make no event), or at a `[label]` before that event (a
/// link reference definition, which makes none either).
fn item_width(src: &str, item: usize, next: usize) -> usize {
    let bytes = src.as_bytes();
    let mut open = None;
    let mut i = item;
    while i < next.min(bytes.len()) {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => open = Some(i),
            b']' => {
                if let Some(open) = open {
                    return open - item;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let content = if next > item && bytes.get(next - 1) == Some(&b'\\') {
        next - 1
    } else {
        next
    };
    content.saturating_sub(item)
}

/// How a continuation line's prefix carries its containers.
enum Indent {
    /// Some quote's `>` or some list item's indentation is missing.
    Lazy,
    /// Every container is there, with nothing left over past an item.
    Exact,
    /// Every container is there, and spaces are left over after the
    /// innermost one, a list item.
    Over,
}

/// How a continuation line's prefix (spaces and `>` only) carries its
/// containers: each quote its `>`, each list item its indentation.
///
/// Without quotes this is clippy's count: fewer spaces than the items'
/// content offsets add up to is lazy, more is over-indented. (Inside quotes
/// clippy checks only the `>` markers; spaces past the innermost item count
/// as over-indented here all the same, and spaces in front of a `>` or
/// after a quote's own are left alone.)
fn indentation(prefix: &str, containers: &[Container]) -> Indent {
    let mut rest = prefix;
    for container in containers {
        match *container {
            Container::Quote => {
                let indent = rest.len() - rest.trim_start_matches(' ').len();
                let Some(after) = rest.get(indent.min(3)..).and_then(|r| r.strip_prefix('>'))
                else {
                    return Indent::Lazy;
                };
                rest = after.strip_prefix(' ').unwrap_or(after);
            }
            Container::Item(width) => {
                let indent = rest.len() - rest.trim_start_matches(' ').len();
                if indent < width {
                    return Indent::Lazy;
                }
                rest = &rest[width..];
            }
        }
    }
    if !rest.is_empty() && matches!(containers.last(), Some(Container::Item(_))) {
        Indent::Over
    } else {
        Indent::Exact
    }
}

/// The prefix that spells out all containers: `> ` per quote, the content
/// indentation per list item.
fn explicit_prefix(containers: &[Container]) -> String {
    containers
        .iter()
        .map(|container| match *container {
            Container::Quote => "> ".to_owned(),
            Container::Item(width) => " ".repeat(width),
        })
        .collect()
}
