//! What a project tells the generated README and `examples/` through overlay extensions on
//! the document root. The generator itself knows no API: which operations the README tours,
//! which one shows retries, and which example programs the crate ships are the project's data.

use serde::Serialize;

/// The document root's README extensions, read by `lower::readme`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReadmeHints {
    /// The operationId the README's first example calls (`x-rust-readme-example`).
    pub example: Option<String>,
    /// The operationIds the README's tour calls, in order (`x-rust-readme-tour`). Empty: the
    /// first operation of the first few groups.
    pub tour: Vec<String>,
    /// A non-idempotent operation that is safe to repeat, used to show opting in to retries
    /// (`x-rust-readme-retry-example`). None: the first `POST`.
    pub retry_example: Option<String>,
    /// Programs copied into the crate's `examples/` (`x-rust-examples`).
    pub programs: Vec<ExampleProgram>,
}

/// A program of the project's `examples/` folder (beside the document), copied into the
/// generated crate's `examples/` with its calls re-spelled from the IR, so renaming an
/// operation or a group keeps it compiling. Left out when the document lacks an operation it
/// calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleProgram {
    /// The file name, e.g. `reissue_id_token.rs`.
    pub file: String,
    pub calls: Vec<ExampleCall>,
}

/// One operation an example program calls, as its text spells it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleCall {
    pub operation: String,
    /// The call after `client.`, e.g. `token().process` (also matches `…_with(`).
    pub spelled: String,
    /// The request body model the text names as `models::{body}::`, re-spelled too.
    pub body: Option<String>,
}
