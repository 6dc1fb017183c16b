//! An mdBook's `SUMMARY.md`: the book's chapters in order, which sets the
//! sidebar and the reading order when the content folder has one.
//!
//! The format is mdBook's: an optional `# Title`, then prefix chapters
//! (links in paragraphs), then lists of numbered chapters nested by
//! indentation, with `# Part` titles and `---` separators between them,
//! then suffix chapters. `[Title]()` is a draft chapter: listed, not
//! written yet. A chapter that is not a link, or a path that leaves the
//! content folder, is an error naming its line.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::slug::{is_page_file, join_relative, percent_decode};

/// Its file name, at the top of the content folder.
pub(crate) const SUMMARY: &str = "SUMMARY.md";

/// The deepest nesting of chapters kept; deeper lists are shown at this
/// depth (and bound the work a hostile file can ask for).
pub(crate) const MAX_DEPTH: u8 = 8;

/// The chapters of a book, in the groups the sidebar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Summary {
    /// The groups, in order: the prefix chapters, each part, the suffix
    /// chapters. None is empty.
    pub(crate) parts: Vec<Part>,
    /// Every file a chapter names, for "is this page in the book".
    pub(crate) files: BTreeSet<String>,
    /// How diagnostics name the file (`src/SUMMARY.md`).
    pub(crate) display_path: String,
    /// Its text, for diagnostics that point into it.
    pub(crate) text: std::sync::Arc<str>,
}

/// A group of chapters under a part title (or none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Part {
    /// The `# Part` heading above it, if any.
    pub(crate) title: Option<String>,
    /// Its chapters, in order.
    pub(crate) chapters: Vec<Chapter>,
}

/// One chapter of the book.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Chapter {
    /// The link's text.
    pub(crate) title: String,
    /// Its file inside the content folder (`cli/README.md`); `None` for a
    /// draft chapter.
    pub(crate) file: Option<String>,
    /// How deep it is nested: 0 for a top-level chapter.
    pub(crate) depth: u8,
    /// Where its link is in `SUMMARY.md`, for diagnostics.
    pub(crate) span: Range<usize>,
}

/// What is wrong with a line of `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SummaryProblem {
    /// Where, in the text.
    pub(crate) span: Range<usize>,
    /// What is wrong.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) help: &'static str,
}

/// Reads `SUMMARY.md`, which diagnostics name `display_path`.
pub(crate) fn parse(text: &str, display_path: &str) -> Result<Summary, Vec<SummaryProblem>> {
    let mut reader = Reader { text, summary: Summary::default(), problems: Vec::new(), current: Part::default() };
    reader.read();
    let Reader { mut summary, problems, current, .. } = reader;
    if !current.chapters.is_empty() {
        summary.parts.push(current);
    }
    summary.display_path = display_path.to_string();
    summary.text = text.into();
    summary.files = summary.parts.iter().flat_map(|p| &p.chapters).filter_map(|c| c.file.clone()).collect();
    if problems.is_empty() { Ok(summary) } else { Err(problems) }
}

struct Reader<'a> {
    text: &'a str,
    summary: Summary,
    problems: Vec<SummaryProblem>,
    /// The group chapters are being added to.
    current: Part,
}

impl Reader<'_> {
    fn read(&mut self) {
        let mut lists = 0u32;
        // The heading being read: its level and text so far.
        let mut heading: Option<(HeadingLevel, String, Range<usize>)> = None;
        // The link being read: its destination, text, and start.
        let mut link: Option<(String, String, usize)> = None;
        // Whether the list item being read has its chapter yet.
        let mut item_done = Vec::new();
        let mut seen_anything = false;
        for (event, range) in Parser::new_ext(self.text, Options::empty()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new(), range)),
                Event::End(TagEnd::Heading(_)) => {
                    let Some((level, title, _)) = heading.take() else { continue };
                    // The first heading, before any chapter, is the book's
                    // title; later ones name parts.
                    if level == HeadingLevel::H1 && seen_anything {
                        self.start_part(Some(title.trim().to_string()));
                    }
                    seen_anything = true;
                }
                Event::Rule => {
                    self.start_part(None);
                    seen_anything = true;
                }
                Event::Start(Tag::List(_)) => lists += 1,
                Event::End(TagEnd::List(_)) => lists = lists.saturating_sub(1),
                Event::Start(Tag::Item) => item_done.push(false),
                Event::End(TagEnd::Item) if item_done.pop() == Some(false) => {
                    self.problems.push(SummaryProblem {
                        span: first_line(self.text, range),
                        message: "a chapter of SUMMARY.md is not a link".to_string(),
                        help: "write each chapter as a link to its file, `- [Title](file.md)`, \
                               or `- [Title]()` for a draft",
                    });
                }
                Event::Start(Tag::Link { dest_url, .. }) if link.is_none() => {
                    link = Some((dest_url.to_string(), String::new(), range.start));
                }
                Event::End(TagEnd::Link) => {
                    let Some((dest, title, start)) = link.take() else { continue };
                    let in_item = lists > 0 && item_done.last() == Some(&false);
                    if lists > 0 && !in_item {
                        // A second link in one item: text, as in mdBook.
                        continue;
                    }
                    if let Some(done) = item_done.last_mut() {
                        *done = true;
                    }
                    let depth = u8::try_from(lists.saturating_sub(1)).unwrap_or(u8::MAX).min(MAX_DEPTH);
                    self.chapter(title, &dest, depth, start..range.end);
                    seen_anything = true;
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some((_, title, _)) = &mut heading {
                        title.push_str(&text);
                    } else if let Some((_, title, _)) = &mut link {
                        title.push_str(&text);
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some((_, title, _)) = &mut link {
                        title.push(' ');
                    }
                }
                _ => {}
            }
        }
    }

    fn start_part(&mut self, title: Option<String>) {
        let done = std::mem::replace(&mut self.current, Part { title, chapters: Vec::new() });
        if !done.chapters.is_empty() {
            self.summary.parts.push(done);
        } else if done.title.is_some() && self.current.title.is_none() {
            // `# Part` then `---`: the title stands for what follows.
            self.current.title = done.title;
        }
    }

    fn chapter(&mut self, title: String, dest: &str, depth: u8, span: Range<usize>) {
        let file = if dest.trim().is_empty() {
            None
        } else {
            match chapter_file(dest) {
                Ok(file) => Some(file),
                Err(message) => {
                    self.problems.push(SummaryProblem {
                        span,
                        message,
                        help: "link each chapter to a Markdown file inside the content folder, \
                               relative to SUMMARY.md: `[Title](guide/start.md)`",
                    });
                    return;
                }
            }
        };
        self.current.chapters.push(Chapter { title: title.trim().to_string(), file, depth, span });
    }
}

