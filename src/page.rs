//! One page, parsed: its slug, title and frontmatter checked, its outline
//! read. Pure: [`parse_page`] takes a [`SourceFile`] and the configuration
//! and returns a [`ParsedPage`] or the diagnostics that stop it. Pages are
//! parsed in parallel; nothing here looks at another page.

use std::ops::Range;
use std::sync::Arc;

use crate::citation::parse_timestamp;
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::frontmatter::{self, Frontmatter};
use crate::hashing::hash_of;
use crate::markdown::{self, Outline};
use crate::meta::{Field, MetaContext, PageMeta, check_meta};
use crate::model::Slug;
use crate::nesting::{self, MAX_NESTING};
use crate::search::words::Stemming;
use crate::search::{PageWords, WordCounter};
use crate::slug::{parse_slug, slug_from_path};
use crate::source::{PageSource, SourceFile};

/// A page ready to be placed in the site.
#[derive(Debug, Clone)]
pub(crate) struct ParsedPage {
    /// The file it came from, and its text (kept, or read again on demand).
    pub(crate) source: PageSource,
    /// Where it is written.
    pub(crate) slug: Slug,
    /// The title readers see.
    pub(crate) title: String,
    /// Whether the title was taken from a level-1 heading opening the body,
    /// which is then not rendered a second time.
    pub(crate) title_from_body: bool,
    /// One sentence about the page.
    pub(crate) summary: Option<String>,
    /// Position among its siblings.
    pub(crate) order: Option<i64>,
    /// Where the YAML frontmatter is in the text (empty without one).
    pub(crate) yaml: Range<usize>,
    /// Where the Markdown body starts in the text.
    pub(crate) body_start: usize,
    /// The body's headings.
    pub(crate) outline: Outline,
    /// The playbook fields: levels, contexts, questions, sources.
    pub(crate) meta: PageMeta,
    /// A hash of everything the page was parsed from (its path and text):
    /// two parses with the same one are the same page.
    pub(crate) content_hash: u64,
    /// A hash of what other pages show of this one when they list or link
    /// it: title, output path, summary, levels, contexts.
    pub(crate) card_hash: u64,
    /// A hash of what a bare link to it shows: title and output path.
    pub(crate) link_hash: u64,
    /// A hash of what the navigation shows of it: title, output path and
    /// contexts.
    pub(crate) nav_hash: u64,
    /// Its words, as search indexes them.
    pub(crate) words: Arc<PageWords>,
    /// Frontmatter keys playbook does not read, kept under the lenient
    /// policy for templates.
    pub(crate) extra: std::collections::BTreeMap<String, serde_json::Value>,
    /// What the analysis stages read of it, hashed on demand.
    pub(crate) input_hashes: InputHashes,
}

impl ParsedPage {
    /// Where the frontmatter value at `place` is written, as a span of the
    /// text. Positions are found only here, when there is something to
    /// report: finding them means parsing the frontmatter a second time.
    pub(crate) fn locate(&self, text: &str, place: Field) -> Range<usize> {
        frontmatter::Locator::new(text, self.yaml.clone()).value(&place.path())
    }

