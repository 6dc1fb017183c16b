//! Where each key and value of a frontmatter sits, from a YAML parser's own
//! events (saphyr-parser), never from a text search: a search could find a
//! value inside a comment and put the caret there (issue 10).
//!
//! serde_yaml still reads the values; this reads only their places, by
//! path (`levels[1]`, `diagnostic_questions[0].answers[1].leads_to`). A
//! property test checks that both parsers see the same paths in the
//! documents serde_yaml accepts.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, Span};

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Step {
    /// A mapping entry, by key: a literal where code names the key, the
    /// parsed text where a document does.
    Key(Cow<'static, str>),
    /// A sequence item, by index.
    Index(usize),
}

/// A path into a document: where a value sits, kept instead of a byte
/// range so a page's places are found only if a diagnostic needs one.
pub(crate) type YamlPath = Vec<Step>;

/// The step for mapping key `key`.
pub(crate) fn key(key: &'static str) -> Step {
    Step::Key(Cow::Borrowed(key))
}

/// The step for sequence item `index`.
pub(crate) fn at(index: usize) -> Step {
    Step::Index(index)
}

/// Where a node is written: its key (for a mapping entry) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    key: Option<Range<usize>>,
    value: Range<usize>,
}

/// The places of a document's nodes, by path, in byte offsets of the text
/// parsed.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    places: HashMap<Vec<Step>, Place>,
}

/// What a mapping being read expects next.
enum Expect {
    /// A key.
    Key,
    /// The value of this key (`None`: a key that is not a plain scalar,
    /// whose value has no path).
    Value(Option<(String, Range<usize>)>),
}

/// A container being read.
struct Frame {
    /// Its path (meaningless when `ignored`).
    path: Vec<Step>,
    /// Where it starts, and its key's place if it is a mapping entry.
    start: usize,
    key: Option<Range<usize>>,
    /// A collection used as a key, or inside one: nothing in it has a path.
    ignored: bool,
    /// For a mapping, what comes next; for a sequence, `None`.
    expect: Option<Expect>,
    /// For a sequence, the index of the next item.
    next: usize,
}

/// What the node that starts now is.
enum Role {
    /// A node with a path, and its key's place.
    Node(Vec<Step>, Option<Range<usize>>),
    /// A mapping key, or anything without a path.
    NoPath,
}

impl Positions {
    /// Reads the places of `yaml`'s nodes. A document that does not parse
    /// gives the places read up to the error (serde_yaml reports the error).
    pub(crate) fn parse(yaml: &str) -> Positions {
        let offsets = CharOffsets::new(yaml);
        let mut positions = Positions::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(yaml) {
            let Ok((event, span)) = item else { break };
            let range = offsets.range(&span, yaml);
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let is_map = matches!(event, Event::MappingStart(..));
                    let (path, key, ignored) = match next_role(&mut stack, None) {
                        Role::Node(path, key) => (path, key, false),
                        Role::NoPath => (Vec::new(), None, true),
                    };
                    let expect = is_map.then_some(Expect::Key);
                    stack.push(Frame { path, start: range.start, key, ignored, expect, next: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(frame) = stack.pop()
                        && !frame.ignored
                    {
                        let end = range.end.max(frame.start);
                        positions.places.insert(frame.path, Place { key: frame.key, value: frame.start..end });
                    }
                }
                Event::Scalar(value, ..) => {
                    if let Role::Node(path, key) = next_role(&mut stack, Some((&value, &range))) {
                        positions.places.insert(path, Place { key, value: range });
                    }
                }
                Event::Alias(_) => {
                    if let Role::Node(path, key) = next_role(&mut stack, None) {
                        positions.places.insert(path, Place { key, value: range });
                    }
                }
                _ => {}
            }
        }
        positions
    }

    /// Where the value at `path` is written.
    pub(crate) fn value(&self, path: &[Step]) -> Option<Range<usize>> {
        self.places.get(path).map(|p| p.value.clone())
    }

    /// Where the key of the mapping entry at `path` is written.
    pub(crate) fn key(&self, path: &[Step]) -> Option<Range<usize>> {
        self.places.get(path).and_then(|p| p.key.clone())
    }

