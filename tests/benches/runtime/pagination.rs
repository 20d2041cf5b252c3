//! `service().list_all(..)` over [`PAGES`] pages against calling `service().list(..)` in a
//! loop over the same pages (what callers write by hand without the stream): the same
//! server, the same [`PAGE_SIZE`]-service pages (built from the document's example), the same
//! decoded `Service` values, each handed to the caller by value on both sides. Criterion times both; then [`ROUNDS`] paired rounds (both ways
//! in turn, the order alternating) give the median and range of the stream/loop time ratio.

use std::time::{Duration, Instant};

use authlete::apis::service::ServiceListParams;
use bytes::Bytes;
use criterion::{Criterion, Throughput};
use futures_util::StreamExt;

/// Pages per walk, services per page.
pub const PAGES: usize = 20;
pub const PAGE_SIZE: usize = 10;
const ROUNDS: usize = 15;
const WALKS_PER_ROUND: usize = 30;

pub const LIST_PATH: &str = "/api/service/get/list";

/// The pages the server answers, by `start / PAGE_SIZE`: distinct (their `start` and `end`
/// differ), so the stream's repeated-page check never fires.
pub fn pages(service: &serde_json::Value) -> Vec<Bytes> {
    (0..PAGES)
        .map(|i| {
            let start = i * PAGE_SIZE;
            let page = serde_json::json!({
                "start": start,
                "end": start + PAGE_SIZE,
                "totalCount": PAGES * PAGE_SIZE,
                "services": vec![service.clone(); PAGE_SIZE],
            });
            Bytes::from(serde_json::to_vec(&page).unwrap())
        })
        .collect()
}

/// The page for a request's `start` query parameter.
pub fn page_for(pages: &[Bytes], query: Option<&str>) -> Option<Bytes> {
    let start: usize = query
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("start="))
        .map_or(Some(0), |v| v.parse().ok())?;
    pages.get(start / PAGE_SIZE).cloned()
}

async fn by_loop(client: &authlete::Client) -> usize {
    let mut services = 0;
    let mut start = 0;
    loop {
        let params = ServiceListParams::new()
            .start(start as i32)
            .end((start + PAGE_SIZE) as i32);
        let page = client.service().list(params).await.expect("a page");
        let got = page.services.unwrap_or_default();
        let received = got.len();
        // Each service handed over by value, as the stream hands them (and as a caller's
        // `for service in page.services` does): both sides pay for moving them.
        for service in got {
            std::hint::black_box(service);
            services += 1;
        }
        start += received;
        let total = page.total_count.unwrap_or(0) as usize;
        if received == 0 || start >= total {
            return services;
        }
    }
}

async fn by_stream(client: &authlete::Client) -> usize {
    let mut items = client
        .service()
        .list_all(ServiceListParams::new().end(PAGE_SIZE as i32));
    let mut services = 0;
    while let Some(service) = items.next().await {
        std::hint::black_box(service.expect("a service"));
        services += 1;
    }
    services
}

async fn walks(client: &authlete::Client, stream: bool, n: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..n {
        let services = if stream {
            by_stream(client).await
        } else {
            by_loop(client).await
        };
        assert_eq!(services, PAGES * PAGE_SIZE);
    }
    started.elapsed()
}

pub fn bench(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    client: &authlete::Client,
    smoke: bool,
) {
    let mut g = c.benchmark_group("paginate_service_list");
    g.throughput(Throughput::Elements(PAGES as u64));
    for (id, stream) in [("loop_list", false), ("stream_list_all", true)] {
        g.bench_function(id, |b| {
            b.iter_custom(|n| rt.block_on(walks(client, stream, n)))
        });
    }
    g.finish();

    let (rounds, per_round) = if smoke {
        (1, 1)
    } else {
        (ROUNDS, WALKS_PER_ROUND)
    };
    let mut ratios = Vec::with_capacity(rounds);
    let (mut loop_total, mut stream_total) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        let per_round = per_round as u64;
        let (looped, streamed) = if round % 2 == 0 {
            let l = rt.block_on(walks(client, false, per_round));
            (l, rt.block_on(walks(client, true, per_round)))
        } else {
            let s = rt.block_on(walks(client, true, per_round));
            (rt.block_on(walks(client, false, per_round)), s)
        };
        loop_total += looped;
        stream_total += streamed;
        ratios.push(streamed.as_secs_f64() / looped.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let per_walk = |total: Duration| total.as_secs_f64() * 1e3 / (rounds * per_round) as f64;
    println!(
        "\npagination ({PAGES} pages of {PAGE_SIZE} services, {rounds} paired rounds of {per_round} walks): \
         loop {:.3} ms/walk, stream {:.3} ms/walk, stream/loop time ratio {:.3} overall, \
         per round median {:.3} (range {:.3}–{:.3})",
        per_walk(loop_total),
        per_walk(stream_total),
        stream_total.as_secs_f64() / loop_total.as_secs_f64(),
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
    );
}
