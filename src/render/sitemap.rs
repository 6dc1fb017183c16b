//! `sitemap.xml`, for search engines: every HTML page of the site under the
//! absolute `site-url`. Without an absolute URL there is nothing to write.

/// The sitemap of `pages` (site-relative output paths), if `site_url` is
/// absolute. Pages are listed by their folder URL (`a/b/`), as a server
/// serves them.
pub(super) fn sitemap<'a>(site_url: &str, pages: impl Iterator<Item = &'a str>) -> Option<String> {
    if !(site_url.starts_with("https://") || site_url.starts_with("http://")) {
        return None;
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in pages.filter(|p| p.ends_with("index.html")) {
        let folder = path.strip_suffix("index.html").unwrap_or(path);
        out.push_str("  <url><loc>");
        crate::markdown::escape_attr(&mut out, &format!("{site_url}{folder}"));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_for_absolute_urls_and_only_pages() {
        assert_eq!(sitemap("/", ["index.html"].into_iter()), None);
        let map = sitemap("https://x.org/pb/", ["index.html", "a/index.html", "nav.js", "q&a/index.html"].into_iter())
            .unwrap();
        assert!(map.contains("<loc>https://x.org/pb/</loc>"));
        assert!(map.contains("<loc>https://x.org/pb/a/</loc>"));
        assert!(map.contains("<loc>https://x.org/pb/q&amp;a/</loc>"));
        assert!(!map.contains("nav.js"));
    }
}
