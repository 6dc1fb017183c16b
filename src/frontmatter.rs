//! The YAML frontmatter of a page: splitting it from the body and parsing it
//! into typed structs. The only user of serde_yaml, which is deprecated
//! upstream and so stays behind this module's small surface.
//!
//! serde_yaml reports positions from the start of the YAML text; this module
//! shifts them to positions in the file, so an error points at the line the
//! author sees in their editor. It does not judge values against the
//! configuration (unknown levels and the like): that is `page.rs`'s job.

use std::ops::Range;

use serde::Deserialize;

use crate::config::FrontmatterPolicy;
use crate::diag::{Code, Diagnostic, nearest};
use crate::nesting::{self, MAX_NESTING};
use crate::yamlpos::{Positions, Step};
use crate::yamlwords;

/// The largest frontmatter playbook parses. serde_yaml takes quadratic time on
/// deeply nested flow collections (`[[[[...]]]]`), so the size is capped
/// before parsing; a real page's frontmatter is well under a kilobyte.
pub(crate) const MAX_FRONTMATTER_BYTES: usize = 64 * 1024;

/// Where the frontmatter and the body are in a page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    /// The YAML between the `---` lines, if the page has frontmatter.
    pub(crate) yaml: Option<Range<usize>>,
    /// Where the Markdown body starts.
    pub(crate) body_start: usize,
}

/// A page's frontmatter, as written. Values are checked against `book.toml`
/// later, by `page.rs`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Frontmatter {
    /// The page title; without it, the first heading, then the file name.
    pub(crate) title: Option<String>,
    /// One sentence shown under the title and in every list of pages.
    pub(crate) summary: Option<String>,
    /// Quartz's and Hugo's name for a summary: used when `summary` is absent.
    pub(crate) description: Option<String>,
    /// Overrides the path-derived slug.
    pub(crate) slug: Option<String>,
    /// Quartz's way to set the page's address (`/guide/start`): a slug.
    pub(crate) permalink: Option<String>,
    /// Other names wiki links find the page by (Obsidian's `aliases`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) aliases: Vec<String>,
    /// Not published unless the build is asked for drafts.
    #[serde(default)]
    pub(crate) draft: bool,
    /// When the page was first published: `2026-03-01`.
    pub(crate) date: Option<String>,
    /// When it last changed, if the author says (else git says).
    pub(crate) lastmod: Option<String>,
    /// Position among its siblings; lower first, pages without it last.
    pub(crate) order: Option<i64>,
    /// Level ids from `book.toml`.
    #[serde(default)]
    pub(crate) levels: Vec<String>,
    /// Context ids from `book.toml`.
    #[serde(default)]
    pub(crate) contexts: Vec<String>,
    /// Free-form tags: a list, or one tag as text (`tags: draft`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub(crate) tags: Vec<String>,
    /// Questions whose answers lead to pages or to other questions.
    #[serde(default)]
    pub(crate) diagnostic_questions: Vec<RawQuestion>,
    /// Where the ideas of the page come from.
    #[serde(default)]
    pub(crate) sources: Vec<RawSource>,
    /// Slugs of pages worth reading next.
    #[serde(default)]
    pub(crate) related: Vec<String>,
    /// Makes this page a decision page starting at a question.
    pub(crate) decision: Option<RawDecision>,
    /// The seed format's video id: `videoId: YP_QghPLG-8`.
    #[serde(rename = "videoId")]
    pub(crate) video_id: Option<String>,
    /// Keys playbook does not know, with their values, kept when the
    /// frontmatter policy is lenient (for templates, as `extra`).
    #[serde(skip)]
    pub(crate) extra: std::collections::BTreeMap<String, serde_json::Value>,
}

/// A list of text, or one text alone: Obsidian vaults write `tags: one` as
/// often as `tags: [one, two]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    match Option::<OneOrMany>::deserialize(deserializer)? {
        None => Ok(Vec::new()),
        Some(OneOrMany::One(one)) => Ok(vec![one]),
        Some(OneOrMany::Many(many)) => Ok(many),
    }
}

/// A diagnostic question as written.
#[derive(Debug, Deserialize)]
pub(crate) struct RawQuestion {
    /// Unique across the playbook.
    pub(crate) id: String,
    /// The question itself.
    pub(crate) ask: String,
    /// A sentence that helps the reader answer.
    pub(crate) help: Option<String>,
    /// The possible answers.
    #[serde(default)]
    pub(crate) answers: Vec<RawAnswer>,
}

