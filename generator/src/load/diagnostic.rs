//! Errors that say what went wrong and where: file, JSON pointer, line.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with an input document, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// RFC 6901 JSON pointer into the document, e.g. `/paths/~1pets/get`.
    pub pointer: Option<String>,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            pointer: None,
            line: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(pointer) = &self.pointer {
            let shown = if pointer.is_empty() { "/" } else { pointer };
            write!(f, ": at {shown}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Escapes one JSON pointer token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a JSON pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Joins tokens into a JSON pointer.
pub fn pointer(tokens: &[&str]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_round_trips_through_escaping() {
        let p = pointer(&["paths", "/api/{id}/x", "get", "a~b"]);
        assert_eq!(p, "/paths/~1api~1{id}~1x/get/a~0b");
        assert_eq!(pointer_tokens(&p), ["paths", "/api/{id}/x", "get", "a~b"]);
    }

    #[test]
    fn display_names_file_line_and_pointer() {
        let d = Diagnostic::new(Path::new("spec.yaml"), "bad")
            .at("/paths")
            .line(Some(3));
        assert_eq!(d.to_string(), "spec.yaml:3: at /paths: bad");
    }
}
