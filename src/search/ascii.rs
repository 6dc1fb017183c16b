//! UAX #29's words of ASCII text, found 64 bytes at a time: every word of
//! every page passes through here while pages are parsed, and most text is
//! ASCII. Each byte's class is worked out eight bytes at a time in a `u64`
//! (SWAR: "SIMD within a register", portable to every target), giving a
//! mask of the letters, digits and `_`; words are its runs of ones, found
//! with `trailing_zeros` rather than a branch per byte, joined where a
//! joiner stands between two.
//!
//! The rules, as `unicode_words` applies them to ASCII: letters, digits
//! and `_` run together; `:` `.` `'` join two letters, `,` `;` `.` `'` two
//! digits; anything else (whitespace too) ends a word. Words without a
//! letter or digit are dropped.

use super::lanes::{ONES, bits, equal, in_range};

/// Calls `emit` with the byte range of each word of `bytes`, which are all
/// ASCII, in order.
pub(crate) fn word_spans(bytes: &[u8], mut emit: impl FnMut(usize, usize)) {
    let mut open: Option<usize> = None;
    // Where a run of letters or digits starts that a joiner joined to the
    // open word.
    let mut joined_at = usize::MAX;
    // Whether the byte before the block is a letter, digit or `_`.
    let mut carry = 0u64;
    for base in (0..bytes.len()).step_by(64) {
        let inside = block_mask(bytes, base);
        let before = (inside << 1) | carry;
        let (mut starts, mut ends) = (inside & !before, !inside & before);
        if bytes.len() - base < 64 {
            // Past the end nothing is inside; the last word ends there.
            ends &= (1u64 << (bytes.len() - base)) - 1;
        }
        while starts | ends != 0 {
            let at = (starts | ends).trailing_zeros();
            let bit = 1u64 << at;
            let position = base + at as usize;
            if starts & bit != 0 {
                starts &= !bit;
                if position != joined_at {
                    open = Some(position);
                }
            } else {
                ends &= !bit;
                // A run ends at a byte that is not a letter, digit or `_`:
                // a joiner between two letters or two digits continues it.
                let next = position + 1;
                if next < bytes.len() && joins(bytes[position - 1], bytes[position], bytes[next]) {
                    joined_at = next;
                } else if let Some(start) = open.take() {
                    emit_word(bytes, start, position, &mut emit);
                }
            }
        }
        carry = inside >> 63;
    }
    if let Some(start) = open {
        emit_word(bytes, start, bytes.len(), &mut emit);
    }
}

/// Emits a run of word bytes unless it is only `_`.
#[inline]
fn emit_word(bytes: &[u8], start: usize, end: usize, emit: &mut impl FnMut(usize, usize)) {
    if bytes[start] != b'_' || bytes[start..end].iter().any(u8::is_ascii_alphanumeric) {
        emit(start, end);
    }
}

/// Which of the (up to) 64 bytes from `base` are letters, digits or `_`:
/// bit `i` for byte `base + i`.
fn block_mask(bytes: &[u8], base: usize) -> u64 {
    let block = &bytes[base..bytes.len().min(base + 64)];
    let mut inside = 0u64;
    let mut chunks = block.chunks_exact(8);
    let mut shift = 0;
    for chunk in &mut chunks {
        inside |= word_bytes(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))) << shift;
        shift += 8;
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        // Zeros past the end: a zero byte is in no class.
        let mut lanes = [0u8; 8];
        lanes[..tail.len()].copy_from_slice(tail);
        inside |= word_bytes(u64::from_le_bytes(lanes)) << shift;
    }
    inside
}

/// Which of eight bytes are letters, digits or `_`: bit `i` for lane `i`.
fn word_bytes(lanes: u64) -> u64 {
    let letters = in_range(lanes | (ONES * 0x20), b'a', b'z');
    let digits = in_range(lanes, b'0', b'9');
    bits(letters | digits | equal(lanes, b'_'))
}

/// Whether `mid` keeps `before` and `after` in one word (WB6, WB7, WB11, WB12).
fn joins(before: u8, mid: u8, after: u8) -> bool {
    if !matches!(mid, b':' | b'.' | b'\'' | b',' | b';') {
        return false;
    }
    let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic() && matches!(mid, b':' | b'.' | b'\'');
    let digits = before.is_ascii_digit() && after.is_ascii_digit() && matches!(mid, b',' | b';' | b'.' | b'\'');
    letters || digits
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        word_spans(text.as_bytes(), |start, end| out.push(&text[start..end]));
        out
    }

    #[test]
    fn words_cross_the_blocks() {
        let long = format!("{} v2.1 team's {}", "a".repeat(70), "b".repeat(64));
        assert_eq!(words(&long), ["a".repeat(70).as_str(), "v2.1", "team's", "b".repeat(64).as_str()]);
        assert_eq!(words("__ _a_ a:b a::b 1,000 x."), ["_a_", "a:b", "a", "b", "1,000", "x"]);
        assert_eq!(words(""), Vec::<&str>::new());
    }

    proptest::proptest! {
        /// The words UAX #29 finds, at any length and alignment.
        #[test]
        fn words_match_unicode_words(text in "[a-zA-Z0-9_'.:,;!?()\\-\\[\\] \t\n]{0,300}") {
            let general: Vec<&str> = text.unicode_words().collect();
            proptest::prop_assert_eq!(words(&text), general);
        }
    }
}
