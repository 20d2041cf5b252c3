//! Generation speed, phase by phase: `cargo bench -p generator` (see BENCHMARKS.md).
//!
//! Two documents: the Authlete document with its overlay (`spec/openapi.yaml`,
//! `spec/overlay.yaml`) and the large Box document from the shared corpus
//! (`../shared/specs/corpus/box/openapi.json`, skipped with a note when absent). Per document:
//!
//! | id | what |
//! |---|---|
//! | `parse_baseline` | the text already in memory → a value tree with plain `serde_yaml` / `serde_json`: the cost any tool pays to read the document, and the baseline every other figure is divided by |
//! | `load` | `load::load_with_overlays`: read + parse + overlays + `openapiv3` (+ checks) |
//! | `lower` | `lower::lower`: `Document` → `ir::Api` |
//! | `emit` | `emit::emit`: `ir::Api` → `FileSet` (quote + syn + prettyplease), nothing written |
//! | `end_to_end` | `generate` without history: load + lower + emit, in memory |
//! | `changelog_cold` | Authlete only: `CHANGELOG.md` from `spec/history` (11 documents loaded, lowered, diffed), the generator's changelog cache emptied before each iteration |
//! | `changelog_warm` | the same with the cache filled (any run after the first) |
//! | `end_to_end_with_history_cold` / `_warm` | Authlete only: `generate` as `cargo run -p generator` does it, cache emptied / filled |
//!
//! After a real run (`--bench`) a table of means and their ratio to `parse_baseline` (same run)
//! is printed. Under `cargo test --all-targets` (no `--bench`) criterion runs every routine
//! once as a smoke test; the Box document and the history are left out there to keep the
//! unoptimised test build quick. Nothing here asserts on time.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};
use generator::{Config, Input};

// The allocator the generator binary uses (generator/src/main.rs), so that the phases are timed
// as the binary runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sample counts and times are small so the whole `cargo bench -p generator` stays within a
/// couple of minutes on 2 cores; the slowest routines (~1 s) get 10 single-iteration samples.
fn criterion(output: &Path) -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .output_directory(output)
        .configure_from_args()
}

/// The repository root (this file is `generator/benches/generate.rs`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ has a parent")
        .to_path_buf()
}

/// Where criterion keeps its results: `$CARGO_TARGET_DIR/criterion` or `target/criterion`.
fn output_directory() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("criterion")
}

struct Document {
    /// The criterion group, also the document's name in the summary.
    group: &'static str,
    spec: PathBuf,
    overlays: Vec<PathBuf>,
    history: Option<PathBuf>,
    crate_name: &'static str,
}

impl Document {
    fn input(&self, history: bool) -> Input {
        Input {
            spec: self.spec.clone(),
            overlays: self.overlays.clone(),
            history: if history { self.history.clone() } else { None },
            examples: None,
        }
    }
}

/// The baseline: parse the text with the plain libraries into their own value type, nothing
/// else (YAML into `serde_yaml::Value`: the document has integer keys such as `200:`).
fn parse_plain(path: &Path, text: &str) {
    if path.extension().is_some_and(|e| e == "json") {
        let value: serde_json::Value = serde_json::from_str(text).expect("the document is JSON");
        std::hint::black_box(value);
    } else {
        let value: serde_yaml::Value = serde_yaml::from_str(text).expect("the document is YAML");
        std::hint::black_box(value);
    }
}

