//! Which text of a page search reads, and in which field and section: the
//! one rule behind both the words the index counts (while pages are
//! parsed, [`super::WordCounter`]) and the passages results quote (while
//! pages are rendered, [`SectionText`]). Both see a body's events through
//! a [`TextPicker`], so what is counted is what can be quoted.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::files::TextScript;
use super::{Field, Section};
use crate::markdown::Heading;
use crate::meta::Question;

/// How much of a body's text search reads, in bytes: the index and the
/// quoted text stop at the same word.
pub(crate) const BODY_TEXT_MAX: usize = 64 * 1024;

/// A piece of a body's text, as [`TextPicker`] hands it out.
#[derive(Debug)]
pub(crate) enum Piece<'e, 'a> {
    /// Text inside a heading.
    Heading(&'e CowStr<'a>),
    /// Text of the body.
    Body(&'e CowStr<'a>),
    /// A heading ended: the next section starts.
    SectionEnd,
    /// A block, line or list item ended: the words on each side are apart.
    Gap,
}

/// Picks the searchable text out of a body's events: text and code, not
/// raw HTML, footnote marks, or the targets of unlabelled wiki links (the
/// page shows their target's title instead, which is that page's own).
#[derive(Debug, Default)]
pub(crate) struct TextPicker {
    in_heading: bool,
    in_bare_wiki_link: bool,
    /// Bytes of text handed out so far.
    total: usize,
}

impl TextPicker {
    /// The piece `event` adds, if any.
    pub(crate) fn pick<'e, 'a>(&mut self, event: &'e Event<'a>) -> Option<Piece<'e, 'a>> {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.in_heading = true;
                None
            }
            Event::End(TagEnd::Heading(_)) => {
                self.in_heading = false;
                Some(Piece::SectionEnd)
            }
            Event::Start(Tag::Link { link_type: LinkType::WikiLink { has_pothole: false }, .. }) => {
                self.in_bare_wiki_link = true;
                None
            }
            Event::End(TagEnd::Link) => {
                self.in_bare_wiki_link = false;
                None
            }
            Event::Text(text) | Event::Code(text) if !self.in_bare_wiki_link => {
                if self.total + text.len() > BODY_TEXT_MAX {
                    self.total = BODY_TEXT_MAX;
                    return None;
                }
                self.total += text.len();
                Some(if self.in_heading { Piece::Heading(text) } else { Piece::Body(text) })
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule | Event::Start(Tag::Item) => Some(Piece::Gap),
            Event::End(end) if is_block_end(end) => Some(Piece::Gap),
            _ => None,
        }
    }
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
    )
}

/// A page's text as results quote it, written straight into its
/// `search/text/` file ([`TextScript`]) as the body's events come: what
/// comes before the first heading, then what follows each heading (whose
/// own text is the outline's), then the page's questions. Words are
/// separated by single spaces.
#[derive(Debug)]
pub(crate) struct SectionText<'h> {
    picker: TextPicker,
    script: TextScript,
    /// The headings still to come, from the outline.
    headings: std::slice::Iter<'h, Heading>,
    /// Whether the open section has text yet.
    started: bool,
    /// Whether whitespace came since the last word.
    space: bool,
}

impl<'h> SectionText<'h> {
    /// The text of the page at `url`, whose body has `headings`, of about
    /// `size` bytes.
    pub(crate) fn new(url: &str, summary: Option<&str>, headings: &'h [Heading], size: usize) -> Self {
        let script = TextScript::new(url, summary, size);
        SectionText { picker: TextPicker::default(), script, headings: headings.iter(), started: false, space: false }
    }

    /// Takes the next event of the body.
    pub(crate) fn event(&mut self, event: &Event<'_>) {
        match self.picker.pick(event) {
            Some(Piece::Body(text)) => self.push(text),
            Some(Piece::SectionEnd) => {
                let (id, heading) = self.headings.next().map_or(("", ""), |h| (h.id.as_str(), h.text.as_str()));
                self.script.section(id, heading);
                self.started = false;
                self.space = false;
            }
            Some(Piece::Gap) => self.space = true,
            Some(Piece::Heading(_)) | None => {}
        }
    }

    fn push(&mut self, text: &str) {
        let words = text.trim_ascii();
        if words.is_empty() {
            self.space |= !text.is_empty();
            return;
        }
        let bytes = text.as_bytes();
        if (self.space || bytes[0].is_ascii_whitespace()) && self.started {
            self.script.space();
        }
        self.script.words(words);
        self.started = true;
        // Text that ends without whitespace runs on into the next piece
        // (`a*b*c` is one word).
        self.space = bytes[bytes.len() - 1].is_ascii_whitespace();
    }

    /// The file, with the page's questions after its body, each a section
    /// at its anchor: the question as its heading, its help and answers as
    /// its text.
    pub(crate) fn finish(mut self, questions: &[Question]) -> String {
        for question in questions {
            self.script.section(&crate::render::question_anchor(question.id.as_str()), &question.ask);
            // Its help, then its answers: "Help text. Yes · No".
            let text = question_fields(question).filter(|(f, _)| *f == Field::Body);
            for (n, (_, text)) in text.enumerate() {
                let after_help = n == 1 && question.help.is_some();
                self.script.text(if n == 0 {
                    ""
                } else if after_help {
                    " "
                } else {
                    " · "
                });
                self.script.text(text);
            }
        }
        self.script.finish()
    }
}

