//! `BookTest`: copy a fixture book to a temporary folder, run the real
//! `playbook` binary on it, and look at what it printed and wrote.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture book copied into a fresh temporary folder.
pub(crate) struct BookTest {
    _tmp: tempfile::TempDir,
    /// The playbook folder.
    pub(crate) root: PathBuf,
}

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    /// The exit status code.
    pub(crate) code: i32,
    /// Standard error, with the temporary folder replaced by `[ROOT]`.
    pub(crate) stderr: String,
    /// Standard output, likewise.
    pub(crate) stdout: String,
}

/// Where the fixture books are.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite")
}

impl BookTest {
    /// Copies `tests/testsuite/<fixture>` into a temporary folder.
    pub(crate) fn new(fixture: &str) -> Self {
        let test = Self::empty();
        copy_dir(&fixtures().join(fixture), &test.root);
        test
    }

    /// An empty playbook folder.
    pub(crate) fn empty() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("book-root");
        fs::create_dir(&root).unwrap();
        BookTest { _tmp: tmp, root }
    }

    /// Writes a file in the book, creating folders.
    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    /// Runs `playbook <args>` in the book folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(args)
            .arg("--color=never")
            .current_dir(&self.root)
            .output()
            .expect("run playbook");
        let normalize = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let root = self.root.canonicalize().unwrap();
            text.replace(&root.display().to_string(), "[ROOT]").replace(&self.root.display().to_string(), "[ROOT]")
        };
        Run {
            code: output.status.code().unwrap_or(-1),
            stderr: normalize(&output.stderr),
            stdout: normalize(&output.stdout),
        }
    }

    /// Runs `playbook build` and asserts it succeeded.
    pub(crate) fn build_ok(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// The text of an output file.
    pub(crate) fn output(&self, rel: &str) -> String {
        let path = self.root.join("book").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The `<main>` element of an output page: what a snapshot compares.
    pub(crate) fn main_of(&self, rel: &str) -> String {
        let html = self.output(rel);
        let start = html.find("<main").expect("page has <main>");
        let end = html.find("</main>").expect("page closes </main>") + "</main>".len();
        html[start..end].to_string()
    }

    /// Every output file with its bytes, for comparing whole builds.
    pub(crate) fn snapshot_output(&self) -> Vec<(String, Vec<u8>)> {
        let out = self.root.join("book");
        let mut files: Vec<_> = walk(&out)
            .into_iter()
            .map(|p| {
                let rel = p.strip_prefix(&out).unwrap().to_string_lossy().into_owned();
                (rel, fs::read(&p).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("fixture {}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Whether `git` can be run. Plain `cargo test` needs only the Rust
/// toolchain, so tests of git dates skip without it, loudly; in CI
/// (`CI` set) a missing git fails them instead.
pub(crate) fn has_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "git is not installed, and CI must run the git tests");
        eprintln!("SKIPPED: git is not installed");
    }
    found
}

/// Runs `git <args>` in `dir` as a fixed author, with both commit dates at
/// `date` (`2026-12-06T23:30:00Z`) if given, isolated from the caller's
/// git (a hook's GIT_DIR, the user's config); panics if it fails.
pub(crate) fn git(dir: &Path, args: &[&str], date: Option<&str>) {
    let mut command = Command::new("git");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            command.env_remove(key);
        }
    }
    command
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args);
    if let Some(date) = date {
        command.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
    }
    let output = command.output().expect("run git");
    assert!(output.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
}
