//! Issue 9: a fuzz test that stays. Random playbooks (file names,
//! frontmatter, Markdown, link graphs, question graphs, symlinks) are built
//! through the library, twice, and must: not panic, take bounded time per
//! page, give byte-identical output and diagnostics both times, write nothing
//! outside the output folder, and never publish a file from outside the
//! playbook.
//!
//! In the normal suite it runs a fixed seed and a few dozen cases. For a
//! campaign: `PLAYBOOK_FUZZ_CASES=100000 PLAYBOOK_FUZZ_SEED=7 cargo test
//! --release --test testsuite fuzz -- --nocapture`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use playbook::layout::load_layout;
use playbook::pipeline::{self, Strictness};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const SECRET: &str = "FUZZ-SECRET-7f3a";

/// One generated playbook.
#[derive(Debug, Clone)]
struct Playbook {
    book_toml: String,
    pages: Vec<(String, String)>,
    /// Names of links in `content/` to a file outside the playbook.
    escaping_links: Vec<String>,
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9-]{0,8}",
        1 => Just("index".to_string()),
        1 => Just("README".to_string()),
        1 => Just("_index".to_string()),
        1 => "[A-Za-z0-9 _.-]{1,12}",
        1 => "\\PC{1,6}",
        1 => Just(".hidden".to_string()),
        1 => Just("a%20b".to_string()),
    ]
    .prop_filter("usable as a file name", |s| !s.is_empty() && s != "." && s != ".." && !s.contains(['/', '\0']))
}

fn page_path() -> impl Strategy<Value = String> {
    (prop::collection::vec(segment(), 1..3), prop_oneof![8 => Just(".md"), 1 => Just(".MD"), 1 => Just(".png")])
        .prop_map(|(segments, ext)| format!("{}{ext}", segments.join("/")))
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        Just("\"quoted: [x]\"".to_string()),
        Just("'it''s'".to_string()),
        Just("&a anchor".to_string()),
        Just("*a".to_string()),
        Just("[impact, execution]".to_string()),
        Just("{ start: q0 }".to_string()),
        Just("|\n  block\n  text".to_string()),
        Just("42".to_string()),
        Just("~".to_string()),
        "\\[{1,80}",
        "\\{{1,80}",
        "\\PC{0,10}",
    ]
}

fn frontmatter_line(questions: usize) -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("summary"),
        Just("slug"),
        Just("order"),
        Just("levels"),
        Just("contexts"),
        Just("tags"),
        Just("related"),
        Just("decision"),
        Just("videoId"),
        Just("sources"),
        Just("draft"),
        Just("sumary"),
    ];
    prop_oneof![
        4 => (key, scalar()).prop_map(|(k, v)| format!("{k}: {v}")),
        1 => (0..questions.max(1), 0..questions.max(1), prop::bool::ANY).prop_map(|(q, next, to_page)| {
            let leads_to = if to_page { format!("p{next}") } else { format!("\"?q{next}\"") };
            format!("diagnostic_questions:\n  - id: q{q}\n    ask: Q{q}?\n    answers:\n      - {{ label: A, leads_to: {leads_to} }}")
        }),
        1 => Just("decision: { start: q0 }".to_string()),
        1 => Just("levels: [impact]\ncontexts: [platform]".to_string()),
        1 => Just("sources:\n  - { video: YP_QghPLG-8, at: \"01:02:03\" }".to_string()),
    ]
}

fn body_block(pages: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z ,.!?]{0,60}",
        1 => "\\PC{0,30}",
        2 => (0..pages.max(1)).prop_map(|p| format!("See [[p{p}]] and [[p{p}#part]].")),
        1 => (0..pages.max(1)).prop_map(|p| format!("[md](p{p}.md#part%20one) [enc](a%20b.md)")),
        1 => Just("## Part\n\n## Part\n\n## See [[p0]]".to_string()),
        1 => Just("![img](img/missing.png) <img src=\"../x.png\"> [abs](/p0/) [out](/../../etc)".to_string()),
        1 => Just("> quote\n> > nested\n\n- a\n  - b\n    - c".to_string()),
        1 => Just("```\n- - - - [[p0]]\n```".to_string()),
        1 => Just("Note[^1].\n\n[^1]: A footnote.".to_string()),
        1 => Just("| a | b |\n|---|---|\n| 1 | 2 |".to_string()),
        1 => Just("<a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>".to_string()),
        1 => Just("<script>alert(1)</script> <!-- comment".to_string()),
        1 => "[>*\\-\\[\\]`#_]{1,200}",
        1 => (1..300usize).prop_map(|n| "> ".repeat(n)),
        1 => (1..300usize).prop_map(|n| "- ".repeat(n)),
    ]
}

