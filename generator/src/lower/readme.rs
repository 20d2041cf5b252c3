//! The document root's README extensions → [`ReadmeHints`]: which operations the generated
//! README tours (`x-rust-readme-tour`), which one it calls first (`x-rust-readme-example`) and
//! for retries (`x-rust-readme-retry-example`), and the example programs the crate ships
//! (`x-rust-examples`). A project's overlay sets them; without them the README picks
//! operations by rule. A malformed value or an unknown operationId is a located warning and
//! is left out: these only shape documentation, never the API.

use serde_json::Value;

use super::Lowerer;
use crate::ir::{Api, ExampleCall, ExampleProgram, ReadmeHints};

impl Lowerer<'_> {
    /// Reads the hints, checking every operationId against `api`.
    pub(super) fn readme_hints(&mut self, api: &Api) -> ReadmeHints {
        let root = &self.doc.openapi.extensions;
        let known = |id: &str| api.operations().any(|(_, op)| op.id == id);
        let mut hints = ReadmeHints::default();
        let mut unknown = Vec::new();

        for key in ["x-rust-readme-example", "x-rust-readme-retry-example"] {
            let Some(value) = root.get(key) else { continue };
            let pointer = format!("/{key}");
            let Some(id) = value.as_str() else {
                self.warn(&pointer, format!("{key} must be an operationId; ignored"));
                continue;
            };
            if !known(id) {
                unknown.push((pointer, id.to_owned()));
                continue;
            }
            match key {
                "x-rust-readme-example" => hints.example = Some(id.to_owned()),
                _ => hints.retry_example = Some(id.to_owned()),
            }
        }

        if let Some(value) = root.get("x-rust-readme-tour") {
            match value.as_array() {
                Some(ids) => {
                    for (i, id) in ids.iter().enumerate() {
                        let pointer = format!("/x-rust-readme-tour/{i}");
                        match id.as_str() {
                            Some(id) if known(id) => hints.tour.push(id.to_owned()),
                            Some(id) => unknown.push((pointer, id.to_owned())),
                            None => self.warn(&pointer, "not an operationId; left out of the tour"),
                        }
                    }
                }
                None => self.warn(
                    "/x-rust-readme-tour",
                    "x-rust-readme-tour must be a list of operationIds; ignored",
                ),
            }
        }

        if let Some(value) = root.get("x-rust-examples") {
            match value.as_array() {
                Some(programs) => {
                    for (i, program) in programs.iter().enumerate() {
                        let pointer = format!("/x-rust-examples/{i}");
                        match example_program(program) {
                            Ok(program) => hints.programs.push(program),
                            Err(why) => self.warn(&pointer, format!("{why}; program left out")),
                        }
                    }
                }
                None => self.warn(
                    "/x-rust-examples",
                    "x-rust-examples must be a list of programs; ignored",
                ),
            }
        }

        for (pointer, id) in unknown {
            self.warn(
                &pointer,
                format!("no operation has the operationId `{id}`; the README ignores it"),
            );
        }
        hints
    }
}

/// One entry of `x-rust-examples`: `{file, calls: [{operation, call, body?}]}`. Calls naming
/// operations the document lacks are kept: the emitter leaves such a program out, which is
/// how one overlay serves every version of a document.
fn example_program(value: &Value) -> Result<ExampleProgram, String> {
    let text = |v: &Value, key: &str| -> Result<Option<String>, String> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let file = text(value, "file")?.ok_or("no `file`")?;
    if file.is_empty() || file.contains(['/', '\\']) || !file.ends_with(".rs") {
        return Err(format!(
            "`file` must be a `.rs` file name in the examples folder, not `{file}`"
        ));
    }
    let mut calls = Vec::new();
    for call in value
        .get("calls")
        .and_then(Value::as_array)
        .ok_or("no `calls` list")?
    {
        calls.push(ExampleCall {
            operation: text(call, "operation")?.ok_or("a call without `operation`")?,
            spelled: text(call, "call")?.ok_or("a call without `call`")?,
            body: text(call, "body")?,
        });
    }
    Ok(ExampleProgram { file, calls })
}
