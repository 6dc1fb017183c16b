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
use crate::mdbook;
use crate::model::{ContextId, LevelId};

/// The name of the configuration file, as diagnostics print it.
pub(crate) const CONFIG_FILE: &str = "book.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    book: RawBook,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    playbook: RawPlaybook,
    /// mdBook's: `[output.html]` is read in part (`mdbook.rs`).
    output: Option<toml::Table>,
    /// mdBook's, ignored.
    preprocessor: Option<toml::Value>,
    /// mdBook's, ignored.
    rust: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawBook {
    title: Option<String>,
    description: Option<String>,
    language: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    footer: Option<String>,
    /// mdBook's name for the content folder.
    src: Option<PathBuf>,
    /// mdBook's, ignored.
    multilingual: Option<toml::Value>,
    /// mdBook's, ignored.
    text_direction: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawBuild {
    content_dir: Option<PathBuf>,
    output_dir: Option<PathBuf>,
    theme: Option<String>,
    site_url: Option<String>,
    favicon: Option<String>,
    edit_url_template: Option<String>,
    search: Option<bool>,
    frontmatter: Option<String>,
    /// mdBook's name for the output folder.
    build_dir: Option<PathBuf>,
    /// mdBook's, ignored.
    create_missing: Option<toml::Value>,
    /// mdBook's, ignored.
    use_default_preprocessors: Option<toml::Value>,
    /// mdBook's, ignored.
    extra_watch_dirs: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawPlaybook {
    #[serde(default)]
    levels: Vec<RawTerm>,
    #[serde(default)]
    contexts: Vec<RawTerm>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawTerm {
    id: String,
    name: String,
    #[serde(default)]
    summary: String,
    color: Option<String>,
    glyph: Option<String>,
}

/// The validated configuration of one playbook.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Config {
    /// `[book]`: what the handbook is called and says about itself.
    pub(crate) book: BookMeta,
    /// `[build]`: where things are read from and written to.
    pub(crate) build: BuildSettings,
    /// `[playbook]`: the levels and contexts pages are sorted into.
    pub(crate) playbook: Taxonomy,
    /// The content folder's `SUMMARY.md`, if it has one (an mdBook's): the
    /// chapters, their order and grouping. Read with `book.toml`.
    pub(crate) summary: Option<crate::mdbook::summary::Summary>,
}

/// `[book]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct BookMeta {
    /// The handbook's title, shown in every page's header.
    pub(crate) title: String,
    /// One sentence about the handbook, for the home page and `<meta>`.
    pub(crate) description: Option<String>,
    /// The `lang` of every page.
    pub(crate) language: String,
    /// Who wrote it.
    pub(crate) authors: Vec<String>,
    /// A line of text for every page's footer.
    pub(crate) footer: Option<String>,
}

/// `[build]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct BuildSettings {
    /// The pages, relative to the playbook folder.
    pub(crate) content_dir: PathBuf,
    /// Where the handbook is written, relative to the playbook folder.
    pub(crate) output_dir: PathBuf,
    /// The theme folder under `themes/` whose files override the default.
    pub(crate) theme: String,
    /// The published base path or URL, always ending in `/`.
    pub(crate) site_url: String,
    /// The site-relative path of a file of `content/` to use as the favicon;
    /// `None` uses the theme's.
    pub(crate) favicon: Option<String>,
    /// Where a page's source can be edited, if the playbook says.
    pub(crate) edit_url_template: Option<EditUrlTemplate>,
    /// Whether the handbook has full-text search (issue 13).
    pub(crate) search: bool,
    /// What an unknown frontmatter key is.
    pub(crate) frontmatter: FrontmatterPolicy,
    /// Whether `draft: true` pages are published: never from `book.toml`,
    /// only from `--drafts` (and always in `serve`, marked).
    pub(crate) drafts: bool,
    /// Old addresses that lead to new ones (mdBook's
    /// `[output.html.redirect]`), sorted by the old.
    pub(crate) redirects: Vec<Redirect>,
    /// The keys of another tool (mdBook) in `book.toml` that playbook does
    /// not read, sorted: warned of once (W102).
    pub(crate) foreign_keys: Vec<String>,
}

