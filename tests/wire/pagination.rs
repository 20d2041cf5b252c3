//! Authlete's paged lists as streams: `client.service().list_all(..)` and `list_pages(..)`
//! against wiremock. Authlete pages with `start` (inclusive) and `end` (exclusive) and answers
//! `start`, `end`, `totalCount` and the items (`x-rust-pagination` in `spec/overlay.yaml`).
//! The cursor, link and other styles are tested on the fixture crate (`tests/pagination/`).

use authlete::apis::service::ServiceListParams;
use futures_util::StreamExt;

use super::*;

/// A `service_get_list_response` holding the services with these API keys.
fn page(start: i64, keys: std::ops::Range<i64>, total: Option<i64>) -> Value {
    let services: Vec<Value> = keys.clone().map(|k| json!({"apiKey": k})).collect();
    let mut page = json!({"start": start, "end": keys.end, "services": services});
    if let Some(total) = total {
        page["totalCount"] = json!(total);
    }
    page
}

fn query(request: &Request, name: &str) -> Option<i64> {
    query_pairs(request)
        .into_iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.parse().ok())
}

/// Serves `total` services (API keys `1..=total`) by `start`/`end` (default end: start + 5),
/// like Authlete; `with_total` decides whether `totalCount` is in the pages.
async fn mount_services(server: &MockServer, total: i64, with_total: bool) {
    Mock::given(method("GET"))
        .and(path("/api/service/get/list"))
        .respond_with(move |request: &Request| {
            let start = query(request, "start").unwrap_or(0);
            let end = query(request, "end").unwrap_or(start + 5).min(total);
            let keys = (start + 1).min(total + 1)..(end + 1).max(start + 1).min(total + 1);
            ResponseTemplate::new(200).set_body_json(page(start, keys, with_total.then_some(total)))
        })
        .mount(server)
        .await;
}

fn keys(items: Vec<Result<models::Service, Error>>) -> Vec<i64> {
    items
        .into_iter()
        .map(|item| item.expect("no error").api_key.expect("apiKey"))
        .collect()
}

fn windows(requests: &[Request]) -> Vec<(Option<i64>, Option<i64>)> {
    requests
        .iter()
        .map(|r| (query(r, "start"), query(r, "end")))
        .collect()
}

