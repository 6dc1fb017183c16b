//! serde_yaml's messages said in YAML's terms, for authors who write YAML
//! and never met Rust: "a whole number", not "i64"; "a list", not "a
//! sequence"; a tab or a `?` named as the cause, with the fix.

/// What an author reads for serde's `expected ...` or `invalid type: ...`
/// phrase: the type named as YAML names it.
fn yaml_name(rust: &str) -> String {
    let rust = rust.trim();
    let named = match rust {
        "i64" | "i32" | "u64" | "u32" | "usize" | "u8" | "u16" | "i16" | "i8" => "a whole number",
        "f64" | "f32" => "a number",
        "a sequence" => "a list",
        "a string" | "a borrowed string" | "string" => "text",
        "a boolean" | "bool" => "`true` or `false`",
        "a map" | "map" => "a mapping of keys to values",
        "sequence" => "a list",
        "unit value" => "nothing (an empty value)",
        _ if rust.starts_with("struct ") => "a mapping of keys to values",
        _ => return rust.to_string(),
    };
    named.to_string()
}

/// serde's word for what it found (`string "abc"`, ``integer `5` ``,
/// `sequence`), as YAML names it.
fn found_name(unexpected: &str) -> String {
    let unexpected = unexpected.trim();
    for (prefix, name) in
        [("string ", "the text "), ("integer ", "the number "), ("floating point ", "the number "), ("boolean ", "")]
    {
        if let Some(rest) = unexpected.strip_prefix(prefix) {
            return format!("{name}{}", rest.trim_matches('`'));
        }
    }
    match unexpected {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "nothing".into(),
        other => other.into(),
    }
}

/// A value of the wrong type, in YAML's terms: the message, and a help
/// line with how to write the right one, when it can say.
pub(crate) fn type_error(detail: &str) -> (String, Option<String>) {
    if let Some(rest) = detail.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        let want = yaml_name(expected);
        let help = match want.as_str() {
            "a list" => Some("write a list as `[a, b]`, or one `- item` a line below the key".to_string()),
            "a whole number" => Some("write a whole number without quotes, like `order: 3`".to_string()),
            "text" => Some("put the value in quotes: `\"...\"`".to_string()),
            "`true` or `false`" => Some("write `true` or `false`, without quotes".to_string()),
            _ => None,
        };
        return (format!("expected {want}, found {}", found_name(found)), help);
    }
    if let Some(rest) = detail.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return (format!("expected {}, found {}", yaml_name(expected), found_name(found)), None);
    }
    (detail.to_string(), None)
}

/// The help for a YAML syntax error whose caret is on `at` (the text from
/// the caret on): a tab, a `?` or `@` that needed quotes, a list item out
/// of line with the one above it, or the general advice.
pub(crate) fn syntax_help(message: &str, at: &str, line: &str) -> (Option<String>, String) {
    let first = at.chars().next();
    if first == Some('\t') || (message.contains("cannot start any token") && line.starts_with('\t')) {
        return (
            Some("tabs cannot indent YAML".into()),
            "indent with spaces; most editors convert tabs when you re-indent the lines".into(),
        );
    }
    if let Some(c @ ('?' | '@' | '`' | '%' | '!' | '|' | '>')) = first {
        let value = at.split([',', '}', ']', '\n']).next().unwrap_or(at).trim_end();
        return (
            Some(format!("`{c}` cannot start a value that is not quoted")),
            format!("put it in quotes: `\"{value}\"` (a question's target is written `leads_to: \"?id\"`)"),
        );
    }
    if line.trim_start().starts_with("- ") && message.contains("block mapping") {
        return (
            Some("this list item is indented differently from the one above it".into()),
            "line its `-` up under the `-` of the item before".into(),
        );
    }
    (
        None,
        "fix the YAML at the caret; quote a value that holds `: ` or `#`, or starts with `[`, `{`, `*`, `&`, `?`, `!`, `|`, `>`, `@` or `%`"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_named_as_yaml_names_them() {
        assert_eq!(
            type_error("invalid type: string \"abc\", expected i64").0,
            "expected a whole number, found the text \"abc\""
        );
        let (message, help) = type_error("invalid type: string \"impact\", expected a sequence");
        assert_eq!(message, "expected a list, found the text \"impact\"");
        assert!(help.unwrap().contains("[a, b]"));
        assert_eq!(type_error("invalid type: integer `5`, expected a string").0, "expected text, found the number 5");
        assert_eq!(
            type_error("invalid type: sequence, expected a boolean").0,
            "expected `true` or `false`, found a list"
        );
        assert_eq!(type_error("missing field `leads_to`").0, "missing field `leads_to`");
    }

    #[test]
    fn syntax_errors_name_tabs_and_unquoted_question_marks() {
        assert_eq!(
            syntax_help("found character that cannot start any token", "\t- x", "\t- x").0.unwrap(),
            "tabs cannot indent YAML"
        );
        let (message, help) =
            syntax_help("did not find expected node content", "?other }\n", "  - { leads_to: ?other }");
        assert!(message.unwrap().contains('?'));
        assert!(help.contains("\"?other\""), "{help}");
        assert!(syntax_help("did not find expected key, while parsing a block mapping", "- two", " - two").0.is_some());
        assert!(syntax_help("mapping values are not allowed", "x", "a: b: c").1.contains("`?`"));
    }
}
