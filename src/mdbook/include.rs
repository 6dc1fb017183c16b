//! mdBook's `{{#include}}` and its other `{{#...}}` directives, run over a
//! page's text as it is read, before anything parses it.
//!
//! `{{#include file.rs}}` puts the file's text in place of the directive,
//! `file.rs:2`, `::10`, `2:` and `2:10` only those lines, and
//! `file.rs:name` the lines between `ANCHOR: name` and `ANCHOR_END: name`
//! (without lines that mark anchors). Paths are relative to the file the
//! directive is in, and read through [`Files`], which keeps them inside the
//! playbook folder. Included files may include others, [`MAX_DEPTH`] deep.
//! `{{#rustdoc_include}}` includes the same lines, `{{#playground}}` the
//! file as a Rust code block; each says what it leaves out. `\{{#...}}`
//! is the text `{{#...}}`. Any other directive is left as it is, with a
//! warning, unless it is inside code.
//!
//! [`Origin::written_offset`] leads from a place in the expanded text back
//! to the page as written, so diagnostics name lines of the file on disk.

use std::ops::Range;

/// How deep included files may include others (mdBook's limit).
pub(crate) const MAX_DEPTH: usize = 10;

/// Reads a file a directive names.
pub(crate) trait Files {
    /// The text of `path`, a `/`-separated path from the playbook folder
    /// (`src/cli/arg.md`), or why it cannot be read.
    fn read(&mut self, path: &str) -> Result<String, String>;
}

/// A page's text with its directives run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expanded {
    /// The text every later stage reads.
    pub(crate) text: String,
    /// Where each run of `text` came from.
    pub(crate) origin: Origin,
    /// The files read, from the playbook folder, so a server knows what the
    /// page depends on. Sorted, without duplicates.
    pub(crate) files: Vec<String>,
    /// What could not be done, at the directive's place in the page as
    /// written.
    pub(crate) problems: Vec<DirectiveProblem>,
}

/// Where each run of an expanded text came from, by start offset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Origin {
    pieces: Vec<Piece>,
}

/// A run of the expanded text, from `at` to the next piece's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    at: usize,
    source: PieceSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceSource {
    /// Copied from the page, starting at this offset of it.
    Page(usize),
    /// Put in by the directive at this offset of the page.
    Directive(usize),
}

/// A directive that could not be run as mdBook runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DirectiveProblem {
    /// The directive, in the page as written.
    pub(crate) span: Range<usize>,
    /// Whether the page lost text (a file that could not be included), or
    /// only the directive's effect.
    pub(crate) kind: ProblemKind,
    /// What went wrong.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) help: String,
}

/// How bad a [`DirectiveProblem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProblemKind {
    /// A file could not be included: the directive is left as text.
    Failed,
    /// A directive playbook does not run, or runs only in part.
    Unsupported,
}

impl Origin {
    /// The offset in the page as written that `offset` of the expanded
    /// text comes from: the directive's, for included text.
    pub(crate) fn written_offset(&self, offset: usize) -> usize {
        let at = self.pieces.partition_point(|p| p.at <= offset).saturating_sub(1);
        match self.pieces.get(at) {
            Some(Piece { at, source: PieceSource::Page(from) }) => from + (offset - at),
            Some(Piece { source: PieceSource::Directive(from), .. }) => *from,
            None => offset,
        }
    }
}

/// Whether `text` may hold a directive: the cheap test before [`expand`].
pub(crate) fn has_directives(text: &str) -> bool {
    text.contains("{{")
}

/// Runs the directives of the page at `path` (from the playbook folder),
/// reading what they include from `files`, up to `limit` bytes in all.
pub(crate) fn expand(text: &str, path: &str, files: &mut dyn Files, limit: usize) -> Expanded {
    let mut run = Run { files, read: Vec::new(), problems: Vec::new(), limit, size: 0 };
    let mut out = Expanded {
        text: String::with_capacity(text.len()),
        origin: Origin::default(),
        files: Vec::new(),
        problems: Vec::new(),
    };
    let mut copied = 0;
    for directive in scan(text) {
        push_page(&mut out, &text[copied..directive.span.start], copied);
        copied = directive.span.end;
        let start = directive.span.start;
        match run.replacement(&directive, path, 0) {
            Some(Replacement::Text(included)) => {
                out.origin.pieces.push(Piece { at: out.text.len(), source: PieceSource::Directive(start) });
                out.text.push_str(&included);
            }
            Some(Replacement::Unescaped(at)) => {
                // `\{{#x}}`: the text without its backslash.
                push_page(&mut out, &text[at..directive.span.end], at);
            }
            None => push_page(&mut out, &text[directive.span.clone()], start),
        }
    }
    push_page(&mut out, &text[copied..], copied);
    out.problems = run.problems;
    run.read.sort();
    run.read.dedup();
    out.files = run.read;
    out
}

