//! Reading requests safely: the pure checks `serve` runs on every request
//! before it looks anything up. A request target becomes a site path
//! ([`site_path`]) or is refused; a `Host` header must name this server
//! ([`host_allowed`]); a `Range` header is read into one span or ignored
//! ([`parse_range`]). Unit-tested here; `http.rs` applies them.

use crate::slug::percent_decode;

/// Why a request target was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not an absolute path (`/...`).
    NotAPath,
    /// `%2f`, `%5c` or `%00`: separators and NUL may not be encoded.
    EncodedSeparator,
    /// A `%` not followed by two hex digits, or not UTF-8 once decoded.
    BadEncoding,
    /// `..`, `.`, an empty segment, a backslash or NUL.
    Traversal,
}

/// Turns a raw request target into a site-relative path, decoding it once.
/// `/` is `index.html`; a trailing `/` means its `index.html`.
pub(crate) fn site_path(target: &str) -> Result<String, Refusal> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = path.strip_prefix('/') else { return Err(Refusal::NotAPath) };
    let lower = path.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Err(Refusal::EncodedSeparator);
    }
    let decoded = percent_decode(path).ok_or(Refusal::BadEncoding)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refusal::Traversal);
    }
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    if !trimmed.is_empty() && trimmed.split('/').any(|s| matches!(s, "" | "." | "..")) {
        return Err(Refusal::Traversal);
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        return Ok(format!("{decoded}index.html"));
    }
    Ok(decoded)
}

/// Whether a `Host` header names this server: an IP address or
/// `localhost`, on our port. A DNS-rebinding attack reaches us under the
/// attacker's domain name, which this refuses.
pub(crate) fn host_allowed(host: &str, port: u16) -> bool {
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p)) if !name.is_empty() && !p.contains(']') => (name, p.parse::<u16>().ok()),
        _ => (host, None),
    };
    if host_port != Some(port) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok()
}

/// The content type of a file, by extension.
pub(crate) fn mime_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// What a `Range` header asks of a resource of `len` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RangeRequest {
    /// One range, as a half-open span of bytes.
    Satisfiable(std::ops::Range<u64>),
    /// A range past the end.
    Unsatisfiable,
    /// Something not worth honouring (several ranges, another unit, a
    /// malformed header): the whole resource is sent, as RFC 9110 allows.
    Ignored,
}

/// Parses `bytes=a-b`, `bytes=a-` and `bytes=-n`.
pub(crate) fn parse_range(header: &str, len: u64) -> RangeRequest {
    let Some(spec) = header.trim().strip_prefix("bytes=") else { return RangeRequest::Ignored };
    if spec.contains(',') {
        return RangeRequest::Ignored;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return RangeRequest::Ignored };
    let number = |s: &str| s.trim().parse::<u64>().ok();
    let span = match (first.trim().is_empty(), last.trim().is_empty()) {
        (true, false) => match number(last) {
            Some(0) => return RangeRequest::Unsatisfiable,
            Some(n) => len.saturating_sub(n)..len,
            None => return RangeRequest::Ignored,
        },
        (false, true) => match number(first) {
            Some(start) => start..len,
            None => return RangeRequest::Ignored,
        },
        (false, false) => match (number(first), number(last)) {
            (Some(start), Some(end)) if start <= end => start..(end + 1).min(len),
            _ => return RangeRequest::Ignored,
        },
        (true, true) => return RangeRequest::Ignored,
    };
    if span.start >= len { RangeRequest::Unsatisfiable } else { RangeRequest::Satisfiable(span) }
}

/// Whether an `Accept-Encoding` header takes gzip: listed (or `*`), and not
/// with `q=0`.
pub(crate) fn accepts_gzip(header: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let refused =
            parts.any(|p| p.trim().strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)));
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_taken_when_listed_without_q_zero() {
        assert!(accepts_gzip("gzip, deflate, br"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(accepts_gzip("*"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("gzip; q=0.0, br"));
        assert!(!accepts_gzip("identity"));
        assert!(!accepts_gzip("x-gzip-not"));
    }

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(site_path("/").unwrap(), "index.html");
        assert_eq!(site_path("/a/b/").unwrap(), "a/b/index.html");
        assert_eq!(site_path("/a/b/index.html?x=1#y").unwrap(), "a/b/index.html");
        assert_eq!(site_path("/img/a%20b.png").unwrap(), "img/a b.png");
        assert_eq!(site_path("/a/b").unwrap(), "a/b");
    }

    #[test]
    fn traversal_is_refused() {
        for (target, why) in [
            ("/../book.toml", Refusal::Traversal),
            ("/a/../../book.toml", Refusal::Traversal),
            ("/%2e%2e/book.toml", Refusal::Traversal),
            ("/%2E%2E/%2e%2e/etc/passwd", Refusal::Traversal),
            ("/..%2fbook.toml", Refusal::EncodedSeparator),
            ("/..%2Fbook.toml", Refusal::EncodedSeparator),
            ("/..%5cbook.toml", Refusal::EncodedSeparator),
            ("/a\\..\\book.toml", Refusal::Traversal),
            ("/index.html%00.png", Refusal::EncodedSeparator),
            ("/%zz", Refusal::BadEncoding),
            ("/%ff%fe", Refusal::BadEncoding),
            ("//etc/passwd", Refusal::Traversal),
            ("/./index.html", Refusal::Traversal),
            ("http://evil/x", Refusal::NotAPath),
            ("*", Refusal::NotAPath),
        ] {
            assert_eq!(site_path(target), Err(why), "{target}");
        }
    }

    #[test]
    fn only_our_addresses_and_port_are_hosts() {
        for ok in ["127.0.0.1:3000", "localhost:3000", "LOCALHOST:3000", "[::1]:3000", "192.168.1.5:3000"] {
            assert!(host_allowed(ok, 3000), "{ok}");
        }
        for bad in
            ["evil.example:3000", "127.0.0.1:3001", "127.0.0.1", "localhost", "127.0.0.1.nip.io:3000", "", "[::1]"]
        {
            assert!(!host_allowed(bad, 3000), "{bad}");
        }
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_type("x.SVG"), "image/svg+xml");
        assert_eq!(mime_type("nav.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime_type("noext"), "application/octet-stream");
    }

    #[test]
    fn ranges() {
        use RangeRequest::*;
        assert_eq!(parse_range("bytes=2-5", 16), Satisfiable(2..6));
        assert_eq!(parse_range("bytes=12-", 16), Satisfiable(12..16));
        assert_eq!(parse_range("bytes=-3", 16), Satisfiable(13..16));
        assert_eq!(parse_range("bytes=-30", 16), Satisfiable(0..16));
        assert_eq!(parse_range("bytes=10-99", 16), Satisfiable(10..16));
        assert_eq!(parse_range("bytes=16-", 16), Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 16), Unsatisfiable);
        for ignored in ["bytes=0-1,3-4", "items=0-1", "bytes=5-2", "bytes=x-", "bytes=-", "bytes"] {
            assert_eq!(parse_range(ignored, 16), Ignored, "{ignored}");
        }
    }
}