    /// The folder of the source file inside `content/`.
    pub(crate) fn source_dir(&self) -> &str {
        self.source.rel_path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

impl Diagnostic {
    /// Points the diagnostic at the frontmatter value at `place` of `page`
    /// (at the file, if its text cannot be read again).
    pub(crate) fn at_field(self, page: &ParsedPage, place: Field) -> Self {
        match page.source.text() {
            Ok(text) => page.source.pin(self, &text, page.locate(&text, place)),
            Err(_) => self.in_file(&page.source.display_path),
        }
    }
}

/// Parses one page. Errors stop the page; warnings ride along with it.
pub(crate) fn parse_page(
    source: SourceFile,
    config: &Config,
) -> Result<(ParsedPage, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = &source.text;
    let file = source.display_path.as_str();
    let split = frontmatter::split(text, file).map_err(|d| vec![d])?;
    let front = match &split.yaml {
        Some(yaml) => frontmatter::parse(text, yaml.clone(), file, config.build.frontmatter)?,
        None => (Frontmatter::default(), Vec::new()),
    };
    let (mut front, mut problems) = front;
    // `slug`, or Quartz's `permalink` (`/guide/start/`), else the path.
    let written = front.slug.as_ref().map(|s| ("slug", s.clone())).or_else(|| {
        let permalink = front.permalink.as_ref()?;
        let path = permalink.trim().trim_matches('/');
        Some(("permalink", path.strip_suffix(".html").unwrap_or(path).to_string()))
    });
    let slug = match written {
        None => slug_from_path(&source.rel_path),
        Some((key, written)) => match parse_slug(&written) {
            Ok(slug) => slug,
            Err(reason) => {
                let yaml = split.yaml.clone().unwrap_or(0..0);
                problems.push(
                    Diagnostic::error(Code::InvalidSlug, format!("invalid {key} `{written}`: {reason}"))
                        .at(file, text, frontmatter::Locator::new(text, yaml).value(&[crate::yamlpos::key(key)]))
                        .with_help(format!(
                            "write `{key}: {}`, or remove it to use the file's path",
                            suggest_slug(&written)
                        )),
                );
                slug_from_path(&source.rel_path)
            }
        },
    };
    // Quartz and Hugo say `description` for what playbook calls a summary.
    if front.summary.is_none() {
        front.summary = front.description.take();
    }
    let meta = match &split.yaml {
        Some(yaml) => {
            let (meta, meta_problems) = check_meta(&front, &MetaContext { text, yaml: yaml.clone(), file, config });
            problems.extend(meta_problems);
            meta
        }
        None => PageMeta::default(),
    };
    if let Err(deep) = nesting::check_markdown(&text[split.body_start..], MAX_NESTING) {
        let offset = split.body_start + deep.offset;
        let deep = Diagnostic::error(
            Code::TooDeep,
            format!("the page nests block quotes and lists more than {MAX_NESTING} levels deep"),
        );
        problems.push(
            source
                .pin(deep, offset..offset + 1)
                .with_help("flatten the quotes or lists; no reader follows that many levels"),
        );
        return Err(problems);
    }
    let stemming = Stemming::for_language(&config.book.language);
    let mut words = config.build.search.then(|| WordCounter::for_body(stemming, text.len() - split.body_start));
    let outline = markdown::outline_with(&text[split.body_start..], |event| {
        if let Some(words) = &mut words {
            words.body_event(event);
        }
    });
    problems.extend(check_body_timestamps(&source, split.body_start, &outline, &meta));
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let (title, title_from_body) = match (&front.title, &outline.leading_h1) {
        (Some(title), _) => (title.clone(), false),
        (None, Some(h1)) => (h1.clone(), true),
        (None, None) => (title_from_file_name(&source.rel_path), false),
    };
    let words = Arc::new(words.map_or_else(PageWords::default, |mut words| {
        words.add_page_fields(&title, front.summary.as_deref(), &meta.questions);
        words.finish()
    }));
    let content_hash = hash_of(&(&source.rel_path, source.hash));
    let source = source.into_page_source();
    // A card shows the first steps too: a decision walk's outcome card does.
    let card_hash = hash_of(&(&title, &slug, &front.summary, &meta.levels, &meta.contexts, &outline.first_steps));
    let link_hash = hash_of(&(&title, &slug));
    let nav_hash = hash_of(&(link_hash, &meta.contexts));
    let page = ParsedPage {
        slug,
        title,
        title_from_body,
        summary: front.summary,
        order: front.order,
        yaml: split.yaml.clone().unwrap_or(0..0),
        body_start: split.body_start,
        outline,
        meta,
        source,
        content_hash,
        card_hash,
        link_hash,
        nav_hash,
        words,
        extra: front.extra,
        input_hashes: InputHashes::default(),
    };
    Ok((page, problems))
}

/// The parts of a page an analysis stage reads, each hashed once per parse
/// (see [`ParsedPage::input_hash`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Input {
    /// Path and slug: which outputs the page claims.
    Claims,
    /// What places it in the reading order.
    Order,
    /// Levels, contexts, related pages.
    Terms,
    /// Questions and decision start.
    Questions,
    /// Its title, which links show.
    Title,
}

/// The hash of each [`Input`] of a page, worked out the first time a stage
/// asks: a page that did not change is not hashed again.
#[derive(Debug, Clone, Default)]
pub(crate) struct InputHashes([std::sync::OnceLock<u64>; 5]);

impl ParsedPage {
    /// The hash of the part of this page that `input` names. `hash` must be
    /// the one function that hashes that part: it runs once per parse.
    pub(crate) fn input_hash(&self, input: Input, hash: impl FnOnce(&ParsedPage) -> u64) -> u64 {
        *self.input_hashes.0[input as usize].get_or_init(|| hash(self))
    }
}

/// Seed-format timestamp anchors in the body must hold a valid time and have
/// a video to point into.
fn check_body_timestamps(
    source: &SourceFile,
    body_start: usize,
    outline: &Outline,
    meta: &PageMeta,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (text, range) in &outline.timestamps {
        let span = body_start + range.start..body_start + range.end;
        if let Err(reason) = parse_timestamp(text) {
            let malformed = Diagnostic::error(Code::InvalidTimestamp, format!("malformed timestamp: {reason}"));
            problems.push(source.pin(malformed, span).with_help("write `data-t=\"01:07:40\"` (hours:minutes:seconds)"));
        } else if meta.video_id.is_none() {
            let no_video = Diagnostic::warning(
                Code::TimestampWithoutVideo,
                format!("timestamp `{text}` has no video to link into"),
            );
            problems.push(
                source
                    .pin(no_video, span)
                    .with_help("add `videoId: <id>` or a `sources:` entry with a `video` to the frontmatter"),
            );
            break;
        }
    }
    problems
}

fn suggest_slug(written: &str) -> String {
    let segments: Vec<String> = written
        .split(['/', '\\'])
        .filter(|s| !matches!(*s, "" | "." | ".."))
        .map(|segment| crate::slug::shortened(&crate::slug::slugify(segment)).to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if segments.is_empty() { "my-page".to_string() } else { segments.join("/") }
}

/// "getting-started.md" -> "Getting started".
fn title_from_file_name(rel_path: &str) -> String {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let stem = crate::slug::without_page_ext(name);
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::source_from_text;

    fn parse(rel: &str, text: &str) -> Result<ParsedPage, Vec<Diagnostic>> {
        parse_page(source_from_text("content", rel, text), &Config::default()).map(|(page, _)| page)
    }

    #[test]
    fn frontmatter_title_wins() {
        let page = parse("a.md", "---\ntitle: From YAML\nsummary: S\norder: 3\n---\n# Heading\n").unwrap();
        assert_eq!(page.title, "From YAML");
        assert!(!page.title_from_body);
        assert_eq!(page.summary.as_deref(), Some("S"));
        assert_eq!(page.order, Some(3));
        assert_eq!(&page.source.text().unwrap()[page.body_start..], "# Heading\n");
    }

    #[test]
    fn title_falls_back_to_heading_then_file_name() {
        let page = parse("guides/a.md", "# First *heading*\n\ntext").unwrap();
        assert_eq!((page.title.as_str(), page.title_from_body), ("First heading", true));
        assert_eq!(page.slug.as_str(), "guides/a");
        let page = parse("guides/getting-started.md", "Just text.").unwrap();
        assert_eq!(page.title, "Getting started");
    }

    #[test]
    fn crlf_and_bom_work() {
        let page = parse("a.md", "\u{feff}---\r\ntitle: T\r\n---\r\n## Part\r\n").unwrap();
        assert_eq!(page.title, "T");
        assert_eq!(page.outline.headings[0].id, "part");
    }

    #[test]
    fn bad_slug_points_at_its_value() {
        let errors = parse("a.md", "---\ntitle: T\nslug: ../../etc\n---\n").unwrap_err();
        let d = &errors[0];
        assert_eq!(d.code, Code::InvalidSlug);
        let loc = d.location.as_ref().unwrap().position.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 7));
        assert_eq!(d.help.as_deref(), Some("write `slug: etc`, or remove it to use the file's path"));
    }

