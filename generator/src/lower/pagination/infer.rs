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
//!
//! One shape takes its cursor from the items instead (Stripe's lists): an optional query
//! parameter `starting_after`, a page with exactly one array property whose items are objects
//! with a string `id`, and a boolean `has_more`; the next page starts after the last item's
//! `id`, and `has_more: false` ends the stream.

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
    after_last_id(api, op, &items.name, &items.ty)
}

/// The `starting_after` shape: the next cursor is the `id` of the page's last item, and only
/// with a `has_more` flag (without one, a wrong guess could not end).
fn after_last_id(api: &Api, op: &Operation, items: &str, ty: &TypeRef) -> Option<Plan> {
    let optional_query = op
        .params
        .iter()
        .any(|p| p.name == "starting_after" && p.location == ParamLocation::Query && !p.required);
    let more = more_flag(api, op).filter(|(name, _)| name[..] == ["has_more"])?;
    let TypeRef::List(item) = strip(api, ty) else {
        return None;
    };
    let TypeRef::Named(item) = strip(api, &item) else {
        return None;
    };
    let TypeKind::Struct(item) = &api.type_def(&item)?.kind else {
        return None;
    };
    let string_id = item
        .fields
        .iter()
        .any(|f| f.name == "id" && strip(api, &f.ty) == TypeRef::Primitive(Primitive::String));
    (optional_query && string_id).then(|| Plan {
        source: "inferred",
        results: JsonPath::Plain(vec![items.to_owned()]),
        style: PlannedStyle::Cursor {
            param: "starting_after".to_owned(),
            next: JsonPath::LastItem(vec![items.to_owned()], vec!["id".to_owned()]),
        },
        more: Some(more),
    })
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

#[cfg(test)]
mod tests {
    use crate::ir::PageStyle;

    /// The pagination inferred for `GET /things` with these parameters and page properties.
    fn inferred(params: &str, properties: &str) -> Option<PageStyle> {
        let text = format!(
            "openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /things:
    get:
      operationId: list_things
      parameters: [{params}]
      responses:
        '200':
          description: A page
          content:
            application/json:
              schema: {{type: object, properties: {{{properties}}}}}
"
        );
        let doc = crate::load::load_bytes(std::path::Path::new("t.yaml"), text.as_bytes())
            .expect("the document loads");
        let api = crate::lower::lower(&doc).expect("it lowers");
        let (_, op) = api.operations().next().expect("one operation");
        op.pagination.as_ref().map(|p| p.style.clone())
    }

    const ITEMS: &str = "data: {type: array, items: {type: string}}";

    #[test]
    fn the_cursor_shape_is_inferred() {
        let style = inferred(
            "{name: iterator, in: query, schema: {type: string}}",
            &format!(
                "{ITEMS}, iterator: {{type: string, nullable: true}}, done: {{type: boolean}}"
            ),
        );
        assert!(
            matches!(&style, Some(PageStyle::Cursor { param, next, in_last_item: false })
                if param == "iterator" && next.dotted() == "iterator"),
            "{style:?}"
        );
        let style = inferred(
            "{name: pageToken, in: query, schema: {type: string}}",
            &format!("{ITEMS}, nextPageToken: {{type: string}}"),
        );
        assert!(matches!(style, Some(PageStyle::Cursor { .. })), "{style:?}");
    }

    #[test]
    fn starting_after_pages_by_the_last_items_id() {
        let items = "data: {type: array, items: {type: object, required: [id], properties: {id: {type: string}}}}";
        let param = "{name: starting_after, in: query, schema: {type: string}}";
        let style = inferred(param, &format!("{items}, has_more: {{type: boolean}}"));
        assert!(
            matches!(&style, Some(PageStyle::Cursor { param, next, in_last_item: true })
                if param == "starting_after" && next.dotted() == "id"),
            "{style:?}"
        );
        // Without `has_more`, with items that have no string id, or with a required cursor:
        // not paged.
        assert_eq!(inferred(param, items), None);
        let numbered =
            "data: {type: array, items: {type: object, properties: {id: {type: integer}}}}";
        assert_eq!(
            inferred(param, &format!("{numbered}, has_more: {{type: boolean}}")),
            None
        );
        let required = "{name: starting_after, in: query, required: true, schema: {type: string}}";
        assert_eq!(
            inferred(required, &format!("{items}, has_more: {{type: boolean}}")),
            None
        );
    }

    #[test]
    fn anything_less_is_not() {
        let next = "next_cursor: {type: string}";
        for (params, properties) in [
            // A required cursor, a header, a name that is no cursor, the wrong next field.
            (
                "{name: cursor, in: query, required: true, schema: {type: string}}",
                format!("{ITEMS}, {next}"),
            ),
            (
                "{name: cursor, in: header, schema: {type: string}}",
                format!("{ITEMS}, {next}"),
            ),
            (
                "{name: after, in: query, schema: {type: string}}",
                format!("{ITEMS}, after: {{type: string}}"),
            ),
            (
                "{name: cursor, in: query, schema: {type: string}}",
                format!("{ITEMS}, next_marker: {{type: string}}"),
            ),
            // No array, two arrays, a next cursor that is no string.
            (
                "{name: cursor, in: query, schema: {type: string}}",
                next.to_owned(),
            ),
            (
                "{name: cursor, in: query, schema: {type: string}}",
                format!("{ITEMS}, order: {{type: array, items: {{type: string}}}}, {next}"),
            ),
            (
                "{name: cursor, in: query, schema: {type: string}}",
                format!("{ITEMS}, next_cursor: {{type: integer}}"),
            ),
        ] {
            assert_eq!(
                inferred(params, &properties),
                None,
                "{params} / {properties}"
            );
        }
    }
}
