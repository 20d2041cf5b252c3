//! One rewrite pass: walks `pulldown-cmark`'s events with their byte ranges and collects the
//! edits (insertions and replacements of source ranges) that make the text rustdoc-safe. The
//! per-construct fixes are in the sibling modules: `inline`, `links`, `code_blocks`.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};

use super::links::rustdoc_would_resolve;
use super::text::line_start;
use super::{apply_edits, options};

/// One rewrite pass over `src`.
pub(super) fn rewrite(src: &str) -> String {
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

/// What kind of link the events currently belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FrameKind {
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

pub(super) struct Frame {
    pub(super) kind: FrameKind,
    pub(super) range: Range<usize>,
    /// Source ranges of the events inside; what is left over is syntax.
    pub(super) children: Vec<Range<usize>>,
}

/// A code block being read.
pub(super) struct CodeState {
    pub(super) range: Range<usize>,
    pub(super) fenced: bool,
    /// Content as the parser sees it: dedented, container markers stripped.
    pub(super) content: String,
    /// Where the last content line starts (after container markers).
    pub(super) last_text_start: Option<usize>,
    pub(super) text_end: usize,
}

/// Adjacent text events, escaped as one so URLs split by entities survive.
pub(super) struct TextRun {
    pub(super) range: Range<usize>,
    pub(super) wrap_urls: bool,
}

pub(super) struct Rewriter<'a> {
    pub(super) src: &'a str,
    pub(super) edits: Vec<(Range<usize>, String)>,
    pub(super) frames: Vec<Frame>,
    pub(super) code: Option<CodeState>,
    pub(super) run: Option<TextRun>,
    pub(super) last_cell_end: Option<usize>,
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

    pub(super) fn insert(&mut self, at: usize, text: &str) {
        self.edits.push((at..at, text.to_owned()));
    }
}
