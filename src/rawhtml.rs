//! The raw HTML authors write inside Markdown: its start tags, and the
//! attributes in them that hold URLs (`<img src>`, `<a href>`, ...).
//!
//! pulldown-cmark hands raw HTML over as text. Its URLs are links like any
//! other: a relative `<img src="img/a.png">` must be checked and must follow
//! the page into its output folder (issue 9). This module finds them in the
//! author's HTML, never in rendered output, and rewrites only their values.

use std::borrow::Cow;
use std::ops::Range;

use crate::markdown::escape_attr;

/// A URL attribute in a fragment of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlAttribute {
    /// The URL, with `&amp;` read as `&`.
    pub(crate) url: String,
    /// Where its value is in the fragment (inside the quotes, if any).
    pub(crate) span: Range<usize>,
}

/// Whether attribute `name` of tag `tag` holds a URL playbook checks.
fn is_url_attribute(tag: &str, name: &str) -> bool {
    match name {
        "src" => matches!(tag, "img" | "source" | "video" | "audio" | "track" | "embed" | "iframe"),
        "href" => tag == "a",
        "poster" => tag == "video",
        _ => false,
    }
}

/// A start tag found by [`start_tags`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StartTag {
    /// The tag name, lowercased.
    pub(crate) name: String,
    /// Its attributes, in order.
    pub(crate) attributes: Vec<Attribute>,
}

/// An attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribute {
    /// The name, lowercased.
    pub(crate) name: String,
    /// The value, with `&amp;` read as `&` (empty for `hidden`).
    pub(crate) value: String,
    /// Where the value is in the fragment (`None` for an attribute without
    /// one).
    pub(crate) span: Option<Range<usize>>,
}

/// The start tags of an HTML fragment, in order. Comments are skipped; text
/// is ignored; a tag left open at the end of the fragment is dropped.
pub(crate) fn start_tags(html: &str) -> Vec<StartTag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        i += offset + 1;
        if html[i..].starts_with("!--") {
            match html[i..].find("-->") {
                Some(end) => i += end + 3,
                None => break,
            }
            continue;
        }
        let name_len = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        match read_attributes(html, i) {
            Some((attributes, end)) => {
                tags.push(StartTag { name, attributes });
                i = end;
            }
            None => break,
        }
    }
    tags
}

/// Reads attributes from `i` to the tag's `>`; the attributes and the
/// position after the `>`.
fn read_attributes(html: &str, mut i: usize) -> Option<(Vec<Attribute>, usize)> {
    let bytes = html.as_bytes();
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((attributes, i + 1)),
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                    i += 1;
                }
                let name = html[start..i].to_ascii_lowercase();
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'=') {
                    attributes.push(Attribute { name, value: String::new(), span: None });
                    continue;
                }
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let (span, after) = match bytes.get(i)? {
                    quote @ (b'"' | b'\'') => {
                        let close = i + 1 + html[i + 1..].find(*quote as char)?;
                        (i + 1..close, close + 1)
                    }
                    _ => {
                        let end = i + bytes[i..].iter().take_while(|b| !b.is_ascii_whitespace() && **b != b'>').count();
                        (i..end, end)
                    }
                };
                let value = html[span.clone()].replace("&amp;", "&");
                attributes.push(Attribute { name, value, span: Some(span) });
                i = after;
            }
        }
    }
}

/// The URL attributes of the fragment's tags.
pub(crate) fn url_attributes(html: &str) -> Vec<UrlAttribute> {
    let mut found = Vec::new();
    for tag in start_tags(html) {
        for attribute in tag.attributes {
            if let Some(span) = attribute.span
                && is_url_attribute(&tag.name, &attribute.name)
            {
                found.push(UrlAttribute { url: attribute.value, span });
            }
        }
    }
    found
}

/// The fragment with each URL attribute's value replaced by `rewrite(url)`
/// where that returns a new URL (escaped and quoted here).
pub(crate) fn rewrite_urls<'h>(html: &'h str, mut rewrite: impl FnMut(&str) -> Option<String>) -> Cow<'h, str> {
    let attributes = url_attributes(html);
    let mut out = String::new();
    let mut copied = 0;
    for attribute in attributes {
        let Some(url) = rewrite(&attribute.url) else { continue };
        // Quote the new value whatever the author used: an unquoted value
        // ends at a space, which a rewritten URL might hold.
        let quoted = attribute.span.start > 0 && matches!(html.as_bytes()[attribute.span.start - 1], b'"' | b'\'');
        out.push_str(&html[copied..attribute.span.start]);
        if !quoted {
            out.push('"');
        }
        escape_attr(&mut out, &url);
        if !quoted {
            out.push('"');
        }
        copied = attribute.span.end;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Reads one start tag that is the whole of `html` (ignoring surrounding
/// space): its name and its attributes (values unquoted). `None` if `html`
/// is not exactly one start tag.
pub(crate) fn parse_start_tag(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let trimmed = html.trim();
    if !trimmed.starts_with('<') || !trimmed.ends_with('>') {
        return None;
    }
    let mut tags = start_tags(trimmed);
    if tags.len() != 1 || trimmed[1..].contains('<') {
        return None;
    }
    let tag = tags.pop()?;
    Some((tag.name, tag.attributes.into_iter().map(|a| (a.name, a.value)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_url_attributes_with_any_quoting() {
        let html = "<p><img alt=\"x\" src=\"img/a.png\"> <a href='b.pdf'>b</a> <video poster=p.jpg src=v.mp4>\
                    <!-- <img src=\"commented.png\"> --><span src=\"not-a-url\"></p>";
        let urls: Vec<_> = url_attributes(html).into_iter().map(|a| a.url).collect();
        assert_eq!(urls, ["img/a.png", "b.pdf", "p.jpg", "v.mp4"]);
        let first = &url_attributes(html)[0];
        assert_eq!(&html[first.span.clone()], "img/a.png");
    }

    #[test]
    fn rewrites_only_url_values_and_escapes_them() {
        let html = "<img src=img/a.png alt=\"img/a.png\"> <a href=\"x.pdf\">x</a>";
        let out = rewrite_urls(html, |url| Some(format!("../{url}?a=1&b=\"2\"")));
        assert_eq!(
            out,
            "<img src=\"../img/a.png?a=1&amp;b=&quot;2&quot;\" alt=\"img/a.png\"> <a href=\"../x.pdf?a=1&amp;b=&quot;2&quot;\">x</a>"
        );
        assert!(matches!(rewrite_urls("<b>no urls</b>", |_| None), Cow::Borrowed(_)));
    }

    #[test]
    fn start_tags_parse_with_any_quoting() {
        let (name, attrs) = parse_start_tag("<a class='x y' data-t=12 hidden>").unwrap();
        assert_eq!(name, "a");
        assert_eq!(
            attrs,
            [("class".into(), "x y".into()), ("data-t".into(), "12".into()), ("hidden".into(), String::new())]
        );
        assert!(parse_start_tag("</a>").is_none());
        assert!(parse_start_tag("<a class=\"open>").is_none());
        assert!(parse_start_tag("<a><b>").is_none());
    }

    #[test]
    fn unterminated_tags_and_stray_brackets_are_harmless() {
        assert!(start_tags("a < b and <3 and <img src=\"x").is_empty());
        assert_eq!(start_tags("<<img src=a>").len(), 1);
    }
}
