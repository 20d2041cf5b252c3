//! Emit: IR → a [`FileSet`] holding the whole generated crate.
//!
//! Rust files are built as `TokenStream`s with `quote!`, parsed into a `syn::File` and printed
//! by `prettyplease`, so they always parse and always look the same. Text files come from
//! templates in `templates/`; the runtime is copied verbatim from `templates/runtime/`.

mod api_types;
mod apis;
mod crate_files;
mod examples_test;
mod features;
mod model_debug;
mod model_enums;
mod model_serde;
mod model_setters;
mod model_types;
mod models;
mod operation_docs;
mod pagination;
mod readme;
mod requests;
mod rust_file;
mod security;
mod signatures;
mod streams;
mod tokens;
mod union_serde;
mod webhooks;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
pub use readme::check_example_program;

use self::rust_file::{HEADER, RustFile};
use crate::fileset::FileSet;
use crate::ir::Api;
pub use rust_file::Check;

/// What the emitted crate is called and how it presents itself.
#[derive(Debug, Clone)]
pub struct Config {
    pub crate_name: String,
    pub crate_version: String,
    /// `(path, text)` of files the crate carries as they are, such as `CHANGELOG.md` (which
    /// `diff::changelog` renders: emit knows nothing of diffs).
    pub verbatim_files: Vec<(String, String)>,
    /// `(file name, text)` of the project's example programs (`ir::ReadmeHints::programs`),
    /// read from its examples folder by [`crate::generate`].
    pub example_programs: Vec<(String, String)>,
}

impl Config {
    pub fn new(crate_name: impl Into<String>) -> Self {
        Config {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".to_owned(),
            verbatim_files: Vec::new(),
            example_programs: Vec::new(),
        }
    }

    /// `AUTHLETE` for the `authlete` crate: the prefix of its environment variables.
    pub fn env_prefix(&self) -> String {
        self.crate_name.to_shouty_snake_case()
    }

    /// The crate name as a Rust path segment (`my-api` → `my_api`).
    pub fn crate_ident(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

/// The hand-written runtime, embedded at build time so the generator binary is self-contained.
const RUNTIME: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// Emits every file of the crate.
pub fn emit(api: &Api, config: &Config) -> Result<FileSet, EmitError> {
    emit_checked(api, config, Check::Skip)
}

/// [`emit`], with every Rust file checked as `check` says: [`Check::Parse`] parses each one
/// whole, including the text appended after prettyplease (`generator/tests/rendered_files.rs`).
pub fn emit_checked(api: &Api, config: &Config, check: Check) -> Result<FileSet, EmitError> {
    let mut files = FileSet::default();
    files.insert("Cargo.toml", crate_files::cargo_toml(api, config));
    files.insert("README.md", readme::readme(api, config));
    for (path, text) in readme::examples(api, config) {
        files.insert(&path, text);
    }
    for (path, text) in &config.verbatim_files {
        files.insert(path, text.clone());
    }
    files.insert("rustfmt.toml", RUSTFMT_TOML.to_owned());
    // Rust files are independent: emit them on all cores. Each job builds one file's tokens
    // into its own `RustFile` (docs, appended text), which then renders it.
    let mut jobs: Vec<Job<'_>> = vec![
        (
            "src/lib.rs".to_owned(),
            Box::new(|_| crate_files::lib_rs(api, config)),
        ),
        (
            "src/server.rs".to_owned(),
            Box::new(|file| crate_files::server_rs(file, api)),
        ),
        (
            "src/security.rs".to_owned(),
            Box::new(|file| security::security_rs(file, api, config)),
        ),
        (
            "src/models/mod.rs".to_owned(),
            Box::new(|file| models::models_mod(file, api)),
        ),
        (
            "src/apis/mod.rs".to_owned(),
            Box::new(|file| apis::apis_mod(file, api)),
        ),
    ];
    if !api.webhooks.is_empty() {
        jobs.push((
            "src/webhooks.rs".to_owned(),
            Box::new(|file| webhooks::webhooks_rs(file, api).unwrap_or_default()),
        ));
    }
    let modules = models::model_modules(api);
    // Merged inline types are aliases without a file: declared in the file of the type they
    // name (or, failing that, in `models/mod.rs`).
    let aliases = models::merged_aliases(api);
    let directions = api.directions();
    for def in api
        .types
        .iter()
        .filter(|t| model_types::merged_alias_target(t).is_none())
    {
        let path = format!("src/models/{}.rs", modules[&def.name]);
        let others = aliases.get(def.name.as_str()).cloned().unwrap_or_default();
        let directions = directions
            .get(&def.name)
            .copied()
            .unwrap_or(crate::ir::Directions::BOTH);
        jobs.push((
            path,
            Box::new(move |file| models::model_file(file, api, def, &others, directions)),
        ));
    }
    for group in &api.groups {
        let path = format!("src/apis/{}.rs", group.module);
        jobs.push((
            path,
            Box::new(move |file| apis::group_file(file, api, config, group)),
        ));
    }
    if !api.examples.is_empty() {
        jobs.push((
            "tests/spec_examples.rs".to_owned(),
            Box::new(|_| examples_test::examples_test(api, config).unwrap_or_default()),
        ));
    }
    for (path, text) in run_parallel(&jobs, check)? {
        // A generated test without checks (no usable examples) is left out.
        if !(path == "tests/spec_examples.rs" && text.trim() == HEADER.trim()) {
            files.insert(&path, text);
        }
    }
    for (name, text) in RUNTIME {
        files.insert(&format!("src/runtime/{name}"), runtime_file(text, config));
    }
    Ok(files)
}

/// Stack of each emit worker thread (see `run_parallel`).
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// One Rust file: its path, and what builds its tokens (docs and appended text into the
/// `RustFile` it is given).
type Job<'a> = (
    String,
    Box<dyn Fn(&mut RustFile) -> TokenStream + Send + Sync + 'a>,
);

