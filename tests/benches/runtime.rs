//! Runtime overhead of the generated `authlete` crate: `cargo bench -p authlete-tests --bench
//! runtime` (see BENCHMARKS.md).
//!
//! **HTTP.** The generated client against a hand-written `reqwest` call doing the same request
//! (same method, URL, headers and JSON body; decoded into the same generated model with
//! `serde_json::from_slice`), both sending to the same minimal hyper server on 127.0.0.1 that
//! answers with the document's own examples. Two operations: `service_get_api` (GET, a 3 KB
//! `Service`) and `auth_token_api` (POST with a JSON `TokenRequest`, a 1.3 KB `TokenResponse`).
//! Before measuring, one request of each kind is recorded by the server and the two are
//! required to be identical, so the comparison is like for like. Requests run
//! [`CONCURRENCY`] at a time on a single-threaded tokio runtime; the server has its own thread
//! and runtime.
//!
//! - criterion groups `http_service_get` and `http_token`: time per request at that
//!   concurrency (its inverse is the throughput, printed as elem/s);
//! - then a fixed load: [`LOAD_REQUESTS`] requests per client per round (and at most
//!   [`LOAD_TIME_LIMIT`] per round), [`LOAD_ROUNDS`] rounds rotating which client goes first,
//!   reporting requests/s and latency percentiles over all rounds, and the median of the
//!   per-round req/s ratios (each round a paired comparison, robust to the machine's drift).
//!
//! **Decoding.** `decode_service`, `decode_client`, `decode_service_list` (100 services,
//! ~300 KB): plain `serde_json::from_slice` (the baseline) against the path the runtime's
//! `Response::json` takes (replicated here from `templates/runtime/response.rs` because it is
//! `pub(crate)`; the HTTP benchmarks measure it end to end through real calls), and against
//! decoding through `serde_path_to_error` every time (what the runtime did before; it now does
//! that only for a body that fails, to report the path).
//!
//! **Encoding.** `encode_service`, `encode_service_list`: `serde_json::to_vec` of the decoded
//! examples, the models' `Serialize`; compared across builds (a crate generated before and
//! after a change to the models' impls), not within one.
//!
//! Every figure is printed beside its baseline from the same run. Under `cargo test
//! --all-targets` (no `--bench`) everything runs once with a tiny load, as a smoke test;
//! nothing asserts on time. Only the loopback address is used; every loop is bounded.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use authlete::models;
use authlete::reqwest;
use authlete::reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use bytes::Bytes;
use criterion::{Criterion, SamplingMode, Throughput};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `service().list_all(..)` against `service().list(..)` in a loop.
#[path = "runtime/pagination.rs"]
mod pagination;

/// Requests in flight at once, for every HTTP figure.
const CONCURRENCY: usize = 8;
/// The fixed load: requests per client per round, rounds, and a time limit per round.
const LOAD_REQUESTS: u64 = 5_000;
const LOAD_ROUNDS: usize = 12;
const LOAD_TIME_LIMIT: Duration = Duration::from_secs(10);
/// For criterion's runs, which are bounded by their request count alone.
const UNBOUNDED: Duration = Duration::from_secs(3600);

const SERVICE_ID: &str = "715948317";
const TOKEN: &str = "bench-service-access-token";
const SERVICE_PATH: &str = "/api/715948317/service/get";
const TOKEN_PATH: &str = "/api/715948317/auth/token";

// ---------------------------------------------------------------------------------------------
// The document's examples
// ---------------------------------------------------------------------------------------------

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Response bodies and the token request, all taken from `spec/openapi.yaml`.
struct Examples {
    service: Bytes,
    client: Bytes,
    service_list: Bytes,
    token_response: Bytes,
    token_request: models::TokenRequest,
}

