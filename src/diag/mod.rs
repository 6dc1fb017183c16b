//! Problems found in a playbook's content, as data.
//!
//! A [`Diagnostic`] says what is wrong, where (file, line, column and the
//! source line), and how to fix it. Stages collect them instead of stopping at
//! the first; `cmd/` prints them once, at the top, with an emitter from
//! [`emit`]. Failures of the environment (a disk that cannot be written) are
//! not diagnostics: they travel as `anyhow::Error`.

pub mod emit;
pub mod span;

use std::fmt;
use std::ops::Range;

pub use span::LineIndex;
use span::to_u32;

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce a correct handbook.
    Error,
    /// The handbook is built, but something deserves a look.
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $id:literal, $summary:literal;)*) => {
        /// A stable diagnostic code. The README lists every one; a test keeps
        /// the two in step.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $summary] $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `E302`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    TomlSyntax = "E101", "book.toml is not valid TOML";
    ConfigUnknownKey = "E102", "book.toml has a key playbook does not know";
    ConfigInvalidValue = "E103", "a book.toml value has the wrong type or form";
    ConfigInvalid = "E104", "book.toml is well-formed but inconsistent";
    SummaryInvalid = "E105", "SUMMARY.md has a chapter that is not a link to a page in the content folder";
    NotUtf8 = "E201", "a content file is not UTF-8 text";
    Unreadable = "E202", "a content file or folder cannot be read (permissions, symlink loop)";
    TooLarge = "E203", "a content file is larger than playbook accepts";
    SymlinkEscape = "E204", "a symlink leads outside the playbook folder, into a hidden file, or into the output";
    NotUtf8Name = "E205", "a file or folder name is not UTF-8";
    ChangedDuringBuild = "E206", "a page changed on disk while playbook was building it";
    UnclosedFrontmatter = "E301", "a frontmatter block opened with `---` is never closed";
    YamlSyntax = "E302", "the frontmatter is not valid YAML";
    UnknownFrontmatterKey = "E303", "the frontmatter has a key playbook does not know";
    InvalidFrontmatterValue = "E304", "a frontmatter value has the wrong type or form";
    FrontmatterTooLarge = "E305", "the frontmatter is larger than playbook accepts";
    InvalidSlug = "E306", "a slug is not a safe relative path";
    DuplicateOutputPath = "E307", "two sources would be written to the same output path";
    TooDeep = "E308", "frontmatter or Markdown nests deeper than playbook accepts (64 levels)";
    UnknownLevel = "E401", "a page names a level that book.toml does not declare";
    UnknownContext = "E402", "a page names a context that book.toml does not declare";
    UnknownRelated = "E403", "a `related` slug names no page";
    DuplicateQuestion = "E404", "two diagnostic questions share an id";
    InvalidTimestamp = "E405", "a timestamp is not HH:MM:SS, MM:SS or seconds";
    InvalidSource = "E406", "a source is not a video id or an http(s) URL";
    InvalidQuestion = "E407", "a diagnostic question or answer is malformed";
    AliasCollision = "E408", "an alias is another page's name, or two pages share an alias";
    InvalidDate = "E409", "a date is not written YYYY-MM-DD";
    DanglingAnswer = "E601", "an answer leads to no page and no question";
    UnknownStart = "E602", "a decision page starts at a question that does not exist";
    QuestionCycle = "E603", "an answer leads back into its own path of questions";
    DeadEnd = "E604", "a question on a decision walk has no answers";
    UnreachableQuestion = "E605", "a question in a chain is reachable from no decision page";
    BrokenLink = "L501", "a link names a page or heading that does not exist";
    AmbiguousLink = "L502", "a wiki link's name matches several pages";
    OrphanPage = "L503", "no page links to a page and no level lists it";
    MissingFile = "L504", "a link or image names a local file that does not exist";
    MissingChapter = "L505", "SUMMARY.md lists a file that does not exist";
    IncludeFailed = "L506", "an `{{#include}}` names a file that does not exist, is outside the playbook, or lacks the anchor";
    RenderFailed = "E901", "rendering a page failed inside playbook or its theme";
    TemplateError = "E902", "a theme template does not parse";
    UnknownThemeFile = "W101", "a theme file overrides nothing in the default theme";
    ForeignConfigKeys = "W102", "book.toml has keys of mdBook that playbook does not read";
    EmptyContent = "W201", "the content folder has no pages";
    TimestampWithoutVideo = "W401", "a timestamp in a page body has no video to link into";
    UnknownDirective = "W402", "a `{{#...}}` directive of mdBook's that playbook does not run";
    KeptFrontmatterKey = "W301", "a frontmatter key playbook does not know, kept for templates (lenient frontmatter)";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Where a diagnostic points: a file, and a place in it if the problem has
/// one (a missing file, a theme file that overrides nothing, has not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user names it, relative to the playbook folder
    /// (`content/x.md`), with `/` separators.
    pub file: String,
    /// The place in the file, resolved for printing.
    pub position: Option<Position>,
}

impl fmt::Display for Location {
    /// `content/x.md:4:10`, or `content/x.md` for a whole file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.position {
            Some(p) => write!(f, "{}:{}:{}", self.file, p.line, p.column),
            None => f.write_str(&self.file),
        }
    }
}

/// A place in a file, resolved for printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The text of that line, shown under the message: the whole line, or
    /// for a long line an excerpt around the column, marked with `…`.
    pub source_line: String,
    /// Where the caret goes in `source_line`, in characters from its start.
    pub caret: u32,
    /// How many characters of the line the caret underlines (at least 1).
    pub width: u32,
}