/// Runs the jobs on up to `available_parallelism` threads; results come back in job order, so
/// the output does not depend on scheduling.
fn run_parallel(jobs: &[Job<'_>], check: Check) -> Result<Vec<(String, String)>, EmitError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<String, EmitError>>> =
        (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                // syn parses nested types recursively (`Vec<Vec<..>>` from nested `items`):
                // the default 2 MiB of a spawned thread overflow at ~45 levels in debug builds,
                // below the depth lowering allows, so workers get a main thread's stack and more.
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some((path, job)) = jobs.get(i) else {
                                break;
                            };
                            let mut file = RustFile::new();
                            let tokens = job(&mut file);
                            done.push((i, file.render(path, tokens, check)));
                        }
                        done
                    })
                    .expect("cannot start an emit thread")
            })
            .collect();
        for worker in workers {
            // A panic in a worker is a generator bug; re-raise it on this thread.
            let done = worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            for (i, result) in done {
                results[i] = Some(result);
            }
        }
    });
    jobs.iter()
        .zip(results)
        .map(|((path, _), result)| {
            let text = result.unwrap_or_else(|| Ok(String::new()))?;
            Ok((path.clone(), text))
        })
        .collect()
}

/// A runtime file for this crate. The runtime speaks of no API in particular; its doc
/// comments write `{{crate}}` for the crate's name (in doc examples: `use {{crate}}::Client;`)
/// and `{{ENV}}` for its environment variables' prefix, filled in here.
fn runtime_file(text: &str, config: &Config) -> String {
    text.replace("{{crate}}", &config.crate_ident())
        .replace("{{ENV}}", &config.env_prefix())
}

/// A generated Rust file that did not parse: a bug in an emitter, reported with the file.
#[derive(Debug, thiserror::Error)]
#[error(
    "internal error: the generated {path} does not parse ({message}); please report this with the input document"
)]
pub struct EmitError {
    pub path: String,
    pub message: String,
}

/// The generated sources are formatted by prettyplease and guarded by `--check`; rustfmt
/// would format them differently and make `--check` fail, so it is told to leave them alone.
const RUSTFMT_TOML: &str = "# Generated code is formatted by the generator (prettyplease) and checked with\n# `cargo run -p generator -- --check`; rustfmt must not reformat it.\ndisable_all_formatting = true\n";
