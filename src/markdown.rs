//! Markdown bodies: reading their outline and rendering them to HTML.
//!
//! Both work as passes over pulldown-cmark events, never over rendered HTML.
//! [`outline`] runs while pages are parsed (it needs no other page) and finds
//! the headings, with the ids every page must agree on. [`render`] runs once
//! the whole site is known and writes the HTML: heading anchors and
//! self-links, and every link, image and raw-HTML URL as the link index
//! resolved it.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::citation::{parse_timestamp, video_url};
use crate::rawhtml::{self, parse_start_tag};
use crate::slug::{join_relative, relative_url, slugify};

/// The Markdown dialect: CommonMark plus the extensions authors of mdBook and
/// Zola books expect.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_WIKILINKS
}

/// A reference found in a body that playbook resolves and checks: a link
/// to a page or heading, an image, a link to a file, a raw-HTML URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// How it was written.
    pub kind: LinkKind,
    /// The target as written, trimmed: `slug#heading`, `../x.md#h`, `#h`,
    /// `img/a.png`, `/guide/`.
    pub target: String,
    /// Where the link is in the body.
    pub span: Range<usize>,
}

/// The syntax of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `[[target]]` or `[[target | label]]`.
    Wiki {
        /// Whether the author gave a label; without one the link shows the
        /// target page's title.
        labelled: bool,
    },
    /// `[text](page.md#heading)` or `[text](#heading)`.
    Markdown,
    /// A relative path to a file that is not a page: `![x](img/a.png)`,
    /// `[pdf](files/a.pdf)`, `<img src="img/a.png">`.
    Local,
    /// A root-absolute path: `/guide/`, `/img/a.png`, read from the site's
    /// base path.
    Absolute,
}

/// Where a link leads, as [`render`] needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    /// The relative URL from the page being rendered.
    pub url: String,
    /// What an unlabelled wiki link shows: the page title or heading text.
    pub title: String,
}

/// Resolves links while rendering; `None` marks the link broken.
pub trait LinkResolver {
    /// Where `target` (written as `kind`) leads from the page being rendered.
    fn resolve(&self, kind: LinkKind, target: &str) -> Option<LinkTarget>;
}

/// A resolver for bodies rendered without a site (tests, the home page of
/// a site with no pages): every page link is broken.
pub struct NoLinks;

impl LinkResolver for NoLinks {
    fn resolve(&self, _: LinkKind, _: &str) -> Option<LinkTarget> {
        None
    }
}

/// How a link or image destination (not a wiki link) is resolved, or
/// `None` for one playbook leaves alone: external URLs (`https:`,
/// `mailto:`, `//host`), an empty destination, a bare `#`.
pub fn classify_url(dest: &str) -> Option<LinkKind> {
    if dest.starts_with('#') {
        return (dest.len() > 1).then_some(LinkKind::Markdown);
    }
    if dest.is_empty() || dest.starts_with(['?', '\\']) || dest.starts_with("//") || dest.contains("://") {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    if path.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/')) {
        return None;
    }
    if dest.starts_with('/') {
        return Some(LinkKind::Absolute);
    }
    Some(if path.ends_with(".md") { LinkKind::Markdown } else { LinkKind::Local })
}

fn link_ref(link_type: LinkType, dest: &str, span: Range<usize>) -> Option<LinkRef> {
    match link_type {
        LinkType::WikiLink { has_pothole } => {
            Some(LinkRef { kind: LinkKind::Wiki { labelled: has_pothole }, target: dest.trim().to_string(), span })
        }
        _ => Some(LinkRef { kind: classify_url(dest)?, target: dest.to_string(), span }),
    }
}

/// A heading of a page, with its unique anchor id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    /// The anchor id, unique in the page.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// What [`outline`] finds in a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// The text of a level-1 heading that opens the body, which serves as
    /// the title of a page whose frontmatter has none.
    pub leading_h1: Option<String>,
    /// The seed format's `<a class="yt-timestamp" data-t="00:53:54">`
    /// anchors: the `data-t` text and where the tag is in the body.
    pub timestamps: Vec<(String, Range<usize>)>,
    /// Links to pages, headings and files, images and raw-HTML URLs, to
    /// resolve and check once every page is known.
    pub links: Vec<LinkRef>,
}