fn push_page(out: &mut Expanded, run: &str, from: usize) {
    if run.is_empty() {
        return;
    }
    let continues = matches!(out.origin.pieces.last(), Some(Piece { at, source: PieceSource::Page(start) })
        if start + (out.text.len() - at) == from);
    if !continues {
        out.origin.pieces.push(Piece { at: out.text.len(), source: PieceSource::Page(from) });
    }
    out.text.push_str(run);
}

/// A directive found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive<'a> {
    /// From `{{` (or the `\` before it) to `}}`.
    span: Range<usize>,
    /// Written `\{{#...}}`.
    escaped: bool,
    /// `include`, `playground`...
    name: &'a str,
    /// What follows the name, trimmed.
    args: &'a str,
    /// Inside a fenced code block or a code span.
    in_code: bool,
}

/// Every `{{#name args}}` of `text` on one line, in order.
fn scan(text: &str) -> Vec<Directive<'_>> {
    let mut found = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let marker = trimmed.bytes().next().filter(|b| matches!(b, b'`' | b'~'));
        let run = marker.map_or(0, |m| trimmed.bytes().take_while(|&b| b == m).count());
        let is_fence_line = indent < 4 && run >= 3;
        match (fence, marker) {
            (None, Some(m)) if is_fence_line => fence = Some((m, run)),
            (Some((m, open)), Some(c))
                if is_fence_line && c == m && run >= open && trimmed[run..].trim().is_empty() =>
            {
                fence = None;
            }
            _ => {}
        }
        let mut from = 0;
        while let Some(at) = line[from..].find("{{") {
            let start = from + at;
            from = start + 2;
            let Some(directive) = directive_at(line, start) else { continue };
            let escaped = start > 0 && line.as_bytes()[start - 1] == b'\\';
            let in_code = fence.is_some() || line[..start].matches('`').count() % 2 == 1;
            let begin = if escaped { start - 1 } else { start };
            from = directive.end;
            found.push(Directive {
                span: line_start + begin..line_start + directive.end,
                escaped,
                name: directive.name,
                args: directive.args,
                in_code,
            });
        }
        line_start += line.len();
    }
    found
}

struct Found<'a> {
    name: &'a str,
    args: &'a str,
    end: usize,
}

/// The directive whose `{{` is at `start` of `line`, if one is.
fn directive_at(line: &str, start: usize) -> Option<Found<'_>> {
    let rest = &line[start + 2..];
    let after_space = rest.trim_start();
    let body = after_space.strip_prefix('#')?;
    let name_len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    if name_len == 0 {
        return None;
    }
    let close = body.find("}}")?;
    let args = &body[name_len..close];
    if args.contains('}') || args.contains('\n') || (!args.is_empty() && !args.starts_with(char::is_whitespace)) {
        return None;
    }
    let offset = start + 2 + (rest.len() - after_space.len()) + 1;
    Some(Found { name: &body[..name_len], args: args.trim(), end: offset + close + 2 })
}

enum Replacement {
    Text(String),
    Unescaped(usize),
}

struct Run<'f> {
    files: &'f mut dyn Files,
    read: Vec<String>,
    problems: Vec<DirectiveProblem>,
    limit: usize,
    size: usize,
}