/// The file a chapter's link names, inside the content folder.
fn chapter_file(dest: &str) -> Result<String, String> {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_decode(path).ok_or_else(|| format!("`{dest}` is not a valid path"))?;
    if dest.contains("://") || decoded.starts_with('/') || decoded.contains('\\') {
        return Err(format!("chapter `{dest}` is not a path inside the content folder"));
    }
    let joined =
        join_relative("", &decoded).ok_or_else(|| format!("chapter `{dest}` leads outside the content folder"))?;
    if !is_page_file(&joined) {
        return Err(format!("chapter `{dest}` is not a Markdown file"));
    }
    Ok(joined)
}

/// The span of the first line of `range`.
fn first_line(text: &str, range: Range<usize>) -> Range<usize> {
    let end = text[range.clone()].find('\n').map_or(range.end, |at| range.start + at);
    range.start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chapter as the tests write it: title, file, depth.
    type Outlined = (String, Option<String>, u8);

    fn outline(text: &str) -> Vec<(Option<String>, Vec<Outlined>)> {
        let summary = parse(text, "src/SUMMARY.md").unwrap();
        summary
            .parts
            .into_iter()
            .map(|p| (p.title, p.chapters.into_iter().map(|c| (c.title, c.file, c.depth)).collect()))
            .collect()
    }

    fn ch(title: &str, file: Option<&str>, depth: u8) -> Outlined {
        (title.to_string(), file.map(str::to_string), depth)
    }

    #[test]
    fn prefix_parts_nested_drafts_and_suffix_chapters() {
        let text = "# Summary\n\n[Introduction](README.md)\n\n# User guide\n\n- [Install](guide/install.md)\n\
                    - [Read](guide/read.md)\n    - [Deep](guide/deep%20dive.md)\n        - [Draft]()\n\n\
                    # Reference\n\n- [CLI](cli/README.md)\n\n---\n\n[Contributors](misc/contributors.md)\n";
        assert_eq!(
            outline(text),
            [
                (None, vec![ch("Introduction", Some("README.md"), 0)]),
                (
                    Some("User guide".into()),
                    vec![
                        ch("Install", Some("guide/install.md"), 0),
                        ch("Read", Some("guide/read.md"), 0),
                        ch("Deep", Some("guide/deep dive.md"), 1),
                        ch("Draft", None, 2),
                    ]
                ),
                (Some("Reference".into()), vec![ch("CLI", Some("cli/README.md"), 0)]),
                (None, vec![ch("Contributors", Some("misc/contributors.md"), 0)]),
            ]
        );
        let summary = parse(text, "src/SUMMARY.md").unwrap();
        assert!(summary.files.contains("guide/deep dive.md") && summary.files.len() == 6);
        let deep = &summary.parts[1].chapters[2];
        assert_eq!(text[..deep.span.start].matches('\n').count() + 1, 9);
    }

    #[test]
    fn a_chapter_that_is_no_link_or_leaves_the_folder_is_an_error_on_its_line() {
        let text = "- [A](a.md)\n- Just words\n- [B](../secret.md)\n- [C](https://e.org/c.md)\n- [D](d.rs)\n";
        let problems = parse(text, "src/SUMMARY.md").unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| text[..p.span.start].matches('\n').count() + 1).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{problems:?}");
        assert!(problems[0].message.contains("not a link"));
        assert!(problems[1].message.contains("outside"));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut text = String::new();
        for depth in 0..40 {
            text.push_str(&format!("{}- [C{depth}](c{depth}.md)\n", "  ".repeat(depth)));
        }
        let summary = parse(&text, "src/SUMMARY.md").unwrap();
        assert!(summary.parts[0].chapters.iter().all(|c| c.depth <= MAX_DEPTH));
    }
}
