//! Generates a typed async Rust client crate from an OpenAPI 3.0, 3.1 or 3.2 document.
//!
//! One pipeline, each stage with one job:
//!
//! ```text
//! spec file ──load──▶ Document ──lower──▶ ir::Api ──emit──▶ FileSet ──write | check──▶ generated/
//! ```
//!
//! [`generate`] runs it end to end; the stages are public for tests, benchmarks and `diff`;
//! [`update`] takes a new upstream document into a project.

pub mod diff;
pub mod emit;
pub mod fileset;
pub mod ir;
pub mod load;
pub mod lower;
pub mod markdown;
pub mod update;

use std::path::{Path, PathBuf};

pub use emit::Config;
pub use fileset::{FileSet, Written};
pub use load::Diagnostic;

/// Anything that stops generation, with a message fit for a terminal.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Spec(#[from] Diagnostic),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    /// A project's example program that does not match what `x-rust-examples` says of it.
    #[error("{path}: {message}")]
    Example { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// What to read: a document and the overlays applied to it, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub spec: PathBuf,
    pub overlays: Vec<PathBuf>,
    /// Earlier versions of the document, for the generated `CHANGELOG.md` (see
    /// [`diff::changelog`]).
    pub history: Option<PathBuf>,
    /// The project's example programs, which the document's `x-rust-examples` names (see
    /// [`ir::ReadmeHints::programs`]).
    pub examples: Option<PathBuf>,
}

impl Input {
    /// The document alone.
    pub fn spec(spec: impl Into<PathBuf>) -> Self {
        Input {
            spec: spec.into(),
            overlays: Vec::new(),
            history: None,
            examples: None,
        }
    }

    /// The document with `overlay.yaml` and the `history/` and `examples/` folders from its
    /// folder, when they exist (for `spec/openapi.yaml`: `spec/overlay.yaml`, `spec/history`,
    /// `spec/examples`).
    pub fn with_default_overlay(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        let overlays = default_overlays(&spec);
        let examples = default_examples(&spec);
        let history = diff::changelog::default_history(&spec);
        Input {
            spec,
            overlays,
            history,
            examples,
        }
    }
}

/// The overlays generation applies to `spec` unless told otherwise: `overlay.yaml` beside
/// it, when it exists.
pub fn default_overlays(spec: &Path) -> Vec<PathBuf> {
    let overlay = spec.parent().unwrap_or(Path::new(".")).join("overlay.yaml");
    if overlay.is_file() {
        vec![overlay]
    } else {
        Vec::new()
    }
}

/// Loads the input and builds its IR; warnings (overlay targets that match nothing, keywords
/// mapped differently from what they say) are returned beside it.
pub fn load_api(input: &Input) -> Result<(ir::Api, Vec<load::overlay::Warning>), Error> {
    let (document, mut warnings) = load::load_with_overlays(&input.spec, &input.overlays)?;
    let (api, lower_warnings) = lower::lower_with_warnings(&document)?;
    warnings.extend(lower_warnings);
    Ok((api, warnings))
}

/// Loads, lowers and emits: the whole generated crate in memory.
pub fn generate(input: &Input, config: &Config) -> Result<FileSet, Error> {
    let (api, _) = load_api(input)?;
    let mut config = config.clone();
    config.set_changelog(diff::changelog::for_input(input, &config.crate_name)?);
    config.example_programs = example_programs(&api, input)?;
    Ok(emit::emit(&api, &config)?)
}

/// `examples/` beside the document, when it exists.
pub fn default_examples(spec: &Path) -> Option<PathBuf> {
    let folder = spec.parent().unwrap_or(Path::new(".")).join("examples");
    folder.is_dir().then_some(folder)
}

/// The text of every example program the document names, from the input's examples folder
/// (default: `examples/` beside the document). A named program that cannot be read stops
/// generation: the overlay and the folder disagree.
pub fn example_programs(api: &ir::Api, input: &Input) -> Result<Vec<(String, String)>, Error> {
    let programs = &api.readme.programs;
    if programs.is_empty() {
        return Ok(Vec::new());
    }
    let folder = input.examples.clone().unwrap_or_else(|| {
        input
            .spec
            .parent()
            .unwrap_or(Path::new("."))
            .join("examples")
    });
    programs
        .iter()
        .map(|program| {
            let path = folder.join(&program.file);
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: format!("{} (named by x-rust-examples)", path.display()),
                source,
            })?;
            emit::check_example_program(program, &text).map_err(|message| Error::Example {
                path: path.display().to_string(),
                message,
            })?;
            Ok((program.file.clone(), text))
        })
        .collect()
}
