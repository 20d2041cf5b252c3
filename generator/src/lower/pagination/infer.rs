//! Cursor paging recognised in documents that do not declare it.
//!
//! Conservative on purpose, since a wrong guess makes a stream that loops or stops early: an
//! operation is cursor-paged when it has an *optional query parameter* named like a cursor
//! (table [`PAIRS`]) and its JSON success body is an object with *exactly one array property*
//! (the items) and a *string property* that the same row names as the next cursor, and
//! optionally a boolean `has_more` / `hasMore` (another page when `true`) or `done` (when
//! `false`). Checked against the corpus: svix (`iterator` in, `{data, iterator, prevIterator,
//! done}` out) and Box (`marker` in, `{entries, next_marker, ..}` out). Box's folder-items,
//! trash and users lists also carry an `order` array (two arrays: not inferred), and they page
//! by marker only with `usemarker=true`, so leaving them out is right. Svix's `after` is a
//! timestamp filter, not a cursor, which is why `after` is not in the table.

use super::{JsonPath, Plan, PlannedStyle, strip};
use crate::ir::{Api, BodyMedia, Operation, ParamLocation, Primitive, Success, TypeKind, TypeRef};

/// Cursor parameter → the response properties that carry the next cursor.
const PAIRS: &[(&str, &[&str])] = &[
    ("cursor", &["next_cursor", "nextCursor"]),
    ("iterator", &["iterator", "next_iterator", "nextIterator"]),
    ("marker", &["next_marker", "nextMarker"]),
    ("page_token", &["next_page_token", "next_page"]),
    ("pageToken", &["nextPageToken"]),
    ("next_token", &["next_token"]),
    ("nextToken", &["nextToken"]),
    (
        "continuation_token",
        &["continuation_token", "next_continuation_token"],
    ),
    (
        "continuationToken",
        &["continuationToken", "nextContinuationToken"],
    ),
];

/// Booleans that say whether another page follows, and the value that means it does.
const MORE: &[(&str, bool)] = &[("has_more", true), ("hasMore", true), ("done", false)];

/// The plan for an undeclared operation that has the cursor shape, if it has.
pub(super) fn infer(api: &Api, op: &Operation) -> Option<Plan> {
    let fields = page_fields(api, op)?;
    let [items] = fields
        .iter()
        .filter(|f| matches!(strip(api, &f.ty), TypeRef::List(_)))
        .collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let is = |name: &str, primitive: Primitive| {
        fields
            .iter()
            .any(|f| f.name == name && strip(api, &f.ty) == TypeRef::Primitive(primitive))
    };
    for (param, next_names) in PAIRS {
        let optional_query = op
            .params
            .iter()
            .any(|p| p.name == *param && p.location == ParamLocation::Query && !p.required);
        if !optional_query {
            continue;
        }
        let Some(next) = next_names.iter().find(|n| is(n, Primitive::String)) else {
            continue;
        };
        return Some(Plan {
            source: "inferred",
            results: JsonPath::Plain(vec![items.name.clone()]),
            style: PlannedStyle::Cursor {
                param: (*param).to_owned(),
                next: JsonPath::Plain(vec![(*next).to_owned()]),
            },
            more: more_flag(api, op),
        });
    }
    None
}

/// A top-level boolean of the page saying whether another page follows (`has_more`,
/// `hasMore`, `done`): used by every style, declared or inferred, since such a flag means
/// the same everywhere and saves asking for an empty page.
pub(super) fn more_flag(api: &Api, op: &Operation) -> Option<(Vec<String>, bool)> {
    let fields = page_fields(api, op)?;
    MORE.iter()
        .find(|(name, _)| {
            fields.iter().any(|f| {
                f.name == *name && strip(api, &f.ty) == TypeRef::Primitive(Primitive::Bool)
            })
        })
        .map(|(name, when)| (vec![(*name).to_owned()], *when))
}

/// Where a page's items are for `Link`-header paging: the page itself when it is an array,
/// else its only array property.
pub(super) fn items_path(api: &Api, op: &Operation) -> Option<JsonPath> {
    if let Success::One(BodyMedia::Json, ty) = op.success() {
        if matches!(strip(api, ty), TypeRef::List(_)) {
            return Some(JsonPath::Plain(Vec::new()));
        }
    }
    let fields = page_fields(api, op)?;
    match fields
        .iter()
        .filter(|f| matches!(strip(api, &f.ty), TypeRef::List(_)))
        .collect::<Vec<_>>()[..]
    {
        [only] => Some(JsonPath::Plain(vec![only.name.clone()])),
        _ => None,
    }
}

/// The fields of the operation's JSON success body, when it is an object.
fn page_fields<'a>(api: &'a Api, op: &Operation) -> Option<&'a [crate::ir::Field]> {
    let Success::One(BodyMedia::Json, ty) = op.success() else {
        return None;
    };
    let TypeRef::Named(name) = strip(api, ty) else {
        return None;
    };
    match &api.type_def(&name)?.kind {
        TypeKind::Struct(s) => Some(&s.fields),
        _ => None,
    }
}
