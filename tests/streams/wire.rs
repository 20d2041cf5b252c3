//! Streamed responses on the wire: `tests/streams.rs` copies this program into the crate
//! generated from `tests/fixtures/streams.yaml` and runs it there.
//!
//! The server is a plain TCP listener on 127.0.0.1 that writes each HTTP/1.1 response by
//! hand, chunk by chunk, with pauses, so a test can split an event across chunks, go quiet, or
//! cut the connection mid-body, which no mock server offers.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_streams::{Client, DecodeCause, Error, RequestOptions};

/// Counts live heap bytes, so the download test can show that memory stays bounded.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which `System` shares.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One step of a scripted response body.
#[derive(Clone)]
enum Step {
    /// Bytes sent as one HTTP chunk.
    Chunk(Vec<u8>),
    /// A pause before the next step.
    Pause(Duration),
    /// `total` bytes of `b'x'` in chunks of `chunk`, made as they are sent.
    Generate { total: usize, chunk: usize },
    /// The connection closes without the terminating chunk.
    Cut,
}

fn chunk(text: &str) -> Step {
    Step::Chunk(text.as_bytes().to_vec())
}

/// A server answering every request with `status`, `content_type` and the scripted body.
/// Returns its base URL and the request lines it received.
fn serve(status: &str, content_type: &str, steps: Vec<Step>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let head = head.clone();
            let steps = steps.clone();
            let log = log.clone();
            std::thread::spawn(move || respond(stream, &head, &steps, &log));
        }
    });
    (url, seen)
}

fn respond(mut stream: TcpStream, head: &str, steps: &[Step], log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        request.push(line.trim_end().to_owned());
    }
    log.lock().unwrap().push(request.join("\n"));
    // Write errors mean the client went away, which some tests do on purpose.
    let _ = stream.write_all(head.as_bytes());
    let send = |stream: &mut TcpStream, bytes: &[u8]| {
        let _ = write!(stream, "{:x}\r\n", bytes.len());
        let _ = stream.write_all(bytes);
        let _ = stream.write_all(b"\r\n");
        let _ = stream.flush();
    };
    for step in steps {
        match step {
            Step::Chunk(bytes) => send(&mut stream, bytes),
            Step::Pause(pause) => std::thread::sleep(*pause),
            Step::Generate { total, chunk } => {
                let block = vec![b'x'; *chunk];
                let mut left = *total;
                while left > 0 {
                    let n = left.min(*chunk);
                    send(&mut stream, &block[..n]);
                    left -= n;
                }
            }
            Step::Cut => {
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return;
            }
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).build().unwrap()
}

#[tokio::test]
async fn events_with_multi_line_data_comments_ids_and_a_sentinel() {
    let (url, seen) = serve(
        "200 OK",
        "text/event-stream",
        vec![
            chunk(": a comment the parser skips\n\n"),
            // One event split over three chunks, its JSON over two data lines.
            chunk("id: 1\nevent: chunk\ndata: {\"id\":\"a\",\n"),
            Step::Pause(Duration::from_millis(20)),
            chunk("data: \"delta\":\"Hel\"}\n"),
            chunk("\n"),
            chunk("retry: 1500\r\ndata: {\"id\":\"b\",\"delta\":\"lo\"}\r\n\r\n"),
            chunk("data: [DONE]\n\n"),
            // Nothing after the sentinel is read.
            chunk("data: {\"id\":\"after\",\"delta\":\"x\"}\n\n"),
        ],
    );
    let client = client(&url);
    let mut events = client.streaming().stream_chat("hi").await.unwrap();
    assert_eq!(events.status(), 200);
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.event, "chunk");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.data.id, "a");
    assert_eq!(first.data.delta, "Hel");
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.event, "message");
    assert_eq!(second.retry, Some(Duration::from_millis(1500)));
    assert_eq!(second.data.delta, "lo");
    assert!(events.next().await.is_none(), "[DONE] ends the stream");
    assert!(events.next().await.is_none());
    let request = seen.lock().unwrap()[0].clone();
    assert!(
        request.starts_with("GET /chat/completions?prompt=hi HTTP/1.1"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("accept: text/event-stream"),
        "{request}"
    );
}

