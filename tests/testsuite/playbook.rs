//! Our own playbook, `content/`, read as an editor would: the decision walk
//! derived from the frontmatter (every outcome reachable, the deeper causes
//! always checked before a tangible one, a way out for "not sure"), the
//! outcome pages' first steps, and no sentence copied from the note the
//! playbook is written from (issue 11).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::model::{bundled, bundled_frontmatter};

/// The decision walk of the bundled playbook, as its frontmatter declares it.
struct Walk {
    /// Question id to the page it is written on.
    page_of: BTreeMap<String, String>,
    /// Question id to its answers: (label, leads_to).
    answers: BTreeMap<String, Vec<(String, String)>>,
    /// Decision page slug to its first question.
    starts: BTreeMap<String, String>,
    pages: BTreeSet<String>,
}

impl Walk {
    fn read() -> Walk {
        let frontmatter = bundled_frontmatter();
        let mut walk = Walk {
            page_of: BTreeMap::new(),
            answers: BTreeMap::new(),
            starts: BTreeMap::new(),
            pages: frontmatter.keys().cloned().collect(),
        };
        for (slug, fm) in &frontmatter {
            if let Some(start) = fm["decision"]["start"].as_str() {
                walk.starts.insert(slug.clone(), start.to_string());
            }
            for question in fm["diagnostic_questions"].as_sequence().into_iter().flatten() {
                let id = question["id"].as_str().unwrap().to_string();
                let answers = question["answers"].as_sequence().unwrap();
                let answers = answers
                    .iter()
                    .map(|a| (a["label"].as_str().unwrap().to_string(), a["leads_to"].as_str().unwrap().to_string()))
                    .collect();
                assert!(walk.page_of.insert(id.clone(), slug.clone()).is_none(), "question {id} declared twice");
                walk.answers.insert(id, answers);
            }
        }
        walk
    }

    /// Every path from question `from` to an outcome page: the questions
    /// passed, then the page. Panics on a cycle.
    fn paths(&self, from: &str) -> Vec<(Vec<String>, String)> {
        let mut done = Vec::new();
        let mut stack = vec![vec![from.to_string()]];
        while let Some(path) = stack.pop() {
            let here = path.last().unwrap();
            for (_, target) in &self.answers[here] {
                match target.strip_prefix('?') {
                    Some(next) => {
                        assert!(!path.iter().any(|q| q == next), "the walk loops: {path:?} -> {next}");
                        let mut longer = path.clone();
                        longer.push(next.to_string());
                        stack.push(longer);
                    }
                    None => done.push((path.clone(), target.clone())),
                }
            }
        }
        done
    }
}

#[test]
fn issue_11_every_question_and_outcome_of_every_walk_is_reachable() {
    let walk = Walk::read();
    assert!(walk.starts.contains_key("diagnose"), "the decision page is diagnose.md");
    let mut asked = BTreeSet::new();
    let mut reached = BTreeSet::new();
    for start in walk.starts.values() {
        for (questions, outcome) in walk.paths(start) {
            asked.extend(questions);
            reached.insert(outcome);
        }
    }
    let declared: BTreeSet<String> = walk.answers.keys().cloned().collect();
    assert_eq!(asked, declared, "every question is on some walk");
    let targets: BTreeSet<String> =
        walk.answers.values().flatten().filter(|(_, t)| !t.starts_with('?')).map(|(_, t)| t.clone()).collect();
    assert_eq!(reached, targets, "every outcome named by an answer is reached");
    for outcome in &reached {
        assert!(walk.pages.contains(outcome), "outcome {outcome} is a page");
    }
}

#[test]
fn issue_11_no_path_reaches_a_tangible_cause_without_the_deeper_checks() {
    let walk = Walk::read();
    let tangible = ["outdated-infrastructure", "skill-gaps"];
    let deeper = ["strategy-problems", "culture-problems", "interpersonal-problems"];
    let paths = walk.paths(&walk.starts["diagnose"]);
    let mut tangible_paths = 0;
    for (questions, outcome) in &paths {
        if !tangible.contains(&outcome.as_str()) {
            continue;
        }
        tangible_paths += 1;
        let checked: BTreeSet<&str> = questions.iter().map(|q| walk.page_of[q].as_str()).collect();
        for page in deeper {
            assert!(checked.contains(page), "{questions:?} reaches {outcome} without the check on {page}");
        }
    }
    assert!(tangible_paths >= 2, "both tangible outcomes are reachable: {paths:?}");
}