/// An old address that leads to a new one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Redirect {
    /// The old page's path in the site, without a leading `/`:
    /// `format/config.html`.
    pub(crate) from: String,
    /// Where it leads, as written: relative to the old page, or a URL.
    pub(crate) to: String,
}

/// `[build] frontmatter`: what a frontmatter key playbook does not know is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum FrontmatterPolicy {
    /// An error, with the nearest key suggested: the typed schema.
    #[default]
    Strict,
    /// A warning; the key and its value are kept for templates
    /// (`page.extra`), as Obsidian vaults and Quartz sites carry keys of
    /// their own.
    Lenient,
}

/// `edit-url-template`: an http(s) URL with `{path}` where a page's source
/// path goes, checked when `book.toml` is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct EditUrlTemplate(String);

/// What `edit-url-template` replaces with the page's path.
const PATH_PLACEHOLDER: &str = "{path}";

impl EditUrlTemplate {
    /// The URL that edits the page at `path`, the source path relative to
    /// the playbook folder (`content/guides/a.md`), as diagnostics print it
    /// and as mdBook's `{path}` is. Each segment is percent-encoded, so a
    /// file named `what if?.md` cannot end the URL's path early.
    pub(crate) fn url_for(&self, path: &str) -> String {
        let encoded: Vec<String> = path.split('/').map(percent_encode).collect();
        self.0.replace(PATH_PLACEHOLDER, &encoded.join("/"))
    }
}

/// `segment` with every byte but RFC 3986's unreserved characters
/// percent-encoded (UTF-8 bytes each become `%XX`).
fn percent_encode(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// `[playbook]`: the typed content model's vocabularies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Taxonomy {
    /// The levels of product work, in their declared order.
    pub(crate) levels: Vec<Term<LevelId>>,
    /// The situations pages apply to, in their declared order.
    pub(crate) contexts: Vec<Term<ContextId>>,
}

/// A level or a context as declared in `book.toml`, with its typed id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Term<I> {
    /// The id pages use in their frontmatter.
    pub(crate) id: I,
    /// The name readers see.
    pub(crate) name: String,
    /// One or two sentences readers see on the term's page.
    pub(crate) summary: String,
    /// How readers tell it apart at a glance: a colour and a glyph. Only
    /// levels have one; for contexts it is the default and unused.
    pub(crate) mark: Mark,
}

/// A level's colour (`#rrggbb`) and glyph, from `book.toml` or the defaults
/// by position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Mark {
    /// The colour, `#rrggbb`.
    pub(crate) color: String,
    /// A short symbol shown before the name.
    pub(crate) glyph: String,
}

/// The marks levels get by position when `book.toml` names none: colours
/// far apart in hue, glyphs that differ in shape as well, so that they tell
/// apart without colour too.
pub(crate) const DEFAULT_MARKS: &[(&str, &str)] =
    &[("#0f766e", "◆"), ("#2563eb", "▲"), ("#b45309", "●"), ("#7c3aed", "■"), ("#be123c", "★"), ("#4d7c0f", "⬟")];

impl Default for Config {
    fn default() -> Self {
        parse_config("").expect("the empty configuration is valid")
    }
}

/// The keys of each table of `book.toml`, for "did you mean". A unit test
/// checks every one is read.
const KEYS: &[(&str, &[&str])] = &[
    ("", &["book", "build", "playbook", "output", "preprocessor", "rust"]),
    ("book", &["title", "description", "language", "authors", "footer", "src", "multilingual", "text-direction"]),
    (
        "build",
        &[
            "content-dir",
            "output-dir",
            "theme",
            "site-url",
            "favicon",
            "edit-url-template",
            "search",
            "frontmatter",
            "build-dir",
            "create-missing",
            "use-default-preprocessors",
            "extra-watch-dirs",
        ],
    ),
    ("playbook", &["levels", "contexts"]),
    ("playbook.levels", &["id", "name", "summary", "color", "glyph"]),
    ("playbook.contexts", &["id", "name", "summary"]),
];

