//! `[output.html.redirect]`: an old address of an mdBook that leads on to
//! its new one, written as a small page that forwards.

use crate::config::Redirect;
use crate::mdbook::summary::Summary;
use crate::slug::{join_relative, relative_url};

/// The addresses mdBook gave the chapters `summary` lists
/// (`format/summary.html`; `cli/index.html` for `cli/README.md`), each
/// leading on to the page playbook builds from the same file: links into
/// an mdBook already published keep working. Paths the site has already
/// are left alone by the planner.
pub(crate) fn chapter_addresses(summary: &Summary) -> impl Iterator<Item = Redirect> + '_ {
    summary.files.iter().filter_map(|file| {
        let stem = file.strip_suffix(".md")?;
        let stem = match stem.rsplit_once('/') {
            Some((dir, "README")) => format!("{dir}/index"),
            None if stem == "README" => "index".to_string(),
            _ => stem.to_string(),
        };
        let from = format!("{stem}.html");
        is_writable(&from).then(|| Redirect { to: format!("/{from}"), from })
    })
}

/// Where the redirect from site path `from` to `to` (as `book.toml` writes
/// it: relative to `from`, root-absolute, or a URL) leads, as a URL
/// relative to `from`. A path to an `.html` page of mdBook's is read as the
/// page it was built from: `page_of("format/config.md")` gives that page's
/// output path, if it is one. `None` if the path climbs out of the site.
pub(crate) fn target(from: &str, to: &str, page_of: impl Fn(&str) -> Option<String>) -> Option<String> {
    if to.contains("://") || to.starts_with("//") {
        return Some(to.to_string());
    }
    let (path, fragment) = match to.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (to, None),
    };
    let base = if path.starts_with('/') { "" } else { from.rsplit_once('/').map_or("", |(dir, _)| dir) };
    let joined = join_relative(base, path)?;
    let output = (joined.strip_suffix(".html"))
        .and_then(|stem| {
            page_of(&format!("{stem}.md"))
                .or_else(|| stem.strip_suffix("index").and_then(|dir| page_of(&format!("{dir}README.md"))))
        })
        .unwrap_or(joined);
    let mut url = relative_url(from, &output);
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    Some(url)
}

/// The page written at a redirect's old path: it forwards at once, with
/// the fragment the reader came with, and works without JavaScript.
pub(crate) fn page(to: &str) -> String {
    let attr = html_escape(to);
    let script = serde_json::to_string(to).unwrap_or_default().replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={attr}\">\n<link rel=\"canonical\" href=\"{attr}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <script>var to = {script}; location.replace(to.indexOf('#') < 0 ? to + location.hash : to);</script>\n\
         </head>\n<body>\n<p>This page has moved to <a href=\"{attr}\">{attr}</a>.</p>\n</body>\n</html>\n"
    )
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Whether `from` is a path playbook may write a redirect page at: inside
/// the output folder, an `.html` file, with no `.` or `..` segment.
pub(crate) fn is_writable(from: &str) -> bool {
    from.ends_with(".html")
        && !from.contains('\\')
        && from.split('/').all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(path: &str) -> Option<String> {
        match path {
            "format/configuration/index.md" => Some("format/configuration/index.html".into()),
            "format/summary.md" => Some("format/summary/index.html".into()),
            "README.md" => Some("index.html".into()),
            _ => None,
        }
    }

    #[test]
    fn every_chapter_keeps_the_address_mdbook_gave_it() {
        let summary = crate::mdbook::summary::parse(
            "# Summary\n\n[Intro](README.md)\n\n- [Summary](format/summary.md)\n- [CLI](cli/README.md)\n",
            "src/SUMMARY.md",
        )
        .unwrap();
        let addresses: Vec<(String, String)> = chapter_addresses(&summary).map(|r| (r.from, r.to)).collect();
        assert_eq!(
            addresses,
            [
                ("index.html".to_string(), "/index.html".to_string()),
                ("cli/index.html".to_string(), "/cli/index.html".to_string()),
                ("format/summary.html".to_string(), "/format/summary.html".to_string()),
            ]
        );
        let pages = |file: &str| (file == "format/summary.md").then(|| "format/summary/index.html".to_string());
        assert_eq!(target("format/summary.html", "/format/summary.html", pages).unwrap(), "summary/index.html");
    }

    #[test]
    fn a_target_is_read_from_the_old_page_and_mapped_to_the_page_built() {
        assert_eq!(
            target("format/config.html", "configuration/index.html", pages).unwrap(),
            "configuration/index.html"
        );
        assert_eq!(target("a/b.html", "../format/summary.html#x", pages).unwrap(), "../format/summary/index.html#x");
        assert_eq!(target("a/b.html", "/index.html", pages).unwrap(), "../index.html");
        assert_eq!(target("a.html", "https://e.org/x", pages).unwrap(), "https://e.org/x");
        assert_eq!(target("a.html", "other/file.pdf", pages).unwrap(), "other/file.pdf");
        assert_eq!(target("a.html", "../../x.html", pages), None);
    }

    #[test]
    fn the_page_escapes_its_target() {
        let html = page("x.html\"><script>alert(1)</script>");
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn only_paths_inside_the_site_are_written() {
        assert!(is_writable("format/config.html"));
        for bad in ["../x.html", "a/../../x.html", "/x.html", "a//b.html", "a\\b.html", "x.css", "./x.html"] {
            assert!(!is_writable(bad), "{bad}");
        }
    }
}
