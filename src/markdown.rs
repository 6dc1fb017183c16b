//! Markdown bodies: reading their outline and rendering them to HTML.
//!
//! Both work as passes over pulldown-cmark events, never over rendered HTML.
//! [`outline_with`] runs while pages are parsed (it needs no other page) and
//! finds the headings, with the ids every page must agree on. [`render`] runs once
//! the whole site is known and writes the HTML: heading anchors and
//! self-links, and every link, image and raw-HTML URL as the link index
//! resolved it; callouts and highlighted code are the passes of
//! [`crate::callout`] and [`crate::highlight`] over the same events.

use std::collections::{HashSet, VecDeque};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::callout::Callouts;
use crate::citation::{parse_timestamp, video_url};
use crate::highlight::CodeBlocks;
use crate::rawhtml::{self, parse_start_tag};
use crate::slug::{is_page_file, join_relative, relative_url, slugify};

/// The Markdown dialect: CommonMark plus the extensions authors of mdBook and
/// Zola books expect.
pub(crate) fn options() -> Options {
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
pub(crate) struct LinkRef {
    /// How it was written.
    pub(crate) kind: LinkKind,
    /// The target as written, trimmed: `slug#heading`, `../x.md#h`, `#h`,
    /// `img/a.png`, `/guide/`.
    pub(crate) target: String,
    /// Where the link is in the body.
    pub(crate) span: Range<usize>,
}

/// The syntax of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LinkKind {
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
    /// Obsidian's embed, `![[pic.png]]` or `![[note]]`: a file found by its
    /// name as Obsidian finds it, shown as an image; a page, shown as a
    /// link to it.
    Embed,
}

/// Where a link of the body leads, as the link stage resolved it: render
/// writes exactly this, in the order the body's outline lists its links.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Resolved {
    /// A page (content or generated), at a heading if the link names one.
    Page {
        /// The page's site-relative output file.
        output_path: Arc<str>,
        /// The anchor on it.
        fragment: Option<String>,
        /// Its title, which an unlabelled wiki link shows.
        title: Arc<str>,
    },
    /// A file copied from `content/` (or one of the theme's).
    File {
        /// Its site-relative output path.
        output_path: String,
        /// `?query` or `#fragment`, as written.
        suffix: String,
    },
    /// Broken or ambiguous: a page link is drawn marked as broken, a file
    /// reference is kept as written.
    Unresolved,
}

/// How a link or image destination (not a wiki link) is resolved, or
/// `None` for one playbook leaves alone: external URLs (`https:`,
/// `mailto:`, `//host`), an empty destination, a bare `#`.
pub(crate) fn classify_url(dest: &str) -> Option<LinkKind> {
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
    Some(if is_page_file(path) { LinkKind::Markdown } else { LinkKind::Local })
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
pub(crate) struct Heading {
    /// 1 for `#`, up to 6.
    pub(crate) level: u8,
    /// The anchor id, unique in the page.
    pub(crate) id: String,
    /// The heading's plain text.
    pub(crate) text: String,
}

/// What [`outline_with`] finds in a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Outline {
    /// Every heading, in order.
    pub(crate) headings: Vec<Heading>,
    /// The text of a level-1 heading that opens the body, which serves as
    /// the title of a page whose frontmatter has none.
    pub(crate) leading_h1: Option<String>,
    /// The seed format's `<a class="yt-timestamp" data-t="00:53:54">`
    /// anchors: the `data-t` text and where the tag is in the body.
    pub(crate) timestamps: Vec<(String, Range<usize>)>,
    /// Links to pages, headings and files, images and raw-HTML URLs, to
    /// resolve and check once every page is known.
    pub(crate) links: Vec<LinkRef>,
    /// The items of the list (or the first paragraph) under the heading
    /// whose id is [`FIRST_STEPS`], as plain text: what a decision walk's
    /// outcome card shows of the page. Bounded by [`FIRST_STEPS_MAX`].
    pub(crate) first_steps: Vec<String>,
}

/// The heading id of the section a decision outcome card quotes.
pub(crate) const FIRST_STEPS: &str = "first-steps";

/// At most this many first steps, of at most this many characters each: a
/// card, not a copy of the page.
pub(crate) const FIRST_STEPS_MAX: (usize, usize) = (5, 320);

