//! Paged operations: how one page leads to the next (decided by `lower/pagination.rs` from
//! `x-speakeasy-pagination`, `x-rust-pagination`, `x-dropshot-pagination`, a declared `Link`
//! response header, or the conservative cursor inference), and the names of the methods that
//! stream them.

use serde::Serialize;

use super::TypeRef;

/// A paged operation's streams: `{all_method}(..)` yields every item, `{pages_method}(..)`
/// every page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    /// The item stream's method, e.g. `list_all`.
    pub all_method: String,
    /// The page stream's method, e.g. `list_pages`.
    pub pages_method: String,
    /// The private function building the first request, shared by `op_with` and the
    /// paginator, e.g. `list_request`.
    pub request_fn: String,
    /// The type of one page: the operation's success body.
    pub page: TypeRef,
    /// The type of one item.
    pub item: TypeRef,
    /// The fields from the page down to its items array; empty when the page is the array.
    pub items: Vec<FieldStep>,
    pub style: PageStyle,
    /// A boolean in the page saying whether another page follows (`has_more`, `done`).
    pub more: Option<MoreFlag>,
    /// Where the paging was found: the extension's name, `Link header` or `inferred`.
    pub source: String,
}

/// One field on the way from a page to its items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldStep {
    /// The JSON name.
    pub json: String,
    /// The Rust field name.
    pub rust: String,
    /// The Rust field is an `Option`.
    pub optional: bool,
    /// The Rust field is boxed (a type cycle).
    pub boxed: bool,
}

/// A scalar in the page (a total, a cursor, a link, a flag): the fields down to it and what
/// it holds. The paginator reads it from the decoded page, not from the bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValuePath {
    pub steps: Vec<FieldStep>,
    pub leaf: Leaf,
}

impl ValuePath {
    /// `a.b`, for docs.
    pub fn dotted(&self) -> String {
        self.steps
            .iter()
            .map(|s| s.json.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The Rust type at the end of a [`ValuePath`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Leaf {
    /// `String`.
    Text,
    /// An integer or floating-point number.
    Number,
    Bool,
    /// A string enum (its `as_str()` is the value).
    Enum,
    /// `serde_json::Value`.
    Any,
}

/// A boolean in the page: another page follows when it equals `more_when`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoreFlag {
    /// The fields from the page's root.
    pub path: ValuePath,
    /// `true` for `has_more`-like flags, `false` for `done`.
    pub more_when: bool,
}

/// How the next page is asked for. Parameters are named as on the wire; each is an optional
/// query parameter of the operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PageStyle {
    /// An item offset, advanced by the items received.
    Offset {
        param: String,
        limit: Option<String>,
        /// The total item count.
        total: Option<ValuePath>,
    },
    /// A page number, counting up.
    Page {
        param: String,
        limit: Option<String>,
        /// The number of pages.
        pages: Option<ValuePath>,
    },
    /// `start` (inclusive) and `end` (exclusive) indexes (Authlete).
    Range {
        start: String,
        end: String,
        total: Option<ValuePath>,
    },
    /// An opaque cursor: from a page field, or from a field of the page's last item.
    Cursor {
        param: String,
        /// The next cursor: from the page's root, or (when `in_last_item`) from the last item.
        next: ValuePath,
        in_last_item: bool,
    },
    /// A page field holding the next page's URL.
    NextUrl { next: ValuePath },
    /// The `Link: <..>; rel="next"` response header.
    Link,
}

impl PageStyle {
    /// What ends the stream besides an empty page, for docs.
    pub fn end_condition(&self) -> String {
        let path = ValuePath::dotted;
        let short = |limit: &Option<String>| {
            limit
                .as_ref()
                .map(|l| format!("a page shorter than `{l}` asked for"))
        };
        let either = |a: Option<String>, b: Option<String>| {
            let parts: Vec<String> = a.into_iter().chain(b).collect();
            if parts.is_empty() {
                String::new()
            } else {
                format!("or {}", parts.join(" or "))
            }
        };
        match self {
            PageStyle::Offset { total, limit, .. } => either(
                total
                    .as_ref()
                    .map(|t| format!("when the offset reaches `{}`", path(t))),
                short(limit),
            ),
            PageStyle::Page { pages, limit, .. } => either(
                pages.as_ref().map(|p| format!("after page `{}`", path(p))),
                short(limit),
            ),
            PageStyle::Range { start, total, .. } => match total {
                Some(t) => format!("or when the next `{start}` reaches `{}`", path(t)),
                None => String::new(),
            },
            PageStyle::Cursor {
                next, in_last_item, ..
            } => {
                if *in_last_item {
                    format!("or when the last item has no `{}`", path(next))
                } else {
                    format!("or when `{}` is absent, null or empty", path(next))
                }
            }
            PageStyle::NextUrl { next } => {
                format!("or when `{}` is absent, null or empty", path(next))
            }
            PageStyle::Link => "or when the response has no `Link: <..>; rel=\"next\"`".to_owned(),
        }
    }
}
