//! Turning OpenAPI `description` / `summary` text into rustdoc-safe markdown.
//!
//! API authors write CommonMark for humans and for Swagger UI, not for
//! rustdoc. Emitted verbatim as `///` lines it trips rustdoc in three ways:
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

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Rewrite passes before giving up; real descriptions settle in two or three.
const MAX_PASSES: usize = 16;

/// Bidirectional-override code points, which rustc rejects inside comments
/// (`text_direction_codepoint_in_comment` is deny-by-default).
const BIDI_CONTROLS: [char; 9] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// Markdown from an OpenAPI description, made safe for rustdoc.
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
fn options() -> Options {
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
fn reindent(src: &str) -> String {
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

/// What `src` renders to: its events without source ranges, with adjacent
/// text joined (escapes split it).
fn rendering(src: &str) -> Vec<Event<'_>> {
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

/// One rewrite pass over `src`.
fn rewrite(src: &str) -> String {
    let mut rewriter = Rewriter {
        src,
        edits: Vec::new(),
        frames: Vec::new(),
        code: None,
        run: None,
        last_cell_end: None,
    };
    let parser = Parser::new_ext(src, options());
    // rustdoc resolves every reference definition, used or not.
    let path_like: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, def)| rustdoc_would_resolve(&def.dest))
        .map(|(_, def)| def.span.clone())
        .collect();
    for span in path_like {
        rewriter.escape_definition_label(span);
    }
    for (event, range) in parser.into_offset_iter() {
        rewriter.event(event, range);
    }
    rewriter.flush_run();
    apply_edits(src, rewriter.edits)
}

/// Replaces each range with its text; edits are non-overlapping by
/// construction, and any that is not (or not on a char boundary) is dropped.
fn apply_edits(src: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
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

/// What kind of link the events currently belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    /// `<https://...>` or `<a@b.c>`: left exactly as written.
    Autolink,
    /// A link rustdoc treats as a web link: its syntax stays, its text is
    /// escaped but not autolinked (links do not nest).
    Link,
    /// A link rustdoc would try to resolve as an intra-doc path (and fail):
    /// its brackets are escaped so it reads as plain text.
    Degraded,
    /// An image: the alt text is escaped like any text.
    Image,
}

struct Frame {
    kind: FrameKind,
    range: Range<usize>,
    /// Source ranges of the events inside; what is left over is syntax.
    children: Vec<Range<usize>>,
}

/// A code block being read.
struct CodeState {
    range: Range<usize>,
    fenced: bool,
    /// Content as the parser sees it: dedented, container markers stripped.
    content: String,
    /// Where the last content line starts (after container markers).
    last_text_start: Option<usize>,
    text_end: usize,
}

/// Adjacent text events, escaped as one so URLs split by entities survive.
struct TextRun {
    range: Range<usize>,
    wrap_urls: bool,
}

struct Rewriter<'a> {
    src: &'a str,
    edits: Vec<(Range<usize>, String)>,
    frames: Vec<Frame>,
    code: Option<CodeState>,
    run: Option<TextRun>,
    last_cell_end: Option<usize>,
}

