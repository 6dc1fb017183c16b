//! Byte offsets to 1-based line:column positions.
//!
//! Every stage that finds a problem knows a byte offset into a file's text; this
//! module owns turning it into what a person reads (`content/x.md:4:10`) and
//! into the source line shown under the message. Columns count characters, not
//! bytes, as editors do, and a `\r` before a `\n` is not part of the line.

/// The start offsets of every line of one text, for offset -> line:column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The 1-based line and column of byte `offset` in `text` (the text this
    /// index was built from). An offset past the end maps to the end; an
    /// offset inside a multi-byte character maps to that character.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        (to_u32(line + 1), to_u32(column))
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let index = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(index) else {
            return "";
        };
        let end = self.line_starts.get(index + 1).copied().unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// `n`, saturated to `u32` (a line or column past 4 billion is not shown exactly).
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_first_column() {
        let text = "abc\ndef";
        assert_eq!(LineIndex::new(text).line_col(text, 0), (1, 1));
    }

    #[test]
    fn offsets_after_newlines_and_crlf() {
        let text = "ab\r\ncd\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 4), (2, 1));
        assert_eq!(index.line_col(text, 5), (2, 2));
        assert_eq!(index.line_col(text, 8), (3, 2));
        assert_eq!(index.line_text(text, 1), "ab");
        assert_eq!(index.line_text(text, 3), "ef");
        assert_eq!(index.line_text(text, 9), "");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é—x";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, "é—".len()), (1, 3));
        // Inside the em dash: the column of the character that holds it.
        assert_eq!(index.line_col(text, "é".len() + 1), (1, 2));
    }

    #[test]
    fn offset_past_end_is_clamped() {
        let text = "a\nb";
        assert_eq!(LineIndex::new(text).line_col(text, 99), (2, 2));
    }
}
