//! Callouts: block quotes that open with a `[!type]` marker, as GitHub and
//! Obsidian write them (issue 12).
//!
//! ```markdown
//! > [!WARNING]
//! > GitHub's five types: NOTE, TIP, IMPORTANT, WARNING, CAUTION.
//!
//! > [!faq]- Obsidian's, any case, with a title, folded
//! > Its other types and aliases, and `+` for a fold that starts open.
//! ```
//!
//! One pass over the events of a body reads both syntaxes in one place:
//! pulldown-cmark's `ENABLE_GFM` knows GitHub's five types only, and neither
//! titles, folds nor Obsidian's types, so it stays off. The pass looks at the
//! first line of a block quote's first paragraph; a block quote without a
//! marker is left as it is. It runs after links are resolved, so a link in a
//! title still takes its turn in the outline's order of links. What the
//! title's HTML is made of is decided here: titles are text, escaped.

use std::collections::VecDeque;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use crate::markdown::escape_attr;

/// The callout types, each by the name its class goes by (`callout-tip`),
/// with the names authors may write for it: Obsidian's types and aliases,
/// and GitHub's IMPORTANT and CAUTION, which GitHub colours apart from tip
/// and warning.
const KINDS: &[(&str, &[&str])] = &[
    ("note", &["note"]),
    ("abstract", &["abstract", "summary", "tldr"]),
    ("info", &["info"]),
    ("todo", &["todo"]),
    ("tip", &["tip", "hint"]),
    ("important", &["important"]),
    ("success", &["success", "check", "done"]),
    ("question", &["question", "help", "faq"]),
    ("warning", &["warning", "attention"]),
    ("caution", &["caution"]),
    ("failure", &["failure", "fail", "missing"]),
    ("danger", &["danger", "error"]),
    ("bug", &["bug"]),
    ("example", &["example"]),
    ("quote", &["quote", "cite"]),
];

/// The longest type name read as one: longer `[!...]` text is no marker.
const MAX_TYPE_LEN: usize = 40;

/// Whether a callout folds, and how it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// `[!note]`: always open, a plain box.
    Fixed,
    /// `[!note]+`: a `<details>` that starts open.
    Open,
    /// `[!note]-`: a `<details>` that starts closed.
    Closed,
}

/// A parsed `[!type]` marker.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marker {
    /// The class suffix: one of [`KINDS`], `note` for a type it lacks.
    kind: &'static str,
    /// The type as written, lower-cased: `data-callout`, and the default
    /// title.
    name: String,
    fold: Fold,
}

/// Reads a marker at the start of `text` (`[!tip]- Title`): the marker and
/// the byte offset where the title starts.
fn parse_marker(text: &str) -> Option<(Marker, usize)> {
    let rest = text.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let name = &rest[..close];
    let valid = (1..=MAX_TYPE_LEN).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return None;
    }
    let name = name.to_ascii_lowercase();
    let kind = KINDS.iter().find(|(_, names)| names.contains(&name.as_str())).map_or("note", |(kind, _)| kind);
    let mut end = 2 + close + 1;
    let fold = match text.as_bytes().get(end) {
        Some(b'+') => Fold::Open,
        Some(b'-') => Fold::Closed,
        _ => Fold::Fixed,
    };
    if fold != Fold::Fixed {
        end += 1;
    }
    Some((Marker { kind, name, fold }, end))
}

/// The type as a title: `FAQ` and `faq` both read "Faq", as in Obsidian.
fn default_title(name: &str) -> String {
    let mut title = String::with_capacity(name.len());
    for (i, ch) in name.chars().enumerate() {
        title.push(if i == 0 { ch.to_ascii_uppercase() } else { ch });
    }
    title
}

/// Writes the opening of a callout, title included, up to where its
/// content starts.
fn open_html(marker: &Marker, title: &str) -> String {
    let mut html = String::with_capacity(160 + title.len());
    let element = if marker.fold == Fold::Fixed { "div" } else { "details" };
    html.push('<');
    html.push_str(element);
    html.push_str(" class=\"callout callout-");
    html.push_str(marker.kind);
    html.push_str("\" data-callout=\"");
    escape_attr(&mut html, &marker.name);
    html.push('"');
    match marker.fold {
        // A note role: assistive technology announces the box as an aside
        // to the text around it. A <details> is a group of its own.
        Fold::Fixed => html.push_str(" role=\"note\"><p class=\"callout-title\">"),
        Fold::Open => html.push_str(" open><summary class=\"callout-title\">"),
        Fold::Closed => html.push_str("><summary class=\"callout-title\">"),
    }
    escape_attr(&mut html, title);
    html.push_str(if marker.fold == Fold::Fixed { "</p>" } else { "</summary>" });
    html.push_str("<div class=\"callout-content\">\n");
    html
}