    #[test]
    fn seed_format_pages_parse_with_their_video() {
        let page = parse("seed.md", "---\ntitle: Seed\nvideoId: YP_QghPLG-8\n---\nText <a class=\"yt-timestamp\" data-t=\"00:53:54\">[00:53:54]</a>\n").unwrap();
        assert_eq!(page.meta.video_id.as_deref(), Some("YP_QghPLG-8"));
        assert_eq!(page.outline.timestamps.len(), 1);
    }

    #[test]
    fn body_timestamp_errors_are_located() {
        let errors =
            parse("a.md", "---\nvideoId: YP_QghPLG-8\n---\n\nSee <a class=\"yt-timestamp\" data-t=\"1:99\">x</a>\n")
                .unwrap_err();
        assert_eq!(errors[0].code, Code::InvalidTimestamp);
        let loc = errors[0].location.as_ref().unwrap().position.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (5, 5));
        let (_, warnings) = parse_page(
            source_from_text("content", "a.md", "No video <a class=\"yt-timestamp\" data-t=\"00:01\">x</a>"),
            &Config::default(),
        )
        .unwrap();
        assert_eq!(warnings[0].code, Code::TimestampWithoutVideo);
    }

    #[test]
    fn issue_9_deep_markdown_nesting_is_refused_before_parsing() {
        let errors = parse("a.md", &format!("---\ntitle: T\n---\nText\n\n{}x\n", "- ".repeat(1_000_000))).unwrap_err();
        assert_eq!(errors[0].code, Code::TooDeep);
        let loc = errors[0].location.as_ref().unwrap().position.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (6, 2 * 64 + 1));
        let errors = parse("a.md", &">".repeat(1_000_000)).unwrap_err();
        assert_eq!(errors[0].code, Code::TooDeep);
    }

    #[test]
    fn custom_slug_is_used() {
        assert_eq!(parse("a.md", "---\nslug: guides/start\n---\n").unwrap().slug.as_str(), "guides/start");
    }
}
