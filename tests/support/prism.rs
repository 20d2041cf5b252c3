//! Prism (`@stoplight/prism-cli`, pinned in `tests/conformance/package-lock.json`): installed by
//! `npm ci` when missing, started on 127.0.0.1 and killed by its PID when the guard drops. Shared
//! by the conformance tests (`tests/conformance.rs` for Authlete, `tests/conformance_31.rs` for
//! an OpenAPI 3.1 document's crate).

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long Prism may take to load the document and listen (it takes a few seconds on 2 cores).
const PRISM_START_TIMEOUT: Duration = Duration::from_secs(120);

pub fn conformance_dir() -> PathBuf {
    crate::repo_root().join("tests/conformance")
}

/// The Prism CLI entry point, installed by `npm ci` from the checked-in lock file when missing.
/// Runs at most once per test process, so the two tests never install concurrently.
pub fn prism_entry() -> PathBuf {
    static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let dir = conformance_dir();
            let package = dir.join("node_modules/@stoplight/prism-cli");
            if !package.is_dir() {
                eprintln!(
                    "conformance: installing Prism with `npm ci` in {}",
                    dir.display()
                );
                let output = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(&dir)
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| {
                        format!("could not run `npm ci` (are node and npm installed?): {e}")
                    })?;
                if !output.status.success() {
                    return Err(format!(
                        "`npm ci` in {} failed with {}:\n{}\n{}",
                        dir.display(),
                        output.status,
                        String::from_utf8_lossy(&output.stdout),
                        String::from_utf8_lossy(&output.stderr)
                    ));
                }
            }
            let entry = package.join("dist/index.js");
            if entry.is_file() {
                Ok(entry)
            } else {
                Err(format!("{} is missing after installation", entry.display()))
            }
        })
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A running Prism server. Dropping it kills the process by its PID (the node process running
/// Prism's entry point, not a wrapper) and reaps it, also while a failing test unwinds.
pub struct Prism {
    child: Child,
    pub base_url: String,
    output: Arc<Mutex<String>>,
}

impl Prism {
    /// Starts `node <prism-cli>/dist/index.js <args> -h 127.0.0.1 -p <free port>` and waits for
    /// "Prism is listening". Retries with another port if the one picked was taken meanwhile.
    pub fn start(args: &[&str]) -> Prism {
        let entry = prism_entry();
        let mut last_failure = String::new();
        for _ in 0..3 {
            match Prism::try_start(&entry, args) {
                Ok(prism) => return prism,
                Err(failure) if failure.contains("EADDRINUSE") => last_failure = failure,
                Err(failure) => panic!("{failure}"),
            }
        }
        panic!("{last_failure}")
    }

    fn try_start(entry: &Path, args: &[&str]) -> Result<Prism, String> {
        let port = free_port();
        let child = Command::new("node")
            .arg(entry)
            .args(args)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(crate::repo_root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start Prism with node: {e}"))?;
        // From here on the guard owns the process: any early return or panic kills it.
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            output: Arc::new(Mutex::new(String::new())),
        };
        let (ready_tx, ready_rx) = mpsc::channel();
        // Both pipes are drained for the whole run (Prism logs every request); a full pipe
        // would block the server.
        let stdout = prism.child.stdout.take().expect("piped stdout");
        let stderr = prism.child.stderr.take().expect("piped stderr");
        for pipe in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
            let output = Arc::clone(&prism.output);
            let ready = ready_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if line.contains("Prism is listening") {
                        let _ = ready.send(());
                    }
                    let mut output = output.lock().unwrap();
                    output.push_str(&line);
                    output.push('\n');
                }
            });
        }
        let started = Instant::now();
        loop {
            match ready_rx.recv_timeout(Duration::from_millis(100)) {
                Ok(()) => return Ok(prism),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(prism.failure("Prism closed its output before listening"));
                }
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                // Let the readers catch the last lines.
                std::thread::sleep(Duration::from_millis(200));
                return Err(prism.failure(&format!("Prism exited with {status} before listening")));
            }
            if started.elapsed() > PRISM_START_TIMEOUT {
                return Err(prism.failure(&format!(
                    "Prism did not say \"Prism is listening\" within {PRISM_START_TIMEOUT:?}"
                )));
            }
        }
    }

    pub fn failure(&self, what: &str) -> String {
        format!("{what} ({}). Its output:\n{}", self.base_url, self.output())
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}