fn examples() -> Examples {
    let path = root().join("spec/openapi.yaml");
    let text = std::fs::read_to_string(&path).expect("spec/openapi.yaml is readable");
    // The generator's own parser: it turns YAML's non-string keys into strings.
    let doc = generator::load::parse_text(&path, &text).expect("the document parses");
    let example = |pointer: &str| -> Value {
        doc.pointer(pointer)
            .unwrap_or_else(|| panic!("no example at {pointer}"))
            .clone()
    };
    let json = |value: &Value| Bytes::from(serde_json::to_vec(value).unwrap());
    let service = example(
        "/paths/~1api~1{serviceId}~1service~1get/get/responses/200/content/application~1json/examples/full/value",
    );
    let client = example(
        "/paths/~1api~1{serviceId}~1client~1get~1{clientId}/get/responses/200/content/application~1json/example",
    );
    let token_response = example(
        "/paths/~1api~1{serviceId}~1auth~1token/post/responses/200/content/application~1json/example",
    );
    let token_request = example(
        "/paths/~1api~1{serviceId}~1auth~1token/post/requestBody/content/application~1json/example",
    );
    let services = vec![service.clone(); 100];
    let service_list = serde_json::json!({
        "start": 0, "end": 100, "totalCount": 100, "services": services,
    });
    Examples {
        service: json(&service),
        client: json(&client),
        service_list: json(&service_list),
        token_response: json(&token_response),
        token_request: serde_json::from_value(token_request)
            .expect("the token request example decodes"),
    }
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/// What the server saw of one request: method, URI, headers (sorted) and body.
type Recorded = (String, String, Vec<(String, String)>, Bytes);

struct ServerState {
    service: Bytes,
    token: Bytes,
    /// The service list's pages, by `start` (see `pagination.rs`).
    pages: Vec<Bytes>,
    recording: AtomicBool,
    recorded: Mutex<Vec<Recorded>>,
}

/// A hyper HTTP/1.1 server on 127.0.0.1 with its own thread and single-threaded runtime.
/// Stops (and its thread ends) when dropped.
struct Server {
    addr: SocketAddr,
    state: Arc<ServerState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(service: Bytes, token: Bytes, pages: Vec<Bytes>) -> Server {
        let state = Arc::new(ServerState {
            service,
            token,
            pages,
            recording: AtomicBool::new(false),
            recorded: Mutex::new(Vec::new()),
        });
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, addr) = std::sync::mpsc::channel();
        let thread_state = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                ready.send(listener.local_addr().unwrap()).unwrap();
                loop {
                    let (stream, _) = tokio::select! {
                        accepted = listener.accept() => accepted.unwrap(),
                        _ = &mut stopped => break,
                    };
                    let state = thread_state.clone();
                    tokio::spawn(async move {
                        let service = service_fn(move |request| handle(state.clone(), request));
                        // Errors here are clients closing connections at the end of a run.
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        Server {
            addr: addr.recv().unwrap(),
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn handle(
    state: Arc<ServerState>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if state.recording.load(Ordering::Relaxed) {
        let mut headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        headers.sort();
        state.recorded.lock().unwrap().push((
            parts.method.to_string(),
            parts.uri.to_string(),
            headers,
            body,
        ));
    }
    let answer = match (parts.method.as_str(), parts.uri.path()) {
        ("GET", SERVICE_PATH) => Some(state.service.clone()),
        ("POST", TOKEN_PATH) => Some(state.token.clone()),
        ("GET", pagination::LIST_PATH) => pagination::page_for(&state.pages, parts.uri.query()),
        _ => None,
    };
    let response = match answer {
        Some(json) => hyper::Response::builder()
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(json)),
        None => hyper::Response::builder()
            .status(404)
            .body(Full::new(Bytes::new())),
    };
    Ok(response.unwrap())
}

// ---------------------------------------------------------------------------------------------
// The two clients
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    /// The baseline: `reqwest` by hand, decoded with `serde_json::from_slice`.
    Handwritten,
    /// The same, decoded the way the runtime decodes ([`runtime_json`]). Since the runtime
    /// decodes a matching body with plain `serde_json`, this does the baseline's work: its ratio
    /// to the baseline shows the comparison's own noise (an A/A test).
    HandwrittenRuntimeDecode,
    Generated,
}

impl Who {
    const ALL: [Who; 3] = [
        Who::Handwritten,
        Who::HandwrittenRuntimeDecode,
        Who::Generated,
    ];

    fn name(self) -> &'static str {
        match self {
            Who::Handwritten => "reqwest",
            Who::HandwrittenRuntimeDecode => "reqwest+rt-dec",
            Who::Generated => "generated",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum What {
    ServiceGet,
    Token,
}

struct Clients {
    base_url: String,
    generated: authlete::Client,
    /// Configured like the one the generated client builds for itself.
    http: reqwest::Client,
    token_request: models::TokenRequest,
}

impl Clients {
    fn new(base_url: String, token_request: models::TokenRequest) -> Clients {
        let generated = authlete::Client::builder()
            .bearer_token(TOKEN)
            .base_url(&base_url)
            .build()
            .expect("the generated client builds");
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the reqwest client builds");
        Clients {
            base_url,
            generated,
            http,
            token_request,
        }
    }

    /// One request; panics on any failure (a benchmark must not measure errors).
    async fn call(&self, who: Who, what: What) {
        match (who, what) {
            (Who::Generated, What::ServiceGet) => {
                let service = self.generated.service().get(SERVICE_ID).await.unwrap();
                std::hint::black_box(service);
            }
            (Who::Generated, What::Token) => {
                let response = self
                    .generated
                    .token()
                    .process(SERVICE_ID, &self.token_request)
                    .await
                    .unwrap();
                std::hint::black_box(response);
            }
            (_, What::ServiceGet) => {
                let request = self
                    .http
                    .get(format!("{}/api/{SERVICE_ID}/service/get", self.base_url));
                let service: models::Service = self.handwritten(request, who).await;
                std::hint::black_box(service);
            }
            (_, What::Token) => {
                let body = serde_json::to_vec(&self.token_request).unwrap();
                let request = self
                    .http
                    .post(format!("{}/api/{SERVICE_ID}/auth/token", self.base_url))
                    .header(CONTENT_TYPE, "application/json")
                    .body(body);
                let response: models::TokenResponse = self.handwritten(request, who).await;
                std::hint::black_box(response);
            }
        }
    }

    /// The headers every request carries, send, status check, read, decode.
    async fn handwritten<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        who: Who,
    ) -> T {
        let response = request
            .header(USER_AGENT, authlete::USER_AGENT)
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        let body = response.bytes().await.unwrap();
        if who == Who::HandwrittenRuntimeDecode {
            runtime_json(&body).unwrap()
        } else {
            serde_json::from_slice(&body).unwrap()
        }
    }
}

/// Sends one request of each kind from each client while the server records them, and
/// panics unless both clients sent exactly the same thing.
fn check_same_requests(rt: &tokio::runtime::Runtime, server: &Server, clients: &Clients) {
    for what in [What::ServiceGet, What::Token] {
        server.state.recording.store(true, Ordering::Relaxed);
        for who in Who::ALL {
            rt.block_on(clients.call(who, what));
        }
        server.state.recording.store(false, Ordering::Relaxed);
        let recorded = std::mem::take(&mut *server.state.recorded.lock().unwrap());
        assert_eq!(recorded.len(), Who::ALL.len(), "{what:?}: {recorded:?}");
        for other in &recorded[1..] {
            assert_eq!(
                &recorded[0], other,
                "{what:?}: the hand-written request differs from the generated client's"
            );
        }
    }
}

/// Sends `total` requests, [`CONCURRENCY`] at a time, stopping early after `limit`. Returns
/// the wall time, and each request's latency in nanoseconds when `latencies` is set.
async fn run_load(
    clients: &Arc<Clients>,
    who: Who,
    what: What,
    total: u64,
    limit: Duration,
    latencies: bool,
) -> (Duration, Vec<u64>) {
    let remaining = Arc::new(AtomicU64::new(total));
    let started = Instant::now();
    let deadline = started + limit;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let clients = clients.clone();
        let remaining = remaining.clone();
        tasks.spawn(async move {
            let mut seen = Vec::new();
            while Instant::now() < deadline
                && remaining
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
            {
                let sent = Instant::now();
                clients.call(who, what).await;
                if latencies {
                    seen.push(sent.elapsed().as_nanos() as u64);
                }
            }
            seen
        });
    }
    let mut all = Vec::new();
    while let Some(seen) = tasks.join_next().await {
        all.extend(seen.unwrap());
    }
    (started.elapsed(), all)
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/// What `Response::json` in `templates/runtime/response.rs` does (it is `pub(crate)`): plain
/// `serde_json`, and only on failure a second decoding through `serde_path_to_error` for the
/// path of the mismatch.
fn runtime_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|plain| match path_to_error_json::<T>(body) {
        Err(with_path) => with_path,
        Ok(_) => plain.to_string(),
    })
}

/// Every decoding through `serde_path_to_error` (what the runtime did before the fast path):
/// kept as a row of the decode benchmark to show what the fast path saves.
fn path_to_error_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => match de.end() {
            Ok(()) => Ok(value),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(format!("{}: {}", e.path(), e.inner())),
    }
}

fn bench_decode<T: DeserializeOwned>(c: &mut Criterion, group: &str, body: &Bytes) {
    // Both paths must accept the body before either is timed.
    let _: T = serde_json::from_slice(body).expect("serde_json decodes the example");
    let _: T = runtime_json(body).expect("the runtime path decodes the example");
    let _: T = path_to_error_json(body).expect("serde_path_to_error decodes the example");
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("baseline_serde_json", |b| {
        b.iter(|| serde_json::from_slice::<T>(std::hint::black_box(body)).unwrap())
    });
    g.bench_function("runtime_path", |b| {
        b.iter(|| runtime_json::<T>(std::hint::black_box(body)).unwrap())
    });
    g.bench_function("path_to_error", |b| {
        b.iter(|| path_to_error_json::<T>(std::hint::black_box(body)).unwrap())
    });
    g.finish();
}

/// Encoding a model as the runtime sends a JSON body (`serde_json::to_vec`), from the decoded
/// example. Nothing in the same binary does it differently, so its baseline is another build
/// of the bench (a crate generated before a change), run alternately (BENCHMARKS.md §3).
fn bench_encode<T: DeserializeOwned + serde::Serialize>(
    c: &mut Criterion,
    group: &str,
    body: &Bytes,
) {
    let value: T = serde_json::from_slice(body).expect("serde_json decodes the example");
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("serde_json_to_vec", |b| {
        b.iter(|| serde_json::to_vec(std::hint::black_box(&value)).unwrap())
    });
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

fn output_directory() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("criterion")
}

/// This run's mean (ns) for `group/id`, from criterion's files; `None` when a filter skipped it.
fn criterion_mean(output: &Path, group: &str, id: &str, started: SystemTime) -> Option<f64> {
    let path = output
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < started {
        return None;
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

fn criterion_summary(output: &Path, started: SystemTime) {
    println!("\ncriterion summary (mean; ratio to the baseline of the same run)");
    let rows: [(&str, &str, &[&str], &str); 5] = [
        (
            "http_service_get",
            "baseline_reqwest",
            &["reqwest_runtime_decode", "generated_client"],
            "per request",
        ),
        (
            "http_token",
            "baseline_reqwest",
            &["reqwest_runtime_decode", "generated_client"],
            "per request",
        ),
        (
            "decode_service",
            "baseline_serde_json",
            &["runtime_path", "path_to_error"],
            "per decode",
        ),
        (
            "decode_client",
            "baseline_serde_json",
            &["runtime_path", "path_to_error"],
            "per decode",
        ),
        (
            "decode_service_list",
            "baseline_serde_json",
            &["runtime_path", "path_to_error"],
            "per decode",
        ),
    ];
    for (group, base, others, unit) in rows {
        let Some(b) = criterion_mean(output, group, base, started) else {
            continue;
        };
        println!("  {group:<20} {base:<24} {:>10.2} µs  {unit}", b / 1e3);
        for other in others {
            let Some(o) = criterion_mean(output, group, other, started) else {
                continue;
            };
            println!(
                "  {:<20} {other:<24} {:>10.2} µs  ratio {:.3}",
                "",
                o / 1e3,
                o / b
            );
        }
    }
}

/// Percentile `p` (0..=100) of sorted nanoseconds, in microseconds.
fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank] as f64 / 1e3
}

/// The fixed load: each round runs every client once, the order rotating from round to round
/// so that drift in the machine's load spreads evenly; one line per client and operation, then
/// each one's ratios to the hand-written baseline (req/s: above 0.95 meets the target).
fn load_table(rt: &tokio::runtime::Runtime, clients: &Arc<Clients>, smoke: bool) {
    let (requests, rounds) = if smoke {
        (200, 1)
    } else {
        (LOAD_REQUESTS, LOAD_ROUNDS)
    };
    println!(
        "\nfixed load: {requests} requests x {rounds} rounds per client, concurrency {CONCURRENCY}, \
         at most {}s per round",
        LOAD_TIME_LIMIT.as_secs()
    );
    println!(
        "  {:<11} {:<15} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "operation", "client", "req/s", "mean µs", "p50 µs", "p90 µs", "p99 µs"
    );
    for what in [What::ServiceGet, What::Token] {
        let mut results: Vec<(Who, Duration, Vec<u64>)> = Who::ALL
            .iter()
            .map(|&who| (who, Duration::ZERO, Vec::new()))
            .collect();
        // Per round, each client's req/s: rounds are paired comparisons, robust to drift.
        let mut per_round: Vec<[f64; 3]> = Vec::new();
        for round in 0..rounds {
            let mut rps = [0.0; 3];
            let mut order = Who::ALL;
            order.rotate_left(round % Who::ALL.len());
            for who in order {
                let (elapsed, latencies) = rt.block_on(run_load(
                    clients,
                    who,
                    what,
                    requests,
                    LOAD_TIME_LIMIT,
                    true,
                ));
                let index = Who::ALL.iter().position(|&w| w == who).unwrap();
                rps[index] = latencies.len() as f64 / elapsed.as_secs_f64();
                results[index].1 += elapsed;
                results[index].2.extend(latencies);
            }
            per_round.push(rps);
        }
        let mut figures = Vec::new();
        for (who, elapsed, mut latencies) in results {
            latencies.sort_unstable();
            let rps = latencies.len() as f64 / elapsed.as_secs_f64();
            let mean = latencies.iter().sum::<u64>() as f64 / latencies.len() as f64 / 1e3;
            let p = [50.0, 90.0, 99.0].map(|p| percentile(&latencies, p));
            println!(
                "  {:<11} {:<15} {rps:>9.0} {mean:>9.1} {:>9.1} {:>9.1} {:>9.1}",
                format!("{what:?}"),
                who.name(),
                p[0],
                p[1],
                p[2]
            );
            figures.push((who, rps, mean, p));
        }
        let base = figures[0];
        for (index, (who, rps, mean, p)) in figures.iter().enumerate().skip(1) {
            let mut ratios: Vec<f64> = per_round.iter().map(|r| r[index] / r[0]).collect();
            ratios.sort_by(f64::total_cmp);
            println!(
                "  {:<11} {:<15} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}   ratio to reqwest; \
                 req/s per round: median {:.3}, range {:.3}..{:.3}",
                format!("{what:?}"),
                who.name(),
                rps / base.1,
                mean / base.2,
                p[0] / base.3[0],
                p[1] / base.3[1],
                p[2] / base.3[2],
                ratios[ratios.len() / 2],
                ratios[0],
                ratios[ratios.len() - 1],
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------

fn main() {
    let started = SystemTime::now();
    let smoke = !std::env::args().any(|a| a == "--bench");
    let examples = examples();
    let server = Server::start(
        examples.service.clone(),
        examples.token_response.clone(),
        pagination::pages(&serde_json::from_slice(&examples.service).unwrap()),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let clients = Arc::new(Clients::new(server.base_url(), examples.token_request));
    check_same_requests(&rt, &server, &clients);

    let output = output_directory();
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .output_directory(&output)
        .configure_from_args();

    for (group, what) in [
        ("http_service_get", What::ServiceGet),
        ("http_token", What::Token),
    ] {
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(1));
        // Every sample the same number of requests, so that samples compare.
        g.sampling_mode(SamplingMode::Flat);
        g.measurement_time(Duration::from_secs(3));
        for (id, who) in [
            ("baseline_reqwest", Who::Handwritten),
            ("reqwest_runtime_decode", Who::HandwrittenRuntimeDecode),
            ("generated_client", Who::Generated),
        ] {
            g.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    rt.block_on(run_load(&clients, who, what, iters, UNBOUNDED, false))
                        .0
                })
            });
        }
        g.finish();
    }
    bench_decode::<models::Service>(&mut c, "decode_service", &examples.service);
    bench_decode::<models::Client>(&mut c, "decode_client", &examples.client);
    bench_decode::<models::ServiceGetListResponse>(
        &mut c,
        "decode_service_list",
        &examples.service_list,
    );
    bench_encode::<models::Service>(&mut c, "encode_service", &examples.service);
    bench_encode::<models::ServiceGetListResponse>(
        &mut c,
        "encode_service_list",
        &examples.service_list,
    );
    pagination::bench(&mut c, &rt, &clients.generated, smoke);
    c.final_summary();

    if !smoke {
        criterion_summary(&output, started);
    }
    load_table(&rt, &clients, smoke);
    drop(server);
}