/// Hands out heading ids: the explicit `{#id}` if given, else the slugified
/// text, with `-1`, `-2`, ... appended to repeats, as GitHub does.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = match explicit {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let slug = slugify(text);
                if slug.is_empty() { "section".to_string() } else { slug }
            }
        };
        let mut id = base.clone();
        let mut n = 0;
        while !self.used.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Reads the headings of a body.
pub fn outline(body: &str) -> Outline {
    let mut outline = Outline::default();
    let mut ids = HeadingIds::default();
    let mut current: Option<(u8, Option<String>, String)> = None;
    let mut first_block = true;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::InlineHtml(html) | Event::Html(html) => {
                if let Some(t) = timestamp_of(&html) {
                    outline.timestamps.push((t, range.clone()));
                }
                for attribute in rawhtml::url_attributes(&html) {
                    let span = range.start + attribute.span.start..range.start + attribute.span.end;
                    outline.links.extend(link_ref(LinkType::Inline, &attribute.url, span));
                }
            }
            Event::Start(Tag::Link { link_type, ref dest_url, .. }) => {
                outline.links.extend(link_ref(link_type, dest_url, range));
                if current.is_none() {
                    first_block = false;
                }
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let kind = classify_url(dest_url).map(|k| if k == LinkKind::Markdown { LinkKind::Local } else { k });
                if let Some(kind) = kind {
                    outline.links.push(LinkRef { kind, target: dest_url.to_string(), span: range });
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((heading_number(level), id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = current.take() {
                    let text = text.trim().to_string();
                    if first_block && level == 1 {
                        outline.leading_h1 = Some(text.clone());
                    }
                    let id = ids.assign(explicit.as_deref(), &text);
                    outline.headings.push(Heading { level, id, text });
                    first_block = false;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut current {
                    text.push_str(&t);
                }
            }
            Event::Start(_) if current.is_none() => first_block = false,
            _ => {}
        }
    }
    outline
}

/// Where a body is rendered, for turning its relative URLs into URLs that
/// work from the page's output file.
#[derive(Clone, Copy)]
pub struct BodyContext<'a> {
    /// The folder of the source file inside `content/` (`problems`, or `""`).
    pub source_dir: &'a str,
    /// The site-relative output file (`problems/strategy/index.html`).
    pub output_path: &'a str,
    /// Leave out an opening level-1 heading (it became the page title).
    pub drop_leading_h1: bool,
    /// The video that timestamp anchors in the body point into.
    pub video_id: Option<&'a str>,
    /// Resolves links to pages and headings.
    pub links: &'a dyn LinkResolver,
}

/// Renders a body to HTML.
pub fn render(body: &str, ctx: &BodyContext<'_>) -> String {
    let events = Parser::new_ext(body, options()).map(|event| rewrite_timestamps_and_footnotes(event, ctx));
    let events = resolve_links(events, ctx);
    let events = anchor_headings(events.into_iter(), ctx.drop_leading_h1);
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// A heading whose events are being collected until its end.
struct PendingHeading<'a> {
    level: HeadingLevel,
    explicit_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    inner: Vec<Event<'a>>,
}

/// Points page links at their output URLs. An unlabelled wiki link shows the
/// target's title. A broken link is kept as text, visibly marked, with words
/// a screen reader announces, and is not a live link.
fn resolve_links<'a>(events: impl Iterator<Item = Event<'a>>, ctx: &BodyContext<'_>) -> Vec<Event<'a>> {
    let resolver = ctx.links;
    let mut out = Vec::new();
    // Inside a link being replaced: (whether it is broken, whether its text
    // is replaced by the target's title).
    let mut inside: Option<(bool, bool)> = None;
    for event in events {
        match event {
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = file_url(&dest_url, ctx).map_or(dest_url, CowStr::from);
                out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::Html(html) => out.push(Event::Html(rewrite_html(html, ctx))),
            Event::InlineHtml(html) => out.push(Event::InlineHtml(rewrite_html(html, ctx))),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let link = link_ref(link_type, &dest_url, 0..0)
                    .filter(|l| !matches!(l.kind, LinkKind::Local | LinkKind::Absolute));
                let Some(link) = link else {
                    let dest_url = file_url(&dest_url, ctx).map_or(dest_url, CowStr::from);
                    out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                    continue;
                };
                let unlabelled = link.kind == LinkKind::Wiki { labelled: false };
                match resolver.resolve(link.kind, &link.target) {
                    Some(target) => {
                        let dest_url = CowStr::from(target.url);
                        out.push(Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url, title, id }));
                        if unlabelled {
                            out.push(Event::Text(target.title.into()));
                        }
                        inside = Some((false, unlabelled));
                    }
                    None => {
                        let mut open = String::from("<span class=\"broken-link\" title=\"Broken link: ");
                        escape_attr(&mut open, &link.target);
                        open.push_str("\">");
                        out.push(Event::Html(open.into()));
                        if unlabelled {
                            out.push(Event::Text(link.target.clone().into()));
                        }
                        inside = Some((true, unlabelled));
                    }
                }
            }
            Event::End(TagEnd::Link) if inside.is_some() => {
                let (broken, _) = inside.take().expect("checked above");
                if broken {
                    out.push(Event::Html("<span class=\"visually-hidden\"> (broken link)</span></span>".into()));
                } else {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(text) if inside.is_some() => {
                let (_, replaced) = inside.expect("checked above");
                if !replaced {
                    // A piped wiki label keeps the spaces around the pipe.
                    let trimmed = text.trim();
                    out.push(Event::Text(if trimmed.len() == text.len() { text } else { trimmed.to_string().into() }));
                }
            }
            Event::Code(_) if inside.is_some_and(|(_, replaced)| replaced) => {}
            other => out.push(other),
        }
    }
    out
}