/// Collects the first steps while [`outline_with`] walks the body.
#[derive(Default)]
struct FirstSteps {
    /// Inside the section: the heading level that opened it.
    open: Option<u8>,
    /// List nesting inside the section.
    lists: usize,
    /// The item or paragraph being read.
    text: Option<String>,
    /// Whether a list was seen: then paragraphs outside it are ignored.
    seen_list: bool,
    done: bool,
}

impl FirstSteps {
    fn heading(&mut self, level: u8, id: &str, steps: &[String]) {
        if self.open.is_some_and(|open| level <= open) || (self.open.is_some() && !steps.is_empty()) {
            self.open = None;
            self.done = true;
        }
        if !self.done && id == FIRST_STEPS {
            self.open = Some(level);
        }
    }

    fn event(&mut self, event: &Event<'_>, steps: &mut Vec<String>) {
        if self.open.is_none() || self.done {
            return;
        }
        let (max_items, max_chars) = FIRST_STEPS_MAX;
        match event {
            Event::Start(Tag::List(_)) => {
                self.lists += 1;
                self.seen_list = true;
                if let Some(text) = &mut self.text {
                    text.push(' ');
                }
            }
            Event::End(TagEnd::List(_)) => {
                self.lists = self.lists.saturating_sub(1);
                if self.lists == 0 {
                    self.done = true;
                }
            }
            Event::Start(Tag::Item) if self.lists == 1 => self.text = Some(String::new()),
            Event::Start(Tag::Paragraph) if self.lists == 0 && !self.seen_list && steps.is_empty() => {
                self.text = Some(String::new());
            }
            Event::End(TagEnd::Item) if self.lists == 1 => self.finish(steps),
            Event::End(TagEnd::Paragraph) if self.lists == 0 && self.text.is_some() => self.finish(steps),
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = &mut self.text
                    && text.chars().count() < max_chars
                {
                    text.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(text) = &mut self.text {
                    text.push(' ');
                }
            }
            _ => {}
        }
        if steps.len() >= max_items {
            self.done = true;
        }
    }

    fn finish(&mut self, steps: &mut Vec<String>) {
        let Some(text) = self.text.take() else { return };
        let (_, max_chars) = FIRST_STEPS_MAX;
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return;
        }
        let cut: String = text.chars().take(max_chars).collect();
        steps.push(if cut.len() < text.len() { format!("{}…", cut.trim_end()) } else { cut });
    }
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
#[cfg(test)]
pub(crate) fn outline(body: &str) -> Outline {
    outline_with(body, |_| {})
}

/// Reads the headings of a body, handing every event to `on_event` too
/// (search counts the words in the same pass).
pub(crate) fn outline_with<'a>(body: &'a str, mut on_event: impl FnMut(&Event<'a>)) -> Outline {
    let mut outline = Outline::default();
    let mut ids = HeadingIds::default();
    let mut current: Option<(u8, Option<String>, String)> = None;
    let mut first_block = true;
    let mut first_steps = FirstSteps::default();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        on_event(&event);
        if current.is_none() {
            first_steps.event(&event, &mut outline.first_steps);
        }
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
            Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, ref dest_url, .. }) => {
                outline.links.push(LinkRef { kind: LinkKind::Embed, target: dest_url.trim().to_string(), span: range });
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
                    first_steps.heading(level, &id, &outline.first_steps);
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
    // Kept for the life of the engine, one per page: no spare capacity.
    outline.headings.shrink_to_fit();
    outline.links.shrink_to_fit();
    outline.timestamps.shrink_to_fit();
    outline.first_steps.shrink_to_fit();
    outline
}

/// What rendering a body needs besides its text: where it is written, and
/// the facts the earlier stages computed for it.
#[derive(Clone, Copy)]
pub(crate) struct BodyContext<'a> {
    /// The folder of the source file inside `content/` (`problems`, or `""`).
    pub(crate) source_dir: &'a str,
    /// The site-relative output file (`problems/strategy/index.html`).
    pub(crate) output_path: &'a str,
    /// Leave out an opening level-1 heading (it became the page title).
    pub(crate) drop_leading_h1: bool,
    /// The video that timestamp anchors in the body point into.
    pub(crate) video_id: Option<&'a str>,
    /// The body's headings, from its outline: their ids are used as they
    /// are, so the page, its table of contents and the link checker agree.
    pub(crate) headings: &'a [Heading],
    /// The body's links, resolved by the link stage, in outline order.
    pub(crate) links: &'a [Resolved],
}