impl Run<'_> {
    /// What the directive in the file at `path` becomes, or `None` to leave
    /// it as written. `depth` is how many includes deep that file is.
    fn replacement(&mut self, directive: &Directive<'_>, path: &str, depth: usize) -> Option<Replacement> {
        let at = directive.span.clone();
        if directive.escaped {
            return Some(Replacement::Unescaped(directive.span.start + 1));
        }
        let unsupported = |message: String, help: &str| DirectiveProblem {
            span: at.clone(),
            kind: ProblemKind::Unsupported,
            message,
            help: help.to_string(),
        };
        match directive.name {
            // Without arguments, as in mdBook, it is text: how a page shows
            // the directive's name. Outside code that is likely a slip.
            "include" | "rustdoc_include" | "playground" | "playpen" | "title" if directive.args.is_empty() => {
                if !directive.in_code {
                    self.problems.push(unsupported(
                        format!("`{{{{#{}}}}}` names no file", directive.name),
                        "write `{{#include file.md}}`; to show the directive itself, write `\\{{#include}}`",
                    ));
                }
                None
            }
            "include" | "rustdoc_include" => {
                if directive.name == "rustdoc_include" {
                    self.problems.push(unsupported(
                        "`{{#rustdoc_include}}` is shown as `{{#include}}`: the lines it would hide are left out"
                            .into(),
                        "nothing to do for readers; `mdbook test` is what reads the hidden lines",
                    ));
                }
                let (file, selection) = split_selection(directive.args);
                self.include(file, &selection, path, depth, at).map(Replacement::Text)
            }
            "playground" | "playpen" => {
                self.problems.push(unsupported(
                    format!("`{{{{#{}}}}}` is shown as a Rust code block, without a Run button", directive.name),
                    "playbook does not send code to the Rust Playground",
                ));
                let mut parts = directive.args.split_whitespace();
                let file = parts.next().unwrap_or_default();
                let attrs: Vec<&str> = parts.collect();
                let (file, selection) = split_selection(file);
                let body = self.include(file, &selection, path, depth, at)?;
                let info = std::iter::once("rust").chain(attrs).collect::<Vec<_>>().join(",");
                let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
                Some(Replacement::Text(format!("{fence}{info}\n{}\n{fence}", body.trim_end_matches('\n'))))
            }
            "title" => {
                self.problems.push(unsupported(
                    "`{{#title}}` is ignored".into(),
                    "set the page's title in its frontmatter (`title: ...`) instead",
                ));
                Some(Replacement::Text(String::new()))
            }
            _ if directive.in_code => None,
            name => {
                self.problems.push(unsupported(
                    format!("`{{{{#{name}}}}}` is not a directive playbook runs; it is left as text"),
                    "playbook runs `{{#include}}`; write `\\{{#...}}` to show the text on purpose",
                ));
                None
            }
        }
    }

    /// The text of `file` (relative to `path`'s folder) with `selection`
    /// applied and its own directives run.
    fn include(
        &mut self,
        file: &str,
        selection: &Selection<'_>,
        path: &str,
        depth: usize,
        at: Range<usize>,
    ) -> Option<String> {
        let mut failed = |message: String, help: &str| {
            self.problems.push(DirectiveProblem {
                span: at.clone(),
                kind: ProblemKind::Failed,
                message,
                help: help.to_string(),
            });
            None
        };
        if depth >= MAX_DEPTH {
            return failed(
                format!("includes nest more than {MAX_DEPTH} deep at `{file}`"),
                "an included file probably includes itself; break the cycle",
            );
        }
        let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let Some(joined) = (!file.starts_with('/') && !file.contains('\\'))
            .then(|| crate::slug::join_relative(folder, file))
            .flatten()
        else {
            return failed(
                format!("`{file}` is outside the playbook folder; playbook reads nothing outside it"),
                "move the file into the playbook folder and include it from there",
            );
        };
        let whole = match self.files.read(&joined) {
            Ok(text) => text,
            Err(reason) => {
                return failed(
                    format!("cannot include `{file}`: {reason}"),
                    "check the path; it is relative to this file",
                );
            }
        };
        self.read.push(joined.clone());
        let Some(chosen) = select(&whole, selection) else {
            let Selection::Anchor(name) = selection else { unreachable!("only anchors can be missing") };
            return failed(
                format!("`{file}` has no anchor `{name}`"),
                "mark the lines with `ANCHOR: name` and `ANCHOR_END: name` comments, or include by line numbers",
            );
        };
        self.size += chosen.len();
        if self.size > self.limit {
            return failed(
                format!("including `{file}` makes the page larger than {} KiB", self.limit / 1024),
                "include a part of the file (`file.rs:10:40` or an anchor), or split the page",
            );
        }
        if !has_directives(&chosen) {
            return Some(chosen);
        }
        // Its own directives, relative to it.
        let mut out = String::with_capacity(chosen.len());
        let mut copied = 0;
        for inner in scan(&chosen) {
            out.push_str(&chosen[copied..inner.span.start]);
            copied = inner.span.end;
            let problems_before = self.problems.len();
            match self.replacement(&inner, &joined, depth + 1) {
                Some(Replacement::Text(text)) => out.push_str(&text),
                Some(Replacement::Unescaped(from)) => out.push_str(&chosen[from..inner.span.end]),
                None => out.push_str(&chosen[inner.span.clone()]),
            }
            for problem in &mut self.problems[problems_before..] {
                problem.span = at.clone();
                problem.message = format!("in `{joined}`: {}", problem.message);
            }
        }
        out.push_str(&chosen[copied..]);
        Some(out)
    }
}

