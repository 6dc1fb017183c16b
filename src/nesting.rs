//! How deeply a page nests, measured before any parser sees it.
//!
//! serde_yaml (through libyaml) takes time quadratic in the nesting depth of
//! flow collections: 63.5 KiB of `[` took 17 s to reject, and a valid list
//! 32,000 deep 4.4 s. pulldown-cmark builds a node per container, so a line of
//! two million `- ` took 2.8 s and 1.2 GB. No real page nests more than a
//! handful of levels, so both are measured here, in one linear pass each, and
//! a page deeper than [`MAX_NESTING`] is refused before parsing (issue 9).
//!
//! The scanners are deliberately approximate in the safe direction: they may
//! count a level the real parser would not (a bracket in an odd place), never
//! miss one that makes the parser slow. They never reject a page a person
//! would write.

/// The deepest nesting playbook parses, in YAML collections or Markdown
/// containers (block quotes and list items).
pub(crate) const MAX_NESTING: usize = 64;

/// Where the nesting first goes deeper than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep {
    /// The byte offset, in the scanned text, of the bracket, dash or marker
    /// that went one level too deep.
    pub(crate) offset: usize,
}

/// Measures the nesting of a YAML document: block collections by
/// indentation and `- ` entries, flow collections by `[` and `{`. Quoted
/// scalars, block scalars (`|`, `>`) and comments are skipped.
pub(crate) fn check_yaml(yaml: &str, limit: usize) -> Result<(), TooDeep> {
    let mut scanner = YamlScanner { text: yaml.as_bytes(), limit, blocks: Vec::new(), flow: 0, quote: None };
    let mut line_start = 0;
    let mut block_scalar_parent: Option<usize> = None;
    for line in yaml.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar_parent {
            if content.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar_parent = None;
        }
        let end = start + content.len();
        let block_scalar = if scanner.quote.is_some() || scanner.flow > 0 {
            scanner.scan_inline(start, end)?
        } else {
            scanner.scan_block_line(start + indent, end, indent)?
        };
        if block_scalar {
            block_scalar_parent = Some(indent);
        }
    }
    Ok(())
}

struct YamlScanner<'t> {
    text: &'t [u8],
    limit: usize,
    /// Columns of the open block collections.
    blocks: Vec<usize>,
    /// Depth of open flow collections.
    flow: usize,
    /// The quote of a quoted scalar still open at the end of a line.
    quote: Option<u8>,
}