/// Renders a body to HTML, streaming: only the events of one heading are
/// held at a time. Every event the parser gives is handed to `on_event`
/// first (search takes the page's text in the same pass).
pub(crate) fn render(body: &str, ctx: &BodyContext<'_>, mut on_event: impl FnMut(&Event<'_>)) -> String {
    let events = Parser::new_ext(body, options()).map(|event| {
        on_event(&event);
        rewrite_timestamps_and_footnotes(event, ctx)
    });
    let events = BodyEvents {
        source: events,
        ctx,
        links: ctx.links.iter(),
        headings: ctx.headings.iter(),
        pending: VecDeque::new(),
        heading: None,
        inside_link: None,
        embed: None,
        first_block: true,
        dropping: false,
    };
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(
        &mut out,
        CodeBlocks::new(Callouts::new(events)).flat_map(|event| accessible(event).into_iter().flatten()),
    );
    out
}

/// What pulldown-cmark writes for a code block, a table and a task list's
/// checkbox, made reachable and named: a code block or a table can scroll
/// sideways, so it takes keyboard focus (`tabindex="0"`; a table inside a
/// named region, since its own markup is pulldown-cmark's), and a checkbox
/// says whether it is done (axe: scrollable-region-focusable, label).
fn accessible(event: Event<'_>) -> [Option<Event<'_>>; 2] {
    let region = "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n";
    match event {
        Event::Start(Tag::Table(alignments)) => {
            [Some(Event::Html(region.into())), Some(Event::Start(Tag::Table(alignments)))]
        }
        Event::End(TagEnd::Table) => [Some(Event::End(TagEnd::Table)), Some(Event::Html("</div>\n".into()))],
        other => [Some(accessible_event(other)), None],
    }
}

fn accessible_event(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::CodeBlock(kind)) => {
            let mut open = String::from("<pre tabindex=\"0\"><code");
            let lang = match &kind {
                CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or_default(),
                CodeBlockKind::Indented => "",
            };
            if !lang.is_empty() {
                open.push_str(" class=\"language-");
                escape_attr(&mut open, lang);
                open.push('"');
            }
            open.push('>');
            Event::Html(open.into())
        }
        Event::End(TagEnd::CodeBlock) => Event::Html("</code></pre>\n".into()),
        Event::TaskListMarker(done) => Event::Html(
            if done {
                "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
            } else {
                "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
            }
            .into(),
        ),
        other => other,
    }
}

/// A heading whose events are being collected until its end.
struct PendingHeading<'a> {
    level: HeadingLevel,
    classes: Vec<CowStr<'a>>,
    inner: Vec<Event<'a>>,
}

/// The events of a body as they are written: links pointed at what the link
/// stage resolved (an unlabelled wiki link shows its target's title; a
/// broken one is kept as text, visibly marked, with words a screen reader
/// announces, and is not a live link), and every heading given its id from
/// the outline and a self-link.
struct BodyEvents<'a, 'c, I> {
    source: I,
    ctx: &'c BodyContext<'c>,
    links: std::slice::Iter<'c, Resolved>,
    headings: std::slice::Iter<'c, Heading>,
    /// Events ready to hand out.
    pending: VecDeque<Event<'a>>,
    /// The heading being collected, if inside one.
    heading: Option<PendingHeading<'a>>,
    /// Inside a page link being replaced: (whether it is broken, whether
    /// its text is replaced by the target's title).
    inside_link: Option<(bool, bool)>,
    /// Inside an embed (`![[...]]`): `Some(None)` for an image, whose
    /// events pass; `Some(Some(end))` for one drawn as a link or a broken
    /// name, whose own events are dropped and `end` closes it.
    embed: Option<Option<Event<'a>>>,
    first_block: bool,
    dropping: bool,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for BodyEvents<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            let event = self.source.next()?;
            self.resolve(event);
        }
    }
}

