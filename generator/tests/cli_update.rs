//! `generator update NEW` as a scheduled CI job runs it, on a copy of the project's layout
//! (`spec/openapi.yaml`, `spec/overlay.yaml`, `spec/history/`, `generated/`) started from the
//! oldest Authlete document in the upstream history:
//! - replaying every later document, one update each, ends with the crate that generating
//!   from the newest gives, and the version follows each diff's bump;
//! - the same document twice changes nothing;
//! - an invalid document changes nothing anywhere and exits 2 with the located error;
//! - a URL is fetched (from a server on 127.0.0.1), and `--fail-on-breaking` exits 1 after
//!   writing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use generator::diff;
use generator::update::bump;
use generator::{Input, load_api};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn upstream_history() -> Vec<PathBuf> {
    diff::changelog::history_files(&repo().join("spec/history")).unwrap()
}

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator binary runs")
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths in tests")
}

/// A project laid out like ours, its spec being `first`.
struct Project {
    _dir: tempfile::TempDir,
    spec: PathBuf,
    overlay: PathBuf,
    history: PathBuf,
    out: PathBuf,
}

impl Project {
    fn new(first: &Path) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let spec_dir = dir.path().join("spec");
        let history = spec_dir.join("history");
        std::fs::create_dir_all(&history).unwrap();
        let spec = spec_dir.join("openapi.yaml");
        std::fs::copy(first, &spec).unwrap();
        std::fs::copy(first, history.join(first.file_name().unwrap())).unwrap();
        let overlay = spec_dir.join("overlay.yaml");
        std::fs::copy(repo().join("spec/overlay.yaml"), &overlay).unwrap();
        // The example programs the overlay names (`x-rust-examples`).
        let examples = spec_dir.join("examples");
        std::fs::create_dir_all(&examples).unwrap();
        for program in std::fs::read_dir(repo().join("spec/examples")).unwrap() {
            let program = program.unwrap().path();
            std::fs::copy(&program, examples.join(program.file_name().unwrap())).unwrap();
        }
        let out = dir.path().join("generated");
        let made = generator(&["--spec", s(&spec), "--out", s(&out)]);
        assert!(made.status.success(), "{}", stderr(&made));
        Project {
            _dir: dir,
            spec,
            overlay,
            history,
            out,
        }
    }

    fn update(&self, new: &str, extra: &[&str]) -> Output {
        let mut args = vec![
            "update",
            new,
            "--spec",
            s(&self.spec),
            "--out",
            s(&self.out),
        ];
        args.extend(extra);
        generator(&args)
    }

    fn version(&self) -> String {
        generator::update::crate_version(&self.out).unwrap()
    }

    /// Every file of the project, by path, with its bytes.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.spec.parent().unwrap().parent().unwrap().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.insert(path.clone(), std::fs::read(&path).unwrap());
                }
            }
        }
        files
    }

    /// The version an update from `old` to `new` must give a crate at `version`.
    fn expected_bump(&self, version: &str, old: &Path, new: &Path) -> String {
        let load = |spec: &Path| {
            load_api(&Input {
                spec: spec.to_path_buf(),
                overlays: vec![self.overlay.clone()],
                history: None,
                examples: None,
            })
            .unwrap()
            .0
        };
        bump(version, &diff::compare(&load(old), &load(new)))
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Serves `body` to one GET on 127.0.0.1; returns the URL.
fn serve_once(body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/openapi.yaml", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
            line.clear();
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body).unwrap();
    });
    url
}

#[test]
fn replaying_the_history_ends_where_generating_the_newest_does() {
    let history = upstream_history();
    assert!(history.len() >= 3, "{history:?}");
    let project = Project::new(&history[0]);
    let mut version = project.version();
    assert_eq!(version, "0.1.0");
    let mut breaking_seen = false;
    for (i, pair) in history.windows(2).enumerate() {
        let (old, new) = (&pair[0], &pair[1]);
        let expected = project.expected_bump(&version, old, new);
        let today = format!("2026-01-{:02}", i + 1);
        // The last document comes over HTTP, as a scheduled job fetches it.
        let url;
        let source = if i + 2 == history.len() {
            url = serve_once(std::fs::read(new).unwrap());
            url.as_str()
        } else {
            s(new)
        };
        let output = project.update(source, &["--today", &today]);
        assert!(
            output.status.success(),
            "{}: {}",
            new.display(),
            stderr(&output)
        );
        let summary = stdout(&output);
        assert!(
            summary.contains(&format!("`authlete` {version} → {expected}")),
            "{summary}"
        );
        breaking_seen |= expected.ends_with(".0") && expected != version;
        version = expected;
        assert_eq!(project.version(), version);
        assert_eq!(
            std::fs::read(&project.spec).unwrap(),
            std::fs::read(new).unwrap()
        );
        let stored: Vec<_> = diff::changelog::history_files(&project.history)
            .unwrap()
            .into_iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&today))
            .collect();
        assert_eq!(stored.len(), 1, "stored as DATE_HASH: {stored:?}");
        assert_eq!(
            std::fs::read(&stored[0]).unwrap(),
            std::fs::read(new).unwrap()
        );
    }
    assert!(
        breaking_seen,
        "the history has a breaking change; the bumps should show it"
    );

    // The result is what generating from the newest document gives, at that version.
    let check = generator(&[
        "--spec",
        s(&project.spec),
        "--out",
        s(&project.out),
        "--crate-version",
        &version,
        "--check",
    ]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    // And a plain regeneration keeps the bumped version.
    let plain = generator(&[
        "--spec",
        s(&project.spec),
        "--out",
        s(&project.out),
        "--check",
    ]);
    assert!(plain.status.success(), "{}", stdout(&plain));

    // The same document again changes nothing.
    let before = project.snapshot();
    let again = project.update(s(history.last().unwrap()), &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("unchanged"), "{}", stdout(&again));
    assert_eq!(project.snapshot(), before);
}

#[test]
fn an_invalid_document_changes_nothing_and_exits_2_with_its_location() {
    let history = upstream_history();
    let project = Project::new(&history[0]);
    let bad = project
        .spec
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("bad.yaml");
    std::fs::write(
        &bad,
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /x:\n    get:\n      responses: 7\n",
    )
    .unwrap();
    let before = project.snapshot();
    let output = project.update(s(&bad), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("bad.yaml:8"), "{message}");
    assert!(message.contains("/paths/~1x/get/responses"), "{message}");
    assert_eq!(project.snapshot(), before, "nothing may change");

    let missing = project.update("/nonexistent/openapi.yaml", &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/nonexistent/openapi.yaml"));
    let unreachable = project.update("http://127.0.0.1:9/openapi.yaml", &[]);
    assert_eq!(unreachable.status.code(), Some(2));
    assert!(
        stderr(&unreachable).contains("cannot fetch"),
        "{}",
        stderr(&unreachable)
    );
    assert_eq!(project.snapshot(), before, "nothing may change");
}

#[test]
fn fail_on_breaking_exits_1_after_writing() {
    let history = upstream_history();
    // The newest document against the oldest: changes of every kind, some breaking.
    let project = Project::new(&history[0]);
    let newest = history.last().unwrap();
    let output = project.update(s(newest), &["--fail-on-breaking"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("breaking"), "{}", stdout(&output));
    assert_eq!(project.version(), "0.2.0");
    assert_eq!(
        std::fs::read(&project.spec).unwrap(),
        std::fs::read(newest).unwrap()
    );
}
