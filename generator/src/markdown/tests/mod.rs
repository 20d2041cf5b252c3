//! Tests of the sanitizer: each output is checked independently (`problems` and
//! `lazy_problems` parse it again and look for whatever rustdoc or clippy would flag), for
//! idempotence, and, where the input was safe already, for rendering unchanged.

mod code_blocks;
mod containers;
mod inline;
mod properties;

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};

use super::code_blocks::fence_info;
use super::links::{bare_url_end, rustdoc_would_resolve};
use super::text::is_escaped;
use super::{options, rendering, sanitize};

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