fn bench_document(c: &mut Criterion, doc: &Document, smoke: bool) {
    let text = std::fs::read_to_string(&doc.spec).expect("the document is readable");
    let config = Config::new(doc.crate_name);
    // Fail loudly before measuring anything if the document does not generate.
    let (document, _) = generator::load::load_with_overlays(&doc.spec, &doc.overlays)
        .unwrap_or_else(|e| panic!("{}: {e}", doc.spec.display()));
    let api = generator::lower::lower(&document).expect("the document lowers");

    let mut group: BenchmarkGroup<'_, WallTime> = c.benchmark_group(doc.group);
    // Routines take milliseconds to a second: flat sampling keeps slow ones at 10 iterations.
    group.sampling_mode(SamplingMode::Flat);

    group.bench_function("parse_baseline", |b| {
        b.iter(|| parse_plain(&doc.spec, std::hint::black_box(&text)))
    });
    group.bench_function("load", |b| {
        b.iter(|| generator::load::load_with_overlays(&doc.spec, &doc.overlays).unwrap())
    });
    group.bench_function("lower", |b| {
        b.iter(|| generator::lower::lower(std::hint::black_box(&document)).unwrap())
    });
    group.bench_function("emit", |b| {
        b.iter(|| generator::emit::emit(std::hint::black_box(&api), &config).unwrap())
    });
    let input = doc.input(false);
    group.bench_function("end_to_end", |b| {
        b.iter(|| generator::generate(&input, &config).unwrap())
    });
    if doc.history.is_some() && !smoke {
        // The changelog is cached across runs (keyed by the history's bytes and the generator
        // build), in the folder `cache_dir()` points GENERATOR_CACHE_DIR at: `cold` empties it
        // before every iteration (untimed), as on a fresh machine; `warm` is a later run.
        let with_history = doc.input(true);
        let changelog = || generator::diff::changelog::for_input(&with_history, doc.crate_name);
        group.bench_function("changelog_cold", |b| {
            b.iter_batched(
                clear_cache,
                |()| changelog().unwrap(),
                BatchSize::PerIteration,
            )
        });
        changelog().unwrap();
        warn_unless_cached();
        group.bench_function("changelog_warm", |b| b.iter(|| changelog().unwrap()));
        group.bench_function("end_to_end_with_history_cold", |b| {
            b.iter_batched(
                clear_cache,
                |()| generator::generate(&with_history, &config).unwrap(),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("end_to_end_with_history_warm", |b| {
            b.iter(|| generator::generate(&with_history, &config).unwrap())
        });
    }
    group.finish();
}

/// The generator's cache folder for this process (see `main`).
fn cache_dir() -> PathBuf {
    output_directory()
        .parent()
        .expect("criterion's folder has a parent")
        .join("bench-generator-cache")
}

fn clear_cache() {
    let _ = std::fs::remove_dir_all(cache_dir());
}

/// The cold/warm split relies on the generator caching in GENERATOR_CACHE_DIR: say so if a
/// run left nothing there (the two would then measure the same thing).
fn warn_unless_cached() {
    let cached = std::fs::read_dir(cache_dir()).is_ok_and(|mut entries| entries.next().is_some());
    if !cached {
        eprintln!(
            "note: nothing was cached in {} (GENERATOR_CACHE_DIR); `_cold` and `_warm` measure the same thing",
            cache_dir().display()
        );
    }
}

/// Means of this run's results, each with its ratio to the group's `parse_baseline`.
fn summary(output: &Path, groups: &[&str], started: SystemTime) {
    println!("\nsummary (mean; ratio to parse_baseline of the same run)");
    for group in groups {
        let dir = output.join(group);
        let mean = |id: &str| -> Option<f64> {
            let path = dir.join(id).join("new").join("estimates.json");
            // Only results written by this run: a filter may have skipped some.
            let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
            if modified < started {
                return None;
            }
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
            json["mean"]["point_estimate"].as_f64()
        };
        let baseline = mean("parse_baseline");
        for id in [
            "parse_baseline",
            "load",
            "lower",
            "emit",
            "end_to_end",
            "changelog_cold",
            "changelog_warm",
            "end_to_end_with_history_cold",
            "end_to_end_with_history_warm",
        ] {
            let Some(ns) = mean(id) else { continue };
            let ratio = baseline.map_or_else(|| "-".to_owned(), |base| format!("{:.2}", ns / base));
            println!("  {group:<9} {id:<29} {:>10.2} ms  {ratio:>7}x", ns / 1e6);
        }
    }
}

fn main() {
    let started = SystemTime::now();
    // SAFETY: no other thread exists yet. The generator's caches go to a folder of the
    // benchmark's own, which the `_cold` benchmarks empty; the user's cache is left alone.
    unsafe { std::env::set_var("GENERATOR_CACHE_DIR", cache_dir()) };
    // criterion measures only under `cargo bench` (which passes `--bench`); otherwise it runs
    // each routine once, as a test.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let root = root();
    let mut documents = vec![Document {
        group: "authlete",
        spec: root.join("spec/openapi.yaml"),
        overlays: vec![root.join("spec/overlay.yaml")],
        history: Some(root.join("spec/history")).filter(|dir| dir.is_dir()),
        crate_name: "authlete",
    }];
    let corpus_box = root.join("../shared/specs/corpus/box/openapi.json");
    if smoke {
        // The unoptimised test build would take long on the large document.
    } else if corpus_box.is_file() {
        documents.push(Document {
            group: "box",
            spec: corpus_box,
            overlays: Vec::new(),
            history: None,
            crate_name: "box-api",
        });
    } else {
        eprintln!(
            "note: {} is missing; the Box benchmarks are skipped",
            corpus_box.display()
        );
    }

    let output = output_directory();
    let mut c = criterion(&output);
    for doc in &documents {
        bench_document(&mut c, doc, smoke);
    }
    c.final_summary();
    if !smoke {
        let groups: Vec<&str> = documents.iter().map(|d| d.group).collect();
        summary(&output, &groups, started);
    }
}