fn close_html(fold: Fold) -> &'static str {
    match fold {
        Fold::Fixed => "</div></div>\n",
        Fold::Open | Fold::Closed => "</div></details>\n",
    }
}

/// The events of a body with every callout's block quote replaced by the
/// callout's HTML; everything else passes through unchanged.
pub(crate) struct Callouts<'a, I> {
    source: I,
    /// Events read ahead to decide on a marker and not yet looked at.
    replay: VecDeque<Event<'a>>,
    /// Events ready to hand out.
    out: VecDeque<Event<'a>>,
    /// One entry per open block quote: how a callout closes, or `None` for
    /// a plain block quote.
    open: Vec<Option<Fold>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Callouts<'a, I> {
    /// Wraps the events of a body.
    pub(crate) fn new(source: I) -> Self {
        Callouts { source, replay: VecDeque::new(), out: VecDeque::new(), open: Vec::new() }
    }

    fn pull(&mut self) -> Option<Event<'a>> {
        self.replay.pop_front().or_else(|| self.source.next())
    }

    /// A block quote opened: reads its first line to tell a callout from a
    /// quote. Only a paragraph's first run of text is held meanwhile.
    fn open_quote(&mut self, kind: Option<BlockQuoteKind>) {
        let plain = |this: &mut Self, held: Vec<Event<'a>>| {
            this.open.push(None);
            this.out.push_back(Event::Start(Tag::BlockQuote(kind)));
            this.out.extend(held);
        };
        let Some(first) = self.pull() else { return plain(self, Vec::new()) };
        if first != Event::Start(Tag::Paragraph) {
            self.replay.push_front(first);
            return plain(self, Vec::new());
        }
        // The marker may come as several text events (`[`, `!note`, `]`,
        // `- Title`): the line's first run of text is read whole.
        let mut held = vec![first];
        let mut text = String::new();
        while text.starts_with("[!") || "[!".starts_with(text.as_str()) {
            match self.pull() {
                Some(Event::Text(t)) => {
                    text.push_str(&t);
                    held.push(Event::Text(t));
                }
                Some(other) => {
                    self.replay.push_front(other);
                    break;
                }
                None => break,
            }
        }
        let Some((marker, title_start)) = parse_marker(&text) else { return plain(self, held) };
        let (title, body_follows) = self.read_title(&text[title_start..]);
        let title = if title.is_empty() { default_title(&marker.name) } else { title };
        self.open.push(Some(marker.fold));
        self.out.push_back(Event::Html(open_html(&marker, &title).into()));
        if body_follows {
            self.out.push_back(Event::Start(Tag::Paragraph));
        }
    }

    /// Reads the rest of the marker's line as the title's plain text, and
    /// whether the paragraph goes on after it.
    fn read_title(&mut self, start: &str) -> (String, bool) {
        let mut title = start.to_string();
        let body_follows = loop {
            match self.pull() {
                Some(Event::SoftBreak | Event::HardBreak) => break true,
                Some(Event::End(TagEnd::Paragraph)) | None => break false,
                // Raw HTML in a title is shown as written.
                Some(Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::InlineMath(t)) => {
                    title.push_str(&t)
                }
                Some(_) => {}
            }
        };
        (title.trim().to_string(), body_follows)
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Callouts<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.out.pop_front() {
                return Some(event);
            }
            match self.pull()? {
                Event::Start(Tag::BlockQuote(kind)) => self.open_quote(kind),
                Event::End(TagEnd::BlockQuote(kind)) => match self.open.pop().flatten() {
                    Some(fold) => return Some(Event::Html(CowStr::Borrowed(close_html(fold)))),
                    None => return Some(Event::End(TagEnd::BlockQuote(kind))),
                },
                other => return Some(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Parser, html};

    use super::*;
    use crate::markdown::options;

    fn render(body: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, Callouts::new(Parser::new_ext(body, options())));
        out
    }

    #[test]
    fn github_types_render_as_notes_with_their_title() {
        for (marker, kind, title) in [
            ("NOTE", "note", "Note"),
            ("TIP", "tip", "Tip"),
            ("IMPORTANT", "important", "Important"),
            ("WARNING", "warning", "Warning"),
            ("CAUTION", "caution", "Caution"),
        ] {
            let html = render(&format!("> [!{marker}]\n> Body *text*.\n"));
            assert_eq!(
                html,
                format!(
                    "<div class=\"callout callout-{kind}\" data-callout=\"{}\" role=\"note\">\
                     <p class=\"callout-title\">{title}</p><div class=\"callout-content\">\n\
                     <p>Body <em>text</em>.</p>\n</div></div>\n",
                    marker.to_ascii_lowercase()
                )
            );
        }
    }

    #[test]
    fn obsidian_aliases_share_their_type_and_keep_their_name() {
        for (name, kind) in [
            ("summary", "abstract"),
            ("tldr", "abstract"),
            ("info", "info"),
            ("todo", "todo"),
            ("hint", "tip"),
            ("check", "success"),
            ("done", "success"),
            ("help", "question"),
            ("FAQ", "question"),
            ("attention", "warning"),
            ("fail", "failure"),
            ("missing", "failure"),
            ("error", "danger"),
            ("bug", "bug"),
            ("example", "example"),
            ("cite", "quote"),
        ] {
            let html = render(&format!("> [!{name}]\n> x\n"));
            let lower = name.to_ascii_lowercase();
            assert!(html.contains(&format!("class=\"callout callout-{kind}\" data-callout=\"{lower}\"")), "{html}");
        }
    }

    #[test]
    fn unknown_types_are_notes_titled_by_their_name() {
        let html = render("> [!Recipe]\n> x\n");
        assert!(html.contains("class=\"callout callout-note\" data-callout=\"recipe\""), "{html}");
        assert!(html.contains("<p class=\"callout-title\">Recipe</p>"), "{html}");
    }

    #[test]
    fn custom_titles_are_escaped_text() {
        let html = render("> [!tip] Use <b>this</b> & `that` *now*\n> Body.\n");
        assert!(html.contains("<p class=\"callout-title\">Use &lt;b&gt;this&lt;/b&gt; &amp; that now</p>"), "{html}");
        assert!(html.contains("<p>Body.</p>"), "{html}");
    }

    #[test]
    fn folds_are_details_closed_or_open() {
        let html = render("> [!faq]- Why fold?\n> Because.\n");
        assert_eq!(
            html,
            "<details class=\"callout callout-question\" data-callout=\"faq\"><summary class=\"callout-title\">Why \
             fold?</summary><div class=\"callout-content\">\n<p>Because.</p>\n</div></details>\n"
        );
        let html = render("> [!faq]+ Open\n>\n> Because.\n");
        assert!(html.starts_with("<details class=\"callout callout-question\" data-callout=\"faq\" open><summary"));
        assert!(html.contains("<summary class=\"callout-title\">Open</summary>"), "{html}");
        let html = render("> [!todo]-\n> x\n");
        assert!(html.contains("<summary class=\"callout-title\">Todo</summary>"), "{html}");
    }

    #[test]
    fn callouts_nest_and_hold_any_block() {
        let html = render("> [!note] Outer\n> - item\n>\n> > [!warning]\n> > Inner.\n>\n> After.\n");
        assert_eq!(html.matches("<div class=\"callout ").count(), 2, "{html}");
        assert_eq!(html.matches("</div></div>").count(), 2, "{html}");
        let inner = html.find("callout-warning").unwrap();
        let outer_end = html.rfind("</div></div>").unwrap();
        assert!(html.find("callout-note").unwrap() < inner && inner < outer_end, "{html}");
        assert!(html.contains("<li>item</li>"), "{html}");
        assert!(html.contains("<p>After.</p>\n</div></div>\n"), "{html}");
        assert!(!html.contains("blockquote"), "{html}");
    }

    #[test]
    fn block_quotes_without_a_marker_stay_quotes() {
        for body in [
            "> Just a quote.\n",
            "> [not a marker]\n",
            "> [!]\n",
            "> [!two words]\n",
            "> x [!note]\n",
            "> # Heading\n",
            "> > [!note] inner only\n",
            ">\n",
        ] {
            let html = render(body);
            assert!(html.contains("<blockquote>"), "{body}: {html}");
            if body.starts_with("> > ") {
                assert_eq!(html.matches("<blockquote>").count(), 1, "{html}");
                assert!(html.contains("callout-note"), "{html}");
            } else {
                assert!(!html.contains("callout"), "{body}: {html}");
            }
        }
    }

    #[test]
    fn a_marker_alone_makes_an_empty_callout() {
        let html = render("> [!NOTE]\n");
        assert!(html.ends_with("<div class=\"callout-content\">\n</div></div>\n"), "{html}");
    }

    #[test]
    fn markers_parse() {
        let (m, at) = parse_marker("[!Tip]- Title").unwrap();
        assert_eq!((m.kind, m.name.as_str(), m.fold, at), ("tip", "tip", Fold::Closed, 7));
        assert_eq!(parse_marker("[!x]").unwrap().0.fold, Fold::Fixed);
        assert_eq!(parse_marker("[!x]+").unwrap().0.fold, Fold::Open);
        for bad in ["[!]", "[note]", "[!a b]", "[!a<b]", "[!no", "![!a]"] {
            assert_eq!(parse_marker(bad), None, "{bad}");
        }
        assert_eq!(parse_marker(&format!("[!{}]", "a".repeat(MAX_TYPE_LEN + 1))), None);
    }

    /// The title of the first callout in `html`, as written.
    fn title_of(html: &str) -> Option<&str> {
        let start = html.find("class=\"callout-title\">")? + "class=\"callout-title\">".len();
        let end = start + html[start..].find("</")?;
        Some(&html[start..end])
    }

    #[test]
    fn links_in_titles_keep_their_turn() {
        // The title's wiki link is resolved (and dropped to its text), so the
        // body's link still gets its own resolution.
        let links = [
            Resolved::Page { output_path: "a/index.html".into(), fragment: None, title: "Page A".into() },
            Resolved::Page { output_path: "b/index.html".into(), fragment: None, title: "Page B".into() },
        ];
        let ctx = BodyContext { links: &links, ..CTX };
        let html = crate::markdown::render(
            "> [!note] See [[a]]
> Then [[b]].
",
            &ctx,
            |_| {},
        );
        assert_eq!(title_of(&html), Some("See Page A"), "{html}");
        assert!(html.contains("<a href=\"../../b/index.html\">Page B</a>"), "{html}");
    }

    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;

    use crate::markdown::{BodyContext, Resolved};

    const CTX: BodyContext<'static> = BodyContext {
        source_dir: "guides",
        output_path: "guides/intro/index.html",
        drop_leading_h1: false,
        video_id: None,
        headings: &[],
        links: &[],
    };

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 512,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(12),
            ..ProptestConfig::default()
        })]

        /// Whatever follows a marker, the title is text: no tag, no panic.
        #[test]
        fn titles_never_carry_markup(
            name in "[A-Za-z]{1,12}",
            fold in "[-+]?",
            title in "[^\r\n]{0,80}",
            // A letter first: a line of `=` or `-` would make the marker's
            // line a heading, as CommonMark says.
            body in "[A-Za-z][^\r\n]{0,60}",
        ) {
            let source = format!("> [!{name}]{fold} {title}\n> {body}\n");
            let html = crate::markdown::render(&source, &CTX, |_| {});
            let shown = title_of(&html);
            prop_assert!(shown.is_some(), "no callout in {html}");
            let shown = shown.unwrap_or_default();
            prop_assert!(!shown.contains(['<', '>']), "markup in title {shown:?} of {html}");
        }

        /// Any text at all after `> [!`: a callout or a quote, never a panic.
        #[test]
        fn any_marker_text_renders(rest in "\\PC{0,120}") {
            let html = crate::markdown::render(&format!("> [!{rest}\n> > [!{rest}\n"), &CTX, |_| {});
            if let Some(shown) = title_of(&html) {
                prop_assert!(!shown.contains(['<', '>']), "markup in title {shown:?} of {html}");
            }
        }
    }
}