/// Gives every heading its id and a self-link. Works on whole headings, so it
/// buffers the events between a heading's start and end.
fn anchor_headings<'a>(events: impl Iterator<Item = Event<'a>>, drop_leading_h1: bool) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut ids = HeadingIds::default();
    let mut buffer: Option<PendingHeading<'a>> = None;
    let mut first_block = true;
    let mut dropping = false;
    for event in events {
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                dropping = first_block && drop_leading_h1 && level == HeadingLevel::H1;
                buffer = Some(PendingHeading { level, explicit_id: id, classes, inner: Vec::new() });
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some(PendingHeading { level, explicit_id, classes, inner }) = buffer.take() else {
                    continue;
                };
                let text = plain_text(&inner);
                let id = ids.assign(explicit_id.as_deref(), text.trim());
                first_block = false;
                if std::mem::take(&mut dropping) {
                    continue;
                }
                write_heading(&mut out, level, &id, &classes, inner);
            }
            event => {
                if let Some(pending) = &mut buffer {
                    pending.inner.push(event);
                } else {
                    if matches!(event, Event::Start(_)) {
                        first_block = false;
                    }
                    out.push(event);
                }
            }
        }
    }
    out
}

fn write_heading<'a>(
    out: &mut Vec<Event<'a>>,
    level: HeadingLevel,
    id: &str,
    classes: &[CowStr<'a>],
    inner: Vec<Event<'a>>,
) {
    let n = heading_number(level);
    let mut open = format!("<h{n} id=\"");
    escape_attr(&mut open, id);
    open.push('"');
    if !classes.is_empty() {
        open.push_str(" class=\"");
        escape_attr(&mut open, &classes.join(" "));
        open.push('"');
    }
    open.push('>');
    // A link inside a link is invalid HTML: headings that hold a link get a
    // separate anchor after their text instead of being wrapped.
    let has_link = inner.iter().any(|e| matches!(e, Event::Start(Tag::Link { .. })));
    let mut self_link = String::new();
    let _ = write!(self_link, "<a class=\"heading-link\" href=\"#");
    escape_attr(&mut self_link, id);
    self_link.push_str("\">");
    if has_link {
        out.push(Event::Html(open.into()));
        out.extend(inner);
        self_link.push_str(
            "<span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a>",
        );
        out.push(Event::Html(self_link.into()));
    } else {
        open.push_str(&self_link);
        out.push(Event::Html(open.into()));
        out.extend(inner);
        out.push(Event::Html("</a>".into()));
    }
    out.push(Event::Html(format!("</h{n}>\n").into()));
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text
}

