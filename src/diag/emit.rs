//! Printing diagnostics: one emitter per output format.
//!
//! The human format looks like a compiler's (code, location, the source line
//! with a caret, help). Emitters write into a `String` so they can be
//! snapshot-tested; `cmd/` decides where the text goes.

use std::fmt::Write as _;

use super::{Diagnostic, Severity};

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

/// Renders diagnostics as a compiler would print them to a terminal.
pub fn human(diagnostics: &[Diagnostic], color: Color) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    for diagnostic in diagnostics {
        write_human(&mut out, diagnostic, &paint);
    }
    out
}

fn write_human(out: &mut String, d: &Diagnostic, paint: &Paint) {
    let (label, style) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let heading = paint.wrap(style, &format!("{label}[{}]", d.code));
    let _ = writeln!(out, "{heading}{} {}", paint.wrap("1", ":"), paint.wrap("1", &d.message));
    let gutter_width = d.location.as_ref().map_or(1, |l| l.line.to_string().len());
    let pad = " ".repeat(gutter_width);
    let bar = paint.wrap("1;34", "|");
    if let Some(loc) = &d.location {
        let arrow = paint.wrap("1;34", "-->");
        if loc.line == 0 {
            let _ = writeln!(out, "{pad}{arrow} {}", loc.file);
        } else {
            let _ = writeln!(out, "{pad}{arrow} {}:{}:{}", loc.file, loc.line, loc.column);
            let line_no = paint.wrap("1;34", &loc.line.to_string());
            let caret_pad = " ".repeat(loc.column.saturating_sub(1) as usize);
            let carets = paint.wrap(style, &"^".repeat(loc.width.max(1) as usize));
            let shown = loc.source_line.replace('\t', " ");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

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
