//! Runs inside the crate generated from `tests/fixtures/pagination.yaml` (see
//! `tests/pagination.rs`): every paging style's streams against wiremock on 127.0.0.1.

use std::time::Duration;

use fixture_pagination::apis::{other, pets};
use fixture_pagination::{Client, Error, RequestOptions, models};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .build()
        .expect("client builds")
}

fn pets(ids: std::ops::RangeInclusive<u32>) -> Vec<Value> {
    ids.map(|i| json!({"id": format!("p{i}"), "name": format!("pet {i}")}))
        .collect()
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

fn number(request: &Request, name: &str) -> Option<u32> {
    query(request, name).and_then(|v| v.parse().ok())
}

/// Answers `GET {route}` with what `respond` makes of each request.
async fn serve(
    server: &MockServer,
    route: &str,
    respond: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(respond)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn ids(items: Vec<Result<models::Pet, Error>>) -> Vec<String> {
    items
        .into_iter()
        .map(|item| item.expect("no error").id)
        .collect()
}

fn expected(ids: std::ops::RangeInclusive<u32>) -> Vec<String> {
    ids.map(|i| format!("p{i}")).collect()
}

fn pagination_error(item: Option<Result<models::Pet, Error>>) -> String {
    match item {
        Some(Err(error @ Error::Pagination { .. })) => error.to_string(),
        other => panic!("expected a pagination error, got {other:?}"),
    }
}

#[tokio::test]
async fn offset_advances_by_items_and_stops_at_a_short_page() {
    let server = MockServer::start().await;
    serve(&server, "/offset", |r| {
        let offset = number(r, "offset").unwrap_or(0);
        let limit = number(r, "limit").unwrap_or(10);
        let last = (offset + limit).min(5);
        ResponseTemplate::new(200).set_body_json(json!({"data": pets(offset + 1..=last)}))
    })
    .await;
    let items: Vec<_> = client(&server.uri())
        .pets()
        .list_by_offset_all(pets::PetsListByOffsetParams::new().limit(2))
        .collect()
        .await;
    assert_eq!(ids(items), expected(1..=5));
    let offsets: Vec<Option<u32>> = requests(&server)
        .await
        .iter()
        .map(|r| number(r, "offset"))
        .collect();
    // The third page holds one pet, fewer than `limit`: the last one.
    assert_eq!(offsets, [None, Some(2), Some(4)]);
}

#[tokio::test]
async fn page_numbers_count_up_to_num_pages() {
    let server = MockServer::start().await;
    serve(&server, "/paged", |r| {
        let page = number(r, "page").unwrap_or(1);
        ResponseTemplate::new(200)
            .set_body_json(json!({"result": {"pages": 3, "pets": pets(page * 10..=page * 10)}}))
    })
    .await;
    let items: Vec<_> = client(&server.uri())
        .pets()
        .list_by_page_all(pets::PetsListByPageParams::new())
        .collect()
        .await;
    assert_eq!(ids(items), ["p10", "p20", "p30"]);
    let pages: Vec<Option<u32>> = requests(&server)
        .await
        .iter()
        .map(|r| number(r, "page"))
        .collect();
    assert_eq!(pages, [None, Some(2), Some(3)]);
}

#[tokio::test]
async fn cursor_from_the_last_item_until_has_more_is_false() {
    let server = MockServer::start().await;
    serve(&server, "/cursor", |r| {
        let (data, more) = match query(r, "starting_after").as_deref() {
            None => (pets(1..=2), true),
            Some("p2") => (pets(3..=4), true),
            Some("p4") => (pets(5..=5), false),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "has_more": more}))
    })
    .await;
    let items: Vec<_> = client(&server.uri())
        .pets()
        .list_by_cursor_all(pets::PetsListByCursorParams::new())
        .collect()
        .await;
    assert_eq!(ids(items), expected(1..=5));
    assert_eq!(requests(&server).await.len(), 3, "has_more: false ends it");
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_and_the_end() {
    let server = MockServer::start().await;
    serve(&server, "/cursor", |r| {
        // The second page ends with the item the first ended with.
        let data = match query(r, "starting_after").as_deref() {
            None => json!([{"id": "p1"}, {"id": "p2"}]),
            _ => json!([{"id": "p3"}, {"id": "p2"}]),
        };
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "has_more": true}))
    })
    .await;
    let mut items = client(&server.uri())
        .pets()
        .list_by_cursor_all(pets::PetsListByCursorParams::new());
    for id in ["p1", "p2", "p3", "p2"] {
        assert_eq!(items.next().await.unwrap().unwrap().id, id);
    }
    let error = pagination_error(items.next().await);
    assert!(
        error.contains("list_by_cursor") && error.contains("cursor `p2` again"),
        "{error}"
    );
    assert!(items.next().await.is_none());
    assert_eq!(
        requests(&server).await.len(),
        2,
        "the repeated cursor is not sent"
    );
}

