//! Which operations page, how, and under which names: `tests/fixtures/pagination.yaml` (one
//! operation per style, and the ones that must not page) and the inference on the corpus's
//! svix and Box documents.

use std::path::{Path, PathBuf};

use generator::ir::{Api, PageStyle, Pagination};
use generator::{Input, load_api};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn paged(api: &Api) -> Vec<(&str, &Pagination)> {
    api.operations()
        .filter_map(|(_, op)| op.pagination.as_ref().map(|p| (op.id.as_str(), p)))
        .collect()
}

#[test]
fn every_declared_style_and_the_inferred_cursor() {
    let (api, warnings) = load_api(&Input::spec(repo().join("tests/fixtures/pagination.yaml")))
        .expect("the fixture loads");
    let paged = paged(&api);
    let style = |id: &str| {
        paged
            .iter()
            .find(|(op, _)| *op == id)
            .map(|(_, p)| (p.source.as_str(), &p.style))
    };
    assert!(matches!(
        style("list_by_offset"),
        Some(("x-speakeasy-pagination", PageStyle::Offset { param, limit: Some(limit), total: None }))
            if param == "offset" && limit == "limit"
    ));
    assert!(matches!(
        style("list_by_page"),
        Some(("x-speakeasy-pagination", PageStyle::Page { pages: Some(pages), .. }))
            if pages.dotted() == "result.pages"
    ));
    assert!(matches!(
        style("list_by_cursor"),
        Some(("x-speakeasy-pagination", PageStyle::Cursor { param, next, in_last_item: true }))
            if param == "starting_after" && next.dotted() == "id"
    ));
    assert!(matches!(
        style("list_by_url"),
        Some(("x-speakeasy-pagination", PageStyle::NextUrl { next })) if next.dotted() == "links.next"
    ));
    assert!(matches!(
        style("list_by_range"),
        Some(("x-rust-pagination", PageStyle::Range { start, end, total: Some(total) }))
            if start == "start" && end == "end" && total.dotted() == "totalCount"
    ));
    assert!(matches!(
        style("list_dropshot"),
        Some(("x-dropshot-pagination", PageStyle::Cursor { param, next, in_last_item: false }))
            if param == "page_token" && next.dotted() == "next_page"
    ));
    assert!(matches!(
        style("list_linked"),
        Some(("Link header", PageStyle::Link))
    ));
    assert!(matches!(
        style("list_inferred"),
        Some(("inferred", PageStyle::Cursor { param, next, .. }))
            if param == "cursor" && next.dotted() == "next_cursor"
    ));
    assert!(matches!(
        style("list_inferred_after"),
        Some(("inferred", PageStyle::Cursor { param, next, in_last_item: true }))
            if param == "starting_after" && next.dotted() == "id"
    ));
    for id in [
        "list_opted_out",
        "list_bad_path",
        "list_required_cursor",
        "list_all",
    ] {
        assert!(style(id).is_none(), "{id} must not page");
    }
    // `has_more` is read wherever the page has it, declared or inferred.
    let cursor = paged
        .iter()
        .find(|(id, _)| *id == "list_by_cursor")
        .unwrap()
        .1;
    assert_eq!(
        cursor.more.as_ref().map(|m| (m.path.dotted(), m.more_when)),
        Some(("has_more".to_owned(), true))
    );
    // The items of a `$` page are the page; names are de-duplicated against the group.
    let linked = paged.iter().find(|(id, _)| *id == "list_linked").unwrap().1;
    assert!(linked.items.is_empty());
    let list = paged.iter().find(|(id, _)| *id == "list").unwrap().1;
    assert_eq!(
        (list.all_method.as_str(), list.pages_method.as_str()),
        ("list_all_2", "list_pages")
    );

    // The two operations that cannot page as declared are located warnings, not errors.
    let warnings: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    let bad = warnings
        .iter()
        .find(|w| w.contains("/paths/~1bad-path/get/x-speakeasy-pagination"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert!(
        bad.contains("pagination.yaml:") && bad.contains("`$.data[*].pet` is not supported"),
        "{bad}"
    );
    let required = warnings
        .iter()
        .find(|w| w.contains("/paths/~1required-cursor/get"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert!(required.contains("`cursor` is required"), "{required}");
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains("no stream methods"))
            .count(),
        2,
        "{warnings:#?}"
    );
}

fn corpus(name: &str, file: &str) -> Option<Api> {
    let path = repo().join("../shared/specs/corpus").join(name).join(file);
    // The corpus lives beside the repository; without it there is nothing to check.
    path.exists().then(|| {
        load_api(&Input::spec(path))
            .expect("the corpus document loads")
            .0
    })
}

#[test]
fn inference_on_svix_pages_by_iterator_and_never_by_after() {
    let Some(api) = corpus("svix", "lib-openapi.json") else {
        return;
    };
    let paged = paged(&api);
    // Every list with an `iterator` parameter and a `{data, iterator, done}` page: 37
    // operations take `iterator` or `after`; the three `skip` POSTs answer no body and the
    // attempt count takes only `after` (a timestamp).
    assert_eq!(
        paged.len(),
        33,
        "{:#?}",
        paged.iter().map(|p| p.0).collect::<Vec<_>>()
    );
    for (id, p) in &paged {
        assert_eq!(p.source, "inferred", "{id}");
        assert!(
            matches!(&p.style, PageStyle::Cursor { param, next, in_last_item: false }
                if param == "iterator" && next.dotted() == "iterator"),
            "{id}: {:?}",
            p.style
        );
        assert_eq!(p.items[0].json, "data", "{id}");
        let more = p.more.as_ref().expect("svix pages say `done`");
        assert_eq!(
            (more.path.dotted().as_str(), more.more_when),
            ("done", false),
            "{id}"
        );
    }
}

#[test]
fn inference_on_box_pages_by_marker_where_marker_is_the_only_paging() {
    let Some(api) = corpus("box", "openapi.json") else {
        return;
    };
    let paged = paged(&api);
    let ids: Vec<&str> = paged.iter().map(|p| p.0).collect();
    for (id, p) in &paged {
        assert!(
            matches!(&p.style, PageStyle::Cursor { param, next, .. }
                if param == "marker" && next.dotted() == "next_marker"),
            "{id}: {:?}",
            p.style
        );
        assert_eq!(p.items[0].json, "entries", "{id}");
    }
    // Folder items, trash and users also page by offset and by marker only with
    // `usemarker=true`; their pages hold a second array (`order`), so they are left alone.
    for id in [
        "get_folders_id_items",
        "get_folders_trash_items",
        "get_users",
    ] {
        assert!(!ids.contains(&id), "{id} must not be inferred: {ids:?}");
    }
    // 41 operations take `marker`: those three, and the device pinners, whose
    // `next_marker` is an integer, are not inferred.
    assert_eq!(paged.len(), 37, "{ids:#?}");
}