#[tokio::test]
async fn text_events_end_at_the_documented_sentinel() {
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        vec![chunk("data: line one\ndata: line two\n\ndata: END\n\n")],
    );
    let mut events = client(&url).streaming().tail_logs().await.unwrap();
    let event = events.next().await.unwrap().unwrap();
    assert_eq!(event.data, "line one\nline two");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn event_shaped_schemas_decode_the_data_property() {
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        vec![chunk(
            "event: made\ndata: {\"name\":\"box\",\"size\":3}\n\n",
        )],
    );
    let mut events = client(&url).streaming().thing_events().await.unwrap();
    let event = events.next().await.unwrap().unwrap();
    assert_eq!(event.event, "made");
    assert_eq!(event.data.name, "box");
    assert_eq!(event.data.size, Some(3));
    assert!(
        events.next().await.is_none(),
        "the server closed the stream"
    );
}

#[tokio::test]
async fn a_connection_cut_mid_stream_is_a_transport_error_item() {
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        vec![
            chunk("data: {\"id\":\"a\",\"delta\":\"x\"}\n\n"),
            chunk("data: {\"id\":\"b\","),
            Step::Cut,
        ],
    );
    let mut events = client(&url).streaming().stream_chat("q").await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.id, "a");
    let error = events.next().await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(events.next().await.is_none(), "nothing follows an error");
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_a_decode_error_with_its_text() {
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        vec![chunk(
            "data: {\"id\":1}\n\ndata: {\"id\":\"b\",\"delta\":\"x\"}\n\n",
        )],
    );
    let mut events = client(&url).streaming().stream_chat("q").await.unwrap();
    match events.next().await.unwrap() {
        Err(Error::Decode { body, path, .. }) => {
            assert_eq!(&body[..], b"{\"id\":1}");
            assert_eq!(path, "id");
        }
        other => panic!("{other:?}"),
    }
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_event_past_the_item_limit_is_an_error_not_unbounded_memory() {
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        vec![
            chunk("data: {\"id\":\"a\",\"delta\":\"x\"}\n\n"),
            chunk("data: "),
            // A line that never ends: without the limit the parser would buffer all of it.
            Step::Generate {
                total: 4 << 20,
                chunk: 16 << 10,
            },
        ],
    );
    let options = RequestOptions::new().max_item_bytes(64 << 10);
    let mut events = client(&url)
        .streaming()
        .stream_chat_with("q", options)
        .await
        .unwrap();
    assert!(events.next().await.unwrap().is_ok());
    match events.next().await.unwrap() {
        Err(Error::Decode {
            source: DecodeCause::TooLarge { limit },
            ..
        }) => assert_eq!(limit, 64 << 10),
        other => panic!("{other:?}"),
    }
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn the_attempt_timeout_covers_the_head_and_the_idle_timeout_the_gaps() {
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        vec![
            chunk("data: {\"id\":\"a\",\"delta\":\"x\"}\n\n"),
            Step::Pause(Duration::from_millis(300)),
            chunk("data: {\"id\":\"b\",\"delta\":\"y\"}\n\n"),
            Step::Pause(Duration::from_millis(1500)),
            chunk("data: {\"id\":\"c\",\"delta\":\"z\"}\n\n"),
        ],
    );
    // The whole stream takes longer than the attempt timeout; only its head must fit.
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(200))
        .idle_timeout(Duration::from_millis(800));
    let mut events = client(&url)
        .streaming()
        .stream_chat_with("q", options)
        .await
        .unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.id, "a");
    assert_eq!(events.next().await.unwrap().unwrap().data.id, "b");
    let error = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(error, Error::Timeout { elapsed, .. } if elapsed == Duration::from_millis(800)),
        "{error:?}"
    );
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn a_non_2xx_answer_is_an_api_error_with_its_body() {
    let (url, _) = serve(
        "429 Too Many Requests",
        "application/json",
        vec![chunk("{\"title\":\"slow down\"}")],
    );
    let options = RequestOptions::new().retry(fixture_streams::RetryPolicy::none());
    let error = client(&url)
        .streaming()
        .stream_chat_with("q", options)
        .await
        .unwrap_err();
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status, 429);
    assert_eq!(&api.body[..], b"{\"title\":\"slow down\"}");
}