impl YamlScanner<'_> {
    fn deeper(&self, offset: usize) -> Result<(), TooDeep> {
        if self.blocks.len() + self.flow > self.limit { Err(TooDeep { offset }) } else { Ok(()) }
    }

    /// A line in block context starting at `at` (after `indent` spaces).
    /// Returns whether it opens a block scalar.
    fn scan_block_line(&mut self, at: usize, end: usize, indent: usize) -> Result<bool, TooDeep> {
        if at >= end || self.text[at] == b'#' {
            return Ok(false);
        }
        while self.blocks.last().is_some_and(|&column| column >= indent) {
            self.blocks.pop();
        }
        self.blocks.push(indent);
        self.deeper(at)?;
        // `- `, `? ` and `: ` entries open a node each on the same line.
        let mut pos = at;
        let mut column = indent;
        while pos < end && matches!(self.text[pos], b'-' | b'?' | b':') && self.is_blank_or_end(pos + 1, end) {
            let spaces = self.count_spaces(pos + 1, end);
            pos += 1 + spaces;
            column += 1 + spaces;
            if pos >= end {
                return Ok(false);
            }
            self.blocks.push(column);
            self.deeper(pos)?;
        }
        self.scan_value(pos, end)
    }

    /// A node's text from `pos`: a flow collection, a quoted scalar, a block
    /// scalar indicator, or a key (`key: value`) or plain scalar.
    fn scan_value(&mut self, mut pos: usize, end: usize) -> Result<bool, TooDeep> {
        pos = self.skip_properties(pos, end);
        if pos >= end {
            return Ok(false);
        }
        match self.text[pos] {
            b'[' | b'{' | b'"' | b'\'' => self.scan_inline(pos, end),
            b'|' | b'>' => Ok(true),
            b'#' => Ok(false),
            _ => match self.find_key_end(pos, end) {
                Some(after_colon) => {
                    let value = after_colon + self.count_spaces(after_colon, end);
                    self.scan_value(value, end)
                }
                None => Ok(false),
            },
        }
    }

    /// Scans flow collections and quoted scalars from `pos` to the line's
    /// end. When every flow collection has closed, the rest of the line is
    /// read as the rest of a block node (`[a]: [b]`, `"k": v`).
    fn scan_inline(&mut self, mut pos: usize, end: usize) -> Result<bool, TooDeep> {
        let mut token_start = true;
        while pos < end {
            let byte = self.text[pos];
            if let Some(quote) = self.quote {
                pos = self.skip_quoted(pos, end, quote);
                if self.quote.is_none() && self.flow == 0 {
                    return self.after_node(pos, end);
                }
                token_start = false;
                continue;
            }
            match byte {
                b'[' | b'{' => {
                    self.flow += 1;
                    self.deeper(pos)?;
                    token_start = true;
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    if self.flow == 0 {
                        return self.after_node(pos + 1, end);
                    }
                    token_start = false;
                }
                b'"' | b'\'' if token_start => {
                    self.quote = Some(byte);
                    pos += 1;
                    continue;
                }
                b'#' if pos == 0 || matches!(self.text[pos - 1], b' ' | b'\t') => return Ok(false),
                b',' | b':' | b'?' | b'-' => token_start = true,
                b' ' | b'\t' => {}
                _ => token_start = false,
            }
            pos += 1;
        }
        Ok(false)
    }

    /// What may follow a complete flow collection or quoted scalar on a
    /// block line: nothing, a comment, or `: value`.
    fn after_node(&mut self, pos: usize, end: usize) -> Result<bool, TooDeep> {
        let pos = pos + self.count_spaces(pos, end);
        if pos < end && self.text[pos] == b':' && self.is_blank_or_end(pos + 1, end) {
            let value = pos + 1 + self.count_spaces(pos + 1, end);
            return self.scan_value(value, end);
        }
        Ok(false)
    }

    /// Skips a quoted scalar's text from `pos` up to and past its closing
    /// quote, or to the line's end if it stays open.
    fn skip_quoted(&mut self, mut pos: usize, end: usize, quote: u8) -> usize {
        while pos < end {
            let byte = self.text[pos];
            if quote == b'"' && byte == b'\\' {
                pos += 2;
                continue;
            }
            if byte == quote {
                if quote == b'\'' && pos + 1 < end && self.text[pos + 1] == b'\'' {
                    pos += 2;
                    continue;
                }
                self.quote = None;
                return pos + 1;
            }
            pos += 1;
        }
        end
    }

    /// Skips anchors (`&a`) and tags (`!t`) before a node.
    fn skip_properties(&self, mut pos: usize, end: usize) -> usize {
        while pos < end && matches!(self.text[pos], b'&' | b'!') {
            while pos < end && !matches!(self.text[pos], b' ' | b'\t') {
                pos += 1;
            }
            pos += self.count_spaces(pos, end);
        }
        pos
    }

    /// If a plain key starts at `pos` (`key: ...`), the position after its
    /// colon.
    fn find_key_end(&self, pos: usize, end: usize) -> Option<usize> {
        let mut i = pos;
        while i < end {
            match self.text[i] {
                b':' if self.is_blank_or_end(i + 1, end) => return Some(i + 1),
                b'#' if i > pos && matches!(self.text[i - 1], b' ' | b'\t') => return None,
                _ => i += 1,
            }
        }
        None
    }

    fn is_blank_or_end(&self, pos: usize, end: usize) -> bool {
        pos >= end || matches!(self.text[pos], b' ' | b'\t')
    }

    fn count_spaces(&self, pos: usize, end: usize) -> usize {
        self.text[pos.min(end)..end].iter().take_while(|b| matches!(b, b' ' | b'\t')).count()
    }
}

