//! The theme: the default theme embedded in the binary, overridden file by
//! file by `themes/<name>/`, compiled once into a Tera instance.
//!
//! [`read_overrides`] is the I/O edge; [`Theme::compile`] is pure. Autoescape
//! is on for every template, whatever its name: Tera only escapes names
//! ending in `.html` by default, and a theme author should not have to know.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use crate::boundary::{self, Boundary};
use crate::diag::{Code, Diagnostic};

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme, compiled into the binary so a playbook without
/// `themes/` builds. A unit test checks this list against the folder.
pub(crate) const DEFAULT_THEME: &[(&str, &[u8])] = embed!(
    "templates/base.html",
    "templates/page.html",
    "templates/home.html",
    "templates/contents.html",
    "templates/folder.html",
    "templates/404.html",
    "templates/term.html",
    "templates/terms.html",
    "templates/matrix.html",
    "templates/decision.html",
    "templates/macros.html",
    "templates/card.html",
    "templates/print.html",
    "templates/search.html",
    "static/style.css",
    "static/playbook.js",
    "static/decision.js",
    "static/search.js",
    "static/search-stem.js",
    "static/favicon.svg",
);

/// The theme's files after overrides: path inside the theme -> (bytes, where
/// it came from, for diagnostics).
#[derive(Debug, Clone, Default)]
pub(crate) struct ThemeFiles {
    files: BTreeMap<String, (Vec<u8>, String)>,
}

impl ThemeFiles {
    /// The embedded default theme alone.
    pub(crate) fn embedded() -> Self {
        let files = DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| (path.to_string(), (bytes.to_vec(), format!("(default theme) {path}"))))
            .collect();
        ThemeFiles { files }
    }
}

/// Reads `themes/<name>/` under the playbook folder on top of the embedded
/// theme. A file that overrides nothing is a warning: it is almost always a
/// misspelt name. A missing folder is an error unless the name is `default`.
pub(crate) fn read_overrides(
    boundary: Boundary<'_>,
    root: &Path,
    name: &str,
) -> anyhow::Result<(ThemeFiles, Vec<Diagnostic>)> {
    let mut theme = ThemeFiles::embedded();
    let mut problems = Vec::new();
    let dir = root.join("themes").join(name);
    let display_dir = format!("themes/{name}");
    if !dir.is_dir() {
        if name != "default" {
            problems.push(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    format!("theme `{name}` not found: there is no folder `themes/{name}`"),
                )
                .in_file(crate::config::CONFIG_FILE)
                .with_help("create the folder, or remove `theme` from [build] to use the default theme"),
            );
        }
        return Ok((theme, problems));
    }
    if let Err(escape) = boundary.confine(&dir) {
        problems.push(boundary::escape_diagnostic(&display_dir, &escape));
        return Ok((theme, problems));
    }
    let walked = boundary::walk(boundary, &dir, &display_dir);
    problems.extend(walked.problems);
    for file in walked.files {
        let rel = file.rel_path;
        let display = format!("{display_dir}/{rel}");
        if !theme.files.contains_key(&rel) {
            problems.push(
                Diagnostic::warning(Code::UnknownThemeFile, format!("`{rel}` overrides nothing in the default theme"))
                    .in_file(&display)
                    .with_note(format!(
                        "the default theme has {}",
                        DEFAULT_THEME.iter().map(|(p, _)| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                    ))
                    .with_help("rename it to the file it should replace"),
            );
            continue;
        }
        let bytes = boundary.read(&file.abs_path).with_context(|| format!("failed to read `{display}`"))?;
        theme.files.insert(rel, (bytes, display));
    }
    Ok((theme, problems))
}

/// The page templates playbook renders; each has a file in
/// `templates/` (the embedded default theme is the list's source of truth,
/// and a test checks the two agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Template {
    /// A content page.
    Page,
    /// A decision page.
    Decision,
    /// The home page.
    Home,
    /// The full contents.
    Contents,
    /// A folder's pages.
    Folder,
    /// `404.html`.
    NotFound,
    /// One level's or context's page.
    Term,
    /// Every level, or every context.
    Terms,
    /// Levels × contexts.
    Matrix,
    /// One page as a list shows it.
    Card,
    /// The whole book, to print.
    Print,
    /// The search results page.
    Search,
}

impl Template {
    /// Every template, for checking them against the theme.
    #[cfg(test)]
    pub(crate) const ALL: [Template; 12] = [
        Template::Page,
        Template::Decision,
        Template::Home,
        Template::Contents,
        Template::Folder,
        Template::NotFound,
        Template::Term,
        Template::Terms,
        Template::Matrix,
        Template::Card,
        Template::Print,
        Template::Search,
    ];

    /// Its file name under `templates/`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Template::Page => "page.html",
            Template::Decision => "decision.html",
            Template::Home => "home.html",
            Template::Contents => "contents.html",
            Template::Folder => "folder.html",
            Template::NotFound => "404.html",
            Template::Term => "term.html",
            Template::Terms => "terms.html",
            Template::Matrix => "matrix.html",
            Template::Card => "card.html",
            Template::Print => "print.html",
            Template::Search => "search.html",
        }
    }
}

/// A compiled theme: templates ready to render, static files ready to copy.
pub(crate) struct Theme {
    tera: tera::Tera,
    statics: Vec<(String, Vec<u8>)>,
    /// Where each template came from, by name, for diagnostics.
    sources: BTreeMap<String, String>,
    hash: u64,
}

