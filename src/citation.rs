//! Citations: where a page's ideas come from. A YouTube video at a second, or
//! a web address. Owns timestamp parsing (`"01:07:40"`), deep links to a
//! video at that second, and the checks that keep a frontmatter URL from
//! becoming a `javascript:` link.

/// A source as the handbook shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Citation {
    /// A moment of a video.
    Video {
        /// The YouTube video id.
        id: String,
        /// Where in the video, in seconds, if given.
        seconds: Option<u32>,
        /// What the source says.
        note: Option<String>,
    },
    /// A web page.
    Link {
        /// An http(s) address.
        url: String,
        /// What the source says.
        note: Option<String>,
    },
}

impl Citation {
    /// The address a reader follows.
    pub(crate) fn url(&self) -> String {
        match self {
            Citation::Video { id, seconds, .. } => video_url(id, *seconds),
            Citation::Link { url, .. } => url.clone(),
        }
    }
}

/// Parses `"HH:MM:SS"`, `"MM:SS"` or `"SS"` into seconds. Minutes and
/// seconds after the first field must be below 60.
pub(crate) fn parse_timestamp(text: &str) -> Result<u32, String> {
    let fields: Vec<&str> = text.trim().split(':').collect();
    if fields.is_empty()
        || fields.len() > 3
        || fields.iter().any(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("`{text}` is not a timestamp; write it as \"HH:MM:SS\", \"MM:SS\" or a number of seconds"));
    }
    let mut total: u32 = 0;
    for (i, field) in fields.iter().enumerate() {
        let value: u32 = field.parse().map_err(|_| format!("`{text}` is too large to be a timestamp"))?;
        if i > 0 && value >= 60 {
            return Err(format!("`{text}` has {value} in a minutes or seconds field; it must be below 60"));
        }
        total =
            total.checked_mul(60).and_then(|t| t.checked_add(value)).ok_or_else(|| format!("`{text}` is too large"))?;
    }
    Ok(total)
}

/// `4060` -> `"1:07:40"`, `460` -> `"7:40"`.
pub(crate) fn format_timestamp(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// A link to a YouTube video, at a second if given.
pub(crate) fn video_url(id: &str, seconds: Option<u32>) -> String {
    match seconds {
        Some(t) => format!("https://www.youtube.com/watch?v={id}&t={t}"),
        None => format!("https://www.youtube.com/watch?v={id}"),
    }
}

/// Whether `id` looks like a YouTube video id: 11 characters of
/// `[A-Za-z0-9_-]`. Checked so a typo cannot inject text into a URL.
pub(crate) fn is_video_id(id: &str) -> bool {
    id.len() == 11 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `url` is an absolute http(s) address, the only kind a
/// frontmatter source may link to.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_in_all_forms() {
        assert_eq!(parse_timestamp("01:07:40"), Ok(4060));
        assert_eq!(parse_timestamp("07:40"), Ok(460));
        assert_eq!(parse_timestamp("42"), Ok(42));
        assert_eq!(parse_timestamp("00:53:54"), Ok(3234));
    }

    #[test]
    fn malformed_timestamps_are_refused() {
        for bad in ["", "1:2:3:4", "01:60:00", "00:07:61", "1h07", "-5", "01::40", "99999999999"] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_and_links() {
        assert_eq!(format_timestamp(4060), "1:07:40");
        assert_eq!(format_timestamp(460), "7:40");
        assert_eq!(video_url("YP_QghPLG-8", Some(4060)), "https://www.youtube.com/watch?v=YP_QghPLG-8&t=4060");
    }

    #[test]
    fn only_safe_ids_and_urls() {
        assert!(is_video_id("YP_QghPLG-8"));
        assert!(!is_video_id("YP_QghPLG-8&x=<"));
        assert!(is_web_url("https://example.org/a"));
        for bad in ["javascript:alert(1)", "JAVASCRIPT:x", "ftp://x", "https://", "https://a b", "/relative"] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
