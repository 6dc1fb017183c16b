//! When each page last changed, from git: the one program a build runs
//! (issue 12; `serve --open` also starts a browser).
//!
//! [`start`] runs ONE `git log` over the content folder for the whole site,
//! never one per page, on a thread of its own so that it runs while the
//! pages are read and parsed; [`Pending::finish`] collects the
//! [`PageDates`]. Git lists commits newest first, so the first commit that
//! names a page is its last change. The engine reads the dates when it
//! loads a playbook and when `book.toml` is read again, never per edit.
//! [`LogParser`], which reads git's output, and [`last_updated`], which
//! decides what a page shows, are pure.
//!
//! CI builds pull requests from strangers, so git runs with no shell, from
//! the content folder, with fixed arguments (no path or name from the
//! content reaches its command line), with every `GIT_*` variable of the
//! environment dropped and each setting that could start another program
//! (fsmonitor, hooks, pager, external diff, textconv, signature checks,
//! lazy fetches, an embedded bare repository's config) overridden, and
//! bounded in output and time. If git is missing, the content is in no git
//! work tree, or git fails, there are simply no dates: no error and no
//! warning; `--timings` says why.

use std::collections::hash_map::Entry;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::hashing::FastMap;
use crate::page::ParsedPage;
use crate::slug::is_page_file;

/// The most output read from git. A history of 100,000 commits touching
/// five pages each is about 20 MiB of it.
const MAX_OUTPUT: usize = 64 * 1024 * 1024;

/// The longest git may take (10,000 pages and 300 commits take well under
/// a second).
const MAX_TIME: Duration = Duration::from_secs(30);

/// The arguments of the one git run: fixed, none taken from the content.
/// `-c` settings given here win over every config file, the repository's
/// included: a pull request cannot set the repository's config, but a
/// folder in it laid out as a bare repository would be read as one
/// (`safe.bareRepository`).
const GIT_ARGS: &[&str] = &[
    "--no-pager",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "safe.bareRepository=explicit",
    "-c",
    "log.showSignature=false",
    "-c",
    "protocol.allow=never",
    "log",
    "--no-ext-diff",
    "--no-textconv",
    // Renames count as a new file: cheaper, and the new name's date is
    // when the page came to be where it is.
    "--no-renames",
    // Names relative to the content folder (where git runs), and only
    // those inside it; no pathspec, which would cost a second tree
    // comparison per commit.
    "--relative",
    "--name-only",
    "-z",
    // `%D` then shows only `grafted`, the edge of a shallow clone.
    "--decorate-refs-exclude=*",
    "--format=/%ct/%D",
];

/// When a commit was made: seconds since 1970 (UTC), as git records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct CommitTime(pub(crate) i64);

impl CommitTime {
    /// Midnight UTC of a calendar day (month 1-12, day 1-31).
    pub(crate) fn from_date(year: i64, month: u8, day: u8) -> Self {
        // Howard Hinnant's `days_from_civil`, the inverse of `utc_date`.
        let (month, day) = (i64::from(month), i64::from(day));
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        CommitTime((era * 146_097 + day_of_era - 719_468) * 86_400)
    }

    /// The calendar date in UTC: (year, month 1-12, day 1-31). UTC, so the
    /// same commit shows the same date on every machine.
    pub(crate) fn utc_date(self) -> (i64, u8, u8) {
        // Howard Hinnant's `civil_from_days`, on days since 1970-01-01.
        let days = self.0.div_euclid(86_400) + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, u8::try_from(month).unwrap_or(1), u8::try_from(day).unwrap_or(1))
    }
}

/// The last commit of each page, by its path inside the content folder.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageDates {
    by_path: FastMap<String, CommitTime>,
}

impl PageDates {
    /// The last commit that changed the page at `rel_path` (inside the
    /// content folder), if it was ever committed.
    pub(crate) fn of(&self, rel_path: &str) -> Option<CommitTime> {
        self.by_path.get(rel_path).copied()
    }