/// One answer to a diagnostic question.
#[derive(Debug, Deserialize)]
pub(crate) struct RawAnswer {
    /// What the reader clicks.
    pub(crate) label: String,
    /// A page slug, or `?question-id` for another question.
    pub(crate) leads_to: String,
}

/// A source as written: a video with a timestamp, or a URL.
#[derive(Debug, Deserialize)]
pub(crate) struct RawSource {
    /// A YouTube video id.
    pub(crate) video: Option<String>,
    /// Where in the video: `"01:07:40"`, `"07:40"` or seconds.
    pub(crate) at: Option<RawTime>,
    /// A web address.
    pub(crate) url: Option<String>,
    /// What the source says, in a few words.
    pub(crate) note: Option<String>,
}

/// A timestamp as written: text (`"01:07:40"`) or a number of seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawTime {
    /// `at: 4060`.
    Seconds(u64),
    /// `at: "01:07:40"`.
    Text(String),
}

impl<'de> Deserialize<'de> for RawTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = RawTime;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a timestamp like \"01:07:40\" or a number of seconds")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawTime, E> {
                Ok(RawTime::Seconds(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawTime, E> {
                Ok(RawTime::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Makes a page a decision page.
#[derive(Debug, Deserialize)]
pub(crate) struct RawDecision {
    /// The id of the first question.
    pub(crate) start: String,
}

/// The keys of each table of a frontmatter, for "did you mean". Tables are
/// named by their path with list indexes left out.
const TABLE_KEYS: &[(&str, &[&str])] = &[
    ("", KEYS),
    ("diagnostic_questions", &["id", "ask", "help", "answers"]),
    ("diagnostic_questions.answers", &["label", "leads_to"]),
    ("sources", &["video", "at", "url", "note"]),
    ("decision", &["start"]),
];

/// The keys a frontmatter may have, for "did you mean" suggestions.
pub(crate) const KEYS: &[&str] = &[
    "title",
    "summary",
    "description",
    "slug",
    "permalink",
    "aliases",
    "draft",
    "date",
    "lastmod",
    "order",
    "levels",
    "contexts",
    "tags",
    "diagnostic_questions",
    "sources",
    "related",
    "decision",
    "videoId",
];

/// Finds the frontmatter block at the top of `text`, if there is one.
/// `display_path` names the file in diagnostics.
pub(crate) fn split(text: &str, display_path: &str) -> Result<Split, Diagnostic> {
    let Some(after_open) = strip_fence_line(text, "---") else {
        return Ok(Split { yaml: None, body_start: 0 });
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        let content = line.trim_end();
        if content == "---" || content == "..." {
            if offset - yaml_start > MAX_FRONTMATTER_BYTES {
                return Err(too_large(text, display_path, offset - yaml_start));
            }
            return Ok(Split { yaml: Some(yaml_start..offset), body_start: offset + line.len() });
        }
        offset += line.len();
    }
    if offset - yaml_start > MAX_FRONTMATTER_BYTES {
        return Err(too_large(text, display_path, offset - yaml_start));
    }
    Err(Diagnostic::error(Code::UnclosedFrontmatter, "the frontmatter opened here is never closed")
        .at(display_path, text, 0..3)
        .with_help("end the frontmatter with a line holding only `---`; if the `---` is a horizontal rule, put a blank line before it"))
}

/// If `text` starts with a line holding only `fence` (and trailing spaces),
/// the text after that line.
fn strip_fence_line<'t>(text: &'t str, fence: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(fence)?;
    let line_end = rest.find('\n')?;
    rest[..line_end].trim().is_empty().then(|| &rest[line_end + 1..])
}

fn too_large(text: &str, display_path: &str, size: usize) -> Diagnostic {
    Diagnostic::error(
        Code::FrontmatterTooLarge,
        format!(
            "the frontmatter is {} KiB; it may be at most {} KiB",
            size.div_ceil(1024),
            MAX_FRONTMATTER_BYTES / 1024
        ),
    )
    .at(display_path, text, 0..3)
    .with_help("move long text into the page body; frontmatter is for short, structured fields")
}

/// Parses the YAML at `yaml` (a range of `text`) into a [`Frontmatter`].
/// Every unknown key is reported, not only the first (issue 9): as an
/// error under the strict policy; under the lenient one as a warning, in
/// what is returned beside the frontmatter, with the key kept in `extra`.
pub(crate) fn parse(
    text: &str,
    yaml: Range<usize>,
    display_path: &str,
    policy: FrontmatterPolicy,
) -> Result<(Frontmatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = &text[yaml.clone()];
    if let Err(deep) = nesting::check_yaml(source, MAX_NESTING) {
        let offset = yaml.start + deep.offset;
        return Err(vec![
            Diagnostic::error(Code::TooDeep, format!("the frontmatter nests more than {MAX_NESTING} levels deep"))
                .at(display_path, text, offset..offset + 1)
                .with_help("frontmatter holds short, flat fields; remove the extra brackets or indentation"),
        ]);
    }
    let mut unknown = Vec::new();
    let typed: Result<Frontmatter, _> =
        serde_ignored::deserialize(serde_yaml::Deserializer::from_str(source), |path| unknown.push(path.to_string()));
    let locator = Locator::new(text, yaml.clone());
    let mut problems: Vec<Diagnostic> =
        unknown.iter().map(|path| unknown_key(path).at(display_path, text, locator.serde_path(path))).collect();
    if policy == FrontmatterPolicy::Lenient && !problems.is_empty() {
        for problem in &mut problems {
            *problem = kept(problem.clone());
        }
        return match typed {
            Ok(mut front) => {
                front.extra = extra_keys(source, &unknown);
                Ok((front, problems))
            }
            Err(typed_error) => Err(vec![typed_error_diagnostic(text, yaml, display_path, &typed_error)]),
        };
    }
    match typed {
        Ok(front) if problems.is_empty() => Ok((front, Vec::new())),
        Ok(_) => Err(problems),
        Err(typed_error) => {
            // `leads-to: a` is one mistake, said once: the unknown key's
            // "did you mean `leads_to`", not also "missing field `leads_to`".
            let missing = typed_error.to_string();
            let said = problems.iter().any(|p| {
                let suggested = p.help.as_deref().and_then(|h| h.strip_prefix("did you mean `"));
                suggested
                    .and_then(|s| s.split('`').next())
                    .is_some_and(|k| missing.contains(&format!("missing field `{k}`")))
            });
            if !said {
                problems.push(typed_error_diagnostic(text, yaml, display_path, &typed_error));
            }
            Err(problems)
        }
    }
}

/// An unknown key's error made the lenient policy's warning.
fn kept(error: Diagnostic) -> Diagnostic {
    let message = error.message.replacen("unknown frontmatter key", "frontmatter key", 1);
    let mut warning = Diagnostic::warning(Code::KeptFrontmatterKey, format!("{message} is not one playbook reads"));
    warning.location = error.location;
    let near = error.help.filter(|h| h.starts_with("did you mean"));
    warning.with_help(match near {
        Some(near) => format!("{near} It is kept for templates, as `extra`"),
        None => "it is kept for templates, as `extra.<key>`".to_string(),
    })
}

/// The values of the top-level keys among `unknown`, as JSON for templates.
fn extra_keys(source: &str, unknown: &[String]) -> std::collections::BTreeMap<String, serde_json::Value> {
    let top: Vec<&str> = unknown.iter().filter(|p| !p.contains('.')).map(String::as_str).collect();
    if top.is_empty() {
        return Default::default();
    }
    let all: std::collections::BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(source).unwrap_or_default();
    (all.into_iter())
        .filter(|(key, _)| top.contains(&key.as_str()))
        .filter_map(|(key, value)| Some((key, serde_json::to_value(value).ok()?)))
        .collect()
}

/// The error for an unknown key at `path` (`draft`,
/// `diagnostic_questions.0.answerz`).
fn unknown_key(path: &str) -> Diagnostic {
    let segments: Vec<&str> = path.split('.').collect();
    let (key, parents) = segments.split_last().expect("a path has a segment");
    let table: Vec<&str> = parents.iter().copied().filter(|s| s.parse::<usize>().is_err()).collect();
    let table = table.join(".");
    let expected = TABLE_KEYS.iter().find(|(t, _)| *t == table).map_or(&[][..], |(_, keys)| *keys);
    let help = match nearest(key, expected.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "remove it; the keys here are {}",
            expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    let place = if table.is_empty() { String::new() } else { format!(" in `{table}`") };
    Diagnostic::error(Code::UnknownFrontmatterKey, format!("unknown frontmatter key `{key}`{place}")).with_help(help)
}

/// The diagnostic for YAML that does not parse into a [`Frontmatter`]: a
/// syntax error with the YAML parser's own message and position, or a
/// value of the wrong type.
fn typed_error_diagnostic(
    text: &str,
    yaml: Range<usize>,
    display_path: &str,
    typed_error: &serde_yaml::Error,
) -> Diagnostic {
    let source = &text[yaml.clone()];
    // The typed parse may have stopped earlier than the syntax error, on a
    // value that only looks wrong because the syntax is broken.
    let syntax_error = serde_yaml::from_str::<serde::de::IgnoredAny>(source).err();
    let (error, is_syntax) = match &syntax_error {
        Some(e) => (e, true),
        None => (typed_error, false),
    };
    let message = error.to_string();
    // "found unexpected end of stream ..., while scanning a quoted scalar
    // at line 1 column 8": the construct that was left open is where the
    // author has to look, not the end of the YAML where the parser gave up.
    let local = context_mark(&message)
        .and_then(|(line, column)| offset_of(source, line, column))
        .or_else(|| error.location().map(|l| l.index()))
        .unwrap_or(0);
    let offset = (yaml.start + local).min(text.len());
    let span = offset..offset + token_len(&text[offset..]);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next().unwrap_or("");
    yaml_error(error, is_syntax, &text[offset..], line).at(display_path, text, span)
}

/// The position of the "while scanning X at line L column C" part of a
/// serde_yaml message, if it has one.
fn context_mark(message: &str) -> Option<(usize, usize)> {
    let (_, context) = message.split_once(", while ")?;
    let (_, position) = context.rsplit_once(" at line ")?;
    let (line, column) = position.split_once(" column ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let rest = text.get(line_start..)?;
    Some(line_start + rest.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum::<usize>())
}

/// The length of the word at the start of `rest`, for the caret's width.
fn token_len(rest: &str) -> usize {
    rest.find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ']' | '}')).unwrap_or(rest.len()).max(1)
}

/// The diagnostic for `error`, in YAML's terms (`yamlwords.rs`); `at` is
/// the text from the caret on, `line` the line it is on.
fn yaml_error(error: &serde_yaml::Error, is_syntax: bool, at: &str, line: &str) -> Diagnostic {
    let message = strip_yaml_positions(&error.to_string());
    if is_syntax {
        let (cause, help) = yamlwords::syntax_help(&message, at, line);
        let what = cause.unwrap_or(message);
        return Diagnostic::error(Code::YamlSyntax, format!("the frontmatter is not valid YAML: {what}"))
            .with_help(help);
    }
    // serde's messages for a struct field start with the field's path.
    let (path, detail) = match message.split_once(": ") {
        Some((path, detail)) if !path.contains(' ') => (Some(path), detail.to_string()),
        _ => (None, message.clone()),
    };
    let (detail, help) = yamlwords::type_error(&detail);
    let what = path.map(|p| format!("`{p}`: ")).unwrap_or_default();
    Diagnostic::error(Code::InvalidFrontmatterValue, format!("{what}{detail}"))
        .with_help(help.unwrap_or_else(|| "the README lists the type of every frontmatter key".to_string()))
}

/// Removes serde_yaml's " at line N column M" phrases: they count from the
/// start of the YAML, not of the file, and the diagnostic has the right ones.
fn strip_yaml_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(" at line ") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + " at line ".len()..];
        let skip = tail
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .map_or(tail.len(), |(i, _)| i);
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

/// Where keys and values of a frontmatter are, for diagnostics that judge a
/// value (an unknown level id, a bad timestamp) after serde_yaml read it.
/// The places come from a YAML parser's events (`yamlpos.rs`); a path with
/// no place falls back to its nearest ancestor, then to the frontmatter's
/// start, so a caret never lands somewhere unrelated.
pub(crate) struct Locator<'t> {
    text: &'t str,
    yaml: Range<usize>,
    /// Read on first use: most pages have nothing to report.
    positions: std::cell::OnceCell<Positions>,
}

impl<'t> Locator<'t> {
    /// A locator over the frontmatter at `yaml` (a range of `text`).
    pub(crate) fn new(text: &'t str, yaml: Range<usize>) -> Self {
        Locator { text, yaml, positions: std::cell::OnceCell::new() }
    }

    /// The span of the key of the entry at `path` (`levels`,
    /// `diagnostic_questions[0].answers`).
    pub(crate) fn key(&self, path: &[Step]) -> Range<usize> {
        self.find(path, true)
    }

    /// The span of the value at `path` (`levels[1]`).
    pub(crate) fn value(&self, path: &[Step]) -> Range<usize> {
        self.find(path, false)
    }

    /// The span of the key at the end of a serde path
    /// (`diagnostic_questions.0.answerz`).
    pub(crate) fn serde_path(&self, path: &str) -> Range<usize> {
        let steps: Vec<Step> = path
            .split('.')
            .map(|s| s.parse::<usize>().map_or_else(|_| Step::Key(std::borrow::Cow::Owned(s.to_string())), Step::Index))
            .collect();
        self.key(&steps)
    }

    fn find(&self, path: &[Step], want_key: bool) -> Range<usize> {
        let positions = self.positions.get_or_init(|| Positions::parse(&self.text[self.yaml.clone()]));
        for len in (1..=path.len()).rev() {
            let prefix = &path[..len];
            let found = if want_key || len < path.len() {
                positions.key(prefix).or_else(|| positions.value(prefix))
            } else {
                positions.value(prefix).or_else(|| positions.key(prefix))
            };
            if let Some(local) = found {
                return self.yaml.start + local.start..self.yaml.start + local.end;
            }
        }
        self.yaml.start..self.yaml.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Frontmatter, Diagnostic> {
        let split = split(text, "content/a.md")?;
        parse(text, split.yaml.expect("has frontmatter"), "content/a.md", FrontmatterPolicy::Strict)
            .map(|(front, _)| front)
            .map_err(|mut all| all.remove(0))
    }

    fn line_col(d: &Diagnostic) -> (u32, u32) {
        let l = d.location.as_ref().unwrap().position.as_ref().unwrap();
        (l.line, l.column)
    }

    #[test]
    fn split_finds_yaml_and_body() {
        let text = "---\ntitle: A\n---\n# Body\n";
        let s = split(text, "a.md").unwrap();
        assert_eq!(&text[s.yaml.unwrap()], "title: A\n");
        assert_eq!(&text[s.body_start..], "# Body\n");
    }

    #[test]
    fn split_handles_crlf_and_dots_close() {
        let text = "---\r\ntitle: A\r\n...\r\nbody";
        let s = split(text, "a.md").unwrap();
        assert_eq!(&text[s.yaml.unwrap()], "title: A\r\n");
        assert_eq!(&text[s.body_start..], "body");
    }

    #[test]
    fn no_frontmatter_is_fine() {
        assert_eq!(split("# Title\n---\n", "a.md").unwrap(), Split { yaml: None, body_start: 0 });
        assert_eq!(split("----\nx\n", "a.md").unwrap().yaml, None);
    }

    #[test]
    fn unclosed_frontmatter_is_an_error() {
        let d = split("---\ntitle: A\n# Body\n", "a.md").unwrap_err();
        assert_eq!(d.code, Code::UnclosedFrontmatter);
        assert_eq!(line_col(&d), (1, 1));
    }

    #[test]
    fn oversized_frontmatter_is_refused_before_parsing() {
        let text = format!("---\nx: {}\n---\n", "[".repeat(MAX_FRONTMATTER_BYTES));
        assert_eq!(split(&text, "a.md").unwrap_err().code, Code::FrontmatterTooLarge);
    }

    #[test]
    fn yaml_errors_point_at_the_open_construct() {
        let d = parse_text("---\ntitle: A\nsummary: \"open\nlevels: [a]\n---\n").unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(line_col(&d), (3, 10));
        assert!(!d.message.contains("at line"), "{}", d.message);
    }

    #[test]
    fn unclosed_flow_sequence_points_at_its_bracket() {
        let d = parse_text("---\ntitle: A\nlevels: [a, b\n---\n").unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(line_col(&d), (3, 9));
    }

    #[test]
    fn unclosed_bracket_is_a_syntax_error_not_a_type_error() {
        let d = parse_text("---\ntitle: [Skill gaps\nsummary: x\n---\n").unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(!d.message.contains("invalid type"), "{}", d.message);
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let d = parse_text("---\ntitle: A\nlevl: [impact]\n---\n").unwrap_err();
        assert_eq!(d.code, Code::UnknownFrontmatterKey);
        assert_eq!(line_col(&d), (3, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `levels`?"));
    }

    #[test]
    fn issue_9_every_unknown_key_is_reported_with_its_line() {
        let text = "---\ntitle: A\ncssclass: wide\nlevl: [a]\ndiagnostic_questions:\n  - id: q\n    ask: A?\n    answers:\n      - { lable: x, leads_to: y }\n---\n";
        let yaml = split(text, "a.md").unwrap().yaml.unwrap();
        let errors = parse(text, yaml, "a.md", FrontmatterPolicy::Strict).unwrap_err();
        let found: Vec<_> = errors.iter().map(|d| (line_col(d), d.help.as_deref().unwrap_or(""))).collect();
        assert_eq!(
            found,
            [
                (
                    (3, 1),
                    "remove it; the keys here are `title`, `summary`, `description`, `slug`, `permalink`, `aliases`, `draft`, `date`, `lastmod`, `order`, `levels`, `contexts`, `tags`, `diagnostic_questions`, `sources`, `related`, `decision`, `videoId`"
                ),
                ((4, 1), "did you mean `levels`?"),
                ((9, 11), "did you mean `label`?"),
            ]
        );
        // The missing `label` is that mistake again, not said twice (issue 14).
        assert_eq!(errors[2].message, "unknown frontmatter key `lable` in `diagnostic_questions.answers`");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let d = parse_text("---\norder: first\n---\n").unwrap_err();
        assert_eq!(d.code, Code::InvalidFrontmatterValue);
        assert_eq!(line_col(&d), (2, 8));
        assert_eq!(d.message, "`order`: expected a whole number, found the text \"first\"");
    }

    #[test]
    fn timestamps_accept_text_and_seconds() {
        let fm =
            parse_text("---\nsources:\n  - { video: x, at: \"01:02:03\" }\n  - { video: x, at: 90 }\n---\n").unwrap();
        assert_eq!(fm.sources[0].at, Some(RawTime::Text("01:02:03".into())));
        assert_eq!(fm.sources[1].at, Some(RawTime::Seconds(90)));
    }

    #[test]
    fn issue_9_deep_flow_nesting_is_refused_before_serde_yaml_sees_it() {
        // 63.5 KiB of `[` took serde_yaml 17 s to reject.
        let text = format!("---\ntitle: T\nx: {}\n---\n", "[".repeat(65_000));
        let d = parse_text(&text).unwrap_err();
        assert_eq!(d.code, Code::TooDeep);
        assert_eq!(line_col(&d), (3, 4 + MAX_NESTING as u32 - 1));
        let valid = format!("---\nx: {}{}\n---\n", "[".repeat(32_000), "]".repeat(32_000));
        assert_eq!(parse_text(&valid).unwrap_err().code, Code::TooDeep);
    }

    #[test]
    fn alias_bombs_end_in_an_error() {
        let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("a{}", i - 1) };
            yaml.push_str(&format!(
                "a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let text = format!("---\n{yaml}---\n");
        assert!(parse_text(&text).is_err());
    }

    #[test]
    fn issue_10_the_locator_takes_places_from_the_parser_not_from_comments() {
        // E401 pointed inside a comment that held the same word.
        let text = "---\ntitle: executon # executon\n# levels: [executon]\nlevels:\n  - impact\n  - executon\ncontexts: [executon]\n---\n";
        let yaml = split(text, "a.md").unwrap().yaml.unwrap();
        let locator = Locator::new(text, yaml);
        use crate::yamlpos::{at, key};
        let span = locator.value(&[key("levels"), at(1)]);
        assert_eq!(&text[span.clone()], "executon");
        assert_eq!(span.start, text.find("  - executon").unwrap() + 4);
        let span = locator.value(&[key("contexts"), at(0)]);
        assert_eq!(span.start, text.rfind("[executon]").unwrap() + 1);
        assert_eq!(&text[locator.key(&[key("levels")])], "levels");
        let missing = locator.value(&[key("levels"), at(7)]);
        assert_eq!(&text[missing], "levels", "a path with no place falls back to its nearest ancestor");
    }

    #[test]
    fn strips_relative_positions() {
        assert_eq!(
            strip_yaml_positions("found x at line 3 column 1, while scanning at line 1 column 8"),
            "found x, while scanning"
        );
    }
}