/// Which lines of a file to include.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selection<'a> {
    /// All of it, as it is.
    Whole,
    /// Lines `from..to` (0-based, `to` excluded; `None`: to the end).
    Lines(usize, Option<usize>),
    /// Between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(&'a str),
}

/// `file.rs:2:10` into the path and what to take of it.
fn split_selection(args: &str) -> (&str, Selection<'_>) {
    let Some((file, rest)) = args.split_once(':') else { return (args, Selection::Whole) };
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let selection = match rest.split_once(':') {
        // `file:2:10`, `file::10`, `file:2:`
        Some((from, to)) if (from.is_empty() || number(from).is_some()) && (to.is_empty() || number(to).is_some()) => {
            Selection::Lines(number(from).map_or(0, |n| n.saturating_sub(1)), number(to))
        }
        // `file:2`: that line only.
        None if number(rest).is_some() => {
            let line = number(rest).unwrap_or(0);
            Selection::Lines(line.saturating_sub(1), Some(line))
        }
        _ => Selection::Anchor(rest.trim()),
    };
    (file, selection)
}

/// The part of `text` that `selection` takes; `None` for a missing anchor.
fn select(text: &str, selection: &Selection<'_>) -> Option<String> {
    match selection {
        Selection::Whole => Some(text.to_string()),
        Selection::Lines(from, to) => {
            let count = to.map_or(usize::MAX, |to| to.saturating_sub(*from));
            Some(text.lines().skip(*from).take(count).collect::<Vec<_>>().join("\n"))
        }
        Selection::Anchor(name) => {
            let mut lines = text.lines();
            lines.by_ref().find(|line| anchor_name(line, "ANCHOR:") == Some(name))?;
            let mut kept = Vec::new();
            for line in lines {
                if anchor_name(line, "ANCHOR_END:") == Some(name) {
                    break;
                }
                if anchor_name(line, "ANCHOR:").is_none() && anchor_name(line, "ANCHOR_END:").is_none() {
                    kept.push(line);
                }
            }
            Some(kept.join("\n"))
        }
    }
}