/// What results quote of a document: its title, its summary, and its
/// sections in order (the first is the text before any heading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocText {
    /// The title.
    pub(crate) title: String,
    /// The summary, quoted at the top.
    pub(crate) summary: Option<String>,
    /// The sections, in order.
    pub(crate) sections: Vec<Section>,
}

impl DocText {
    /// A level's or context's text: its name and summary.
    pub(crate) fn of_term(name: &str, summary: &str) -> DocText {
        DocText {
            title: name.to_string(),
            summary: (!summary.is_empty()).then(|| summary.to_string()),
            sections: vec![Section { id: String::new(), heading: String::new(), text: String::new() }],
        }
    }
}

/// The text of a question, each piece with its field: the question itself
/// weighs as a heading, its help and answers as body text.
pub(crate) fn question_fields(question: &Question) -> impl Iterator<Item = (Field, &str)> {
    std::iter::once((Field::Headings, question.ask.as_str()))
        .chain(question.help.as_deref().map(|help| (Field::Body, help)))
        .chain(question.answers.iter().map(|answer| (Field::Body, answer.label.as_str())))
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;

    /// The text file of `body` read back: each section's text.
    fn sections(body: &str) -> Vec<String> {
        let outline = crate::markdown::outline_with(body, |_| {});
        let mut text = SectionText::new("a/index.html", None, &outline.headings, body.len());
        for event in Parser::new_ext(body, crate::markdown::options()) {
            text.event(&event);
        }
        let script = text.finish(&[]);
        let args = script.strip_prefix("playbookSearch.text(").and_then(|s| s.strip_suffix(");\n")).unwrap();
        let value: serde_json::Value = serde_json::from_str(&format!("[{args}]")).expect("JSON");
        let sections = value[2].as_array().unwrap();
        // Each section after the first is under a heading of the outline.
        for (section, heading) in sections[1..].iter().zip(&outline.headings) {
            assert_eq!(section[0], heading.id.as_str());
            assert_eq!(section[1], heading.text.as_str());
        }
        sections.iter().map(|s| s[2].as_str().unwrap().to_string()).collect()
    }

    #[test]
    fn sections_follow_headings_and_keep_words_apart() {
        assert_eq!(
            sections("Intro *with* emph`code`.\n\n- one\n- two\n\n## Next\n\nMore\ntext.\n"),
            ["Intro with emphcode. one two", "More text."]
        );
        assert_eq!(sections("## First\n\nA.\n"), ["", "A."]);
        assert_eq!(sections(""), [""]);
    }

    #[test]
    fn whitespace_becomes_single_spaces() {
        assert_eq!(sections("a  b\tc\n d `x  y` e"), ["a b c d x y e"]);
        assert_eq!(sections("*a* b"), ["a b"]);
    }

    proptest::proptest! {
        /// The words the index counts in a body are the words its quoted
        /// text has, however the body is marked up.
        #[test]
        fn what_is_counted_is_what_is_quoted(parts in proptest::collection::vec(
            proptest::sample::select(vec!["team", "Plan", "*", "`", "_", " ", "\n", "\n\n", "## ", "- ", "v2.1", "don't", "café", "&amp;", "[[x]]", "a"]),
            0..40,
        )) {
            let body: String = parts.concat();
            let mut counter = crate::search::WordCounter::new(crate::search::words::Stemming::None);
            for event in Parser::new_ext(&body, crate::markdown::options()) {
                counter.body_event(&event);
            }
            let counted = counter.finish().lengths()[Field::Body as usize];
            let mut quoted = 0;
            crate::search::words::for_each_word(&sections(&body).join(" "), |_| quoted += 1);
            proptest::prop_assert_eq!(counted as usize, quoted, "{:?}", body);
        }

        /// However the text is spaced, its words come out one space apart.
        #[test]
        fn section_text_is_its_words_single_spaced(words in proptest::collection::vec("[a-z]{1,5}", 1..8), gaps in proptest::collection::vec("[ \t\n]{1,3}", 8)) {
            let mut body = String::new();
            for (word, gap) in words.iter().zip(&gaps) {
                body.push_str(word);
                body.push_str(gap);
            }
            let text = sections(&body).join(" ");
            proptest::prop_assert_eq!(text, words.join(" "));
        }
    }

    #[test]
    fn raw_html_and_bare_wiki_targets_are_not_text() {
        assert_eq!(sections("See [[some-page]] and [[other | this one]] <b>bold</b>.\n"), ["See and this one bold."]);
    }

    #[test]
    fn the_text_stops_at_the_cap() {
        let body = "word ".repeat(BODY_TEXT_MAX);
        let text = sections(&body);
        assert!(text[0].len() <= BODY_TEXT_MAX, "{}", text[0].len());
    }
}