impl<'a, I> BodyEvents<'a, '_, I> {
    /// The next resolution, in outline order.
    fn next_link(&mut self) -> Resolved {
        self.links.next().cloned().unwrap_or(Resolved::Unresolved)
    }

    /// Resolves the links of one event; what comes out goes on to headings.
    fn resolve(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, dest_url, title, id }) => {
                self.open_embed(dest_url, title, id)
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = self.file_url(&dest_url).map_or(dest_url, CowStr::from);
                self.emit(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::End(TagEnd::Image) if self.embed.is_some() => {
                let close = self.embed.take().expect("checked above");
                self.emit(close.unwrap_or(Event::End(TagEnd::Image)));
            }
            _ if self.embed.as_ref().is_some_and(Option::is_some) => {}
            Event::Html(html) => {
                let html = self.rewrite_html(html);
                self.emit(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                let html = self.rewrite_html(html);
                self.emit(Event::InlineHtml(html));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                self.open_link(link_type, dest_url, title, id)
            }
            Event::End(TagEnd::Link) if self.inside_link.is_some() => {
                let (broken, _) = self.inside_link.take().expect("checked above");
                if broken {
                    self.emit(Event::Html("<span class=\"visually-hidden\"> (broken link)</span></span>".into()));
                } else {
                    self.emit(Event::End(TagEnd::Link));
                }
            }
            Event::Text(text) if self.inside_link.is_some() => {
                let (_, replaced) = self.inside_link.expect("checked above");
                if !replaced {
                    // A piped wiki label keeps the spaces around the pipe.
                    let trimmed = text.trim();
                    let text = if trimmed.len() == text.len() { text } else { trimmed.to_string().into() };
                    self.emit(Event::Text(text));
                }
            }
            Event::Code(_) if self.inside_link.is_some_and(|(_, replaced)| replaced) => {}
            other => self.emit(other),
        }
    }

    /// `![[name]]`: the file as an image, or the page as a link with its
    /// title (its text is not copied in: a link keeps one page's text in
    /// one place); not found, the name marked as broken.
    fn open_embed(&mut self, dest_url: CowStr<'a>, title: CowStr<'a>, id: CowStr<'a>) {
        match self.next_link() {
            Resolved::File { output_path, suffix } => {
                let url = format!("{}{suffix}", relative_url(self.ctx.output_path, &output_path));
                let link_type = LinkType::Inline;
                self.emit(Event::Start(Tag::Image { link_type, dest_url: url.into(), title, id }));
                self.embed = Some(None);
            }
            Resolved::Page { output_path, fragment, title: page_title } => {
                let url = page_url(self.ctx.output_path, &output_path, fragment.as_deref());
                self.emit(Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url: url.into(), title, id }));
                self.emit(Event::Text(page_title.to_string().into()));
                self.embed = Some(Some(Event::End(TagEnd::Link)));
            }
            Resolved::Unresolved => {
                let mut open = String::from("<span class=\"broken-link\" title=\"Broken link: ");
                escape_attr(&mut open, &dest_url);
                open.push_str("\">");
                self.emit(Event::Html(open.into()));
                self.emit(Event::Text(dest_url.to_string().into()));
                let close = "<span class=\"visually-hidden\"> (broken link)</span></span>";
                self.embed = Some(Some(Event::Html(close.into())));
            }
        }
    }

    fn open_link(&mut self, link_type: LinkType, dest_url: CowStr<'a>, title: CowStr<'a>, id: CowStr<'a>) {
        let Some(link) = link_ref(link_type, &dest_url, 0..0) else {
            self.emit(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            return;
        };
        if matches!(link.kind, LinkKind::Local | LinkKind::Absolute) {
            let dest_url = self.file_url(&dest_url).map_or(dest_url, CowStr::from);
            self.emit(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            return;
        }
        let unlabelled = link.kind == LinkKind::Wiki { labelled: false };
        match self.next_link() {
            Resolved::Page { output_path, fragment, title: target_title } => {
                let url = page_url(self.ctx.output_path, &output_path, fragment.as_deref());
                self.emit(Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url: url.into(), title, id }));
                if unlabelled {
                    self.emit(Event::Text(target_title.to_string().into()));
                }
                self.inside_link = Some((false, unlabelled));
            }
            Resolved::File { output_path, suffix } => {
                // `[[files/plan.pdf]]`: a link to the file, named as written.
                let url = format!("{}{suffix}", relative_url(self.ctx.output_path, &output_path));
                self.emit(Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url: url.into(), title, id }));
                if unlabelled {
                    self.emit(Event::Text(link.target.into()));
                }
                self.inside_link = Some((false, unlabelled));
            }
            Resolved::Unresolved => {
                let mut open = String::from("<span class=\"broken-link\" title=\"Broken link: ");
                escape_attr(&mut open, &link.target);
                open.push_str("\">");
                self.emit(Event::Html(open.into()));
                if unlabelled {
                    self.emit(Event::Text(link.target.into()));
                }
                self.inside_link = Some((true, unlabelled));
            }
        }
    }

    /// The URL to write for a reference to a file or a page by path
    /// (`img/a.png`, `/guide/`, raw HTML's `<a href="x.md">`), or `None` to
    /// keep it as written. A relative file the link stage did not find is
    /// still made to work from the page's output folder, which sits one
    /// folder deeper than its source.
    fn file_url(&mut self, url: &str) -> Option<String> {
        let kind = classify_url(url)?;
        match self.next_link() {
            Resolved::Page { output_path, fragment, .. } => {
                Some(page_url(self.ctx.output_path, &output_path, fragment.as_deref()))
            }
            Resolved::File { output_path, suffix } => {
                Some(format!("{}{suffix}", relative_url(self.ctx.output_path, &output_path)))
            }
            Resolved::Unresolved if kind == LinkKind::Local => {
                let (path, suffix) = match url.find(['#', '?']) {
                    Some(i) => (&url[..i], &url[i..]),
                    None => (url, ""),
                };
                let target = join_relative(self.ctx.source_dir, path)?;
                Some(format!("{}{suffix}", relative_url(self.ctx.output_path, &target)))
            }
            Resolved::Unresolved => None,
        }
    }

    /// Raw HTML with its URL attributes resolved like any other link.
    fn rewrite_html(&mut self, html: CowStr<'a>) -> CowStr<'a> {
        match rawhtml::rewrite_urls(&html, |url| self.file_url(url)) {
            std::borrow::Cow::Borrowed(_) => html,
            std::borrow::Cow::Owned(rewritten) => rewritten.into(),
        }
    }

    /// Passes an event on, collecting a heading's events until its end.
    fn emit(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                self.dropping = self.first_block && self.ctx.drop_leading_h1 && level == HeadingLevel::H1;
                self.heading = Some(PendingHeading { level, classes, inner: Vec::new() });
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some(PendingHeading { level, classes, inner }) = self.heading.take() else { return };
                let id = match self.headings.next() {
                    Some(heading) => heading.id.clone(),
                    None => slugify(&plain_text(&inner)),
                };
                self.first_block = false;
                if std::mem::take(&mut self.dropping) {
                    return;
                }
                write_heading(&mut self.pending, level, &id, &classes, inner);
            }
            event => {
                if let Some(heading) = &mut self.heading {
                    heading.inner.push(event);
                } else {
                    if matches!(event, Event::Start(_)) {
                        self.first_block = false;
                    }
                    self.pending.push_back(event);
                }
            }
        }
    }
}

