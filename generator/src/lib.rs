//! Generates a typed async Rust client crate from an OpenAPI 3.0 document.
//!
//! One pipeline, each stage with one job:
//!
//! ```text
//! spec file ──load──▶ Document ──lower──▶ ir::Api ──emit──▶ FileSet ──write | check──▶ generated/
//! ```
//!
//! [`generate`] runs it end to end; the stages are public for tests, benchmarks and `diff`.

pub mod emit;
pub mod fileset;
pub mod ir;
pub mod load;
pub mod lower;

use std::path::Path;

pub use emit::Config;
pub use fileset::FileSet;
pub use load::Diagnostic;

/// Anything that stops generation, with a message fit for a terminal.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Spec(#[from] Diagnostic),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Loads the document at `spec` and builds its IR.
pub fn load_api(spec: &Path) -> Result<ir::Api, Error> {
    let document = load::load(spec)?;
    Ok(lower::lower(&document)?)
}

/// Loads, lowers and emits: the whole generated crate in memory.
pub fn generate(spec: &Path, config: &Config) -> Result<FileSet, Error> {
    let api = load_api(spec)?;
    Ok(emit::emit(&api, config)?)
}
