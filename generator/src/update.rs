//! `generator update NEW`: takes a new upstream document into the project in one step, the
//! command a scheduled CI job runs.
//!
//! In order, and stopping at the first failure with nothing changed:
//! 1. read NEW (a path, or an `http(s)` URL fetched with `curl`);
//! 2. load it with the project's overlays and generate the crate in memory: an invalid
//!    document stops here, located, before anything is written;
//! 3. compare its Rust API with the current document's (overlays applied to both: the diff
//!    is of the crate users get) and bump the crate version by it;
//! 4. store NEW in the history folder as `DATE_HASH.ext`, make it the spec (through a
//!    symlink, into its target), and write the crate (its CHANGELOG now ends with NEW).
//!
//! A write that fails undoes the earlier ones. The same document twice changes nothing.

use std::path::{Path, PathBuf};

use crate::diff::{self, Diff};
use crate::{Config, Error, Input, Written};

/// What to update and where.
#[derive(Debug, Clone)]
pub struct Update {
    /// The new document: a path, or an `http://` / `https://` URL.
    pub new: String,
    /// The project's current document (replaced by the new one).
    pub spec: PathBuf,
    /// The overlays applied to both documents, in order.
    pub overlays: Vec<PathBuf>,
    /// Where earlier documents are kept, oldest first by name.
    pub history: PathBuf,
    /// The generated crate.
    pub out: PathBuf,
    pub crate_name: String,
    /// The date the stored document is named after, `YYYY-MM-DD` (default: today, UTC).
    pub today: Option<String>,
}

/// What an update did.
#[derive(Debug)]
pub enum Outcome {
    /// NEW is the current document already.
    Unchanged,
    Updated {
        /// The stored copy of NEW in the history folder.
        stored: PathBuf,
        /// The crate version before and after.
        old_version: String,
        new_version: String,
        diff: Box<Diff>,
    },
}

impl Outcome {
    /// The Markdown summary for a pull request.
    pub fn summary(&self, crate_name: &str) -> String {
        match self {
            Outcome::Unchanged => {
                "The upstream document is unchanged: nothing to update.\n".to_owned()
            }
            Outcome::Updated {
                stored,
                old_version,
                new_version,
                diff,
            } => {
                let bump = if diff.has_breaking() {
                    "breaking changes"
                } else if diff.changes.is_empty() {
                    "no change to the Rust API"
                } else {
                    "compatible changes only"
                };
                let name = stored
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!(
                    "# Upstream update: `{crate_name}` {old_version} → {new_version}\n\n\
                     The new document is stored as `{name}`; the version bump follows the \
                     diff ({bump}).\n\n{}",
                    diff::render::markdown_body(diff, 2)
                )
            }
        }
    }

    pub fn is_breaking(&self) -> bool {
        matches!(self, Outcome::Updated { diff, .. } if diff.has_breaking())
    }
}

/// Runs the update; see the module docs.
pub fn update(update: &Update) -> Result<Outcome, Error> {
    let bytes = fetch(&update.new)?;
    let current = read(&update.spec)?;
    if bytes == current {
        return Ok(Outcome::Unchanged);
    }
    let extension = if looks_like_json(&bytes) {
        "json"
    } else {
        "yaml"
    };

    // Checked before anything is written: the document must load and generate.
    let staging = tempfile::Builder::new()
        .prefix("generator-update-")
        .tempdir()
        .map_err(|source| io_error(&std::env::temp_dir(), source))?;
    // A local document is loaded where it is, so errors name it; a fetched one is saved
    // under its URL's file name.
    let candidate = if is_url(&update.new) {
        let name = update
            .new
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty() && !n.contains(['?', '#']))
            .map_or_else(|| format!("new.{extension}"), str::to_owned);
        let path = staging.path().join(name);
        std::fs::write(&path, &bytes).map_err(|source| io_error(&path, source))?;
        path
    } else {
        PathBuf::from(&update.new)
    };
    // The new document first, so that its error is the one reported when both fail.
    let mut loaded =
        diff::load_documents(&[candidate.clone(), update.spec.clone()], &update.overlays)?
            .into_iter()
            .map(|(api, _)| api);
    let (Some(new_api), Some(old_api)) = (loaded.next(), loaded.next()) else {
        unreachable!("two documents in, two out");
    };
    let diff = diff::compare(&old_api, &new_api);

    let old_version = crate_version(&update.out).unwrap_or_else(|| "0.1.0".to_owned());
    let new_version = bump(&old_version, &diff);
    let today = match &update.today {
        Some(day) => day.clone(),
        None => today_utc(),
    };
    let stored = update
        .history
        .join(format!("{today}_{:07x}.{extension}", fnv1a(&bytes) >> 36));

    // The crate as it will be, its CHANGELOG ending with the new document.
    let mut config = Config::new(&update.crate_name);
    config.crate_version = new_version.clone();
    let history_view = staging.path().join("history");
    std::fs::create_dir_all(&history_view).map_err(|source| io_error(&history_view, source))?;
    for file in diff::changelog::history_files(&update.history)? {
        let target = history_view.join(file.file_name().unwrap_or_default());
        std::fs::copy(&file, &target).map_err(|source| io_error(&target, source))?;
    }
    let view = history_view.join(stored.file_name().unwrap_or_default());
    std::fs::write(&view, &bytes).map_err(|source| io_error(&view, source))?;
    config.set_changelog(diff::changelog::changelog(
        &history_view,
        &candidate,
        &update.overlays,
        &update.crate_name,
    )?);
    // The project's programs, whichever document is loaded.
    let input = Input {
        spec: candidate.clone(),
        overlays: update.overlays.clone(),
        history: None,
        examples: crate::default_examples(&update.spec),
    };
    config.example_programs = crate::example_programs(&new_api, &input)?;
    let files = crate::emit::emit(&new_api, &config)?;

    // Written in order, each undone if a later one fails.
    std::fs::create_dir_all(&update.history).map_err(|source| io_error(&update.history, source))?;
    std::fs::write(&stored, &bytes).map_err(|source| io_error(&stored, source))?;
    let spec_target = std::fs::canonicalize(&update.spec).unwrap_or(update.spec.clone());
    if let Err(source) = replace_file(&spec_target, &bytes) {
        let _ = std::fs::remove_file(&stored);
        return Err(io_error(&spec_target, source));
    }
    match files.write_to(&update.out) {
        Ok(Written::Replaced | Written::Updated { .. } | Written::Unchanged) => {}
        Err(source) => {
            let _ = replace_file(&spec_target, &current);
            let _ = std::fs::remove_file(&stored);
            return Err(io_error(&update.out, source));
        }
    }
    Ok(Outcome::Updated {
        stored,
        old_version,
        new_version,
        diff: Box::new(diff.with_labels(update.spec.display().to_string(), update.new.clone())),
    })
}