/// The anchor a line marks with `marker` (`ANCHOR:`), if it marks one.
fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let at = line.find(marker)?;
    // `ANCHOR_END:` also contains no `ANCHOR:`, but `XANCHOR:` is no mark.
    if at > 0 && line.as_bytes()[at - 1].is_ascii_alphanumeric() {
        return None;
    }
    let rest = line[at + marker.len()..].trim_start();
    let len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count();
    (len > 0).then(|| &rest[..len])
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct Disk(HashMap<&'static str, &'static str>);

    impl Files for Disk {
        fn read(&mut self, path: &str) -> Result<String, String> {
            self.0.get(path).map(|t| t.to_string()).ok_or_else(|| "no such file".to_string())
        }
    }

    const CODE: &str =
        "// ANCHOR: all\nfn a() {}\n// ANCHOR: inner\nfn b() {}\n// ANCHOR_END: inner\n// ANCHOR_END: all\n";

    fn disk() -> Disk {
        Disk(HashMap::from([
            ("src/code.rs", CODE),
            ("src/part.md", "Part text.\n"),
            ("src/nested/a.md", "A then {{#include b.md}}\n"),
            ("src/nested/b.md", "B."),
            ("src/loop.md", "{{#include loop.md}}"),
        ]))
    }

    fn run(text: &str) -> Expanded {
        expand(text, "src/page.md", &mut disk(), 1 << 20)
    }

    #[test]
    fn ranges_and_anchors_take_what_mdbook_takes() {
        assert_eq!(run("{{#include code.rs:2}}").text, "fn a() {}");
        assert_eq!(run("{{#include code.rs::2}}").text, "// ANCHOR: all\nfn a() {}");
        assert_eq!(run("{{#include code.rs:5:}}").text, "// ANCHOR_END: inner\n// ANCHOR_END: all");
        assert_eq!(run("{{#include code.rs:2:4}}").text, "fn a() {}\n// ANCHOR: inner\nfn b() {}");
        assert_eq!(run("{{#include code.rs:inner}}").text, "fn b() {}");
        assert_eq!(run("{{#include code.rs:all}}").text, "fn a() {}\nfn b() {}");
        assert_eq!(run("x {{ #include part.md }} y").text, "x Part text.\n y");
        assert_eq!(run("{{#include nested/a.md}}").text, "A then B.\n");
    }

    #[test]
    fn escapes_code_and_unknown_directives() {
        let escaped = run("Write `\\{{#include x.rs}}`.");
        assert_eq!(escaped.text, "Write `{{#include x.rs}}`.");
        assert!(escaped.problems.is_empty());
        let code = run("```hbs\n{{#toc}}{{/toc}}\n```\n");
        assert_eq!(code.text, "```hbs\n{{#toc}}{{/toc}}\n```\n");
        assert!(code.problems.is_empty());
        let prose = run("a\n{{#toc}}\n");
        assert_eq!(prose.problems.len(), 1);
        assert_eq!(prose.problems[0].span, 2..10);
        assert_eq!(prose.text, "a\n{{#toc}}\n");
        assert!(run("{{ not a directive }} {{#}}").problems.is_empty());
        // Named without a file, as a page about mdBook names them: text,
        // quietly in code (the mdBook guide does this).
        let named = run("Expands `{{ #playground }}` and `{{ #include }}`.\n");
        assert_eq!(named.text, "Expands `{{ #playground }}` and `{{ #include }}`.\n");
        assert!(named.problems.is_empty(), "{:?}", named.problems);
        assert_eq!(run("{{#playground}}\n").problems.len(), 1);
    }

    #[test]
    fn failures_leave_the_directive_and_name_the_place() {
        let text = "one\n{{#include ../../etc/passwd}}\n{{#include gone.md}}\n{{#include code.rs:nope}}\n{{#include loop.md}}\n";
        let out = run(text);
        assert_eq!(out.text, text);
        let lines: Vec<usize> = out.problems.iter().map(|p| text[..p.span.start].matches('\n').count() + 1).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{:?}", out.problems);
        assert!(out.problems[0].message.contains("outside the playbook"));
        assert!(out.problems[2].message.contains("no anchor `nope`"));
        assert!(out.problems[3].message.contains("nest more than"));
        assert!(out.problems.iter().all(|p| p.kind == ProblemKind::Failed));
    }

    #[test]
    fn playground_is_a_code_block_and_says_so() {
        let out = run("{{#playground code.rs editable}}");
        assert!(
            out.text.starts_with("```rust,editable\n// ANCHOR: all\n") && out.text.ends_with("\n```"),
            "{}",
            out.text
        );
        assert_eq!(out.problems[0].kind, ProblemKind::Unsupported);
    }

    #[test]
    fn offsets_lead_back_to_the_page_as_written() {
        let text = "line 1\n{{#include part.md}}\nline 3 [x](y.md)\n";
        let out = run(text);
        let after = out.text.find("line 3").unwrap();
        assert_eq!(out.origin.written_offset(after), text.find("line 3").unwrap());
        assert_eq!(out.origin.written_offset(out.text.find("Part").unwrap()), text.find("{{").unwrap());
        assert_eq!(out.origin.written_offset(2), 2);
        assert_eq!(out.files, ["src/part.md"]);
    }

    #[test]
    fn size_is_bounded() {
        let mut files = Disk(HashMap::from([("src/big.md", "0123456789")]));
        let text = "{{#include big.md}}".repeat(5);
        let out = expand(&text, "src/page.md", &mut files, 25);
        assert_eq!(out.problems.len(), 3);
        assert_eq!(out.text.matches("0123456789").count(), 2);
    }
}
