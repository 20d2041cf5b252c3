//! Helpers shared by the test files in `tests/`.

pub mod prism;

use std::path::{Path, PathBuf};

use generator::FileSet;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// One readable text of a generated crate's own files, for golden comparison. The runtime
/// (copied verbatim from `templates/runtime/`) is left out so fixtures show only what the
/// document decides.
pub fn golden_text(files: &FileSet) -> String {
    let mut out = String::new();
    for (path, contents) in files.iter() {
        if path.starts_with("src/runtime/") {
            continue;
        }
        out.push_str(&format!("// ===== {path} =====\n"));
        out.push_str(contents);
        if !contents.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A unified diff of two texts, for assertion messages.
pub fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

/// Generates each `(crate name, spec)` into its own crate inside a temporary workspace, then
/// checks over all of them at once that they are formatted as `cargo fmt` would (the generator
/// lays out some code as text: `emit::model_serde`), clippy-clean (with `-D warnings`), and
/// that the doctests pass. The target directory is shared with the repository's, so
/// dependencies are built once for every caller.
///
/// Returns the combined output of cargo on failure.
pub fn generate_and_clippy(specs: &[(String, PathBuf)]) -> Result<(), String> {
    let workspace = generated_workspace(specs, &[])?;
    // Clippy over everything (lib, tests, examples), then the doctests: the README is the
    // crate docs, so its examples must compile for every document.
    for args in [
        &["fmt", "--all", "--check"][..],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--offline",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ][..],
        &["test", "--workspace", "--doc", "--offline", "--quiet"][..],
    ] {
        let output = cargo_in(workspace.path(), args)?;
        if !output.status.success() {
            return Err(format!(
                "cargo {} failed:\n{}{}",
                args[0],
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    Ok(())
}

/// A temporary workspace holding a crate generated from each `(crate name, spec)`, and the
/// hand-written `(crate name, Cargo.toml, src/lib.rs)` crates of `extra` (which may depend on
/// the generated ones by path, `../name`).
pub fn generated_workspace(
    specs: &[(String, PathBuf)],
    extra: &[(&str, &str, &str)],
) -> Result<tempfile::TempDir, String> {
    let inputs: Vec<(String, generator::Input)> = specs
        .iter()
        .map(|(name, spec)| (name.clone(), generator::Input::spec(spec)))
        .collect();
    generated_workspace_of(&inputs, extra)
}

/// [`generated_workspace`] for crates generated from full inputs (overlays, examples).
pub fn generated_workspace_of(
    inputs: &[(String, generator::Input)],
    extra: &[(&str, &str, &str)],
) -> Result<tempfile::TempDir, String> {
    let workspace = tempfile::Builder::new()
        .prefix("generated-crates-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let mut members = Vec::new();
    for (name, input) in inputs {
        let files = generator::generate(input, &generator::Config::new(name))
            .map_err(|e| format!("{name}: generation failed: {e}"))?;
        files
            .write_to(&workspace.path().join(name))
            .map_err(|e| format!("{name}: {e}"))?;
        members.push(format!("{name:?}"));
    }
    for (name, manifest, lib) in extra {
        let dir = workspace.path().join(name);
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("src/lib.rs"), lib).map_err(|e| e.to_string())?;
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    // The repository's lock file pins the same dependency versions, so nothing is resolved
    // or downloaded again.
    std::fs::copy(
        repo_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .map_err(|e| e.to_string())?;
    Ok(workspace)
}

/// Runs cargo with `args` in `workspace`, with the target directory the generated crates
/// share (`target/generated-crates`).
pub fn cargo_in(
    workspace: &std::path::Path,
    args: &[&str],
) -> Result<std::process::Output, String> {
    std::process::Command::new(env!("CARGO"))
        .args(args)
        .current_dir(workspace)
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/generated-crates"),
        )
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))
}

/// A crate generated from `tests/fixtures/{fixture}.yaml` as `name` in a fresh workspace, with
/// `tests/{fixture}/{program}.rs` copied in as its test programs and wiremock as a
/// dev-dependency: how `tests/auth.rs` and `tests/pagination.rs` run programs against the
/// generated client.
pub fn fixture_workspace(name: &str, fixture: &str, programs: &[&str]) -> tempfile::TempDir {
    let spec = repo_root().join(format!("tests/fixtures/{fixture}.yaml"));
    let workspace = tempfile::Builder::new()
        .prefix(&format!("{fixture}-"))
        .tempdir()
        .unwrap();
    let files = generator::generate(
        &generator::Input::spec(&spec),
        &generator::Config::new(name),
    )
    .unwrap_or_else(|e| panic!("the {fixture} fixture does not generate: {e}"));
    let crate_dir = workspace.path().join(name);
    files.write_to(&crate_dir).unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    for program in programs {
        let text =
            std::fs::read_to_string(repo_root().join(format!("tests/{fixture}/{program}.rs")))
                .unwrap();
        std::fs::write(crate_dir.join(format!("tests/{program}.rs")), text).unwrap();
    }
    // wiremock is the tests' server; it is in the repository's lock file.
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen(
        "[dev-dependencies]\n",
        "[dev-dependencies]\nwiremock = \"0.6.5\"\n",
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{name:?}]\n"),
    )
    .unwrap();
    std::fs::copy(
        repo_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .unwrap();
    workspace
}

/// `cargo clippy --all-targets -D warnings` over a [`fixture_workspace`]: the test programs
/// are held to the same standard as the crate. Panics with clippy's output on failure.
pub fn assert_clippy_clean(workspace: &Path) {
    let output = cargo_in(
        workspace,
        &[
            "clippy",
            "--offline",
            "--quiet",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )
    .unwrap();
    assert!(
        output.status.success(),
        "clippy:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs the test program `program` of a [`fixture_workspace`] with `envs`; whether it passed,
/// and its output.
pub fn cargo_test_program(dir: &Path, program: &str, envs: &[(&str, &str)]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "test",
            "--offline",
            "--quiet",
            "--test",
            program,
            "--",
            "--nocapture",
        ])
        .current_dir(dir)
        // Shared with tests/corpus.rs and tests/compile.rs, which build the same dependencies.
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/generated-crates"),
        )
        .envs(envs.iter().copied())
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}