    /// Every path read, for tests.
    #[cfg(test)]
    fn paths(&self) -> std::collections::BTreeSet<String> {
        self.places.keys().map(|p| display(p)).collect()
    }
}

/// The role of the node that starts now (a scalar's text and place given),
/// moving its container on.
fn next_role(stack: &mut [Frame], scalar: Option<(&str, &Range<usize>)>) -> Role {
    let Some(top) = stack.last_mut() else { return Role::Node(Vec::new(), None) };
    if top.ignored {
        return Role::NoPath;
    }
    match top.expect.take() {
        None => {
            let mut path = top.path.clone();
            path.push(Step::Index(top.next));
            top.next += 1;
            Role::Node(path, None)
        }
        Some(Expect::Key) => {
            top.expect = Some(Expect::Value(scalar.map(|(name, range)| (name.to_string(), range.clone()))));
            Role::NoPath
        }
        Some(Expect::Value(key)) => {
            top.expect = Some(Expect::Key);
            match key {
                Some((name, range)) => {
                    let mut path = top.path.clone();
                    path.push(Step::Key(Cow::Owned(name)));
                    Role::Node(path, Some(range))
                }
                None => Role::NoPath,
            }
        }
    }
}

/// `a.0.b`, as serde paths are written.
#[cfg(test)]
fn display(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => k.to_string(),
            Step::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Turns the parser's character indexes into byte offsets.
struct CharOffsets {
    /// Byte offset of every character, when the text is not ASCII.
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharOffsets { bytes, len: text.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(bytes) => bytes.get(char_index).copied().unwrap_or(self.len),
        }
    }

    /// A span as bytes, without the spaces the parser counts after a
    /// scalar in a flow collection.
    fn range(&self, span: &Span, text: &str) -> Range<usize> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        start..start + text[start..end].trim_end_matches([' ', '\t', '\r', '\n']).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_come_from_the_parser_not_a_search() {
        let yaml = "# levels: [executon] in a comment\ntitle: T\nlevels:\n  - impact  # executon\n  - executon\n";
        let p = Positions::parse(yaml);
        let at_1 = p.value(&[key("levels"), at(1)]).unwrap();
        assert_eq!(&yaml[at_1.clone()], "executon");
        assert_eq!(at_1.start, yaml.rfind("executon").unwrap(), "not the comment's");
        assert_eq!(&yaml[p.key(&[key("levels")]).unwrap()], "levels");
    }

    #[test]
    fn flow_and_nested_collections_and_unicode() {
        let yaml =
            "title: \"Café\"\ndiagnostic_questions:\n  - { id: q1, answers: [{ label: Oui, leads_to: \"?q2\" }] }\n";
        let p = Positions::parse(yaml);
        let span = p.value(&[key("diagnostic_questions"), at(0), key("answers"), at(0), key("leads_to")]).unwrap();
        assert_eq!(&yaml[span], "\"?q2\"");
        assert_eq!(&yaml[p.value(&[key("title")]).unwrap()], "\"Café\"");
    }

    #[test]
    fn broken_yaml_gives_the_places_before_the_error() {
        let p = Positions::parse("title: A\nlevels: [a, b\n");
        assert!(p.value(&[key("title")]).is_some());
    }

    #[test]
    fn complex_keys_are_skipped_without_losing_the_rest() {
        let p = Positions::parse("? [a, b]\n: value\ntitle: T\n");
        assert_eq!(p.paths().into_iter().collect::<Vec<_>>(), ["", "title"]);
    }

    use proptest::prelude::*;

    /// A random YAML value: scalars, sequences and mappings with plain keys.
    /// Scalars are text an author writes in frontmatter (`text`).
    fn value(text: &'static str) -> impl Strategy<Value = serde_yaml::Value> {
        let leaf = prop_oneof![
            text.prop_map(serde_yaml::Value::from),
            any::<i32>().prop_map(|n| serde_yaml::Value::from(i64::from(n))),
            Just(serde_yaml::Value::Bool(true)),
            Just(serde_yaml::Value::Null),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(serde_yaml::Value::Sequence),
                prop::collection::btree_map("[a-z][a-z_]{0,6}", inner, 0..5).prop_map(|m| {
                    serde_yaml::Value::Mapping(m.into_iter().map(|(k, v)| (serde_yaml::Value::from(k), v)).collect())
                }),
            ]
        })
    }

    /// Every path of a value, as serde writes paths.
    fn paths_of(value: &serde_yaml::Value, path: String, out: &mut std::collections::BTreeSet<String>) {
        out.insert(path.clone());
        let join = |step: String| if path.is_empty() { step } else { format!("{path}.{step}") };
        match value {
            serde_yaml::Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    paths_of(item, join(i.to_string()), out);
                }
            }
            serde_yaml::Value::Mapping(map) => {
                for (k, v) in map {
                    paths_of(v, join(k.as_str().expect("plain keys").to_string()), out);
                }
            }
            _ => {}
        }
    }

    /// The same value in flow style, as authors write lists in frontmatter.
    fn flow(value: &serde_yaml::Value) -> String {
        match value {
            serde_yaml::Value::Sequence(items) => {
                format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", "))
            }
            serde_yaml::Value::Mapping(map) => format!(
                "{{{}}}",
                map.iter().map(|(k, v)| format!("{}: {}", k.as_str().unwrap(), flow(v))).collect::<Vec<_>>().join(", ")
            ),
            // Double-quoted, as a flow collection needs for `, ` or `: `.
            serde_yaml::Value::String(text) => serde_json::to_string(text).unwrap(),
            other => serde_yaml::to_string(other).unwrap().trim_end().trim_start_matches("--- ").to_string(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// For the text authors write, whatever serde_yaml reads, the
        /// positions have a place for every path of it, and a scalar's place
        /// holds that scalar.
        #[test]
        fn positions_agree_with_serde_yaml(value in value("[A-Za-z0-9][A-Za-z0-9 .,;:!?'()/&é-]{0,12}")) {
            for text in [serde_yaml::to_string(&value).unwrap(), flow(&value)] {
                let read: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
                prop_assert_eq!(&read, &value, "{}", text);
                let mut expected = std::collections::BTreeSet::new();
                paths_of(&read, String::new(), &mut expected);
                let positions = Positions::parse(&text);
                let found = positions.paths();
                prop_assert!(expected.is_subset(&found), "{}\nmissing: {:?}", text, expected.difference(&found).collect::<Vec<_>>());
                for path in &expected {
                    let steps: Vec<Step> = if path.is_empty() { Vec::new() } else {
                        path.split('.').map(|s| s.parse::<usize>().map_or_else(|_| Step::Key(Cow::Owned(s.to_string())), Step::Index)).collect()
                    };
                    let span = positions.value(&steps).unwrap();
                    let leaf: serde_yaml::Value = serde_yaml::from_str(&text[span.clone()]).unwrap_or(serde_yaml::Value::Null);
                    let mut node = &read;
                    for step in &steps {
                        node = match step {
                            Step::Key(k) => &node[k.as_ref()],
                            Step::Index(i) => &node[*i],
                        };
                    }
                    if !matches!(node, serde_yaml::Value::Sequence(_) | serde_yaml::Value::Mapping(_)) {
                        prop_assert_eq!(&leaf, node, "{} at {:?} in\n{}", &text[span], path, text);
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// On any text, positions never panic and every place is inside the
        /// text: where the two parsers disagree (saphyr-parser refuses a few
        /// plain scalars libyaml takes, like `{a: a -}`), a path has no place
        /// and the locator falls back to its nearest ancestor.
        #[test]
        fn positions_stay_inside_any_text(value in value("\\PC{0,8}")) {
            for text in [serde_yaml::to_string(&value).unwrap(), flow(&value)] {
                let positions = Positions::parse(&text);
                for place in positions.places.values() {
                    prop_assert!(place.value.end <= text.len() && text.is_char_boundary(place.value.start));
                }
            }
        }
    }
}
