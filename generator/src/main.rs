//! `cargo run -p generator` regenerates `generated/` from `spec/openapi.yaml`;
//! `cargo run -p generator -- diff OLD NEW` reports what a new document changes in the Rust API;
//! `cargo run -p generator -- update NEW` takes a new upstream document into the project.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use generator::{Config, Input, Written, load_api};

/// Generate a typed async Rust client crate from an OpenAPI 3.0, 3.1 or 3.2 document.
#[derive(Debug, Parser)]
#[command(
    name = "generator",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, default_value = "spec/openapi.yaml")]
    spec: PathBuf,
    /// Where the crate is written; replaced as a whole.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// An OpenAPI Overlay 1.0 applied before generation (repeatable, in order). Default:
    /// `overlay.yaml` beside the document, when it exists.
    #[arg(long = "overlay", value_name = "PATH")]
    overlays: Vec<PathBuf>,
    /// The generated crate's name.
    #[arg(long, default_value = "authlete")]
    crate_name: String,
    /// The generated crate's version. Default: the version of the crate already in --out
    /// (which `update` bumps), else 0.1.0.
    #[arg(long, value_name = "VERSION")]
    crate_version: Option<String>,
    /// Generate in memory and compare with --out: exit 1 and list what differs when stale.
    #[arg(long)]
    check: bool,
    /// Earlier versions of the document, for `CHANGELOG.md`. Default: `history/` beside the
    /// document, when it exists.
    #[arg(long, value_name = "DIR")]
    history: Option<PathBuf>,
    /// The project's example programs, which the document's `x-rust-examples` names. Default:
    /// `examples/` beside the document.
    #[arg(long, value_name = "DIR")]
    examples: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report what NEW changes in the generated Rust API compared with OLD, each change
    /// classified breaking or compatible.
    Diff {
        /// The old OpenAPI document (YAML or JSON).
        old: PathBuf,
        /// The new OpenAPI document (YAML or JSON).
        new: PathBuf,
        /// text (terminal), markdown (CHANGELOG entry, pull-request comment) or json.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit with status 1 when any change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
        /// An overlay applied to both documents before comparing (repeatable, in order), so
        /// the diff names the crate's methods and types as generation does. Default:
        /// `overlay.yaml` beside NEW, else beside OLD, else beside the spec whose `history/`
        /// folder holds them.
        #[arg(long = "overlay", value_name = "PATH")]
        overlays: Vec<PathBuf>,
        /// Compare the documents as published, without any overlay.
        #[arg(long, conflicts_with = "overlays")]
        no_overlay: bool,
    },
    /// Take a new upstream document into the project: store it in the history folder as
    /// DATE_HASH, make it the spec, regenerate, bump the crate version by the diff, and print
    /// a Markdown summary for a pull request. Nothing changes when NEW is invalid (exit 2) or
    /// already the spec.
    Update {
        /// The new document: a path, or an http(s) URL.
        new: String,
        /// The project's document, replaced by NEW.
        #[arg(long, default_value = "spec/openapi.yaml")]
        spec: PathBuf,
        /// The generated crate.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Overlays applied to both documents (repeatable). Default: `overlay.yaml` beside
        /// the spec, when it exists.
        #[arg(long = "overlay", value_name = "PATH")]
        overlays: Vec<PathBuf>,
        /// Where documents are kept. Default: `history/` beside the spec.
        #[arg(long, value_name = "DIR")]
        history: Option<PathBuf>,
        /// The generated crate's name.
        #[arg(long, default_value = "authlete")]
        crate_name: String,
        /// The date the stored document is named after (YYYY-MM-DD). Default: today, UTC.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Exit with status 1, after writing, when any change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
}

/// `println!` that ignores a closed stdout (`generator --check | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

