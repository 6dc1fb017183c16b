//! Printing diagnostics: one emitter per output format.
//!
//! The human format looks like a compiler's (code, location, the source line
//! with a caret, help). Emitters write into a `String` so they can be
//! snapshot-tested; `cmd/` decides where the text goes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Code, Diagnostic, Severity};

/// Whether the human format may use ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Plain text, for files, pipes and tests.
    Never,
    /// Bold and coloured labels, for a terminal.
    Always,
}

struct Paint {
    color: Color,
}

impl Paint {
    fn wrap(&self, style: &str, text: &str) -> String {
        match self.color {
            Color::Never => text.to_string(),
            Color::Always => format!("\x1b[{style}m{text}\x1b[0m"),
        }
    }
}

/// How many diagnostics of one kind (severity and code) the human and
/// GitHub formats print; the rest are counted on one line. A page with
/// 102,000 broken links printed 26 MB (issue 9); like clang's
/// `-ferror-limit`, the first few say what is wrong and the count says how
/// much. The JSON format, for tools, lists everything.
pub const SHOWN_PER_KIND: usize = 20;

/// Splits diagnostics into those shown and, per kind, how many are not.
fn shown(diagnostics: &[Diagnostic]) -> (Vec<&Diagnostic>, BTreeMap<(Severity, Code), usize>) {
    let mut seen: BTreeMap<(Severity, Code), usize> = BTreeMap::new();
    let mut shown = Vec::new();
    for d in diagnostics {
        let count = seen.entry((d.severity, d.code)).or_default();
        *count += 1;
        if *count <= SHOWN_PER_KIND {
            shown.push(d);
        }
    }
    seen.retain(|_, count| *count > SHOWN_PER_KIND);
    seen.values_mut().for_each(|count| *count -= SHOWN_PER_KIND);
    (shown, seen)
}

fn kind_label(severity: Severity, plural: bool) -> &'static str {
    match (severity, plural) {
        (Severity::Error, false) => "error",
        (Severity::Error, true) => "errors",
        (Severity::Warning, false) => "warning",
        (Severity::Warning, true) => "warnings",
    }
}

/// Renders diagnostics as a compiler would print them to a terminal, at
/// most [`SHOWN_PER_KIND`] of each kind.
pub fn human(diagnostics: &[Diagnostic], color: Color) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    let (shown, hidden) = shown(diagnostics);
    for diagnostic in shown {
        write_human(&mut out, diagnostic, &paint);
    }
    for ((severity, code), count) in hidden {
        let _ = writeln!(
            out,
            "... and {count} more {}[{code}] not shown ({}); `playbook check --format json` lists them all\n",
            kind_label(severity, count != 1),
            code.summary()
        );
    }
    out
}

fn write_human(out: &mut String, d: &Diagnostic, paint: &Paint) {
    let label = kind_label(d.severity, false);
    let style = match d.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
    };
    let heading = paint.wrap(style, &format!("{label}[{}]", d.code));
    let _ = writeln!(out, "{heading}{} {}", paint.wrap("1", ":"), paint.wrap("1", &d.message));
    let position = d.location.as_ref().and_then(|l| l.position.as_ref());
    let gutter_width = position.map_or(1, |p| p.line.to_string().len());
    let pad = " ".repeat(gutter_width);
    let bar = paint.wrap("1;34", "|");
    if let Some(loc) = &d.location {
        let arrow = paint.wrap("1;34", "-->");
        let _ = writeln!(out, "{pad}{arrow} {loc}");
        if let Some(p) = &loc.position {
            let line_no = paint.wrap("1;34", &p.line.to_string());
            let caret_pad = " ".repeat(p.caret as usize);
            let carets = paint.wrap(style, &"^".repeat(p.width.max(1) as usize));
            let shown = p.source_line.replace('\t', " ");
            let _ = writeln!(out, "{pad} {bar}");
            let _ = writeln!(out, "{line_no} {bar} {shown}");
            let _ = writeln!(out, "{pad} {bar} {caret_pad}{carets}");
        }
    }
    let eq = paint.wrap("1;34", "=");
    for note in &d.notes {
        let _ = writeln!(out, "{pad} {eq} note: {note}");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {eq} {}: {help}", paint.wrap("1", "help"));
    }
    out.push('\n');
}

/// One JSON object per line for each diagnostic, for tools. The fields are
/// `severity` (`"error"` or `"warning"`), `code`, `message`, `file`, `line`,
/// `column` (1-based; `null` when the problem has no place), `help` (or
/// `null`) and `notes` (a list).
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let place = d.location.as_ref();
        let position = place.and_then(|l| l.position.as_ref());
        let object = serde_json::json!({
            "severity": severity_name(d.severity),
            "code": d.code.id(),
            "message": d.message,
            "file": place.map(|l| l.file.as_str()),
            "line": position.map(|p| p.line),
            "column": position.map(|p| p.column),
            "help": d.help,
            "notes": d.notes,
        });
        out.push_str(&object.to_string());
        out.push('\n');
    }
    out
}