impl Rewriter<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if let Some(code) = self.code.as_mut() {
            match event {
                Event::Text(text) => {
                    code.content.push_str(&text);
                    let prefix = &self.src[line_start(self.src, range.start)..range.start];
                    if prefix.bytes().all(|b| matches!(b, b' ' | b'\t' | b'>')) {
                        code.last_text_start = Some(range.start);
                    }
                    code.text_end = range.end;
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(code) = self.code.take() {
                        self.code_block(&code);
                    }
                }
                _ => {}
            }
            return;
        }
        if !matches!(event, Event::Text(_)) {
            self.flush_run();
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.note_child(&range);
                self.code = Some(CodeState {
                    fenced: matches!(kind, CodeBlockKind::Fenced(_)),
                    content: String::new(),
                    last_text_start: None,
                    text_end: range.start,
                    range,
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                self.note_child(&range);
                let kind = match link_type {
                    LinkType::Autolink | LinkType::Email => FrameKind::Autolink,
                    _ if rustdoc_would_resolve(&dest_url) => FrameKind::Degraded,
                    _ => FrameKind::Link,
                };
                self.push_frame(kind, range);
            }
            Event::Start(Tag::Image { .. }) => {
                self.note_child(&range);
                self.push_frame(FrameKind::Image, range);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(frame) = self.frames.pop() {
                    if frame.kind == FrameKind::Degraded {
                        self.escape_gaps(frame);
                    }
                }
            }
            Event::Start(Tag::TableRow) => {
                self.note_child(&range);
                self.last_cell_end = None;
            }
            Event::End(TagEnd::TableCell) => self.last_cell_end = Some(range.end),
            Event::End(TagEnd::TableRow) => self.excess_cells(range),
            Event::Text(_) => {
                self.note_child(&range);
                self.push_text(range);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.note_child(&range);
                if self.text_mode().is_some() {
                    let wrap = self.wraps_urls();
                    self.escape(range, wrap);
                }
            }
            Event::HardBreak => {
                self.note_child(&range);
                self.hard_break(range);
            }
            _ => self.note_child(&range),
        }
    }

    fn push_frame(&mut self, kind: FrameKind, range: Range<usize>) {
        self.frames.push(Frame {
            kind,
            range,
            children: Vec::new(),
        });
    }

    fn note_child(&mut self, range: &Range<usize>) {
        if let Some(frame) = self.frames.last_mut() {
            frame.children.push(range.clone());
        }
    }

    /// `None` inside an autolink (left alone), else whether to wrap URLs.
    fn text_mode(&self) -> Option<bool> {
        if self.frames.iter().any(|f| f.kind == FrameKind::Autolink) {
            None
        } else {
            Some(self.wraps_urls())
        }
    }

    /// Bare URLs become autolinks except inside link text, where a nested
    /// link would break the outer one.
    fn wraps_urls(&self) -> bool {
        !self
            .frames
            .iter()
            .any(|f| matches!(f.kind, FrameKind::Link | FrameKind::Autolink))
    }

    fn push_text(&mut self, range: Range<usize>) {
        let Some(wrap_urls) = self.text_mode() else {
            self.flush_run();
            return;
        };
        if let Some(run) = self.run.as_mut() {
            let bytes = self.src.as_bytes();
            // Text split by a backslash escape or an entity still counts as
            // one run, so that a URL is seen whole.
            let adjacent = range.start == run.range.end
                || (range.start == run.range.end + 1 && bytes.get(run.range.end) == Some(&b'\\'));
            if adjacent && run.wrap_urls == wrap_urls {
                run.range.end = range.end;
                return;
            }
        }
        self.flush_run();
        self.run = Some(TextRun { range, wrap_urls });
    }

    fn flush_run(&mut self) {
        if let Some(run) = self.run.take() {
            self.escape(run.range, run.wrap_urls);
        }
    }

    fn insert(&mut self, at: usize, text: &str) {
        self.edits.push((at..at, text.to_owned()));
    }

    /// Backslash-escapes `[`, `]`, `<`, `>` in `range` (unless escaped
    /// already) and, if asked, wraps bare URLs in `<...>`.
    fn escape(&mut self, range: Range<usize>, wrap_urls: bool) {
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

    /// A link rustdoc would resolve as a path: escape its own syntax (the
    /// parts not covered by inner events) so it becomes plain text.
    fn escape_gaps(&mut self, frame: Frame) {
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
    fn escape_definition_label(&mut self, span: Range<usize>) {
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

    /// Trailing-spaces hard breaks become backslash hard breaks, so that
    /// stripping trailing whitespace does not lose them.
    fn hard_break(&mut self, range: Range<usize>) {
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
    fn excess_cells(&mut self, row: Range<usize>) {
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

    fn code_block(&mut self, code: &CodeState) {
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
fn fence_info(info: &str) -> Option<String> {
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

/// Whether rustdoc would treat a link destination as an intra-doc path
/// (mirrors `preprocess_link` / `should_ignore_link` in rustdoc, erring on
/// the side of "yes").
fn rustdoc_would_resolve(dest: &str) -> bool {
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
fn bare_url_end(bytes: &[u8], start: usize, limit: usize) -> Option<usize> {
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

/// Whether the byte at `i` is backslash-escaped (odd run of `\` before it).
fn is_escaped(bytes: &[u8], i: usize) -> bool {
    bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

fn line_start(src: &str, pos: usize) -> usize {
    src.get(..pos)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |p| p + 1)
}

/// Tabs expanded to the next multiple of four columns.
fn expand_tabs(prefix: &str) -> String {
    let mut out = String::new();
    for c in prefix.chars() {
        if c == '\t' {
            let width = 4 - out.chars().count() % 4;
            out.extend(std::iter::repeat_n(' ', width));
        } else {
            out.push(c);
        }
    }
    out
}

/// The container prefix for the lines after the first: block-quote markers
/// stay, list markers and everything else become spaces.
fn continuation_prefix(prefix: &str) -> String {
    expand_tabs(prefix)
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect()
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent check of the output: everything rustdoc would complain
    /// about or run, found by parsing the output again.
    fn problems(out: &str) -> Vec<String> {
        let bytes = out.as_bytes();
        let mut found = Vec::new();
        let mut links: Vec<bool> = Vec::new();
        let mut in_code = false;
        let mut fence: Option<(Range<usize>, usize)> = None;
        let parser = Parser::new_ext(out, options());
        for (label, def) in parser.reference_definitions().iter() {
            if rustdoc_would_resolve(&def.dest) {
                found.push(format!("intra-doc definition {label:?}"));
            }
        }
        for (event, range) in parser.into_offset_iter() {
            let at = || format!("{:?} at {range:?}", &out[range.clone()]);
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    found.push(format!("indented code {}", at()));
                    in_code = true;
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    if info.is_empty() || fence_info(&info).is_some() {
                        found.push(format!("testable fence {}", at()));
                    }
                    in_code = true;
                    fence = Some((range.clone(), range.start));
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((block, content_end)) = fence.take() {
                        let text = &out[block.clone()];
                        let first = text.as_bytes()[0];
                        let marker_len = text.bytes().take_while(|&b| b == first).count();
                        let open_end = block.start + text.find('\n').unwrap_or(text.len());
                        let after = content_end.max(open_end);
                        if !out[after..block.end].contains(&text[..marker_len]) {
                            found.push(format!("unclosed fence {}", at()));
                        }
                    }
                    in_code = false;
                }
                Event::Text(_) if in_code => {
                    if let Some((_, content_end)) = fence.as_mut() {
                        *content_end = range.end;
                    }
                }
                Event::Html(_) | Event::InlineHtml(_) => found.push(format!("html {}", at())),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    if !autolink && rustdoc_would_resolve(&dest_url) {
                        found.push(format!("intra-doc link {}", at()));
                    }
                    links.push(autolink);
                }
                Event::End(TagEnd::Link) => {
                    links.pop();
                }
                Event::Text(_) if !in_code && !links.contains(&true) => {
                    for i in range.clone() {
                        if matches!(bytes[i], b'[' | b']' | b'<' | b'>') && !is_escaped(bytes, i) {
                            found.push(format!("bracket {}", at()));
                        }
                        if links.is_empty() && bare_url_end(bytes, i, range.end).is_some() {
                            found.push(format!("bare url {}", at()));
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }

    /// clippy's `doc_lazy_continuation` and `doc_overindented_list_items`,
    /// counted the way clippy counts: the `>` and spaces between a soft or
    /// hard break and the next event, against the open quotes and the
    /// content offsets of the open items.
    fn lazy_problems(out: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut quotes = 0;
        let mut items: Vec<usize> = Vec::new();
        let mut opened: Vec<bool> = Vec::new();
        let mut footnote = false;
        let mut events = Parser::new_ext(out, options())
            .into_offset_iter()
            .peekable();
        while let Some((event, range)) = events.next() {
            match event {
                Event::Start(Tag::BlockQuote(_)) => {
                    quotes += 1;
                    opened.push(true);
                }
                Event::Start(Tag::Item) => {
                    let mut next = match events.peek() {
                        Some((Event::End(_), next)) => next.end,
                        Some((_, next)) => next.start,
                        None => 0,
                    };
                    let label = out.get(range.start..next).and_then(|head| {
                        let open = head.find('[')?;
                        head[open..].contains(']').then_some(open)
                    });
                    if let Some(open) = label {
                        next = range.start + open;
                    } else if next > 0 && out.as_bytes()[next - 1] == b'\\' {
                        next -= 1;
                    }
                    items.push(next.saturating_sub(range.start));
                    opened.push(false);
                }
                Event::End(TagEnd::BlockQuote(_) | TagEnd::Item) => {
                    if opened.pop() == Some(true) {
                        quotes -= 1;
                    } else {
                        items.pop();
                    }
                }
                Event::Start(Tag::FootnoteDefinition(_)) => footnote = true,
                Event::End(TagEnd::FootnoteDefinition) => footnote = false,
                Event::SoftBreak | Event::HardBreak if !opened.is_empty() && !footnote => {
                    let Some((next_event, next)) = events.peek() else {
                        continue;
                    };
                    if matches!(next_event, Event::End(_)) {
                        continue;
                    }
                    let lead = &out[range.end..next.start];
                    let markers = lead.matches('>').count();
                    let spaces = lead.matches(' ').count();
                    let indentation: usize = items.iter().sum();
                    if markers < quotes {
                        found.push(format!("quote line without `>` at {}", range.end));
                    } else if markers != 0 && quotes != 0 {
                        // clippy looks no further inside quotes.
                    } else if spaces < indentation {
                        found.push(format!("list line without indentation at {}", range.end));
                    } else if spaces > indentation {
                        found.push(format!("list line overindented at {}", range.end));
                    }
                }
                _ => {}
            }
        }
        found
    }

    /// Sanitizes, and checks safety, idempotence and the line shape.
    fn check(markdown: &str) -> String {
        let out = sanitize(markdown);
        let mut found = problems(&out);
        found.extend(lazy_problems(&out));
        assert!(found.is_empty(), "{markdown:?} -> {out:?}: {found:?}");
        assert_eq!(sanitize(&out), out, "not idempotent for {markdown:?}");
        for line in out.lines() {
            assert_eq!(line, line.trim_end(), "trailing whitespace in {out:?}");
        }
        assert!(!out.contains('\r'));
        assert!(!out.contains('\t'), "tab in {out:?}");
        out
    }

    /// `check`, plus: the input was rustdoc-safe already, so the output
    /// must render exactly like it.
    fn check_same(markdown: &str) -> String {
        let out = check(markdown);
        assert_eq!(
            rendering(&out),
            rendering(markdown),
            "{markdown:?} -> {out:?}"
        );
        out
    }

    #[test]
    fn bare_fence_becomes_text() {
        assert_eq!(check("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
    }

    #[test]
    fn rustish_fences_become_text() {
        for info in [
            "rust",
            "ignore",
            "no_run",
            "should_panic",
            "compile_fail",
            "edition2021",
            "rust,ignore",
            "  ",
            "should-panic",
            "E0001",
            "{.class}",
        ] {
            let input = format!("```{info}\nfn main() {{}}\n```");
            assert_eq!(check(&input), "```text\nfn main() {}\n```", "{info:?}");
        }
    }

    #[test]
    fn other_languages_are_kept() {
        for info in ["json", "bash", "http", "sh", "c++", "yaml"] {
            let input = format!("```{info}\n{{\"a\": [1]}}\n```");
            assert_eq!(check(&input), input);
        }
        assert_eq!(
            check("```json,ignore\n{}\n```"),
            "```json\n{}\n```",
            "attribute tokens dropped"
        );
        assert_eq!(check("```bash no-run\nls\n```"), "```bash\nls\n```");
    }

    #[test]
    fn tilde_fences() {
        assert_eq!(check("~~~\nx [y] <z>\n~~~"), "~~~text\nx [y] <z>\n~~~");
        assert_eq!(check("~~~ json\n{}\n~~~"), "~~~ json\n{}\n~~~");
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(check("```\ncode [x]"), "```text\ncode [x]\n```");
        assert_eq!(
            check("Text\n\n```json\n{}\n\n\n"),
            "Text\n\n```json\n{}\n```"
        );
        assert_eq!(check("````\ncode\n```"), "````text\ncode\n```\n````");
        assert_eq!(check("```"), "");
        assert_eq!(check("a\n\n```json\n\n"), "a");
        assert_eq!(
            check("- item\n\n  ```\n  code\nafter"),
            "- item\n\n  ```text\n  code\n  ```\nafter"
        );
        assert_eq!(
            check("> ```rust\n> code\n\nafter"),
            "> ```text\n> code\n> ```\n\nafter"
        );
    }

    #[test]
    fn indented_block_becomes_fenced() {
        assert_eq!(
            check("Example:\n\n    GET /api/x [1] <y>\n      nested\n\n    more\n\nDone."),
            "Example:\n\n```text\nGET /api/x [1] <y>\n  nested\n\nmore\n```\n\nDone."
        );
        assert_eq!(check("\tcode"), "```text\ncode\n```");
        assert_eq!(
            check("- item\n\n      code\n- next"),
            "- item\n\n  ```text\n  code\n  ```\n- next"
        );
        assert_eq!(
            check("> q\n>\n>     code"),
            "> q\n>\n> ```text\n> code\n> ```"
        );
        assert_eq!(check("    a ``` b"), "````text\na ``` b\n````");
    }

    #[test]
    fn list_continuation_is_not_code() {
        // Not code but a continuation line, over-indented for clippy.
        assert_eq!(
            check_same("- item one\n    continues here\n- item two"),
            "- item one\n  continues here\n- item two"
        );
        let input = "1. First\n\n    More about the first.\n2. Second";
        assert_eq!(check(input), input);
    }

    #[test]
    fn stray_brackets_are_escaped() {
        assert_eq!(
            check("[A001201] /auth/authorization, TLS must be used."),
            "\\[A001201\\] /auth/authorization, TLS must be used."
        );
        assert_eq!(
            check("See [RFC 6749] and [^1] and a[0]."),
            "See \\[RFC 6749\\] and \\[^1\\] and a\\[0\\]."
        );
        assert_eq!(check("already \\[x\\] escaped"), "already \\[x\\] escaped");
        assert_eq!(
            check("[[nested] [brackets]]"),
            "\\[\\[nested\\] \\[brackets\\]\\]"
        );
        assert_eq!(check("[`Foo`]"), "\\[`Foo`\\]");
    }

    #[test]
    fn real_links_are_untouched() {
        for input in [
            "[Authlete](https://www.authlete.com/)",
            "See [the spec][rfc].\n\n[rfc]: https://www.rfc-editor.org/rfc/rfc6749",
            "[Jump](#section) and [mail](mailto:a@example.com)",
            "![logo](https://example.com/logo.png)",
            "[a page](page.html)",
        ] {
            assert_eq!(check(input), input);
        }
        assert_eq!(
            check("[see [1] here](https://x.example/)"),
            "[see \\[1\\] here](https://x.example/)"
        );
    }

    #[test]
    fn path_like_links_are_degraded() {
        assert_eq!(check("[x](Foo)"), "\\[x\\](Foo)");
        assert_eq!(check("[x](tel:123)"), "\\[x\\](tel:123)");
        assert_eq!(
            check("[x][r]\n\n[r]: Foo"),
            "\\[x\\]\\[r\\]\n\n\\[r\\]: Foo"
        );
        assert_eq!(check("[`Vec`](Vec)"), "\\[`Vec`\\](Vec)");
        // rustdoc checks definitions even when nothing uses them.
        assert_eq!(check("[r]: Foo"), "\\[r\\]: Foo");
        assert_eq!(
            check("> [r]: a#b#c\n>\n> [x][r]"),
            "> \\[r\\]: a#b#c\n>\n> \\[x\\]\\[r\\]"
        );
    }

    #[test]
    fn autolinks_are_untouched() {
        for input in [
            "<https://www.authlete.com/>",
            "Mail <support@example.com>.",
            "<https://x.example/?a[]=1&b=2>",
        ] {
            assert_eq!(check(input), input);
        }
    }

    #[test]
    fn angle_brackets_and_html_are_escaped() {
        assert_eq!(
            check("Set the token value in the `Authorization: Bearer <token>` header."),
            "Set the token value in the `Authorization: Bearer <token>` header."
        );
        assert_eq!(
            check("Authorization: Bearer <token>"),
            "Authorization: Bearer \\<token\\>"
        );
        assert_eq!(check("List<String>"), "List\\<String\\>");
        assert_eq!(check("a < b > c -> d"), "a \\< b \\> c -\\> d");
        assert_eq!(
            check("x <br> y <b>bold</b>"),
            "x \\<br\\> y \\<b\\>bold\\</b\\>"
        );
        assert_eq!(
            check("<div>\n<p>Hello [x]</p>\n</div>"),
            "\\<div\\>\n\\<p\\>Hello \\[x\\]\\</p\\>\n\\</div\\>"
        );
        assert_eq!(check("<!-- note -->"), "\\<!-- note --\\>");
    }

    #[test]
    fn html_with_indented_content_ends_up_fenced() {
        let out = check("<pre>\nline\n\n    indented\n</pre>");
        assert!(out.contains("```text\nindented\n```"), "{out}");
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            check("See https://www.authlete.com/ for details."),
            "See <https://www.authlete.com/> for details."
        );
        assert_eq!(
            check("(see https://example.com/a_(b), http://x.example/y)."),
            "(see <https://example.com/a_(b)>, <http://x.example/y>)."
        );
        assert_eq!(
            check("https://x.example/?a=1&amp;b=2&amp;"),
            "<https://x.example/?a=1&amp;b=2>&amp;"
        );
        assert_eq!(check("*https://x.example*"), "*<https://x.example>*");
        assert_eq!(check("http:// alone"), "http:// alone");
        assert_eq!(
            check("[https://x.example/](https://x.example/)"),
            "[https://x.example/](https://x.example/)"
        );
        assert_eq!(
            check("See https://x.example/[id] [1]"),
            "See <https://x.example/[id]> \\[1\\]"
        );
    }

    #[test]
    fn code_spans_are_untouched() {
        let input = "Use `[x]` and `<y>` and `https://z.example` here.";
        assert_eq!(check(input), input);
        let input = "``a ` [b] <c>``";
        assert_eq!(check(input), input);
    }

    #[test]
    fn authlete_curl_block() {
        assert_eq!(
            check("```\ncurl -X GET https://us.authlete.com/api/service/get/list\n```"),
            "```text\ncurl -X GET https://us.authlete.com/api/service/get/list\n```"
        );
    }

    #[test]
    fn authlete_like_description() {
        let input = "This API parses request parameters. See [ISSUE] in `NO\\_INTERACTION`.\r\n\
                     ### Description\r\n\
                     Log in to [Authlete Console](https://console.authlete.com) or see\r\n\
                     https://www.authlete.com/developers/ (docs).\r\n\
                     ```\r\n\
                     HTTP/1.1 400 Bad Request\r\n\
                     Content-Type: application/json\r\n\
                     {responseContent}\r\n\
                     ```\r\n\
                     Send `Authorization: Bearer <token>`; a token looks like <token>.  \r\n";
        assert_eq!(
            check(input),
            "This API parses request parameters. See \\[ISSUE\\] in `NO\\_INTERACTION`.\n\
             ### Description\n\
             Log in to [Authlete Console](https://console.authlete.com) or see\n\
             <https://www.authlete.com/developers/> (docs).\n\
             ```text\n\
             HTTP/1.1 400 Bad Request\n\
             Content-Type: application/json\n\
             {responseContent}\n\
             ```\n\
             Send `Authorization: Bearer <token>`; a token looks like \\<token\\>."
        );
    }

    #[test]
    fn structure_is_preserved() {
        let input = "# Title\n\nSome *emphasis* and **strong**.\n\n- a\n- b\n  1. c\n\n| h1 | h2 |\n|----|----|\n| `a\\|b` | c |\n\n> quoted\n\n---\n\n- [x] done\n- [ ] todo\n\nline one\\\nline two\n\nfoot[^n]\n\n[^n]: note";
        assert_eq!(check(input), input);
    }

    #[test]
    fn whitespace_is_normalized() {
        assert_eq!(
            check("\r\n\r\n  a  \r\nb\t\r\n\r\n\r\n\r\nc\n\n\n"),
            "  a\\\nb\n\nc"
        );
        assert_eq!(check("one\n\n\nthree"), "one\n\nthree");
        assert_eq!(check("a\rb"), "a\nb");
        assert_eq!(check("```json\n{\n\n\n}\n```"), "```json\n{\n\n\n}\n```");
        assert_eq!(check("x\u{202E}y"), "xy");
    }

    #[test]
    fn hard_breaks_survive() {
        assert_eq!(check("a  \nb"), "a\\\nb");
        assert_eq!(check("a\\\nb"), "a\\\nb");
    }

    #[test]
    fn extra_table_cells_are_kept_in_the_last_cell() {
        assert_eq!(
            check("| a | b |\n|---|---|\n| 1 | 2 | 3 |"),
            "| a | b |\n|---|---|\n| 1 | 2 \\| 3 |"
        );
    }

    #[test]
    fn lazy_list_lines_get_the_item_indentation() {
        assert_eq!(
            check_same(
                "- If the value of `subject_type` is `PAIRWISE`,\n\
                 the value of `subject` is computed\n\
                 from the sector identifier.\n\
                 - Otherwise it is the subject."
            ),
            "- If the value of `subject_type` is `PAIRWISE`,\n  \
             the value of `subject` is computed\n  \
             from the sector identifier.\n\
             - Otherwise it is the subject."
        );
        assert_eq!(check_same("1. first\nmore"), "1. first\n   more");
        assert_eq!(check_same("10) tenth\n more"), "10) tenth\n    more");
        assert_eq!(check_same("* a\n *b*"), "* a\n  *b*");
        assert_eq!(check_same("-   wide\nlazy"), "-   wide\n    lazy");
        assert_eq!(check_same(" - indented\nlazy"), " - indented\n   lazy");
        // A second paragraph of a loose item, and an item inside the text.
        assert_eq!(check_same("- a\n\n  b\nc\n\n- d"), "- a\n\n  b\n  c\n\n- d");
        // Hard breaks (the trailing-space kind becomes a backslash).
        assert_eq!(check("- a  \nb\\\nc"), "- a\\\n  b\\\n  c");
        // Escapes and inline markup at the start of the lazy line.
        assert_eq!(
            check_same("- a\n\\[x\\] `y` [z](https://z.example/)"),
            "- a\n  \\[x\\] `y` [z](https://z.example/)"
        );
        assert_eq!(check("- a\n[x]"), "- a\n  \\[x\\]");
        // Already explicit lines are left alone.
        for input in ["- a\n  b", "1. a\n   b", "- a\n\nb"] {
            assert_eq!(check_same(input), input);
        }
    }

    #[test]
    fn lazy_quote_lines_get_the_quote_markers() {
        assert_eq!(
            check_same(
                "> When the OP determines, either through the claims_locales parameter, that\n  \
                 the End-User and Client are requesting Claims in only one set of languages,\n\
                 the OP SHOULD return Claims without language tags.\n\nAfter."
            ),
            "> When the OP determines, either through the claims_locales parameter, that\n> \
             the End-User and Client are requesting Claims in only one set of languages,\n> \
             the OP SHOULD return Claims without language tags.\n\nAfter."
        );
        assert_eq!(check_same(">a\nb"), ">a\n> b");
        assert_eq!(check_same("   > a\n    b"), "   > a\n> b");
        assert_eq!(check_same("> a\\\nb"), "> a\\\n> b");
        // Together with the other rewrites.
        assert_eq!(
            check("> Bearer <token>\n\thttps://x.example/ [y]"),
            "> Bearer \\<token\\>\n> <https://x.example/> \\[y\\]"
        );
        for input in ["> a\n> b", ">a\n>b", "> a\n\nb", "> a\n>\n> b"] {
            assert_eq!(check_same(input), input);
        }
    }

    #[test]
    fn lazy_lines_in_nested_containers() {
        // Nested quotes: every level's marker.
        assert_eq!(check_same("> > a\nb"), "> > a\n> > b");
        assert_eq!(check_same(">> a\n> b"), ">> a\n> > b");
        assert_eq!(check_same("> a\n>\n> > b\nc"), "> a\n>\n> > b\n> > c");
        // Lists in quotes: the marker, then the item indentation.
        assert_eq!(check_same("> - a\nb"), "> - a\n>   b");
        assert_eq!(check_same("> - a\n> b"), "> - a\n>   b");
        assert_eq!(check_same(">- a\n>b"), ">- a\n>   b");
        assert_eq!(check_same("> 1. a\n>    b\nc"), "> 1. a\n>    b\n>    c");
        // Quotes in lists: the indentation, then the marker.
        assert_eq!(check_same("- > a\nb"), "- > a\n  > b");
        assert_eq!(check_same("- x\n\n  > a\n  b"), "- x\n\n  > a\n  > b");
        assert_eq!(check_same("1. > - a\nb"), "1. > - a\n   >   b");
        // Nested lists.
        assert_eq!(check_same("- a\n  - b\nc"), "- a\n  - b\n    c");
        assert_eq!(check_same("- a\n  - b\n  c"), "- a\n  - b\n    c");
        assert_eq!(check_same("- - b\nc"), "- - b\n    c");
        assert_eq!(
            check_same("1. a\n   - b\n     1. c\nd\n- e"),
            "1. a\n   - b\n     1. c\n        d\n- e"
        );
        // Inside code blocks nothing is a continuation line.
        assert_eq!(
            check_same("- a\n\n  ```json\n  [1,\n   2]\n  ```\n  b\nc"),
            "- a\n\n  ```json\n  [1,\n   2]\n  ```\n  b\n  c"
        );
        let input = "> ```json\n> [1,\n> 2]\n> ```\n> x\n> y";
        assert_eq!(check_same(input), input);
        // Footnote definitions are left as they are (clippy skips them too).
        let input = "a[^n]\n\n[^n]: - b\nc";
        assert_eq!(check_same(input), input);
    }

    #[test]
    fn lazy_lines_that_would_start_a_block_are_escaped() {
        // Made explicit, these would underline a heading.
        assert_eq!(check_same("> a\n==="), "> a\n> \\===");
        assert_eq!(check_same("- a\n--"), "- a\n  \\--");
        assert_eq!(check_same("> a\nb\n==="), "> a\n> b\n> \\===");
        // Indented too far to start a list where it is; not once explicit.
        assert_eq!(check_same("-    a\n    1. b"), "-    a\n     1\\. b");
        assert_eq!(check_same("> a\n    1) b"), "> a\n> 1\\) b");
        assert_eq!(check_same("> a\n    10) b"), "> a\n> 10) b");
        assert_eq!(check_same("> a\n    + b"), "> a\n> \\+ b");
    }

    #[test]
    fn overindented_list_lines_get_the_item_indentation() {
        // From the Box API: `* ` content starts at column 2, not 3.
        assert_eq!(
            check_same(
                "* `company` - only provides access to this item to people the same company\n\
                 * `collaborators` - only provides access to this item to people who are\n   \
                 collaborators on this item\n\n\
                 If this field is omitted"
            ),
            "* `company` - only provides access to this item to people the same company\n\
             * `collaborators` - only provides access to this item to people who are\n  \
             collaborators on this item\n\n\
             If this field is omitted"
        );
        assert_eq!(check_same("1. a\n      b\n      c"), "1. a\n   b\n   c");
        assert_eq!(check_same("10) a\n      b"), "10) a\n    b");
        assert_eq!(check_same("-   wide\n     b"), "-   wide\n    b");
        // Four columns past the content or more is still no code block.
        assert_eq!(check_same("- a\n            b"), "- a\n  b");
        // Hard breaks, and escapes at the start of the line.
        assert_eq!(check("- a  \n     b\\\n   c"), "- a\\\n  b\\\n  c");
        assert_eq!(check_same("- a\n     \\[x\\]"), "- a\n  \\[x\\]");
        // Later paragraphs of an item: clippy checks the lines after a break
        // only, so a paragraph's first line keeps its indentation.
        assert_eq!(check_same("- a\n\n   b\n   c"), "- a\n\n   b\n  c");
    }

    #[test]
    fn overindented_lines_in_nested_containers() {
        // Nested lists: the indentation of all items, no more.
        assert_eq!(check_same("- a\n  - b\n       c"), "- a\n  - b\n    c");
        assert_eq!(check_same("- - b\n       c"), "- - b\n    c");
        assert_eq!(
            check_same("1. a\n   - b\n     1. c\n            d\n- e"),
            "1. a\n   - b\n     1. c\n        d\n- e"
        );
        // Back in the outer item after a blank line.
        assert_eq!(
            check_same("- a\n  - b\n\n  c\n     d"),
            "- a\n  - b\n\n  c\n  d"
        );
        // Lists in quotes (which clippy does not check): the same.
        assert_eq!(check_same("> - a\n>      b"), "> - a\n>   b");
        assert_eq!(check_same(">- a\n>     b"), ">- a\n>   b");
        assert_eq!(check_same("> 1. a\n>         b"), "> 1. a\n>    b");
        // A quote innermost: spaces around its `>` are its own business.
        for input in ["- > a\n  >   b", "- > a\n     > b", "> a\n>   b"] {
            assert_eq!(check_same(input), input);
        }
    }

    #[test]
    fn overindented_lines_that_would_start_a_block_are_escaped() {
        // Moved left, these would start a list, a heading, a rule, a heading
        // underline or a code block.
        assert_eq!(check_same("- a\n      - b"), "- a\n  \\- b");
        assert_eq!(check_same("- a\n      + b"), "- a\n  \\+ b");
        assert_eq!(check_same("1. a\n       1. b"), "1. a\n   1\\. b");
        assert_eq!(check_same("- a\n      # b"), "- a\n  \\# b");
        assert_eq!(check_same("- a\n      ***"), "- a\n  \\***");
        assert_eq!(check_same("- a\n      ==="), "- a\n  \\===");
        assert_eq!(check_same("- a\n      ```"), "- a\n  \\```");
        // An ordered list may not interrupt a paragraph unless it starts at 1.
        assert_eq!(check_same("1. a\n       2. b"), "1. a\n   2. b");
        // A `>` in the text was escaped anyway.
        assert_eq!(check("- a\n      > b"), "- a\n  \\> b");
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(check("x\ty"), "x   y");
        assert_eq!(check("ab\tc\td"), "ab  c   d");
        assert_eq!(check("- a\n\tb"), "- a\n  b");
        assert_eq!(check(">\tquoted"), ">   quoted");
        assert_eq!(check("`a\tb`"), "`a  b`");
        assert_eq!(check("```json\n{\t}\n```"), "```json\n{   }\n```");
        // Trailing tabs: a hard break when two bytes or more, as parsed.
        assert_eq!(check("a\t\nb"), "a\nb");
        assert_eq!(check("a \t\nb"), "a\\\nb");
        assert_eq!(check("a\t\t\nb\t"), "a\\\nb");
    }

    #[test]
    fn doc_lines_splits_and_trims() {
        assert!(doc_lines("").is_empty());
        assert!(doc_lines(" \n\t\r\n  ").is_empty());
        assert_eq!(
            doc_lines("\n\nFirst [x].\n\n\n\nSecond.  \n\n"),
            vec!["First \\[x\\].", "", "Second."]
        );
    }

    #[test]
    fn idempotent_on_examples() {
        for input in [
            "[A001201] /auth/authorization, TLS must be used.",
            "Authorization: Bearer <token>",
            "<div>\n\n    code\n</div>",
            "- ```\n  code\nnot",
            "x https://a.example/b. [c](d)",
        ] {
            let once = check(input);
            assert_eq!(sanitize(&once), once);
        }
    }

    /// Deterministic xorshift, to need no extra dev-dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn arbitrary_input_never_panics_and_is_safe() {
        const PIECES: &[&str] = &[
            "`",
            "``",
            "```",
            "~~~",
            "```rust",
            "```json",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "\\",
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            "    ",
            "\t",
            " ",
            "  ",
            "- ",
            "* ",
            "1. ",
            "> ",
            ">",
            "*",
            "_",
            "#",
            "|",
            "|---|",
            "!",
            "&",
            "&amp;",
            ";",
            ":",
            "http://",
            "https://",
            "a.example/",
            "x",
            "word",
            "é",
            "日本語",
            "🦀",
            "\u{202E}",
            "\u{0}",
            "<div>",
            "</div>",
            "<!--",
            "-->",
            "<pre>",
            "[^1]",
            "[^1]: ",
            "[r]: ",
            "Foo",
            "#a#b",
            "\"",
            "'",
            "---",
            "===",
            "@",
            "<https://x.example>",
            "[l](https://x.example/)",
            "[l](Foo)",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..4000 {
            let len = rng.below(40);
            let input: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            check(&input);
            for line in doc_lines(&input) {
                assert!(!line.contains('\n'));
            }
        }
        // Raw bytes as text, lossily.
        for _ in 0..1000 {
            let len = rng.below(64);
            let raw: Vec<u8> = (0..len).map(|_| (rng.next() % 256) as u8).collect();
            check(&String::from_utf8_lossy(&raw));
        }
    }
}