#[tokio::test]
async fn json_lines_decode_across_chunks_with_blank_lines_and_no_final_newline() {
    let (url, seen) = serve(
        "200 OK",
        "application/x-ndjson",
        vec![
            chunk("{\"n\":1}\n\n{\"n\":2,"),
            chunk("\"label\":\"two\"}\r\n"),
            chunk("{\"n\":3}"),
        ],
    );
    let mut lines = client(&url).exports().export_lines(7).await.unwrap();
    let mut got = Vec::new();
    while let Some(record) = lines.next().await {
        got.push(record.unwrap());
    }
    assert_eq!(got.iter().map(|r| r.n).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(got[1].label.as_deref(), Some("two"));
    let request = seen.lock().unwrap()[0].clone();
    assert!(
        request.starts_with("GET /exports/7/lines HTTP/1.1"),
        "{request}"
    );
}

#[tokio::test]
async fn a_bad_json_line_is_a_decode_error_that_ends_the_stream() {
    let (url, _) = serve(
        "200 OK",
        "application/x-ndjson",
        vec![chunk("{\"n\":1}\nnot json\n{\"n\":3}\n")],
    );
    let mut lines = client(&url).exports().export_lines(1).await.unwrap();
    assert_eq!(lines.next().await.unwrap().unwrap().n, 1);
    match lines.next().await.unwrap() {
        Err(Error::Decode { body, .. }) => assert_eq!(&body[..], b"not json"),
        other => panic!("{other:?}"),
    }
    assert!(lines.next().await.is_none());
}

#[tokio::test]
async fn json_sequences_split_at_record_separators_and_span_lines() {
    let (url, _) = serve(
        "200 OK",
        "application/json-seq",
        vec![
            chunk("\u{1e}{\"n\":1}\n\u{1e}{\n  \"n\": 2,\n"),
            chunk("  \"label\": \"pretty\"\n}\n"),
            chunk("\u{1e}{\"n\":3}\n"),
        ],
    );
    let mut records = client(&url).exports().export_sequence(1).await.unwrap();
    let mut got = Vec::new();
    while let Some(record) = records.next().await {
        got.push(record.unwrap());
    }
    assert_eq!(got.iter().map(|r| r.n).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(got[1].label.as_deref(), Some("pretty"));
}

#[tokio::test]
async fn a_100_mb_download_streams_with_bounded_memory() {
    const TOTAL: usize = 100 << 20;
    let (url, _) = serve(
        "200 OK",
        "application/octet-stream",
        vec![Step::Generate {
            total: TOTAL,
            chunk: 64 << 10,
        }],
    );
    let client = client(&url);
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut body = client.files().download_file_stream("f").await.unwrap();
    let mut size = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        assert!(chunk.iter().all(|&b| b == b'x'));
        size += chunk.len();
    }
    assert_eq!(size, TOTAL);
    // Other tests run alongside and allocate a little; buffering the body would be 100 MB.
    let grown = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    assert!(grown < 16 << 20, "peak heap grew by {grown} bytes");
}

#[tokio::test]
async fn the_buffered_download_still_returns_the_whole_body() {
    let (url, _) = serve(
        "200 OK",
        "application/octet-stream",
        vec![chunk("abc"), chunk("def")],
    );
    let body = client(&url).files().download_file("f").await.unwrap();
    assert_eq!(&body[..], b"abcdef");
}

#[tokio::test]
async fn streams_are_send_and_work_as_futures_streams() {
    fn assert_send<T: Send>(_: &T) {}
    let (url, _) = serve(
        "200 OK",
        "application/x-ndjson",
        vec![chunk("{\"n\":1}\n{\"n\":2}\n")],
    );
    let client = client(&url);
    let exports = client.exports();
    let future = exports.export_lines(1);
    assert_send(&future);
    let lines = future.await.unwrap();
    assert_send(&lines);
    // Spawned on another task: the stream moves across threads.
    let total = tokio::spawn(async move {
        let mut lines = lines;
        let mut total = 0;
        while let Some(record) = lines.next().await {
            total += record.unwrap().n;
        }
        total
    })
    .await
    .unwrap();
    assert_eq!(total, 3);
}