#[tokio::test]
async fn list_all_pages_by_start_and_end_until_total_count() {
    let server = MockServer::start().await;
    mount_services(&server, 7, true).await;
    let client = client(&server);
    let items: Vec<_> = client
        .service()
        .list_all(ServiceListParams::new().start(0).end(3))
        .collect()
        .await;
    assert_eq!(keys(items), (1..=7).collect::<Vec<_>>());
    let requests = received(&server).await;
    // The third page (6..9) holds one service; start 9 >= totalCount 7 ends the stream.
    assert_eq!(
        windows(&requests),
        [(Some(0), Some(3)), (Some(3), Some(6)), (Some(6), Some(9))]
    );
    let bearer = format!("Bearer {TOKEN}");
    assert!(
        requests
            .iter()
            .all(|r| header(r, "authorization") == Some(&bearer))
    );

    // Without `end` the server's default window (5) is kept from the second page on.
    let server = MockServer::start().await;
    mount_services(&server, 7, true).await;
    let items: Vec<_> = super::client(&server)
        .service()
        .list_all(ServiceListParams::new())
        .collect()
        .await;
    assert_eq!(keys(items).len(), 7);
    assert_eq!(
        windows(&received(&server).await),
        [(None, None), (Some(5), Some(10))]
    );
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_without_a_total() {
    let server = MockServer::start().await;
    mount_services(&server, 4, false).await;
    let items: Vec<_> = client(&server)
        .service()
        .list_all(ServiceListParams::new().end(2))
        .collect()
        .await;
    assert_eq!(keys(items), [1, 2, 3, 4]);
    assert_eq!(
        windows(&received(&server).await),
        [(None, Some(2)), (Some(2), Some(4)), (Some(4), Some(6))]
    );
}

#[tokio::test]
async fn an_error_on_page_three_comes_after_the_items_of_pages_one_and_two() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::query_param("start", "4"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"resultCode": "A001201", "resultMessage": "boom"})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    mount_services(&server, 100, true).await;
    let items: Vec<_> = client(&server)
        .service()
        .list_all(ServiceListParams::new().end(2))
        .collect()
        .await;
    assert_eq!(items.len(), 5, "{items:?}");
    let first: Vec<Option<i64>> = items[..4]
        .iter()
        .map(|item| item.as_ref().expect("an item").api_key)
        .collect();
    assert_eq!(first, [Some(1), Some(2), Some(3), Some(4)]);
    let error = items.into_iter().nth(4).unwrap().unwrap_err();
    assert_eq!(
        error.status(),
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{error:?}"
    );
    // Nothing after the error: the stream ended (500 is not retried).
    assert_eq!(received(&server).await.len(), 3);

    // A page that does not decode ends the stream the same way.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::query_param("start", "2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"services\": 7}", "application/json"),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    mount_services(&server, 100, true).await;
    let items: Vec<_> = client(&server)
        .service()
        .list_all(ServiceListParams::new().end(2))
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert!(
        matches!(items[2], Err(Error::Decode { .. })),
        "{:?}",
        items[2]
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_same_page_twice_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    // A server that ignores `start`: the same two services, forever.
    mount_json(&server, 200, &page(0, 1..3, Some(100)).to_string()).await;
    let items: Vec<_> = client(&server)
        .service()
        .list_all(ServiceListParams::new().end(2))
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    let error = items.into_iter().nth(2).unwrap().unwrap_err();
    assert!(matches!(error, Error::Pagination { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("service_get_list_api") && text.contains("same page"),
        "{text}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn nothing_is_sent_before_polling_and_dropping_stops_fetching() {
    let server = MockServer::start().await;
    mount_services(&server, 100, true).await;
    let client = client(&server);
    let mut items = client.service().list_all(ServiceListParams::new().end(2));
    tokio::task::yield_now().await;
    assert_eq!(
        received(&server).await.len(),
        0,
        "lazy: nothing before the first poll"
    );
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.api_key, Some(1));
    // The second item is buffered: no request for it.
    let second = items.next().await.unwrap().unwrap();
    assert_eq!(second.api_key, Some(2));
    drop(items);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn with_options_apply_to_every_page_and_pages_keep_their_totals() {
    let server = MockServer::start().await;
    mount_services(&server, 5, true).await;
    let options = RequestOptions::new()
        .bearer_token(OTHER_TOKEN)
        .header("X-Request-Id", "page-trace");
    let pages: Vec<_> = client(&server)
        .service()
        .list_pages(ServiceListParams::new().end(2))
        .with_options(options)
        .collect()
        .await;
    let pages: Vec<models::ServiceGetListResponse> =
        pages.into_iter().map(|p| p.expect("a page")).collect();
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(|p| p.total_count == Some(5)));
    assert_eq!(pages[2].services.as_ref().map(Vec::len), Some(1));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let bearer = format!("Bearer {OTHER_TOKEN}");
    for request in &requests {
        assert_eq!(header(request, "authorization"), Some(bearer.as_str()));
        assert_eq!(header(request, "x-request-id"), Some("page-trace"));
    }
}

#[tokio::test]
async fn streams_are_send_and_static() {
    let server = MockServer::start().await;
    mount_services(&server, 3, true).await;
    let client = client(&server);
    // The group handle is a temporary and the client is borrowed only while building.
    let items = client.service().list_all(ServiceListParams::new());
    drop(client);
    let keys = tokio::spawn(async move {
        items
            .map(|r| r.map(|s| s.api_key))
            .collect::<Vec<_>>()
            .await
    })
    .await
    .unwrap();
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(Result::is_ok));
}