// Generation allocates millions of small token trees and strings; mimalloc serves them
// markedly faster than the system allocator (see BENCHMARKS.md, issue 7).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, String> {
    if let Some(Command::Diff {
        old,
        new,
        format,
        fail_on_breaking,
        overlays,
        no_overlay,
    }) = &cli.command
    {
        let overlays = match (no_overlay, overlays.is_empty()) {
            (true, _) => Vec::new(),
            (false, true) => generator::diff::default_overlays(old, new),
            (false, false) => overlays.clone(),
        };
        let (diff, warnings) =
            generator::diff::diff_files(old, new, &overlays).map_err(|e| e.to_string())?;
        for warning in &warnings {
            eprintln!("warning: {warning}");
        }
        let format = match format {
            DiffFormat::Text => generator::diff::render::Format::Text,
            DiffFormat::Markdown => generator::diff::render::Format::Markdown,
            DiffFormat::Json => generator::diff::render::Format::Json,
        };
        use std::io::Write as _;
        let _ =
            std::io::stdout().write_all(generator::diff::render::render(&diff, format).as_bytes());
        return Ok(if *fail_on_breaking && diff.has_breaking() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    if let Some(Command::Update {
        new,
        spec,
        out,
        overlays,
        history,
        crate_name,
        today,
        fail_on_breaking,
    }) = &cli.command
    {
        check_crate_name(crate_name)?;
        let defaults = Input::with_default_overlay(spec);
        let update = generator::update::Update {
            new: new.clone(),
            spec: spec.clone(),
            overlays: if overlays.is_empty() {
                defaults.overlays
            } else {
                overlays.clone()
            },
            history: history
                .clone()
                .unwrap_or_else(|| spec.parent().unwrap_or(Path::new(".")).join("history")),
            out: out.clone(),
            crate_name: crate_name.clone(),
            today: today.clone(),
        };
        let outcome = generator::update::update(&update).map_err(|e| e.to_string())?;
        use std::io::Write as _;
        let _ = std::io::stdout().write_all(outcome.summary(crate_name).as_bytes());
        return Ok(if *fail_on_breaking && outcome.is_breaking() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    check_crate_name(&cli.crate_name)?;
    let mut config = Config::new(&cli.crate_name);
    if let Some(version) = cli
        .crate_version
        .clone()
        .or_else(|| generator::update::crate_version(&cli.out))
    {
        config.crate_version = version;
    }
    let mut input = if cli.overlays.is_empty() {
        Input::with_default_overlay(&cli.spec)
    } else {
        Input {
            spec: cli.spec.clone(),
            overlays: cli.overlays.clone(),
            history: generator::diff::changelog::default_history(&cli.spec),
            examples: generator::default_examples(&cli.spec),
        }
    };
    if let Some(dir) = &cli.history {
        input.history = Some(dir.clone());
    }
    if let Some(dir) = &cli.examples {
        input.examples = Some(dir.clone());
    }
    let (api, warnings) = load_api(&input).map_err(|e| e.to_string())?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    config.set_changelog(
        generator::diff::changelog::for_input(&input, &cli.crate_name)
            .map_err(|e| e.to_string())?,
    );
    config.example_programs =
        generator::example_programs(&api, &input).map_err(|e| e.to_string())?;
    let files = generator::emit::emit(&api, &config).map_err(|e| e.to_string())?;
    if cli.check {
        let staleness = files
            .compare_with(&cli.out)
            .map_err(|e| format!("{}: {e}", cli.out.display()))?;
        if staleness.is_fresh() {
            say!(
                "{} is up to date ({} files)",
                cli.out.display(),
                files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        say!(
            "{} is stale; run `cargo run -p generator` to regenerate:",
            cli.out.display()
        );
        for path in &staleness.changed {
            say!("  changed: {path}");
        }
        for path in &staleness.missing {
            say!("  missing: {path}");
        }
        for path in &staleness.extra {
            say!("  extra:   {path}");
        }
        return Ok(ExitCode::from(1));
    }
    let written = files
        .write_to(&cli.out)
        .map_err(|e| format!("{}: cannot write the crate: {e}", cli.out.display()))?;
    match written {
        Written::Replaced => say!(
            "wrote {} files ({} lines) to {}",
            files.len(),
            files.line_count(),
            cli.out.display()
        ),
        Written::Updated { files: changed } => say!(
            "updated {changed} of {} files ({} lines) in {}",
            files.len(),
            files.line_count(),
            cli.out.display()
        ),
        Written::Unchanged => say!(
            "{} is up to date ({} files): nothing written",
            cli.out.display(),
            files.len()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn check_crate_name(name: &str) -> Result<(), String> {
    if is_crate_name(name) {
        Ok(())
    } else {
        Err(format!(
            "--crate-name {name:?} is not a valid crate name (ASCII letters, digits, `_` and `-`, starting with a letter, not a Rust keyword)"
        ))
    }
}

fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !generator::lower::naming::is_keyword(&name.replace('-', "_"))
}