/// Parses and validates `book.toml` text. Every unknown key is reported,
/// not only the first: serde's `deny_unknown_fields` stops at one, and
/// migrating an mdBook's `book.toml` then took a run per key (issue 9).
pub(crate) fn parse_config(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let table = toml::de::DeTable::parse(text).map_err(|e| vec![toml_error(text, &e)])?;
    let mut unknown = Vec::new();
    let parsed: Result<RawConfig, _> =
        serde_ignored::deserialize(toml::Deserializer::from(table.clone()), |path| unknown.push(path.to_string()));
    let mut problems: Vec<Diagnostic> = unknown.iter().map(|path| unknown_key(text, table.get_ref(), path)).collect();
    crate::diag::sort(&mut problems);
    let raw = match parsed {
        Ok(raw) if problems.is_empty() => raw,
        Ok(_) => return Err(problems),
        Err(error) => {
            problems.push(toml_error(text, &error));
            return Err(problems);
        }
    };
    let site_url = normalize_site_url(raw.build.site_url.as_deref().unwrap_or("/"));
    let (frontmatter, policy_problem) = match raw.build.frontmatter.as_deref() {
        None | Some("strict") => (FrontmatterPolicy::Strict, None),
        Some("lenient") => (FrontmatterPolicy::Lenient, None),
        Some(other) => (
            FrontmatterPolicy::Strict,
            Some(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    format!("`frontmatter` must be `\"strict\"` or `\"lenient\"`, not `\"{other}\"`"),
                )
                .at(CONFIG_FILE, text, key_span(text, "frontmatter"))
                .with_help(
                    "`strict` makes an unknown frontmatter key an error; `lenient` a warning, keeping it for templates",
                ),
            ),
        ),
    };
    // An mdBook's book.toml: its keys that mean what playbook's do are
    // read, the rest listed once (`mdbook.rs`).
    let mdbook = mdbook::read_keys(&raw.book_keys(), &raw.build_keys(), raw.output.as_ref(), &raw.others());
    let site_url = match (&raw.build.site_url, &mdbook.site_url) {
        (None, Some(url)) => normalize_site_url(url),
        _ => site_url,
    };
    let config = Config {
        book: BookMeta {
            title: raw.book.title.unwrap_or_else(|| "Playbook".to_string()),
            description: raw.book.description,
            language: raw.book.language.unwrap_or_else(|| "en".to_string()),
            authors: raw.book.authors,
            footer: raw.book.footer,
        },
        build: BuildSettings {
            content_dir: (raw.build.content_dir.or(raw.book.src)).unwrap_or_else(|| PathBuf::from("content")),
            output_dir: (raw.build.output_dir.or(raw.build.build_dir)).unwrap_or_else(|| PathBuf::from("book")),
            theme: raw.build.theme.unwrap_or_else(|| "default".to_string()),
            site_url,
            favicon: raw.build.favicon,
            edit_url_template: (raw.build.edit_url_template.or(mdbook.edit_url_template)).map(EditUrlTemplate),
            search: raw.build.search.unwrap_or(true),
            frontmatter,
            drafts: false,
            redirects: mdbook.redirects,
            foreign_keys: mdbook.ignored,
        },
        playbook: Taxonomy {
            levels: raw.playbook.levels.into_iter().enumerate().map(|(i, raw)| Term::from_raw(raw, i)).collect(),
            contexts: raw.playbook.contexts.into_iter().enumerate().map(|(i, raw)| Term::from_raw(raw, i)).collect(),
        },
        summary: None,
    };
    let mut problems = validate(&config, text);
    problems.extend(policy_problem);
    if problems.is_empty() { Ok(config) } else { Err(problems) }
}

impl RawConfig {
    /// mdBook's keys of `[book]` that playbook does not read, by name.
    fn book_keys(&self) -> Vec<&'static str> {
        let set = [
            ("multilingual", self.book.multilingual.is_some()),
            ("text-direction", self.book.text_direction.is_some()),
        ];
        set.into_iter().filter(|(_, on)| *on).map(|(k, _)| k).collect()
    }

    /// mdBook's keys of `[build]` that playbook does not read, by name.
    fn build_keys(&self) -> Vec<&'static str> {
        let b = &self.build;
        let set = [
            ("create-missing", b.create_missing.is_some()),
            ("use-default-preprocessors", b.use_default_preprocessors.is_some()),
            ("extra-watch-dirs", b.extra_watch_dirs.is_some()),
        ];
        set.into_iter().filter(|(_, on)| *on).map(|(k, _)| k).collect()
    }

    /// mdBook's tables playbook does not read at all.
    fn others(&self) -> Vec<(&'static str, &toml::Value)> {
        let tables = [("preprocessor", self.preprocessor.as_ref()), ("rust", self.rust.as_ref())];
        tables.into_iter().filter_map(|(name, value)| Some((name, value?))).collect()
    }
}

