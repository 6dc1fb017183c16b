//! `book.toml`: the typed configuration of a playbook.
//!
//! [`parse_config`] is pure: TOML text in, a validated [`Config`] or
//! diagnostics out. Every key has a default, so an empty `book.toml` is a
//! valid playbook; an unknown key is an error at its line, because a typo that
//! silently does nothing is worse than a failed build. The README documents
//! every key; keep it in step with the structs below.

use std::path::PathBuf;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, nearest};

/// The name of the configuration file, as diagnostics print it.
pub const CONFIG_FILE: &str = "book.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    book: RawBook,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    playbook: RawPlaybook,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBook {
    title: Option<String>,
    description: Option<String>,
    language: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBuild {
    content_dir: Option<PathBuf>,
    output_dir: Option<PathBuf>,
    theme: Option<String>,
    site_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPlaybook {
    #[serde(default)]
    levels: Vec<RawTerm>,
    #[serde(default)]
    contexts: Vec<RawTerm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTerm {
    id: String,
    name: String,
    #[serde(default)]
    summary: String,
}

/// The validated configuration of one playbook.
#[derive(Debug, Clone)]
pub struct Config {
    /// `[book]`: what the handbook is called and says about itself.
    pub book: BookMeta,
    /// `[build]`: where things are read from and written to.
    pub build: BuildSettings,
    /// `[playbook]`: the levels and contexts pages are sorted into.
    pub playbook: Taxonomy,
}

/// `[book]`.
#[derive(Debug, Clone)]
pub struct BookMeta {
    /// The handbook's title, shown in every page's header.
    pub title: String,
    /// One sentence about the handbook, for the home page and `<meta>`.
    pub description: Option<String>,
    /// The `lang` of every page.
    pub language: String,
    /// Who wrote it.
    pub authors: Vec<String>,
}

/// `[build]`.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// The pages, relative to the playbook folder.
    pub content_dir: PathBuf,
    /// Where the handbook is written, relative to the playbook folder.
    pub output_dir: PathBuf,
    /// The theme folder under `themes/` whose files override the default.
    pub theme: String,
    /// The published base path or URL, always ending in `/`.
    pub site_url: String,
}

/// `[playbook]`: the typed content model's vocabularies.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// The levels of product work, in their declared order.
    pub levels: Vec<Term>,
    /// The situations pages apply to, in their declared order.
    pub contexts: Vec<Term>,
}

/// A level or a context as declared in `book.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The id pages use in their frontmatter.
    pub id: String,
    /// The name readers see.
    pub name: String,
    /// One or two sentences readers see on the term's page.
    pub summary: String,
}

impl Default for Config {
    fn default() -> Self {
        parse_config("").expect("the empty configuration is valid")
    }
}

/// Parses and validates `book.toml` text.
pub fn parse_config(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;
    let site_url = normalize_site_url(raw.build.site_url.as_deref().unwrap_or("/"));
    let config = Config {
        book: BookMeta {
            title: raw.book.title.unwrap_or_else(|| "Playbook".to_string()),
            description: raw.book.description,
            language: raw.book.language.unwrap_or_else(|| "en".to_string()),
            authors: raw.book.authors,
        },
        build: BuildSettings {
            content_dir: raw.build.content_dir.unwrap_or_else(|| PathBuf::from("content")),
            output_dir: raw.build.output_dir.unwrap_or_else(|| PathBuf::from("book")),
            theme: raw.build.theme.unwrap_or_else(|| "default".to_string()),
            site_url,
        },
        playbook: Taxonomy {
            levels: raw.playbook.levels.into_iter().map(Term::from).collect(),
            contexts: raw.playbook.contexts.into_iter().map(Term::from).collect(),
        },
    };
    let problems = validate(&config, text);
    if problems.is_empty() { Ok(config) } else { Err(problems) }
}

impl From<RawTerm> for Term {
    fn from(raw: RawTerm) -> Self {
        Term { id: raw.id, name: raw.name, summary: raw.summary }
    }
}

fn normalize_site_url(url: &str) -> String {
    let trimmed = url.trim();
    if trimmed.ends_with('/') { trimmed.to_string() } else { format!("{trimmed}/") }
}