/// The longest source line a diagnostic keeps whole. A longer one (a
/// minified blob, a page of links on one line) is cut to an excerpt around
/// the column, so a diagnostic's size does not grow with the line (issue 9).
const MAX_SHOWN_LINE: usize = 120;
/// How many characters of a cut line are shown before the column.
const SHOWN_BEFORE: usize = 40;

/// The part of `line` to show for a caret at 1-based `column`, with where
/// the caret falls in it.
fn excerpt(line: &str, column: u32) -> (String, u32) {
    let caret = column.saturating_sub(1) as usize;
    let total = line.chars().count();
    if total <= MAX_SHOWN_LINE {
        return (line.to_string(), to_u32(caret));
    }
    let start = caret.saturating_sub(SHOWN_BEFORE);
    let mut shown: String = line.chars().skip(start).take(MAX_SHOWN_LINE).collect();
    let mut caret_in_shown = caret - start;
    if start > 0 {
        shown.insert(0, '…');
        caret_in_shown += 1;
    }
    if start + MAX_SHOWN_LINE < total {
        shown.push('…');
    }
    (shown, to_u32(caret_in_shown))
}

/// One problem found in the content, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, if the problem has a place in a file. Boxed: diagnostics
    /// travel in `Result`s on hot paths, which should stay small.
    pub location: Option<Box<Location>>,
    /// How to fix it.
    pub help: Option<String>,
    /// Further facts, such as the other file of a clash.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with no location yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning with no location yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity, code, message: message.into(), location: None, help: None, notes: Vec::new() }
    }

    /// Points the diagnostic at `span` (byte offsets) of `text`, the contents
    /// of `file`.
    pub fn at(self, file: &str, text: &str, span: Range<usize>) -> Self {
        self.at_indexed(file, text, &LineIndex::new(text), span)
    }

    /// Like [`Diagnostic::at`], reusing a [`LineIndex`] of `text`.
    pub fn at_indexed(mut self, file: &str, text: &str, index: &LineIndex, span: Range<usize>) -> Self {
        let (line, column) = index.line_col(text, span.start);
        let (source_line, caret) = excerpt(index.line_text(text, line), column);
        let (end_line, end_column) = index.line_col(text, span.end.max(span.start));
        let shown_after_caret = source_line.chars().count() as u32 - caret;
        let width =
            if end_line == line { end_column.saturating_sub(column).clamp(1, shown_after_caret.max(1)) } else { 1 };
        let position = Position { line, column, source_line, caret, width };
        self.location = Some(Box::new(Location { file: file.to_string(), position: Some(position) }));
        self
    }

    /// Points the diagnostic at a whole file, without a line.
    pub fn in_file(mut self, file: &str) -> Self {
        self.location = Some(Box::new(Location { file: file.to_string(), position: None }));
        self
    }

    /// Changes the code (for a helper that builds a common shape).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// Adds the help line: how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// File, line and column (a whole file before its lines), then
    /// severity and code.
    fn sort_key(&self) -> SortKey<'_> {
        let place = self.location.as_ref().map(|l| (l.file.as_str(), l.position.as_ref().map(|p| (p.line, p.column))));
        (place, self.severity, self.code)
    }
}

type SortKey<'a> = (Option<(&'a str, Option<(u32, u32)>)>, Severity, Code);

/// Sorts diagnostics by file, line and column, so reports never depend on the
/// order in which parallel stages finished.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then_with(|| a.message.cmp(&b.message)));
}

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a plausible typo ("did you mean `execution`?").
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word_lower, &c.to_lowercase()), c))
        .filter(|&(distance, c)| distance <= (c.chars().count().max(word.chars().count()) / 3).max(2))
        .min_by_key(|&(distance, c)| (distance, c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut ids: Vec<_> = Code::ALL.iter().map(|c| c.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Code::ALL.len());
    }

    #[test]
    fn at_resolves_line_column_and_width() {
        let text = "---\ntitle: x\nlevels: [executon]\n";
        let start = text.find("executon").unwrap();
        let d = Diagnostic::error(Code::YamlSyntax, "m").at("content/a.md", text, start..start + 8);
        let loc = d.location.unwrap().position.unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (3, 10, 8));
        assert_eq!(loc.source_line, "levels: [executon]");
    }

    #[test]
    fn issue_9_long_lines_are_cut_to_an_excerpt_around_the_caret() {
        let text = format!("{}[[gone]]{}", "x ".repeat(50_000), " y".repeat(50_000));
        let start = text.find("[[gone]]").unwrap();
        let d = Diagnostic::error(Code::BrokenLink, "m").at("a.md", &text, start..start + 8);
        let loc = d.location.unwrap().position.unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (1, 100_001, 8));
        assert!(loc.source_line.chars().count() <= MAX_SHOWN_LINE + 2, "{}", loc.source_line.len());
        assert!(loc.source_line.starts_with('…') && loc.source_line.ends_with('…'));
        let under_caret: String = loc.source_line.chars().skip(loc.caret as usize).take(8).collect();
        assert_eq!(under_caret, "[[gone]]");
    }

    #[test]
    fn nearest_suggests_close_words_only() {
        let ids = ["impact", "execution", "optics"];
        assert_eq!(nearest("executon", ids), Some("execution"));
        assert_eq!(nearest("Optic", ids), Some("optics"));
        assert_eq!(nearest("banana", ids), None);
    }

    #[test]
    fn sort_orders_by_file_then_line() {
        let a = Diagnostic::error(Code::YamlSyntax, "a").at("b.md", "x\ny", 2..3);
        let b = Diagnostic::error(Code::YamlSyntax, "b").at("a.md", "x\ny", 2..3);
        let c = Diagnostic::error(Code::YamlSyntax, "c").at("a.md", "x\ny", 0..1);
        let mut all = vec![a, b, c];
        sort(&mut all);
        let messages: Vec<_> = all.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["c", "b", "a"]);
    }
}