/// Measures how deeply a Markdown body nests block quotes and list items.
/// Each line's `>` markers count, plus the list items it sits in (by
/// indentation) and those it opens (`- - x`). Fenced code is skipped.
pub(crate) fn check_markdown(body: &str, limit: usize) -> Result<(), TooDeep> {
    let bytes = body.as_bytes();
    // Content columns of the open list items.
    let mut items: Vec<usize> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        let mut pos = start;
        let mut quotes = 0;
        loop {
            let spaces = leading_spaces(bytes, pos, end).min(3);
            if pos + spaces < end && bytes[pos + spaces] == b'>' {
                pos += spaces + 1;
                if pos < end && bytes[pos] == b' ' {
                    pos += 1;
                }
                quotes += 1;
                if quotes > limit {
                    return Err(TooDeep { offset: pos - 1 });
                }
            } else {
                break;
            }
        }
        if pos >= end {
            continue;
        }
        let indent = leading_spaces(bytes, pos, end);
        let mut column = indent;
        pos += indent;
        if let Some(marker) = fence_marker(bytes, pos, end) {
            match fence {
                Some(open) if open.0 == marker.0 && marker.1 >= open.1 => fence = None,
                Some(_) => {}
                None => fence = Some(marker),
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        while items.last().is_some_and(|&content| content > indent) {
            items.pop();
        }
        // Markers that open containers on this line: list items, and block
        // quotes inside them (`- > - x`).
        loop {
            let marker_at = pos;
            if let Some(width) = list_marker(bytes, pos, end) {
                column += width;
                pos += width;
                items.push(column);
            } else if pos < end && bytes[pos] == b'>' {
                pos += 1;
                let spaces = leading_spaces(bytes, pos, end);
                pos += spaces;
                column += 1 + spaces;
                quotes += 1;
            } else {
                break;
            }
            if quotes + items.len() > limit {
                return Err(TooDeep { offset: marker_at });
            }
        }
    }
    Ok(())
}

fn leading_spaces(bytes: &[u8], pos: usize, end: usize) -> usize {
    bytes[pos.min(end)..end].iter().take_while(|&&b| b == b' ' || b == b'\t').count()
}

/// A list marker at `pos` (`-`, `*`, `+`, `1.`, `1)`) with the spaces after
/// it: its width, up to the item's content.
fn list_marker(bytes: &[u8], pos: usize, end: usize) -> Option<usize> {
    let rest = &bytes[pos..end];
    let marker = match rest.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = rest.iter().take(9).take_while(|b| b.is_ascii_digit()).count();
            if !matches!(rest.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    match rest.get(marker) {
        None => Some(marker),
        Some(b' ' | b'\t') => Some(marker + leading_spaces(bytes, pos + marker, end).max(1)),
        Some(_) => None,
    }
}

/// A code fence (three or more backticks or tildes) at `pos`.
fn fence_marker(bytes: &[u8], pos: usize, end: usize) -> Option<(u8, usize)> {
    let first = *bytes.get(pos).filter(|_| pos < end)?;
    if first != b'`' && first != b'~' {
        return None;
    }
    let run = bytes[pos..end].iter().take_while(|&&b| b == first).count();
    (run >= 3).then_some((first, run))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_depth_ok(yaml: &str) -> bool {
        check_yaml(yaml, MAX_NESTING).is_ok()
    }

    #[test]
    fn ordinary_frontmatter_passes() {
        let yaml = "title: See [[a]] and {b}\nsummary: \"quoted [ not a list\"\nlevels: [impact, execution]\n\
                    diagnostic_questions:\n  - id: q\n    ask: 'it''s [open'\n    answers:\n      - { label: \"x\", leads_to: a }\n\
                    note: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n# [[[[ comment\n";
        assert!(yaml_depth_ok(yaml));
    }

    #[test]
    fn deep_flow_collections_are_refused_at_the_first_bracket_too_many() {
        let yaml = format!("x: {}", "[".repeat(65_000));
        let error = check_yaml(&yaml, MAX_NESTING).unwrap_err();
        // The mapping is one level, so the 64th bracket is one too many.
        assert_eq!(error.offset, 3 + MAX_NESTING - 1);
        assert!(!yaml_depth_ok(&format!("x: {}{}", "{a: ".repeat(70), "}".repeat(70))));
        assert!(yaml_depth_ok(&format!("x: {}{}", "[".repeat(60), "]".repeat(60))));
    }

    #[test]
    fn deep_block_collections_are_refused() {
        assert!(!yaml_depth_ok(&format!("x:\n{}y\n", "- ".repeat(100))));
        let stairs: String = (0..100).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        assert!(!yaml_depth_ok(&stairs));
        let shallow: String = (0..20).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        assert!(yaml_depth_ok(&shallow));
    }

    #[test]
    fn brackets_after_a_flow_key_or_quoted_key_still_count() {
        assert!(!yaml_depth_ok(&format!("[a]: {}", "[".repeat(100))));
        assert!(!yaml_depth_ok(&format!("\"k\": {}", "[".repeat(100))));
        assert!(!yaml_depth_ok(&format!("k: &anchor !tag {}", "[".repeat(100))));
    }

    #[test]
    fn multi_line_quotes_and_flows_are_followed() {
        assert!(yaml_depth_ok(&format!("a: \"open\n{}\nclose\"\n", "[".repeat(100))));
        assert!(!yaml_depth_ok(&format!("a: [\n{}\n", "[\n".repeat(100))));
    }

    #[test]
    fn markdown_quotes_and_lists_are_measured() {
        assert!(check_markdown(&">".repeat(100), MAX_NESTING).is_err());
        assert!(check_markdown(&format!("{}x", "- ".repeat(100)), MAX_NESTING).is_err());
        assert!(check_markdown(&format!("{}x", "1. ".repeat(100)), MAX_NESTING).is_err());
        assert!(check_markdown(&format!("{}x", "> - ".repeat(40)), MAX_NESTING).is_err());
        let stairs: String = (0..100).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
        assert!(check_markdown(&stairs, MAX_NESTING).is_err());
    }

    #[test]
    fn ordinary_markdown_passes() {
        let body = "# Title\n\n> quote\n> > nested\n\n- a\n  - b\n    - c\n- d\n\n1. one\n2. two\n\n\
                    ```\n- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n```\n\
                    Text with - dashes - and 1. numbers.\n";
        assert!(check_markdown(body, MAX_NESTING).is_ok());
        let siblings: String = (0..1000).map(|_| "- item\n".to_string()).collect();
        assert!(check_markdown(&siblings, MAX_NESTING).is_ok());
    }
}
