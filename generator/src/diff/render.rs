//! A [`Diff`] as text (terminal), Markdown (CHANGELOG entry, pull-request comment) or JSON.
//!
//! All three list the changes in the diff's order (area, item, breaking first), so the output
//! is deterministic.
//!
//! # JSON shape
//!
//! ```json
//! {
//!   "format_version": 1,
//!   "old": { "label": "a.yaml", "title": "Authlete API Explorer", "version": "3.0.16" },
//!   "new": { "label": "b.yaml", "title": "Authlete API Explorer", "version": "3.0.16" },
//!   "summary": { "breaking": 1, "compatible": 2 },
//!   "changes": [
//!     {
//!       "severity": "breaking",            // "breaking" | "compatible"
//!       "area": "operations",              // "operations" | "types" | "servers" | "client"
//!       "item": "token().management().create_batch()",
//!       "member": null,                    // field / parameter / value / variant / status, or null
//!       "rule": "operation_removed",       // see the table in `generator::diff`
//!       "message": "removed (`POST /api/{serviceId}/auth/token/create/batch`)",
//!       "old": null,                       // old value (type, URL, name…), or null
//!       "new": null,                       // new value, or null
//!       "names": [                         // every Rust item named, and the crate it is in
//!         { "crate": "old", "path": { "kind": "method", "accessors": ["token", "management"], "method": "create_batch" } }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! `format_version` changes only when a field is removed or changes meaning.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Area, Change, Diff, Severity};

/// The output formats of `generator diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// Renders in the given format.
pub fn render(diff: &Diff, format: Format) -> String {
    match format {
        Format::Text => text(diff),
        Format::Markdown => markdown(diff),
        Format::Json => json(diff),
    }
}

fn versions(diff: &Diff) -> String {
    let (a, b) = (&diff.old, &diff.new);
    if a.title != b.title {
        format!("{} {} → {} {}", a.title, a.version, b.title, b.version)
    } else if a.version != b.version {
        format!("{} {} → {}", a.title, a.version, b.version)
    } else {
        format!("{} {} (version unchanged)", a.title, a.version)
    }
}

fn counts(diff: &Diff) -> (usize, usize) {
    (
        diff.count(Severity::Breaking),
        diff.count(Severity::Compatible),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Changes of one area and severity, grouped by item (in order).
fn grouped(diff: &Diff, area: Area, severity: Option<Severity>) -> Vec<(&str, Vec<&Change>)> {
    let mut out: Vec<(&str, Vec<&Change>)> = Vec::new();
    for c in &diff.changes {
        if c.area != area || severity.is_some_and(|s| s != c.severity) {
            continue;
        }
        match out.last_mut() {
            Some((item, list)) if *item == c.item => list.push(c),
            _ => out.push((&c.item, vec![c])),
        }
    }
    out
}

/// For a terminal: one section per area, one block per item, a severity column.
pub fn text(diff: &Diff) -> String {
    let mut out = String::new();
    let (breaking, compatible) = counts(diff);
    let _ = writeln!(out, "{} → {}", diff.old.label, diff.new.label);
    let _ = writeln!(out, "{}", versions(diff));
    if diff.changes.is_empty() {
        let _ = writeln!(out, "\nNo changes to the Rust API.");
        return out;
    }
    let _ = writeln!(
        out,
        "{}: {breaking} breaking, {compatible} compatible",
        plural(diff.changes.len(), "change", "changes")
    );
    for area in Area::ALL {
        let items = grouped(diff, area, None);
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", area.title());
        for (item, changes) in items {
            let _ = writeln!(out, "  {item}");
            for c in changes {
                let label = match c.severity {
                    Severity::Breaking => "BREAKING  ",
                    Severity::Compatible => "compatible",
                };
                let _ = writeln!(out, "    {label}  {}", c.message);
            }
        }
    }
    out
}

/// A complete Markdown report: a title, the summary and the changes (see [`markdown_body`]).
pub fn markdown(diff: &Diff) -> String {
    let mut out = format!(
        "## Rust API changes: `{}` → `{}`\n\n",
        diff.old.label, diff.new.label
    );
    out.push_str(&markdown_body(diff, 3));
    out
}

/// The summary line and the "Breaking changes" / "Compatible changes" sections, with
/// headings at `level` (`3` → `###`); used as is in `CHANGELOG.md`.
pub fn markdown_body(diff: &Diff, level: usize) -> String {
    let mut out = String::new();
    let (breaking, compatible) = counts(diff);
    let _ = write!(out, "{}.", versions(diff));
    if diff.changes.is_empty() {
        out.push_str(" No changes to the Rust API.\n");
        return out;
    }
    let _ = writeln!(
        out,
        " {}: **{breaking} breaking**, {compatible} compatible.",
        plural(breaking + compatible, "change", "changes")
    );
    let hashes = "#".repeat(level);
    for (severity, title) in [
        (Severity::Breaking, "Breaking changes"),
        (Severity::Compatible, "Compatible changes"),
    ] {
        if diff.count(severity) == 0 {
            continue;
        }
        let _ = writeln!(out, "\n{hashes} {title}");
        for area in Area::ALL {
            let items = grouped(diff, area, Some(severity));
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n**{}**\n", area.title());
            for (item, changes) in items {
                match changes.as_slice() {
                    [one] => {
                        let _ = writeln!(out, "- `{item}`: {}", one.message);
                    }
                    many => {
                        let _ = writeln!(out, "- `{item}`:");
                        for c in many {
                            let _ = writeln!(out, "  - {}", c.message);
                        }
                    }
                }
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Json<'a> {
    format_version: u32,
    old: &'a super::Side,
    new: &'a super::Side,
    summary: Summary,
    changes: &'a [Change],
}

#[derive(Serialize)]
struct Summary {
    breaking: usize,
    compatible: usize,
}

/// Pretty-printed JSON in the shape documented in the [module docs](self).
pub fn json(diff: &Diff) -> String {
    let (breaking, compatible) = counts(diff);
    let doc = Json {
        format_version: 1,
        old: &diff.old,
        new: &diff.new,
        summary: Summary {
            breaking,
            compatible,
        },
        changes: &diff.changes,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