#[test]
fn issue_11_every_question_offers_not_sure_and_the_walk_says_how_to_find_out() {
    let walk = Walk::read();
    let diagnose: BTreeSet<String> = walk.paths(&walk.starts["diagnose"]).into_iter().flat_map(|(q, _)| q).collect();
    for (id, answers) in &walk.answers {
        let not_sure: Vec<&String> =
            answers.iter().filter(|(label, _)| label.starts_with("Not sure")).map(|(_, t)| t).collect();
        assert_eq!(not_sure.len(), 1, "{id} offers one \"Not sure\" answer: {answers:?}");
        if diagnose.contains(id) {
            assert_eq!(not_sure[0], "finding-out", "{id}: \"Not sure\" leads to the page on finding out");
        }
    }
    // The page it leads to has a section for every check of the walk.
    let test = bundled();
    test.build_ok();
    let finding_out = test.main_of("finding-out/index.html");
    assert!(finding_out.matches("<h2").count() > diagnose.len(), "one section per check:\n{finding_out}");
}

#[test]
fn issue_11_every_outcome_of_the_walk_starts_with_first_steps() {
    let walk = Walk::read();
    let outcomes: BTreeSet<String> = walk.paths(&walk.starts["diagnose"]).into_iter().map(|(_, o)| o).collect();
    let test = bundled();
    test.build_ok();
    for outcome in outcomes {
        let main = test.main_of(&format!("{outcome}/index.html"));
        let first_h2 = main.find("<h2").unwrap_or_else(|| panic!("{outcome} has sections"));
        assert!(
            main[first_h2..].starts_with("<h2 id=\"first-steps\""),
            "{outcome}: the first section is \"First steps\", where a reader and the theme find it"
        );
    }
}

/// Words of `text` as compared for copying: markup removed (HTML tags,
/// wiki-link targets, Markdown link targets), numbers dropped (timestamps
/// among them: citing the moment is allowed), lowercased, split on anything that is not a
/// letter or a digit.
fn words(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else if rest.starts_with("[[") {
            let end = rest.find("]]").unwrap_or(rest.len() - 2);
            let inner = &rest[2..end];
            plain.push_str(inner.rsplit('|').next().unwrap_or(inner));
            plain.push(' ');
            rest = &rest[(end + 2).min(rest.len())..];
        } else if rest.starts_with("](") {
            rest = rest.find(')').map_or("", |end| &rest[end + 1..]);
        } else {
            plain.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    plain
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// The runs of eight words `text` shares with `note`.
fn shared_runs(note: &BTreeSet<Vec<String>>, text: &str) -> Vec<String> {
    words(text).windows(8).filter(|w| note.contains(*w)).map(|w| w.join(" ")).collect()
}

fn note_runs() -> BTreeSet<Vec<String>> {
    let note = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/model/seed/content/000_5c67a8a16eed5fb5.md");
    let words = words(&fs::read_to_string(note).unwrap());
    assert!(words.len() > 600, "the note is read whole: {} words", words.len());
    words.windows(8).map(<[String]>::to_vec).collect()
}

#[test]
fn issue_11_no_run_of_eight_words_is_copied_from_the_note() {
    let note = note_runs();
    // The check catches a copied sentence through markup and case.
    let copied = "As the note says, *good internal optics* can generate [[optics | energy]], AWARENESS, excitement.";
    assert_eq!(shared_runs(&note, copied), ["good internal optics can generate energy awareness excitement"]);
    let mut found = Vec::new();
    for entry in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        for run in shared_runs(&note, &text) {
            found.push(format!("{}: \"{run}\"", path.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(found.is_empty(), "runs of eight words copied from the note:\n{}", found.join("\n"));
}

#[test]
fn issue_12_no_two_pages_of_the_playbook_share_a_title() {
    let test = bundled();
    test.build_ok();
    let mut by_title: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, bytes) in test.snapshot_output() {
        let html = String::from_utf8_lossy(&bytes);
        let Some(start) = html.find("<title>") else { continue };
        let title = &html[start + 7..start + html[start..].find("</title>").unwrap()];
        by_title.entry(title.to_string()).or_default().push(path);
    }
    let shared: Vec<_> = by_title.iter().filter(|(_, paths)| paths.len() > 1).collect();
    assert!(by_title.len() > 30 && shared.is_empty(), "titles shared by several pages: {shared:?}");
}