impl<I: From<String>> Term<I> {
    /// The term declared at `position`, with the default mark of that
    /// position where it names none.
    fn from_raw(raw: RawTerm, position: usize) -> Self {
        let (color, glyph) = DEFAULT_MARKS[position % DEFAULT_MARKS.len()];
        let mark = Mark {
            color: raw.color.map_or_else(|| color.to_string(), |c| expand_hex(&c)),
            glyph: raw.glyph.unwrap_or_else(|| glyph.to_string()),
        };
        Term { id: I::from(raw.id), name: raw.name, summary: raw.summary, mark }
    }
}

/// `#abc` as `#aabbcc`, lowercased; anything else as it is (validated later).
fn expand_hex(color: &str) -> String {
    let color = color.trim().to_ascii_lowercase();
    match color.strip_prefix('#') {
        Some(short) if short.len() == 3 => format!("#{}", short.chars().flat_map(|c| [c, c]).collect::<String>()),
        _ => color,
    }
}

fn normalize_site_url(url: &str) -> String {
    let trimmed = url.trim();
    if trimmed.ends_with('/') { trimmed.to_string() } else { format!("{trimmed}/") }
}

fn validate(config: &Config, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();

    let url = &config.build.site_url;
    if !(url.starts_with('/') || url.starts_with("https://") || url.starts_with("http://"))
        || url.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\'))
    {
        problems.push(
            Diagnostic::error(Code::ConfigInvalid, format!("`site-url` must be a path or an http(s) URL, not `{url}`"))
                .at(CONFIG_FILE, text, key_span(text, "site-url"))
                .with_help(
                    "write `site-url = \"/\"` for a site at the root, or `\"/playbook/\"` for a sub-path; \
                     spaces, quotes, `<`, `>` and `\\` are not allowed",
                ),
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
    let terms = (config.playbook.levels.iter().map(|t| (t.id.as_ref(), "level")))
        .chain(config.playbook.contexts.iter().map(|t| (t.id.as_ref(), "context")));
    for (id, word) in terms {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') {
            problems.push(
                Diagnostic::error(Code::ConfigInvalid, format!("{word} id `{id}` is not a valid id"))
                    .at(CONFIG_FILE, text, value_span(text, id))
                    .with_help("an id is part of page URLs: use lowercase letters, digits, `-` and `_`"),
            );
        }
    }
    for level in &config.playbook.levels {
        let Mark { color, glyph } = &level.mark;
        let hex = color.strip_prefix('#').filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
        if hex.is_none() {
            problems.push(
                Diagnostic::error(Code::ConfigInvalid, format!("level `{}` has colour `{color}`", level.id.as_str()))
                    .at(CONFIG_FILE, text, value_span(text, color))
                    .with_help("write a colour as `#rrggbb` or `#rgb`, for example `color = \"#0f766e\"`"),
            );
        }
        if glyph.trim().is_empty() || glyph.chars().count() > 2 {
            problems.push(
                Diagnostic::error(Code::ConfigInvalid, format!("level `{}` has glyph `{glyph}`", level.id.as_str()))
                    .at(CONFIG_FILE, text, value_span(text, glyph))
                    .with_help("a glyph is one symbol, such as `◆` or `▲`, shown before the level's name"),
            );
        }
    }
    if let Some(favicon) = &config.build.favicon
        && (favicon.is_empty() || favicon.starts_with('/') || favicon.split(['/', '\\']).any(|part| part == ".."))
    {
        problems.push(
            Diagnostic::error(
                Code::ConfigInvalid,
                format!("`favicon` must be a path inside the content folder, not `{favicon}`"),
            )
            .at(CONFIG_FILE, text, key_span(text, "favicon"))
            .with_help("write the path of an image in the content folder, for example `favicon = \"logo.svg\"`"),
        );
    }
    if let Some(EditUrlTemplate(template)) = &config.build.edit_url_template {
        let why = if !(template.starts_with("https://") || template.starts_with("http://")) {
            Some("an http(s) URL")
        } else if !template.contains(PATH_PLACEHOLDER) {
            Some("a URL containing `{path}`")
        } else {
            None
        };
        if let Some(why) = why {
            problems.push(
                Diagnostic::error(Code::ConfigInvalid, format!("`edit-url-template` must be {why}, not `{template}`"))
                    .at(CONFIG_FILE, text, key_span(text, "edit-url-template"))
                    .with_help(
                        "write the URL that edits a file, with `{path}` where its path from the playbook folder goes: \
                         `\"https://github.com/org/repo/edit/main/{path}\"`",
                    ),
            );
        }
    }
    for redirect in &config.build.redirects {
        if !mdbook::redirect::is_writable(&redirect.from) {
            problems.push(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    format!("redirect from `{}` is not a page path inside the site", redirect.from),
                )
                .at(CONFIG_FILE, text, {
                    let rooted = value_span(text, &format!("/{}", redirect.from));
                    if rooted.is_empty() { value_span(text, &redirect.from) } else { rooted }
                })
                .with_help(
                    "write the old page's path from the site's root, ending in `.html`: `\"/format/config.html\" = \"configuration/index.html\"`",
                ),
            );
        }
    }
    problems
}