impl Theme {
    /// Compiles the templates. A template that does not parse is an error
    /// naming its file.
    pub(crate) fn compile(files: ThemeFiles) -> Result<Theme, Vec<Diagnostic>> {
        let hash = crate::hashing::hash_of(&files.files);
        let mut templates = Vec::new();
        let mut statics = Vec::new();
        let mut problems = Vec::new();
        for (path, (bytes, display)) in files.files {
            if let Some(name) = path.strip_prefix("templates/") {
                match String::from_utf8(bytes) {
                    Ok(text) => templates.push((name.to_string(), text, display)),
                    Err(_) => problems.push(
                        Diagnostic::error(Code::TemplateError, format!("template `{name}` is not UTF-8"))
                            .in_file(&display)
                            .with_help("save it as UTF-8"),
                    ),
                }
            } else if let Some(name) = path.strip_prefix("static/") {
                statics.push((name.to_string(), bytes));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![""]);
        tera.set_escape_fn(escape_html);
        if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str()))) {
            return Err(vec![template_error(&templates, &tera_error_chain(&e))]);
        }
        let sources = templates.into_iter().map(|(name, _, display)| (name, display)).collect();
        Ok(Theme { tera, statics, sources, hash })
    }

    /// Renders `template` with `view`.
    pub(crate) fn render(&self, template: Template, view: &impl Serialize) -> Result<String, String> {
        let context = tera::Context::from_serialize(view).map_err(|e| tera_error_chain(&e))?;
        self.tera.render(template.name(), &context).map_err(|e| tera_error_chain(&e))
    }

    /// Where `template` came from: the default theme or a file of
    /// `themes/<name>/`.
    pub(crate) fn source_of(&self, template: Template) -> &str {
        self.sources.get(template.name()).map_or(template.name(), String::as_str)
    }

    /// A hash of every file of the theme: what changes every output.
    pub(crate) fn hash(&self) -> u64 {
        self.hash
    }

    /// The static files, by path inside `static/`.
    pub(crate) fn statics(&self) -> &[(String, Vec<u8>)] {
        &self.statics
    }
}

/// Turns Tera's parse error into a diagnostic at the template's line and
/// column. Tera's message reads "Failed to parse 'NAME': --> L:C ... = WHAT".
fn template_error(templates: &[(String, String, String)], chain: &str) -> Diagnostic {
    let name = chain.split_once("Failed to parse '").and_then(|(_, rest)| rest.split_once('\'')).map(|(name, _)| name);
    let what = chain.lines().rev().find_map(|l| l.trim_start().strip_prefix("= ")).unwrap_or("syntax error");
    let position = chain.split_once(" --> ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse::<usize>().ok()?, column.parse::<usize>().ok()?))
    });
    let diagnostic =
        Diagnostic::error(Code::TemplateError, format!("template `{}` does not parse: {what}", name.unwrap_or("?")))
            .with_help("fix the template, or delete the override to use the default theme's");
    let Some((_, text, display)) = templates.iter().find(|(n, _, _)| Some(n.as_str()) == name) else {
        return diagnostic.with_note(chain.to_string());
    };
    match position {
        Some((line, column)) => {
            let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
            let offset = line_start
                + text[line_start..].chars().take(column.saturating_sub(1)).map(char::len_utf8).sum::<usize>();
            diagnostic.at(display, text, offset..offset + 1)
        }
        None => diagnostic.in_file(display),
    }
}

/// Escapes text for HTML content and quoted attributes. Tera's default also
/// escapes `/`, which is safe but turns every URL into `..&#x2F;a&#x2F;`.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    crate::markdown::escape_attr(&mut out, text);
    out
}

/// Tera wraps the useful message in a chain of sources.
fn tera_error_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_matches_the_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "add new theme files to DEFAULT_THEME");
    }

    #[test]
    fn default_theme_compiles() {
        assert!(Theme::compile(ThemeFiles::embedded()).is_ok());
    }

    #[test]
    fn autoescape_applies_to_every_template() {
        let mut files = ThemeFiles::default();
        files.files.insert("templates/x.txt".into(), (b"{{ v }}".to_vec(), "x".into()));
        files.files.insert("templates/404.html".into(), (b"{% include \"x.txt\" %}".to_vec(), "y".into()));
        let theme = Theme::compile(files).unwrap();
        #[derive(Serialize)]
        struct V {
            v: &'static str,
        }
        assert_eq!(theme.render(Template::NotFound, &V { v: "<b>" }).unwrap(), "&lt;b&gt;");
    }

    #[test]
    fn every_template_is_in_the_default_theme() {
        for template in Template::ALL {
            let path = format!("templates/{}", template.name());
            assert!(DEFAULT_THEME.iter().any(|(p, _)| *p == path), "{path}");
        }
    }

    #[test]
    fn broken_template_names_its_file() {
        let mut files = ThemeFiles::embedded();
        files.files.insert("templates/page.html".into(), (b"{% if %}".to_vec(), "themes/t/templates/page.html".into()));
        let problems = Theme::compile(files).err().unwrap();
        assert_eq!(problems[0].code, Code::TemplateError);
        assert_eq!(problems[0].location.as_ref().unwrap().file, "themes/t/templates/page.html");
    }
}
