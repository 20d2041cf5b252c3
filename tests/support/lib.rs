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
/// runs `cargo clippy` (with `-D warnings`) and the doctests over all of them at once. The target directory is
/// shared with the repository's, so dependencies are built once for every caller.
///
/// Returns the combined output of cargo on failure.
pub fn generate_and_clippy(specs: &[(String, PathBuf)]) -> Result<(), String> {
    let workspace = generated_workspace(specs, &[])?;
    // Clippy over everything (lib, tests, examples), then the doctests: the README is the
    // crate docs, so its examples must compile for every document.
    for args in [
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
    let workspace = tempfile::Builder::new()
        .prefix("generated-crates-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let mut members = Vec::new();
    for (name, spec) in specs {
        let files =
            generator::generate(&generator::Input::spec(spec), &generator::Config::new(name))
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

/// `cargo clippy --all-targets -D warnings` over `workspace`: the crates generated there and
/// any test programs copied into them are held to the same standard. `Err` holds the report.
pub fn clippy_all_targets(workspace: &std::path::Path) -> Result<(), String> {
    let args = [
        "clippy",
        "--offline",
        "--quiet",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    let output = cargo_in(workspace, &args)?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "clippy:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
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
