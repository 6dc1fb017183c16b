//! Slugs and relative URLs: turning titles and paths into safe, stable output
//! locations, and linking between output files without absolute paths.
//!
//! Every link in the handbook is relative, so the site works under any base
//! path and opened from disk. Links name `index.html` explicitly because a
//! browser reading from disk does not turn a folder into its index.

use crate::model::Slug;

/// Turns text into an id: lowercase letters and digits, other runs become
/// one `-`. Used for heading anchors and file-derived slugs. Empty input
/// gives an empty string; callers pick their own fallback.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(ch.to_lowercase());
        } else if !matches!(ch, '\'' | '’' | '`') {
            pending_dash = true;
        }
    }
    out
}

/// The slug of a content file from its path inside `content/`, with `/`
/// separators: `problems/Strategy Problems.md` -> `problems/strategy-problems`.
/// `index.md`, `_index.md` and `README.md` take their folder's slug, so
/// `content/index.md` is the home page.
pub(crate) fn slug_from_path(rel_path: &str) -> Slug {
    let without_ext = without_page_ext(rel_path);
    let mut segments: Vec<String> = without_ext.split('/').map(slugify_segment).collect();
    if let Some(last) = without_ext.rsplit('/').next()
        && matches!(last.to_ascii_lowercase().as_str(), "index" | "_index" | "readme")
    {
        segments.pop();
    }
    Slug::new_unchecked(segments.join("/"))
}

fn slugify_segment(segment: &str) -> String {
    let s = slugify(segment);
    // A file's name fits its file system, but its slug may not: lower case
    // can take more bytes, and its text file adds `.js`.
    if s.is_empty() { "page".to_string() } else { shortened(&s).to_string() }
}

/// The longest segment a slug written in frontmatter may have, in bytes.
/// Each becomes a folder's name, and the last one a file's too
/// (`search/text/<slug>.js`), which file systems cap at 255 bytes.
const MAX_SEGMENT_BYTES: usize = 200;

/// Checks a slug written in frontmatter: segments of lowercase letters,
/// digits, `-` and `_`, separated by `/`, none longer than
/// [`MAX_SEGMENT_BYTES`]. Anything that could leave the output folder
/// (`..`, absolute paths, backslashes) is refused. The error says what is
/// wrong; the caller adds where.
pub(crate) fn parse_slug(text: &str) -> Result<Slug, String> {
    let trimmed = text.trim_matches('/');
    if trimmed.is_empty() {
        return Err("a slug cannot be empty (the home page is `content/index.md`)".into());
    }
    for segment in trimmed.split('/') {
        if segment.is_empty() {
            return Err("a slug cannot contain `//`".into());
        }
        if let Some(bad) =
            segment.chars().find(|&c| !(c.is_alphanumeric() && !c.is_uppercase() || c == '-' || c == '_'))
        {
            return Err(format!("a slug may hold lowercase letters, digits, `-`, `_` and `/`, not `{bad}`"));
        }
        if segment.len() > MAX_SEGMENT_BYTES {
            return Err(format!(
                "each part of a slug between `/` may be at most {MAX_SEGMENT_BYTES} bytes long, and one is {}",
                segment.len()
            ));
        }
    }
    Ok(Slug::new_unchecked(trimmed.to_string()))
}

/// `segment` cut to the longest slug segment [`parse_slug`] takes, at a
/// character and without a trailing `-`.
pub(crate) fn shortened(segment: &str) -> &str {
    let mut end = segment.len().min(MAX_SEGMENT_BYTES);
    while !segment.is_char_boundary(end) {
        end -= 1;
    }
    segment[..end].trim_end_matches('-')
}