fn validate(config: &Config, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let url = &config.build.site_url;
    if !(url.starts_with('/') || url.starts_with("https://") || url.starts_with("http://")) {
        problems.push(
            Diagnostic::error(Code::ConfigInvalid, format!("`site-url` must be a path or an http(s) URL, not `{url}`"))
                .at(CONFIG_FILE, text, key_span(text, "site-url"))
                .with_help("write `site-url = \"/\"` for a site at the root, or `\"/playbook/\"` for a sub-path"),
        );
    }
    if config.build.theme.is_empty() || config.build.theme.contains(['/', '\\']) || config.build.theme.starts_with('.')
    {
        problems.push(
            Diagnostic::error(
                Code::ConfigInvalid,
                format!("`theme` must be a folder name under `themes/`, not `{}`", config.build.theme),
            )
            .at(CONFIG_FILE, text, key_span(text, "theme"))
            .with_help("write `theme = \"default\"`, or the name of a folder in `themes/`"),
        );
    }
    problems
}

/// The span of the first line that sets `key`, for diagnostics about a value
/// that parsed but does not make sense.
fn key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            let start = offset + (line.len() - trimmed.len());
            return start..start + key.len();
        }
        offset += line.len();
    }
    0..0
}

fn toml_error(text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim_end();
    let span = error.span().unwrap_or(0..0);
    let diagnostic = if let Some((field, expected)) = parse_unknown_field(message) {
        let help = match nearest(&field, expected.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`? Every key is listed in the README"),
            None if expected.is_empty() => "remove it; this table takes no keys".to_string(),
            None => format!(
                "remove it; the keys here are {}",
                expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        Diagnostic::error(Code::ConfigUnknownKey, format!("unknown key `{field}` in {CONFIG_FILE}")).with_help(help)
    } else if message.starts_with("invalid") || message.starts_with("missing field") {
        Diagnostic::error(Code::ConfigInvalidValue, format!("{message} in {CONFIG_FILE}"))
            .with_help("see the README for the type of every key")
    } else {
        Diagnostic::error(Code::TomlSyntax, format!("{CONFIG_FILE} is not valid TOML: {message}"))
            .with_help("fix the TOML syntax at the caret")
    };
    diagnostic.at(CONFIG_FILE, text, span)
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" message into
/// the field and the expected names. serde's wording is stable; if it ever
/// changes, this returns `None` and the error is still reported, only without
/// a suggestion.
pub(crate) fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((field.to_string(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_has_defaults() {
        let c = parse_config("").unwrap();
        assert_eq!(c.book.title, "Playbook");
        assert_eq!(c.build.output_dir, PathBuf::from("book"));
        assert_eq!(c.build.site_url, "/");
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let errors = parse_config("[book]\ntitle = \"x\"\ntitel = \"y\"\n").unwrap_err();
        let d = &errors[0];
        assert_eq!(d.code, Code::ConfigUnknownKey);
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.file.as_str(), loc.line), ("book.toml", 3));
        assert!(d.help.as_deref().unwrap().contains("`title`"), "{d:?}");
    }

    #[test]
    fn wrong_type_is_invalid_value() {
        let errors = parse_config("[build]\ntheme = 3\n").unwrap_err();
        assert_eq!(errors[0].code, Code::ConfigInvalidValue);
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn syntax_error_is_reported() {
        let errors = parse_config("[book\n").unwrap_err();
        assert_eq!(errors[0].code, Code::TomlSyntax);
    }

    #[test]
    fn site_url_gets_trailing_slash_and_is_checked() {
        let c = parse_config("[build]\nsite-url = \"/playbook\"\n").unwrap();
        assert_eq!(c.build.site_url, "/playbook/");
        let errors = parse_config("[build]\nsite-url = \"playbook\"\n").unwrap_err();
        assert_eq!(errors[0].code, Code::ConfigInvalid);
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn levels_keep_declared_order() {
        let c = parse_config(
            "[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }, { id = \"execution\", name = \"Execution\" }]\n",
        )
        .unwrap();
        let ids: Vec<_> = c.playbook.levels.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["impact", "execution"]);
    }

    #[test]
    fn parses_serde_unknown_field_messages() {
        let (field, expected) =
            parse_unknown_field("unknown field `titel`, expected one of `title`, `description`").unwrap();
        assert_eq!(field, "titel");
        assert_eq!(expected, ["title", "description"]);
        assert_eq!(parse_unknown_field("unknown field `x`, there are no fields").unwrap().1.len(), 0);
    }
}