/// The URL of a page (at an anchor) from output file `from`: just the
/// `#anchor` on the page itself.
fn page_url(from: &str, to: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(anchor) if from == to => format!("#{anchor}"),
        Some(anchor) => format!("{}#{anchor}", relative_url(from, to)),
        None => relative_url(from, to),
    }
}

/// Writes a heading: its text stays text (a link in it stays a link), and a
/// self-link follows it, the same for every heading (issue 12). The link's
/// `#` is the theme's to show on hover and focus; its name, "Link to
/// section: ...", is what a screen reader announces, since the glyph alone
/// says nothing.
fn write_heading<'a>(
    out: &mut VecDeque<Event<'a>>,
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
    let mut anchor = String::from("<a class=\"heading-anchor\" href=\"#");
    escape_attr(&mut anchor, id);
    anchor.push_str("\" aria-label=\"Link to section: ");
    escape_attr(&mut anchor, plain_text(&inner).trim());
    let _ = writeln!(anchor, "\">#</a></h{n}>");
    out.push_back(Event::Html(open.into()));
    out.extend(inner);
    out.push_back(Event::Html(anchor.into()));
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
pub(crate) fn escape_attr(out: &mut String, text: &str) {
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

/// The `data-t` of a seed-format timestamp anchor
/// (`<a class="yt-timestamp" data-t="00:53:54">`), if `html` is one.
pub(crate) fn timestamp_of(html: &str) -> Option<String> {
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
        headings: &[],
        links: &[],
    };

    /// Renders without looking at the events on the way.
    fn render(body: &str, ctx: &BodyContext<'_>) -> String {
        super::render(body, ctx, |_| {})
    }

    /// Renders with the outline's heading ids, as the site does.
    fn render_outlined(body: &str, ctx: &BodyContext<'_>) -> String {
        let outline = outline(body);
        render(body, &BodyContext { headings: &outline.headings, ..*ctx })
    }

    #[test]
    fn outline_reads_first_steps_list_or_paragraph() {
        let listed = outline(
            "# T\n\n## First steps\n\n- Ask *each* lead.\n- Write it\n  down.\n  - nested\n\nAfter.\n\n## Next\n\n- no\n",
        );
        assert_eq!(listed.first_steps, ["Ask each lead.", "Write it down. nested"]);
        let para = outline("## First steps\n\nTalk to them.\n\nMore.\n");
        assert_eq!(para.first_steps, ["Talk to them."]);
        let none = outline("## Signs\n\n- a\n");
        assert!(none.first_steps.is_empty());
        let long = outline(&format!("## First steps {{#first-steps}}\n\n{}\n", "- x\n".repeat(9)));
        assert_eq!(long.first_steps.len(), FIRST_STEPS_MAX.0);
        let wide = outline(&format!("## First steps\n\n{}\n", "word ".repeat(200)));
        assert!(wide.first_steps[0].ends_with('…') && wide.first_steps[0].chars().count() <= FIRST_STEPS_MAX.1 + 1);
    }

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
        let html = render_outlined(body, &CTX);
        assert!(
            html.contains(
                "<h2 id=\"signs-1\">Signs<a class=\"heading-anchor\" href=\"#signs-1\" aria-label=\"Link to section: \
                 Signs\">#</a></h2>"
            ),
            "{html}"
        );
        let ids: Vec<_> = outline(body).headings.into_iter().map(|h| h.id).collect();
        for id in ids {
            assert!(html.contains(&format!("id=\"{id}\"")));
        }
    }

    #[test]
    fn dropping_leading_h1_keeps_later_ids_stable() {
        let html = render_outlined("# Title\n\n## Title\n", &BodyContext { drop_leading_h1: true, ..CTX });
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("id=\"title-1\""), "{html}");
    }

    #[test]
    fn issue_12_every_heading_keeps_its_text_and_gets_one_anchor() {
        // A heading with a link keeps it live, after it the same anchor as
        // any heading; the anchor's name is the heading's text, escaped.
        let html = render("## See [x](https://e.org) & `<code>`\n\n### Plain\n", &CTX);
        assert!(
            html.contains(
                "<h2 id=\"see-x-code\">See <a href=\"https://e.org\">x</a> &amp; <code>&lt;code&gt;</code><a \
                 class=\"heading-anchor\" href=\"#see-x-code\" aria-label=\"Link to section: See x &amp; \
                 &lt;code&gt;\">#</a></h2>"
            ),
            "{html}"
        );
        assert!(html.contains("<h3 id=\"plain\">Plain<a class=\"heading-anchor\" href=\"#plain\""), "{html}");
        assert_eq!(html.matches("heading-anchor").count(), 2, "{html}");
        assert!(!html.contains("heading-link"), "{html}");
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
        let html = render_outlined("## Note\n\nText.[^note]\n\n[^note]: F.\n", &CTX);
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

    fn page(path: &str, title: &str) -> Resolved {
        Resolved::Page { output_path: path.into(), fragment: None, title: title.into() }
    }

    #[test]
    fn heading_ids_come_from_the_outline_whatever_links_show() {
        // `## See [[target]]` shows the target's title, but its id is the
        // outline's, which check and the table of contents use (issue 10).
        let body = "## See [[target]]\n";
        let outline = outline(body);
        assert_eq!(outline.headings[0].id, "see-target");
        let links = [page("target/index.html", "The target page")];
        let html = render(body, &BodyContext { headings: &outline.headings, links: &links, ..CTX });
        assert!(html.contains("<h2 id=\"see-target\">"), "{html}");
        assert!(html.contains("The target page"), "{html}");
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
        let links = [
            page("known/index.html", "Known"),
            page("known/index.html", "Title of known"),
            Resolved::Unresolved,
            page("other/index.html", "Other"),
        ];
        let html =
            render("[[known | the label]] [[known]] [[gone]] [x](other.md)", &BodyContext { links: &links, ..CTX });
        assert!(html.contains("<a href=\"../../known/index.html\">the label</a>"), "{html}");
        assert!(html.contains(">Title of known</a>"), "{html}");
        assert!(html.contains("<a href=\"../../other/index.html\">x</a>"), "{html}");
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