/// Joins a relative `path` (`../img/a.png`) onto the folder `base_dir`
/// (both with `/` separators), resolving `.` and `..`. `None` if the path
/// climbs out of the root.
pub(crate) fn join_relative(base_dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The `../` prefix that leads from site-relative file `from` back to the
/// site root: `a/b/index.html` -> `../../`.
pub(crate) fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// A relative URL from site-relative file `from` to site-relative file `to`.
pub(crate) fn relative_url(from: &str, to: &str) -> String {
    let from_dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
    let from_depth = if from_dir.is_empty() { 0 } else { from_dir.split('/').count() };
    // Skip the folders both paths start with.
    let (mut common, mut rest) = (0, to);
    for dir in from_dir.split('/').take(from_depth) {
        match rest.split_once('/') {
            Some((head, tail)) if head == dir => {
                common += 1;
                rest = tail;
            }
            _ => break,
        }
    }
    let ups = from_depth - common;
    let mut url = String::with_capacity(3 * ups + rest.len());
    for _ in 0..ups {
        url.push_str("../");
    }
    url.push_str(rest);
    url
}

/// The one rule for which files are pages: a name ending in `.md`, in any
/// case (`Other.MD` is a page with the slug `other`). The path without that
/// extension, if it has it.
pub(crate) fn page_stem(path: &str) -> Option<&str> {
    let split = path.len().checked_sub(3)?;
    let (stem, ext) = (path.get(..split)?, path.get(split..)?);
    ext.eq_ignore_ascii_case(".md").then_some(stem)
}

/// Whether `path` names a page (see [`page_stem`]).
pub(crate) fn is_page_file(path: &str) -> bool {
    page_stem(path).is_some()
}

/// `path` without a page extension, or `path` itself.
pub(crate) fn without_page_ext(path: &str) -> &str {
    page_stem(path).unwrap_or(path)
}

/// Decodes `%XX` escapes. `None` if an escape is malformed or the result
/// is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_case_and_punctuation() {
        assert_eq!(slugify("Why it happens?"), "why-it-happens");
        assert_eq!(slugify("  The Leader's  Job "), "the-leaders-job");
        assert_eq!(slugify("snake_case name"), "snake-case-name");
        assert_eq!(slugify("Ünïcode Größe"), "ünïcode-größe");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn slug_from_path_uses_folders_and_index() {
        assert_eq!(slug_from_path("problems/Strategy Problems.md").as_str(), "problems/strategy-problems");
        assert_eq!(slug_from_path("problems/index.md").as_str(), "problems");
        assert_eq!(slug_from_path("README.md").as_str(), "");
        assert_eq!(slug_from_path("impact_in_product_management.md").as_str(), "impact-in-product-management");
    }

    #[test]
    fn parse_slug_refuses_escapes() {
        assert_eq!(parse_slug("guides/intro").unwrap().as_str(), "guides/intro");
        assert_eq!(parse_slug("/guides/").unwrap().as_str(), "guides");
        assert!(parse_slug("../etc").is_err());
        assert!(parse_slug("a/./b").is_err());
        assert!(parse_slug("a\\b").is_err());
        assert!(parse_slug("Upper").is_err());
        assert!(parse_slug("").is_err());
        assert!(parse_slug("a//b").is_err());
        // A name a file system takes, with room for the `.js` of its text.
        assert!(parse_slug(&format!("a/{}", "b".repeat(200))).is_ok());
        assert!(parse_slug(&format!("a/{}", "b".repeat(201))).unwrap_err().contains("at most 200 bytes"));
        let long = format!("{}-cc", "é".repeat(100));
        assert_eq!(shortened(&long), "é".repeat(100));
        let odd = format!("a{}", "é".repeat(100));
        assert_eq!(shortened(&odd), format!("a{}", "é".repeat(99)), "cut between characters");
        assert_eq!(shortened(&format!("{}-b", "a".repeat(199))), "a".repeat(199), "no trailing `-`");
        // A slug made from a long file or folder name is cut the same way.
        let name = format!("{}/index.md", "a".repeat(254));
        assert_eq!(slug_from_path(&name).as_str(), "a".repeat(200));
        // "İ" is two bytes, and three in lower case.
        let dotted = slug_from_path(&format!("{}.md", "İ".repeat(125)));
        assert!((190..=200).contains(&dotted.as_str().len()), "{}", dotted.as_str().len());
    }

    #[test]
    fn joins_relative_paths_without_leaving_the_root() {
        assert_eq!(join_relative("guides", "../img/a.png").as_deref(), Some("img/a.png"));
        assert_eq!(join_relative("", "./a.md").as_deref(), Some("a.md"));
        assert_eq!(join_relative("a", "../../x"), None);
    }

    #[test]
    fn relative_urls_between_output_files() {
        assert_eq!(relative_url("index.html", "a/index.html"), "a/index.html");
        assert_eq!(relative_url("a/b/index.html", "a/c/index.html"), "../c/index.html");
        assert_eq!(relative_url("a/b/index.html", "index.html"), "../../index.html");
        assert_eq!(relative_url("a/index.html", "a/img.png"), "img.png");
        assert_eq!(root_prefix("a/b/index.html"), "../../");
        assert_eq!(root_prefix("index.html"), "");
    }

    /// The plain definition: up out of `from`'s folders that `to` does not
    /// share, then down `to`'s remaining path.
    fn relative_url_by_definition(from: &str, to: &str) -> String {
        let from_parts: Vec<&str> = from.split('/').collect();
        let from_dirs = &from_parts[..from_parts.len() - 1];
        let to_parts: Vec<&str> = to.split('/').collect();
        let common = from_dirs.iter().zip(&to_parts[..to_parts.len() - 1]).take_while(|(a, b)| a == b).count();
        "../".repeat(from_dirs.len() - common) + &to_parts[common..].join("/")
    }

    proptest::proptest! {
        #[test]
        fn relative_url_follows_its_definition(
            from in proptest::collection::vec("[ab]{1,2}", 1..5),
            to in proptest::collection::vec("[ab]{1,2}", 1..5),
        ) {
            let (from, to) = (from.join("/"), to.join("/"));
            proptest::prop_assert_eq!(relative_url(&from, &to), relative_url_by_definition(&from, &to));
        }
    }
}