    /// How many pages have a date.
    pub(crate) fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Dates given by hand, for tests.
    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, i64)]) -> Self {
        PageDates { by_path: pairs.iter().map(|&(path, time)| (path.to_string(), CommitTime(time))).collect() }
    }
}

/// When `page` last changed, as every output shows it: its `lastmod` if
/// its author wrote one, else its last commit, if it has one. The one place
/// this is decided.
pub(crate) fn last_updated(page: &ParsedPage, dates: &PageDates) -> Option<CommitTime> {
    page.meta.updated.or_else(|| dates.of(&page.source.rel_path))
}

/// Reads `git log --format=/%ct/%D --name-only -z` as it arrives: a header
/// token (`/<time>/<decorations>`) per commit, then the names it changed,
/// the first after a newline, every token ended by NUL. Names never start
/// with `/`, so a header cannot be mistaken for one.
#[derive(Debug, Default)]
pub(crate) struct LogParser {
    /// The start of a token whose NUL has not arrived yet.
    partial: Vec<u8>,
    /// The commit whose names follow (`Some(None)`: the edge of a shallow
    /// clone, whose names say nothing of when they changed).
    commit: Option<Option<CommitTime>>,
    /// Whether the next name is the commit's first (it follows a newline).
    first_name: bool,
    /// Each page's first commit (`None`: first met at a shallow edge).
    seen: FastMap<String, Option<CommitTime>>,
    /// How many commits were read.
    commits: usize,
    /// Output that is not what the format asked for.
    malformed: bool,
}

impl LogParser {
    /// Takes in the next bytes of output.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for piece in bytes.split_inclusive(|&b| b == 0) {
            match piece.split_last() {
                Some((0, token)) if self.partial.is_empty() => self.token(token),
                Some((0, token)) => {
                    let mut whole = std::mem::take(&mut self.partial);
                    whole.extend_from_slice(token);
                    self.token(&whole);
                }
                _ => self.partial.extend_from_slice(piece),
            }
        }
    }

    fn token(&mut self, token: &[u8]) {
        if let (true, Some(name)) = (self.first_name, token.strip_prefix(b"\n")) {
            self.first_name = false;
            self.name(name);
        } else if let Some(header) = token.strip_prefix(b"/") {
            self.header(header);
        } else if self.commit.is_some() && !self.first_name {
            self.name(token);
        } else {
            self.malformed = true;
        }
    }

    /// `<time>/<decorations>`.
    fn header(&mut self, header: &[u8]) {
        let parsed = std::str::from_utf8(header).ok().and_then(|header| {
            let (time, decorations) = header.split_once('/')?;
            let grafted = decorations.split(", ").any(|d| d == "grafted");
            Some((time.parse::<i64>().ok()?, grafted))
        });
        match parsed {
            Some((time, grafted)) => {
                self.commit = Some((!grafted).then_some(CommitTime(time)));
                self.first_name = true;
                self.commits += 1;
            }
            None => self.malformed = true,
        }
    }

    fn name(&mut self, name: &[u8]) {
        let (Some(time), Ok(name)) = (self.commit, std::str::from_utf8(name)) else { return };
        if is_page_file(name)
            && let Entry::Vacant(entry) = self.seen.entry(name.to_string())
        {
            entry.insert(time);
        }
    }

    /// The dates read, and how many commits they came from; `None` if the
    /// output was not what was asked for.
    pub(crate) fn finish(self) -> Option<(PageDates, usize)> {
        if self.malformed || !self.partial.is_empty() {
            return None;
        }
        let by_path = self.seen.into_iter().filter_map(|(path, time)| Some((path, time?))).collect();
        Some((PageDates { by_path }, self.commits))
    }
}

/// A `git log` under way, started by [`start`].
pub(crate) struct Pending {
    started: Instant,
    run: Result<Running, String>,
}

struct Running {
    child: Child,
    /// The parsed output, and how long git took to write it all.
    parsed: mpsc::Receiver<(Result<LogParser, String>, Duration)>,
}