#[tokio::test]
async fn next_urls_relative_and_absolute_on_the_same_origin() {
    let server = MockServer::start().await;
    let base = format!("{}/v1", server.uri());
    let absolute = format!("{base}/next-url?page=3");
    serve(&server, "/v1/next-url", move |r| {
        let (results, next) = match query(r, "page").as_deref() {
            None => (pets(1..=1), json!("?page=2")),
            Some("2") => (pets(2..=2), json!(absolute)),
            _ => (pets(3..=3), Value::Null),
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"results": results, "links": {"next": next}}))
    })
    .await;
    let items: Vec<_> = client(&base).pets().list_by_url_all().collect().await;
    assert_eq!(ids(items), expected(1..=3));
    let urls: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or("")))
        .collect();
    assert_eq!(
        urls,
        [
            "/v1/next-url?",
            "/v1/next-url?page=2",
            "/v1/next-url?page=3"
        ]
    );
}

#[tokio::test]
async fn start_end_until_the_total() {
    let server = MockServer::start().await;
    serve(&server, "/range", |r| {
        let start = number(r, "start").unwrap_or(0);
        let end = number(r, "end").unwrap_or(start + 2).min(5);
        ResponseTemplate::new(200).set_body_json(
            json!({"start": start, "end": end, "totalCount": 5, "pets": pets(start + 1..=end)}),
        )
    })
    .await;
    let items: Vec<_> = client(&server.uri())
        .pets()
        .list_by_range_all(pets::PetsListByRangeParams::new().end(2))
        .collect()
        .await;
    assert_eq!(ids(items), expected(1..=5));
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn dropshot_page_tokens_until_next_page_is_null() {
    let server = MockServer::start().await;
    serve(&server, "/dropshot", |r| {
        let (items, next) = match query(r, "page_token").as_deref() {
            None => (pets(1..=2), json!("tok-2")),
            Some("tok-2") => (pets(3..=3), Value::Null),
            Some(other) => panic!("unexpected token {other}"),
        };
        ResponseTemplate::new(200).set_body_json(json!({"items": items, "next_page": next}))
    })
    .await;
    let items: Vec<_> = client(&server.uri())
        .pets()
        .list_dropshot_all(pets::PetsListDropshotParams::new().limit(2))
        .collect()
        .await;
    assert_eq!(ids(items), expected(1..=3));
    let second = &requests(&server).await[1];
    assert_eq!(query(second, "page_token").as_deref(), Some("tok-2"));
    assert_eq!(
        query(second, "limit").as_deref(),
        Some("2"),
        "the caller's limit stays"
    );
}

#[tokio::test]
async fn link_headers_relative_and_absolute_with_options_on_every_page() {
    let server = MockServer::start().await;
    let base = format!("{}/v1", server.uri());
    let absolute = format!("<{base}/linked?page=3&per_page=1>; rel=\"next\"");
    serve(&server, "/v1/linked", move |r| {
        let page = number(r, "page").unwrap_or(1);
        let response = ResponseTemplate::new(200).set_body_json(pets(page..=page));
        match page {
            1 => response.insert_header(
                "Link",
                "</v1/linked?page=2&per_page=1>; rel=\"next\", </v1/linked?page=3>; rel=\"last\"",
            ),
            2 => response.insert_header("Link", absolute.as_str()),
            _ => response.insert_header("Link", "</v1/linked?page=1>; rel=\"first\""),
        }
    })
    .await;
    let options = RequestOptions::new().header("X-Trace", "t-1");
    let pages: Vec<_> = client(&base)
        .pets()
        .list_linked_pages(pets::PetsListLinkedParams::new().per_page(1))
        .with_options(options)
        .collect()
        .await;
    let pages: Vec<Vec<models::Pet>> = pages.into_iter().map(|p| p.expect("a page")).collect();
    assert_eq!(pages.len(), 3);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|r| r.headers.get("x-trace").is_some_and(|v| v == "t-1"))
    );
    assert_eq!(number(&sent[2], "page"), Some(3));
}

#[tokio::test]
async fn a_link_to_another_origin_is_an_error_and_nothing_goes_there() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    let elsewhere = format!("<{}/v1/linked?page=2>; rel=\"next\"", foreign.uri());
    serve(&server, "/v1/linked", move |_| {
        ResponseTemplate::new(200)
            .set_body_json(pets(1..=1))
            .insert_header("Link", elsewhere.as_str())
    })
    .await;
    let mut items = client(&format!("{}/v1", server.uri()))
        .pets()
        .list_linked_all(pets::PetsListLinkedParams::new());
    assert_eq!(items.next().await.unwrap().unwrap().id, "p1");
    let error = pagination_error(items.next().await);
    assert!(error.contains("another origin"), "{error}");
    assert!(items.next().await.is_none());
    assert!(
        requests(&foreign).await.is_empty(),
        "nothing was sent to the other origin"
    );
}