/// The new version for a crate at `version` after `diff`: before 1.0, breaking → minor, else
/// patch; from 1.0, breaking → major, an API addition → minor, else patch.
pub fn bump(version: &str, diff: &Diff) -> String {
    let mut parts = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    let breaking = diff.has_breaking();
    let additions = !diff.changes.is_empty();
    match (major, breaking, additions) {
        (0, true, _) => format!("0.{}.0", minor + 1),
        (0, false, _) => format!("0.{minor}.{}", patch + 1),
        (_, true, _) => format!("{}.0.0", major + 1),
        (_, false, true) => format!("{major}.{}.0", minor + 1),
        (_, false, false) => format!("{major}.{minor}.{}", patch + 1),
    }
}

/// The `version` of the crate in `out`, as its manifest says; `None` when there is none yet.
pub fn crate_version(out: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).ok()?;
    let mut in_package = false;
    manifest.lines().find_map(|line| {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            return None;
        }
        let value = line.strip_prefix("version")?.trim_start();
        let value = value.strip_prefix('=')?.trim();
        in_package.then(|| value.trim_matches('"').to_owned())
    })
}

fn is_url(new: &str) -> bool {
    new.starts_with("http://") || new.starts_with("https://")
}

fn fetch(new: &str) -> Result<Vec<u8>, Error> {
    if !is_url(new) {
        return read(Path::new(new));
    }
    // curl is on every CI runner; a HTTP client in the generator would only serve this.
    let output = std::process::Command::new("curl")
        .args(["--fail", "--silent", "--show-error", "--location"])
        .args(["--max-time", "300", "--proto", "=http,https", "--", new])
        .output()
        .map_err(|source| Error::Io {
            path: format!("{new} (running curl)"),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Io {
            path: new.to_owned(),
            source: std::io::Error::other(format!(
                "cannot fetch the document: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )),
        });
    }
    Ok(output.stdout)
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| io_error(path, source))
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `bytes` to a sibling temporary file and renames it over `path`, so a reader never
/// sees half a document.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut staged = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut staged, bytes)?;
    staged.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn looks_like_json(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

/// FNV-1a, 64 bits: a stable content hash for the stored file's name (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Today's date in UTC, `YYYY-MM-DD` (days since the epoch to the civil calendar).
fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date of a day number.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_790), (2026, 12, 3));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn versions_follow_the_diff() {
        let none = Diff {
            old: diff::Side::default(),
            new: diff::Side::default(),
            changes: Vec::new(),
        };
        assert_eq!(bump("0.1.0", &none), "0.1.1");
        assert_eq!(bump("1.2.3", &none), "1.2.4");
        assert_eq!(bump("0.3.7-beta", &none), "0.3.8");
    }

    #[test]
    fn manifest_versions() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(crate_version(dir.path()), None);
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "# [not a table]\nversion = \"1\"\n[package]\nname = \"x\"\nversion = \"0.4.2\"\n\n[dependencies]\nversion = \"9\"\n",
        )
        .unwrap();
        assert_eq!(crate_version(dir.path()).as_deref(), Some("0.4.2"));
    }
}