/// Starts the one `git log` that dates every page of the content folder
/// `content_dir`. Never fails: a git that cannot start means no dates.
pub(crate) fn start(content_dir: &Path) -> Pending {
    let started = Instant::now();
    let mut command = Command::new("git");
    // A GIT_DIR or GIT_WORK_TREE inherited from a hook would point git at
    // another repository, and GIT_PAGER, GIT_EXTERNAL_DIFF or
    // GIT_CONFIG_PARAMETERS would run programs or add settings.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            command.env_remove(key);
        }
    }
    command
        .current_dir(content_dir)
        .args(GIT_ARGS)
        // The system's config is not read; the user's is, since CI grants
        // `safe.directory` there.
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let run = match command.spawn() {
        Ok(mut child) => {
            let stdout = child.stdout.take().expect("stdout is piped");
            let (send, parsed) = mpsc::channel();
            std::thread::spawn(move || {
                let parsed = read_log(stdout);
                let _ = send.send((parsed, started.elapsed()));
            });
            Ok(Running { child, parsed })
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err("git is not installed".to_string()),
        Err(error) => Err(format!("git did not start: {error}")),
    };
    Pending { started, run }
}

/// Reads and parses git's output, up to [`MAX_OUTPUT`].
fn read_log(mut stdout: impl Read) -> Result<LogParser, String> {
    let mut parser = LogParser::default();
    let mut buffer = vec![0; 64 * 1024];
    let mut total = 0;
    loop {
        match stdout.read(&mut buffer) {
            Ok(0) => return Ok(parser),
            Ok(n) => {
                total += n;
                if total > MAX_OUTPUT {
                    return Err(format!("git wrote more than {} MiB", MAX_OUTPUT >> 20));
                }
                parser.feed(&buffer[..n]);
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(format!("reading git's output failed: {error}")),
        }
    }
}

/// What [`Pending::finish`] found, for `--timings`.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// Git answered.
    Dated {
        /// How many pages have a date.
        pages: usize,
        /// How many commits were read.
        commits: usize,
        /// How long git took, from start to its last byte.
        took: Duration,
    },
    /// No dates, and why.
    Undated(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Dated { pages, commits, took } => {
                write!(f, "{pages} pages dated from {commits} commits by git in {:.1} ms", took.as_secs_f64() * 1000.0)
            }
            Outcome::Undated(why) => write!(f, "no dates ({why})"),
        }
    }
}

impl Pending {
    /// Waits for git (until [`MAX_TIME`] after it started) and returns the
    /// dates, empty if anything went wrong, with what happened.
    pub(crate) fn finish(mut self) -> (PageDates, Outcome) {
        let result = match &mut self.run {
            Ok(running) => running.wait(self.started + MAX_TIME),
            Err(why) => Err(std::mem::take(why)),
        };
        match result {
            Ok((dates, commits, took)) => {
                let pages = dates.len();
                (dates, Outcome::Dated { pages, commits, took })
            }
            Err(why) => (PageDates::default(), Outcome::Undated(why)),
        }
    }
}

impl Running {
    fn wait(&mut self, deadline: Instant) -> Result<(PageDates, usize, Duration), String> {
        let (parsed, took) = match self.parsed.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(received) => received,
            Err(_) => (Err(format!("git took longer than {} s", MAX_TIME.as_secs())), MAX_TIME),
        };
        if parsed.is_err() {
            let _ = self.child.kill();
        }
        let status = self.child.wait().map_err(|e| format!("waiting for git failed: {e}"))?;
        let parser = parsed?;
        if !status.success() {
            return Err(match status.code() {
                Some(128) => "git exited with status 128: not in a git work tree, or no commit yet".to_string(),
                _ => format!("git failed ({status})"),
            });
        }
        let (dates, commits) = parser.finish().ok_or_else(|| "git's output was not understood".to_string())?;
        Ok((dates, commits, took))
    }
}