/// A page an author would write: valid frontmatter, ordinary Markdown with
/// links into the other pages, questions that lead to pages or questions.
fn clean_page(pages: usize, index: usize) -> impl Strategy<Value = String> {
    let fixed = vec![
        "summary: One sentence.".to_string(),
        "levels: [execution, impact]\ncontexts: [platform]".to_string(),
        "tags: [a, b]".to_string(),
        "order: 3".to_string(),
    ];
    let question = (0..pages.max(1)).prop_map(move |next| {
        format!("diagnostic_questions:\n  - id: c{index}\n    ask: Q?\n    answers:\n      - {{ label: A, leads_to: p{next} }}")
    });
    let line = (prop::sample::subsequence(fixed, 0..=4), prop::option::of(question)).prop_map(|(mut lines, q)| {
        lines.extend(q);
        lines
    });
    let block = prop_oneof![
        3 => "[a-zA-Z ,.!?]{0,60}",
        2 => (0..pages.max(1)).prop_map(|p| format!("See [[p{p}]], [[p{p} | the page]] and [the part](p{p}.md#part).")),
        2 => Just("## Part\n\nText under a part.".to_string()),
        1 => Just("- a\n  - b\n\n> quote\n\n1. one\n2. two".to_string()),
        1 => Just("| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^n].\n\n[^n]: Foot.".to_string()),
        1 => Just("```rust\nfn main() {}\n```".to_string()),
        1 => Just("![pic](img/pic.png) <img src=\"img/pic.png\" alt=\"pic\">".to_string()),
    ];
    (line, prop::collection::vec(block, 0..6)).prop_map(|(lines, blocks)| {
        format!(
            "---\ntitle: A page\n{}---\n# Heading\n\n{}\n",
            lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
            blocks.join("\n\n")
        )
    })
}

/// Any page: mostly what authors write, sometimes hostile.
fn page_text(pages: usize, index: usize) -> impl Strategy<Value = String> {
    prop_oneof![7 => clean_page(pages, index), 1 => hostile_page(pages)]
}

/// A page of random and hostile frontmatter and Markdown.
fn hostile_page(pages: usize) -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::collection::vec(frontmatter_line(pages), 0..6)),
        prop::collection::vec(body_block(pages), 0..8),
        prop_oneof![8 => Just("\n"), 1 => Just("\r\n")],
        prop::bool::weighted(0.05),
    )
        .prop_map(|(front, blocks, newline, bom)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            if let Some(lines) = front {
                text.push_str("---\n");
                for line in lines {
                    text.push_str(&line);
                    text.push('\n');
                }
                text.push_str("---\n");
            }
            text.push_str(&blocks.join("\n\n"));
            text.replace('\n', newline)
        })
}

fn book_toml() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => Just("[book]\ntitle = \"Fuzz\"\n[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }, { id = \"execution\", name = \"Execution\" }]\ncontexts = [{ id = \"platform\", name = \"Platform\" }]\n".to_string()),
        1 => Just("[build]\nsite-url = \"/base/\"\n".to_string()),
        1 => Just("[book]\ntitel = \"x\"\n".to_string()),
        1 => Just(String::new()),
    ]
}

fn playbook() -> impl Strategy<Value = Playbook> {
    (1..8usize).prop_flat_map(|n| {
        let named =
            (0..n).map(|i| page_text(n, i).prop_map(move |text| (format!("p{i}.md"), text))).collect::<Vec<_>>();
        (
            book_toml(),
            named,
            prop::collection::vec((page_path(), page_text(n, n + 1)), 0..3),
            prop::option::weighted(0.15, prop_oneof![Just("leak.md"), Just("leak-dir"), Just("img/leak.png")]),
        )
            .prop_map(|(book_toml, mut pages, extra, escaping)| {
                pages.extend(extra);
                pages.push(("img/pic.png".to_string(), "PNG".to_string()));
                Playbook { book_toml, pages, escaping_links: escaping.into_iter().map(String::from).collect() }
            })
    })
}