#[tokio::test]
async fn a_repeated_link_is_an_error() {
    let server = MockServer::start().await;
    serve(&server, "/linked", |r| {
        let page = number(r, "page").unwrap_or(1);
        ResponseTemplate::new(200)
            .set_body_json(pets(page..=page))
            // Page 2 links back to page 1's URL.
            .insert_header(
                "Link",
                if page == 1 {
                    "</linked?page=2>; rel=next"
                } else {
                    "</linked>; rel=next"
                },
            )
    })
    .await;
    let items: Vec<_> = client(&server.uri())
        .pets()
        .list_linked_all(pets::PetsListLinkedParams::new())
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(
        matches!(items[2], Err(Error::Pagination { .. })),
        "{:?}",
        items[2]
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn inferred_starting_after_from_the_last_items_id() {
    let server = MockServer::start().await;
    serve(&server, "/inferred-after", |r| {
        let (data, more) = match query(r, "starting_after").as_deref() {
            None => (pets(1..=2), true),
            Some("p2") => (pets(3..=3), false),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": data, "has_more": more, "url": "/inferred-after"}))
    })
    .await;
    let items: Vec<_> = client(&server.uri())
        .other()
        .list_inferred_after_all(other::OtherListInferredAfterParams::new())
        .collect()
        .await;
    assert_eq!(ids(items), expected(1..=3));
    assert_eq!(requests(&server).await.len(), 2, "has_more: false ends it");
}

#[tokio::test]
async fn inferred_cursor_and_early_drop() {
    let server = MockServer::start().await;
    serve(&server, "/inferred", |r| {
        let (entries, next) = match query(r, "cursor").as_deref() {
            None => (pets(1..=2), json!("c2")),
            Some("c2") => (pets(3..=3), json!("")),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"entries": entries, "next_cursor": next, "has_more": true}))
    })
    .await;
    let client = client(&server.uri());
    let items: Vec<_> = client
        .other()
        .list_inferred_all(other::OtherListInferredParams::new())
        .collect()
        .await;
    assert_eq!(ids(items), expected(1..=3), "an empty next_cursor ends it");
    assert_eq!(requests(&server).await.len(), 2);

    server.reset().await;
    serve(&server, "/inferred", |_| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"entries": pets(1..=1), "next_cursor": "c2"}))
    })
    .await;
    let mut items = client
        .other()
        .list_inferred_all(other::OtherListInferredParams::new());
    assert_eq!(items.next().await.unwrap().unwrap().id, "p1");
    drop(items);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        requests(&server).await.len(),
        1,
        "no request after the drop"
    );
}

/// A paged search whose query is a body: every page sends the body, as JSON by default
/// and as a form when the paginator's options ask for one.
#[tokio::test]
async fn a_body_goes_with_every_page_in_the_media_type_the_options_ask() {
    for (options, content_type, body) in [
        (
            None,
            "application/json",
            r#"{"name":"rex","kinds":["cat","dog"]}"#,
        ),
        (
            Some(RequestOptions::new().form()),
            "application/x-www-form-urlencoded",
            "kinds=cat&kinds=dog&name=rex",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/search"))
            .respond_with(|r: &Request| {
                let data = match query(r, "starting_after").as_deref() {
                    None => pets(1..=2),
                    Some("p2") => pets(3..=3),
                    Some("p3") => Vec::new(),
                    Some(other) => panic!("unexpected cursor {other}"),
                };
                ResponseTemplate::new(200).set_body_json(json!({ "data": data }))
            })
            .mount(&server)
            .await;
        let search = models::PetSearch::new("rex").with_kinds(vec!["cat".into(), "dog".into()]);
        let mut pages = client(&server.uri())
            .pets()
            .search_pets_pages(&search, pets::PetsSearchPetsParams::new());
        if let Some(options) = options {
            pages = pages.with_options(options);
        }
        let items: Vec<_> = pages.items().collect().await;
        assert_eq!(ids(items), expected(1..=3));
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 3, "{content_type}");
        for request in &sent {
            assert_eq!(
                request
                    .headers
                    .get("content-type")
                    .map(|v| v.to_str().unwrap()),
                Some(content_type)
            );
            assert_eq!(String::from_utf8_lossy(&request.body), body);
        }
    }
}