impl Drop for Pending {
    /// A load that fails before it collects the dates leaves no git behind.
    fn drop(&mut self) {
        if let Ok(running) = &mut self.run
            && running.child.try_wait().ok().flatten().is_none()
        {
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> Option<(PageDates, usize)> {
        let mut parser = LogParser::default();
        for chunk in chunks {
            parser.feed(chunk);
        }
        parser.finish()
    }

    proptest::proptest! {
        /// A calendar day made a time and read back is the same day.
        #[test]
        fn days_round_trip(year in 1600i64..2600, month in 1u8..=12, day in 1u8..=28) {
            let time = CommitTime::from_date(year, month, day);
            proptest::prop_assert_eq!(time.utc_date(), (year, month, day));
            proptest::prop_assert_eq!(time.0.rem_euclid(86_400), 0);
        }
    }

    #[test]
    fn the_epoch_is_day_zero() {
        assert_eq!(CommitTime::from_date(1970, 1, 1).0, 0);
        assert_eq!(CommitTime::from_date(2026, 3, 1).utc_date(), (2026, 3, 1));
    }

    fn dates_of(dates: &PageDates) -> Vec<(String, i64)> {
        let mut all: Vec<_> = dates.by_path.iter().map(|(p, t)| (p.clone(), t.0)).collect();
        all.sort();
        all
    }

    #[test]
    fn issue_12_each_page_takes_its_newest_commit() {
        let log = b"/300/HEAD\0\na.md\0img/x.png\0/200/\0/100/\0\na.md\0sub/-x y \xc3\xa9.md\0b.MD\0";
        let (dates, commits) = parse(&[log]).unwrap();
        assert_eq!(commits, 3);
        assert_eq!(
            dates_of(&dates),
            [("a.md".to_string(), 300), ("b.MD".to_string(), 100), ("sub/-x y é.md".to_string(), 100)]
        );
    }

    #[test]
    fn issue_12_output_split_anywhere_reads_the_same() {
        let log: &[u8] = b"/300/\0\na.md\0/100/\0\n\nodd.md\0\nb.md\0";
        let whole = dates_of(&parse(&[log]).unwrap().0);
        assert_eq!(whole, [("\nb.md".to_string(), 100), ("\nodd.md".to_string(), 100), ("a.md".to_string(), 300)]);
        for at in 0..log.len() {
            let (head, tail) = log.split_at(at);
            assert_eq!(dates_of(&parse(&[head, tail]).unwrap().0), whole, "split at {at}");
        }
    }

    #[test]
    fn issue_12_a_shallow_clones_edge_dates_nothing() {
        // The grafted commit lists every file as new: when they last
        // changed is unknown, even if an older line names them again.
        let log = b"/300/HEAD\0\na.md\0/200/grafted, HEAD\0\na.md\0b.md\0/100/\0\nb.md\0c.md\0";
        let (dates, _) = parse(&[log]).unwrap();
        assert_eq!(dates_of(&dates), [("a.md".to_string(), 300), ("c.md".to_string(), 100)]);
    }

    #[test]
    fn issue_12_output_in_another_shape_gives_no_dates() {
        assert!(parse(&[b"a.md\0"]).is_none(), "a name before any commit");
        assert!(parse(&[b"/x/\0\na.md\0"]).is_none(), "a time that is no number");
        assert!(parse(&[b"/100/\0\na.md"]).is_none(), "cut short");
        assert_eq!(parse(&[b""]).unwrap().1, 0, "no commits: no dates, no error");
    }

    #[test]
    fn issue_12_commit_times_become_utc_dates() {
        assert_eq!(CommitTime(0).utc_date(), (1970, 1, 1));
        assert_eq!(CommitTime(951_782_400).utc_date(), (2000, 2, 29));
        // 2026-12-06 23:30 UTC is still the 6th in UTC, whatever the
        // committer's time zone.
        assert_eq!(CommitTime(1_796_599_800).utc_date(), (2026, 12, 6));
        assert_eq!(CommitTime(-1).utc_date(), (1969, 12, 31));
    }
}