/// Every file under `dir`, with its bytes, except under `skip`.
fn tree(dir: &Path, skip: &[&Path]) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let Ok(entry) = entry else { continue };
        if skip.iter().any(|s| entry.path().starts_with(s)) {
            continue;
        }
        let bytes = if entry.file_type().is_file() { fs::read(entry.path()).unwrap_or_default() } else { Vec::new() };
        files.insert(entry.path().to_path_buf(), bytes);
    }
    files
}

/// Writes the playbook into `root`. Files that cannot be created (a name
/// the file system refuses, a folder where a file is) are skipped.
fn write(playbook: &Playbook, root: &Path, outside: &Path) {
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("book.toml"), &playbook.book_toml).unwrap();
    for (path, text) in &playbook.pages {
        let target = root.join("content").join(path);
        if let Some(parent) = target.parent()
            && fs::create_dir_all(parent).is_err()
        {
            continue;
        }
        let _ = fs::write(target, text);
    }
    #[cfg(unix)]
    for name in &playbook.escaping_links {
        let link = root.join("content").join(name);
        if let Some(parent) = link.parent() {
            let _ = fs::create_dir_all(parent);
        }
        let target = if name.ends_with("-dir") { outside.to_path_buf() } else { outside.join("secret.md") };
        let _ = std::os::unix::fs::symlink(target, link);
    }
}

/// Builds into `out` and returns what happened.
fn build(root: &Path, out: &Path) -> (Vec<String>, usize) {
    let layout = match load_layout(root, Some(out)) {
        Ok(Ok(layout)) => layout,
        Ok(Err(problems)) => return (problems.iter().map(|d| format!("{d:?}")).collect(), 0),
        Err(error) => return (vec![format!("{error:#}")], 0),
    };
    match pipeline::build(layout, Strictness::WarningsAllowed, || {}) {
        Ok(report) => (report.diagnostics.iter().map(|d| format!("{d:?}")).collect(), report.page_count),
        Err(error) => (vec![format!("{error:#}")], 0),
    }
}

/// How many cases built a site, for the summary line.
static BUILT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn check_one(playbook: &Playbook) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let outside = base.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret.md"), format!("# Secret\n\n{SECRET}\n")).unwrap();
    let root = base.join("book");
    write(playbook, &root, &outside);
    let (out_a, out_b) = (base.join("out-a"), base.join("out-b"));
    let before = tree(&base, &[&out_a, &out_b]);

    let started = Instant::now();
    let (first, pages) = build(&root, &out_a);
    if std::env::var_os("PLAYBOOK_FUZZ_DEBUG").is_some() {
        eprintln!("{} pages built, {} diagnostics, first: {:?}", pages, first.len(), first.first());
    }
    let elapsed = started.elapsed();
    let (second, _) = build(&root, &out_b);

    // Bounded time: generous, for a debug build on a shared machine.
    let budget = Duration::from_millis(2000 + 500 * (pages as u64 + playbook.pages.len() as u64));
    prop_assert!(elapsed < budget, "took {elapsed:?} for {} pages", playbook.pages.len());
    prop_assert_eq!(&first, &second, "diagnostics differ between two builds");
    let (site_a, site_b) = (tree(&out_a, &[]), tree(&out_b, &[]));
    if !site_a.is_empty() {
        BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let strip = |site: &BTreeMap<PathBuf, Vec<u8>>, prefix: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        site.iter().map(|(p, b)| (p.strip_prefix(prefix).unwrap().to_path_buf(), b.clone())).collect()
    };
    prop_assert!(strip(&site_a, &out_a) == strip(&site_b, &out_b), "output differs between two builds");
    for (path, bytes) in &site_a {
        prop_assert!(
            !String::from_utf8_lossy(bytes).contains(SECRET),
            "{} publishes a file from outside the playbook",
            path.display()
        );
    }
    // Nothing written outside the output folders: the playbook, the folder
    // beside it and the outside folder are as they were (no staging left).
    let after = tree(&base, &[&out_a, &out_b]);
    prop_assert!(before == after, "files outside the output changed: {:?}", diff(&before, &after));
    Ok(())
}

fn diff(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

#[test]
fn issue_9_random_playbooks_build_safely_deterministically_and_in_bounded_time() {
    let cases = std::env::var("PLAYBOOK_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    let seed: u64 = std::env::var("PLAYBOOK_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(9);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    let started = Instant::now();
    let result = runner.run(&playbook(), |playbook| check_one(&playbook));
    let built = BUILT.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("fuzz: {cases} cases ({built} built a site), seed {seed}, in {:?}", started.elapsed());
    if let Err(error) = result {
        panic!("{error}");
    }
}