/// Escapes text for a double-quoted HTML attribute (and for HTML content).
pub fn escape_attr(out: &mut String, text: &str) {
    if !text.bytes().any(|b| matches!(b, b'&' | b'"' | b'<' | b'>' | b'\'')) {
        out.push_str(text);
        return;
    }
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Links seed-format timestamps into their video, and prefixes footnote ids.
fn rewrite_timestamps_and_footnotes<'a>(event: Event<'a>, ctx: &BodyContext<'_>) -> Event<'a> {
    match event {
        Event::InlineHtml(html) => match link_timestamp(&html, ctx.video_id) {
            Some(linked) => Event::InlineHtml(linked.into()),
            None => Event::InlineHtml(html),
        },
        // Footnote labels become ids; prefix them so a footnote `[^signs]`
        // and a heading "Signs" cannot share an id.
        Event::FootnoteReference(label) => Event::FootnoteReference(format!("fn-{label}").into()),
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(format!("fn-{label}").into()))
        }
        other => other,
    }
}

/// The URL to write for a reference to a file (`img/a.png`, `/guide/`),
/// or `None` to keep it as written: as the link index resolved it, or for a
/// relative file it does not know, the path made to work from the page's
/// output folder, which sits one folder deeper than its source.
fn file_url(url: &str, ctx: &BodyContext<'_>) -> Option<String> {
    let kind = classify_url(url)?;
    if url.starts_with('#') {
        return None;
    }
    if let Some(target) = ctx.links.resolve(kind, url) {
        return Some(target.url);
    }
    if kind != LinkKind::Local {
        return None;
    }
    let (path, suffix) = match url.find(['#', '?']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let target = join_relative(ctx.source_dir, path)?;
    Some(format!("{}{suffix}", relative_url(ctx.output_path, &target)))
}

/// Raw HTML with its URL attributes resolved like any other link.
fn rewrite_html<'a>(html: CowStr<'a>, ctx: &BodyContext<'_>) -> CowStr<'a> {
    match rawhtml::rewrite_urls(&html, |url| file_url(url, ctx)) {
        std::borrow::Cow::Borrowed(_) => html,
        std::borrow::Cow::Owned(rewritten) => rewritten.into(),
    }
}

/// The `data-t` of a seed-format timestamp anchor
/// (`<a class="yt-timestamp" data-t="00:53:54">`), if `html` is one.
pub fn timestamp_of(html: &str) -> Option<String> {
    let (tag, attributes) = parse_start_tag(html)?;
    if !tag.eq_ignore_ascii_case("a") {
        return None;
    }
    let is_timestamp =
        attributes.iter().any(|(n, v)| n == "class" && v.split_whitespace().any(|c| c == "yt-timestamp"));
    if !is_timestamp {
        return None;
    }
    attributes.into_iter().find(|(n, _)| n == "data-t").map(|(_, v)| v)
}

/// Rebuilds a timestamp anchor with an `href` to the video at that second.
/// Anchors with a malformed time, or on a page with no video, are left as
/// they are; `page.rs` reports them.
fn link_timestamp(html: &str, video_id: Option<&str>) -> Option<String> {
    let text = timestamp_of(html)?;
    let seconds = parse_timestamp(&text).ok()?;
    let mut out = String::from("<a class=\"yt-timestamp\" href=\"");
    escape_attr(&mut out, &video_url(video_id?, Some(seconds)));
    out.push_str("\" data-t=\"");
    escape_attr(&mut out, &text);
    out.push_str("\">");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: BodyContext<'static> = BodyContext {
        source_dir: "guides",
        output_path: "guides/intro/index.html",
        drop_leading_h1: false,
        video_id: Some("YP_QghPLG-8"),
        links: &NoLinks,
    };

    #[test]
    fn outline_finds_unique_ids_and_leading_h1() {
        let o = outline("# Title\n\n## Signs\n\n## Signs\n\n## Custom {#mine}\n\n### `code` and *em*\n");
        let ids: Vec<_> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "signs", "signs-1", "mine", "code-and-em"]);
        assert_eq!(o.leading_h1.as_deref(), Some("Title"));
    }

    #[test]
    fn leading_h1_must_open_the_body() {
        assert_eq!(outline("Intro.\n\n# Later\n").leading_h1, None);
    }

    #[test]
    fn render_matches_outline_ids_and_self_links() {
        let body = "# Title\n\n## Signs\n\n## Signs\n";
        let html = render(body, &CTX);
        assert!(
            html.contains("<h2 id=\"signs-1\"><a class=\"heading-link\" href=\"#signs-1\">Signs</a></h2>"),
            "{html}"
        );
        let ids: Vec<_> = outline(body).headings.into_iter().map(|h| h.id).collect();
        for id in ids {
            assert!(html.contains(&format!("id=\"{id}\"")));
        }
    }

    #[test]
    fn dropping_leading_h1_keeps_later_ids_stable() {
        let html = render("# Title\n\n## Title\n", &BodyContext { drop_leading_h1: true, ..CTX });
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("id=\"title-1\""), "{html}");
    }

    #[test]
    fn heading_with_link_gets_separate_anchor() {
        let html = render("## See [x](https://e.org)\n", &CTX);
        assert!(html.contains("<a href=\"https://e.org\">x</a><a class=\"heading-link\""), "{html}");
    }

    #[test]
    fn extensions_are_on() {
        let html = render("| a |\n|---|\n| b |\n\n~~x~~ - [x] \"q\" note[^1]\n\n[^1]: f\n\n- [ ] task\n", &CTX);
        for needle in ["<table>", "<del>", "\u{201c}q\u{201d}", "footnote-reference", "type=\"checkbox\""] {
            assert!(html.contains(needle), "{needle} missing in {html}");
        }
    }

    #[test]
    fn relative_asset_urls_follow_the_page() {
        let html = render("![d](img/d.png) [pdf](../files/a.pdf#p2) [ext](https://x.org/a.png) [md](other.md)", &CTX);
        assert!(html.contains("src=\"../img/d.png\""), "{html}");
        assert!(html.contains("href=\"../../files/a.pdf#p2\""), "{html}");
        assert!(html.contains("href=\"https://x.org/a.png\""), "{html}");
        assert!(html.contains("title=\"Broken link: other.md\""), "page links are resolved, not rewritten: {html}");
    }

    #[test]
    fn footnote_ids_cannot_clash_with_headings() {
        let html = render("## Note\n\nText.[^note]\n\n[^note]: F.\n", &CTX);
        assert!(html.contains("id=\"note\""), "{html}");
        assert!(html.contains("id=\"fn-note\"") && html.contains("href=\"#fn-note\""), "{html}");
    }

    #[test]
    fn seed_timestamps_become_deep_links() {
        let body = "Levels <a class=\"yt-timestamp\" data-t=\"00:53:54\">[00:53:54]</a>.";
        let html = render(body, &CTX);
        assert!(
            html.contains("<a class=\"yt-timestamp\" href=\"https://www.youtube.com/watch?v=YP_QghPLG-8&amp;t=3234\" data-t=\"00:53:54\">[00:53:54]</a>"),
            "{html}"
        );
        let o = outline(body);
        assert_eq!(o.timestamps.len(), 1);
        assert_eq!(o.timestamps[0].0, "00:53:54");
        assert_eq!(&body[o.timestamps[0].1.clone()], "<a class=\"yt-timestamp\" data-t=\"00:53:54\">");
    }

    #[test]
    fn timestamps_without_video_or_valid_time_stay_inert() {
        let body = "<a class=\"yt-timestamp\" data-t=\"00:99:00\">x</a> <a class='yt-timestamp other' data-t=5>y</a>";
        let html = render(body, &BodyContext { video_id: None, ..CTX });
        assert!(!html.contains("href"), "{html}");
        let html = render(body, &CTX);
        assert_eq!(html.matches("href").count(), 1, "{html}");
    }

    struct Fixed;
    impl LinkResolver for Fixed {
        fn resolve(&self, kind: LinkKind, target: &str) -> Option<LinkTarget> {
            (target.starts_with("known") || target == "other.md").then(|| LinkTarget {
                url: format!("../{target}/index.html"),
                title: format!("Title of {target} ({kind:?})"),
            })
        }
    }

    #[test]
    fn outline_collects_page_links_with_spans() {
        let body = "See [[known | label]] and [[missing]], [t](other.md#h), [a](#here), [ext](https://x.org/a.md).";
        let links = outline(body).links;
        let targets: Vec<_> = links.iter().map(|l| (l.kind, l.target.as_str())).collect();
        assert_eq!(
            targets,
            [
                (LinkKind::Wiki { labelled: true }, "known"),
                (LinkKind::Wiki { labelled: false }, "missing"),
                (LinkKind::Markdown, "other.md#h"),
                (LinkKind::Markdown, "#here"),
            ]
        );
        assert_eq!(&body[links[0].span.clone()], "[[known | label]]");
    }

    #[test]
    fn links_resolve_and_broken_ones_are_marked_not_live() {
        let html =
            render("[[known | the label]] [[known]] [[gone]] [x](other.md)", &BodyContext { links: &Fixed, ..CTX });
        assert!(html.contains("<a href=\"../known/index.html\">the label</a>"), "{html}");
        assert!(html.contains(">Title of known (Wiki { labelled: false })</a>"), "{html}");
        assert!(html.contains("<a href=\"../other.md/index.html\">x</a>"), "{html}");
        assert!(
            html.contains("<span class=\"broken-link\" title=\"Broken link: gone\">gone<span class=\"visually-hidden\"> (broken link)</span></span>"),
            "{html}"
        );
        assert!(!html.contains("href=\"gone\""), "{html}");
    }

    #[test]
    fn urls_are_classified_by_how_they_resolve() {
        use LinkKind::*;
        for (url, kind) in [
            ("a.md", Some(Markdown)),
            ("../a.md#x", Some(Markdown)),
            ("#x", Some(Markdown)),
            ("img.png", Some(Local)),
            ("files/a.pdf?v=2#p3", Some(Local)),
            ("/guide/", Some(Absolute)),
            ("/img/a.png", Some(Absolute)),
            ("https://x.org/a.md", None),
            ("//cdn.example/a.js", None),
            ("mailto:a.md", None),
            ("#", None),
            ("", None),
        ] {
            assert_eq!(classify_url(url), kind, "{url}");
        }
    }

    #[test]
    fn outline_collects_images_files_and_raw_html_urls_with_spans() {
        let body = "![a](img/a.png) [pdf](f.pdf)\n\n<img src=\"img/b.png\">\n\n[ext](https://x.org) ![](/abs.png)\n";
        let links = outline(body).links;
        let found: Vec<_> = links.iter().map(|l| (l.kind, l.target.as_str(), &body[l.span.clone()])).collect();
        assert_eq!(
            found,
            [
                (LinkKind::Local, "img/a.png", "![a](img/a.png)"),
                (LinkKind::Local, "f.pdf", "[pdf](f.pdf)"),
                (LinkKind::Local, "img/b.png", "img/b.png"),
                (LinkKind::Absolute, "/abs.png", "![](/abs.png)"),
            ]
        );
    }

    #[test]
    fn raw_html_urls_follow_the_page_like_markdown_ones() {
        let html =
            render("<p><img src=\"img/a.png\" alt=\"img/a.png\"></p>\n\nText <a href=\"files/x.pdf\">x</a>.\n", &CTX);
        assert!(html.contains("<img src=\"../img/a.png\" alt=\"img/a.png\">"), "{html}");
        assert!(html.contains("<a href=\"../files/x.pdf\">"), "{html}");
    }

    #[test]
    fn heading_attributes_are_escaped() {
        let html = render("## X {#a\"b .c}\n", &CTX);
        assert!(!html.contains("a\"b"), "{html}");
    }
}