/// The span of the first quoted occurrence of `value`, for diagnostics about
/// a value inside an inline table, where no key starts the line.
fn value_span(text: &str, value: &str) -> std::ops::Range<usize> {
    let quoted = format!("\"{value}\"");
    text.find(&quoted).map_or(0..0, |at| at + 1..at + 1 + value.len())
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

/// The error for an unknown key at `path` (`book.src`, `playbook.levels.0.colour`).
fn unknown_key(text: &str, table: &toml::de::DeTable<'_>, path: &str) -> Diagnostic {
    let segments: Vec<&str> = path.split('.').collect();
    let (key, parents) = segments.split_last().expect("a path has a segment");
    let table_path: Vec<&str> = parents.iter().copied().filter(|s| s.parse::<usize>().is_err()).collect();
    let table_path = table_path.join(".");
    let expected = KEYS.iter().find(|(t, _)| *t == table_path).map_or(&[][..], |(_, keys)| *keys);
    let help = match nearest(key, expected.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? Every key is listed in the README"),
        None if expected.is_empty() => "remove it; playbook reads no such table".to_string(),
        None => format!(
            "remove it; the keys here are {}",
            expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    let place = if table_path.is_empty() { String::new() } else { format!(" in [{table_path}]") };
    Diagnostic::error(Code::ConfigUnknownKey, format!("unknown key `{key}`{place} in {CONFIG_FILE}"))
        .with_help(help)
        .at(CONFIG_FILE, text, key_span_at(table, &segments).unwrap_or(0..0))
}

/// Where the key at the end of `segments` is written.
fn key_span_at(table: &toml::de::DeTable<'_>, segments: &[&str]) -> Option<std::ops::Range<usize>> {
    let (first, rest) = segments.split_first()?;
    let (key, value) = table.iter().find(|(k, _)| k.get_ref() == first)?;
    if rest.is_empty() {
        return Some(key.span());
    }
    let mut value = value.get_ref();
    let mut rest = rest;
    // Array elements are addressed by index: `levels.0.colour`.
    while let (toml::de::DeValue::Array(items), Some((index, tail))) = (value, rest.split_first()) {
        value = items.get(index.parse::<usize>().ok()?)?.get_ref();
        rest = tail;
    }
    match value {
        toml::de::DeValue::Table(inner) if !rest.is_empty() => key_span_at(inner, rest),
        _ => Some(key.span()),
    }
}

fn toml_error(text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim_end();
    let span = error.span().unwrap_or(0..0);
    let diagnostic = if message.starts_with("invalid") || message.starts_with("missing field") {
        Diagnostic::error(Code::ConfigInvalidValue, format!("{message} in {CONFIG_FILE}"))
            .with_help("see the README for the type of every key")
    } else {
        Diagnostic::error(Code::TomlSyntax, format!("{CONFIG_FILE} is not valid TOML: {message}"))
            .with_help("fix the TOML syntax at the caret")
    };
    diagnostic.at(CONFIG_FILE, text, span)
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
        assert_eq!((loc.file.as_str(), loc.position.as_ref().unwrap().line), ("book.toml", 3));
        assert!(d.help.as_deref().unwrap().contains("`title`"), "{d:?}");
    }

    #[test]
    fn every_listed_key_is_read() {
        let all = "[book]\ntitle = \"t\"\ndescription = \"d\"\nlanguage = \"en\"\nauthors = []\nfooter = \"f\"\n\
                   src = \"s\"\nmultilingual = false\ntext-direction = \"ltr\"\n\
                   [build]\ncontent-dir = \"c\"\noutput-dir = \"o\"\ntheme = \"default\"\nsite-url = \"/\"\nfavicon = \"f.svg\"\n\
                   edit-url-template = \"https://e.org/{path}\"\nsearch = false\nfrontmatter = \"lenient\"\n\
                   build-dir = \"b\"\ncreate-missing = false\nuse-default-preprocessors = false\nextra-watch-dirs = []\n\
                   [playbook]\nlevels = [{ id = \"a\", name = \"A\", summary = \"s\", color = \"#abc\", glyph = \"◆\" }]\n\
                   contexts = [{ id = \"b\", name = \"B\", summary = \"s\" }]\n\
                   [output.html]\n[preprocessor.x]\n[rust]\n";
        parse_config(all).unwrap();
        let listed: usize = KEYS.iter().map(|(_, keys)| keys.len()).sum();
        assert_eq!(listed, 6 + 8 + 12 + 2 + 5 + 3);
    }

    #[test]
    fn issue_9_every_unknown_key_is_reported_with_its_line() {
        let errors = parse_config("[book]\ntitel = \"x\"\nsource = \"s\"\n[playbook]\nlevels = [{ id = \"a\", name = \"A\", colour = \"r\" }]\n[outputs]\nx = 1\n").unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|d| (d.location.as_ref().unwrap().position.as_ref().unwrap().line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "unknown key `titel` in [book] in book.toml"),
                (3, "unknown key `source` in [book] in book.toml"),
                (5, "unknown key `colour` in [playbook.levels] in book.toml"),
                (6, "unknown key `outputs` in book.toml"),
            ]
        );
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `title`? Every key is listed in the README"));
    }

    #[test]
    fn wrong_type_is_invalid_value() {
        let errors = parse_config("[build]\ntheme = 3\n").unwrap_err();
        assert_eq!(errors[0].code, Code::ConfigInvalidValue);
        assert_eq!(errors[0].location.as_ref().unwrap().position.as_ref().unwrap().line, 2);
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
        // 404.html's script reads site-url back out of an attribute: no
        // character that could end it or start markup gets that far.
        for hostile in [r#"'/x"><img src=x onerror=alert(1)>/'"#, "'/a b/'", "'https://e.org/<x>/'", "\"/x'/\""] {
            let errors = parse_config(&format!("[build]\nsite-url = {hostile}\n")).unwrap_err();
            assert_eq!(errors[0].code, Code::ConfigInvalid, "{hostile}");
        }
        assert_eq!(errors[0].location.as_ref().unwrap().position.as_ref().unwrap().line, 2);
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
    fn issue_12_edit_url_template_fills_in_the_encoded_path() {
        let c = parse_config("[build]\nedit-url-template = \"https://github.com/o/r/edit/main/{path}\"\n").unwrap();
        let template = c.build.edit_url_template.unwrap();
        assert_eq!(template.url_for("content/a.md"), "https://github.com/o/r/edit/main/content/a.md");
        assert_eq!(
            template.url_for("content/-x y/what if?#é.md"),
            "https://github.com/o/r/edit/main/content/-x%20y/what%20if%3F%23%C3%A9.md"
        );
        assert_eq!(parse_config("").unwrap().build.edit_url_template, None);
    }

    #[test]
    fn issue_12_edit_url_template_must_be_http_with_a_path() {
        for (value, says) in [
            ("javascript:alert(1)//{path}", "an http(s) URL"),
            ("https://github.com/o/r/edit/main/", "containing `{path}`"),
        ] {
            let errors =
                parse_config(&format!("[build]\ntheme = \"default\"\nedit-url-template = \"{value}\"\n")).unwrap_err();
            assert_eq!(errors[0].code, Code::ConfigInvalid);
            assert!(errors[0].message.contains(says), "{}", errors[0].message);
            assert_eq!(errors[0].location.as_ref().unwrap().position.as_ref().unwrap().line, 3);
        }
    }
}