/// GitHub Actions workflow commands, which annotate the pull request at the
/// file and line: `::error file=F,line=L,col=C,title=CODE::message`.
/// At most [`SHOWN_PER_KIND`] of each kind, then a notice with the count.
pub fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let (shown, hidden) = shown(diagnostics);
    for ((severity, code), count) in hidden {
        let _ = writeln!(
            out,
            "::notice title={code}::{count} more {} of {code} not annotated ({})",
            kind_label(severity, count != 1),
            code.summary()
        );
    }
    for d in shown {
        let mut properties = Vec::new();
        if let Some(place) = &d.location {
            properties.push(format!("file={}", escape_property(&place.file)));
            if let Some(p) = &place.position {
                properties.push(format!("line={}", p.line));
                properties.push(format!("col={}", p.column));
            }
        }
        properties.push(format!("title={}", d.code));
        let mut message = d.message.clone();
        for note in &d.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let _ = writeln!(out, "::{} {}::{}", severity_name(d.severity), properties.join(","), escape_data(&message));
    }
    out
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// GitHub's escaping for a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// GitHub's escaping for a command's property values.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_shows_location_line_caret_and_help() {
        let text = "---\nlevels: [executon]\n---\n";
        let start = text.find("executon").unwrap();
        let d = Diagnostic::error(Code::InvalidFrontmatterValue, "unknown level `executon`")
            .at("content/x.md", text, start..start + 8)
            .with_help("did you mean `execution`?");
        insta::assert_snapshot!(human(&[d], Color::Never), @r"
        error[E304]: unknown level `executon`
         --> content/x.md:2:10
          |
        2 | levels: [executon]
          |          ^^^^^^^^
          = help: did you mean `execution`?
        ");
    }

    fn broken_link() -> Diagnostic {
        let text = "---\ntitle: A\n---\nSee [[gone]].\n";
        let start = text.find("[[gone]]").unwrap();
        Diagnostic::error(Code::BrokenLink, "broken link: no page `gone`")
            .at("content/a, b.md", text, start..start + 8)
            .with_note("also linked from content/c.md:2:1")
            .with_help("did you mean `done`?")
    }

    #[test]
    fn json_is_one_documented_object_per_line() {
        let out = json(&[broken_link(), Diagnostic::warning(Code::OrphanPage, "orphan").in_file("content/x.md")]);
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["severity"], "error");
        assert_eq!(lines[0]["code"], "L501");
        assert_eq!((lines[0]["line"].as_u64(), lines[0]["column"].as_u64()), (Some(4), Some(5)));
        assert_eq!(lines[0]["help"], "did you mean `done`?");
        assert_eq!(lines[1]["line"], serde_json::Value::Null);
        assert_eq!(lines[1]["file"], "content/x.md");
    }

    #[test]
    fn github_annotations_escape_their_parts() {
        insta::assert_snapshot!(github(&[broken_link()]), @"::error file=content/a%2C b.md,line=4,col=5,title=L501::broken link: no page `gone`%0Anote: also linked from content/c.md:2:1%0Ahelp: did you mean `done`?");
    }

    #[test]
    fn issue_9_human_and_github_show_a_few_of_a_kind_and_count_the_rest() {
        let many: Vec<Diagnostic> = (0..1000).map(|_| broken_link()).collect();
        let text = human(&many, Color::Never);
        assert_eq!(text.matches("error[L501]").count(), SHOWN_PER_KIND);
        assert!(text.contains("... and 980 more errors[L501] not shown"), "{text}");
        let annotations = github(&many);
        assert_eq!(annotations.matches("::error ").count(), SHOWN_PER_KIND);
        assert!(annotations.starts_with("::notice title=L501::980 more errors of L501"), "{annotations}");
        assert_eq!(json(&many).lines().count(), 1000, "json lists everything");
    }

    #[test]
    fn human_file_only_location_and_notes() {
        let d = Diagnostic::warning(Code::UnknownThemeFile, "`templates/x.html` overrides nothing")
            .in_file("themes/mine/templates/x.html")
            .with_note("the default theme has base.html, page.html");
        insta::assert_snapshot!(human(&[d], Color::Never), @r"
        warning[W101]: `templates/x.html` overrides nothing
         --> themes/mine/templates/x.html
          = note: the default theme has base.html, page.html
        ");
    }
}
