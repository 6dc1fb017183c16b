//! Headless-Chromium tests that click: the handbook as a reader's browser
//! sees it. They drive Debian's `chromium` (`.ci/run` installs it) through
//! the npm package playwright-core, installed into `tests/browser/` on the
//! first run. They fail loudly, never skip, when something is missing.
//!
//! Plain `cargo test` does not build them (a fresh machine has no Chromium);
//! run them with `cargo test --features browser-tests --test browser`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Installs the npm packages once per test run, and checks Chromium is there.
fn ready() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            Path::new(&chromium).exists(),
            "browser tests need Chromium at {chromium}: apt-get install chromium chromium-driver (.ci/run does this)"
        );
        if !browser_dir().join("node_modules/playwright-core").is_dir() {
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(browser_dir())
                .status()
                .expect("browser tests need Node.js and npm");
            assert!(status.success(), "npm ci in tests/browser failed");
        }
    });
}

/// Builds the bundled playbook into a temporary folder.
fn build_bundled() -> (tempfile::TempDir, PathBuf) {
    build(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Builds the playbook at `dir` into a temporary folder.
fn build(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("book");
    let run = Command::new(env!("CARGO_BIN_EXE_playbook")).arg("build").arg(dir).arg("-d").arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    (tmp, out)
}

/// Runs `node tests/browser/<script> <args>` and asserts it passed.
fn node(script: &str, args: &[&str]) -> String {
    ready();
    let run = Command::new("node").arg(script).args(args).current_dir(browser_dir()).output().expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    println!("{stdout}");
    stdout
}

/// Every page kind, at two widths, in light and dark (issue 12).
const PAGE_KINDS: &[&str] = &[
    "index.html",
    "strategy-problems/index.html",
    "diagnose/index.html",
    "diagnose/index.html#walk=0.0",
    "diagnose/index.html#walk=0.1",
    "levels/index.html",
    "levels/execution/index.html",
    "contexts/index.html",
    "contexts/platform/index.html",
    "matrix/index.html",
    "contents/index.html",
    "404.html",
    "print.html",
    "checklist-impact/index.html",
    "search/index.html?q=strategy",
    "strategy-problems/index.html!culture",
];

#[test]
fn issue_4_and_12_every_page_kind_has_no_serious_axe_violation_in_light_and_dark() {
    let (_tmp, book) = build_bundled();
    let mut args = vec![book.to_str().unwrap()];
    args.extend_from_slice(PAGE_KINDS);
    let out = node("a11y.mjs", &args);
    assert_eq!(out.matches(": 0 serious/critical").count(), PAGE_KINDS.len() * 4, "{out}");
    assert!(out.contains("matrix/index.html at 390px dark: 0 serious/critical"), "{out}");
    assert!(out.contains("strategy-problems/index.html!culture at 390px dark: 0 serious/critical"), "{out}");
}

/// Callouts, highlighted code and heading anchors, as the fixture book of
/// issue 12 writes them, pass axe in light and dark.
#[test]
fn issue_12_callouts_and_code_have_no_serious_axe_violation() {
    let (_tmp, book) =
        build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/build/callouts_highlighting"));
    let out = node("a11y.mjs", &[book.to_str().unwrap(), "callouts/index.html", "code/index.html"]);
    assert_eq!(out.matches(": 0 serious/critical").count(), 8, "{out}");
}

#[test]
fn issue_12_layout_first_question_shared_links_no_sideways_scroll_one_page_print() {
    let (_tmp, book) = build_bundled();
    let source = tempfile::tempdir().unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "themes"] {
        copy_dir(&manifest.join(part), &source.path().join(part));
    }
    std::fs::copy(manifest.join("book.toml"), source.path().join("book.toml")).unwrap();
    let out = with_served(source.path(), |base| node("layout.mjs", &[book.to_str().unwrap(), &format!("{base}/")]));
    for width in [390, 1280] {
        for page in ["home", "decision"] {
            assert!(out.contains(&format!("FIRST QUESTION on {page} at {width} px")), "{page} {width}:\n{out}");
        }
    }
    for step in [
        "HOME ANSWER opens the walk at step 2",
        "SHARED #walk=0.0.0 opens in view",
        "SHARED #walk=0.1 opens in view",
        "NO SIDEWAYS SCROLL in 1212 page views",
        "PRINT is light for a dark-mode reader",
        "TOGGLE with a light system",
        "TOGGLE with a dark system",
        "HEADING ANCHOR shows on hover and focus",
        "PRINT BOOK:",
        "NOT FOUND page styled from disk",
    ] {
        assert!(out.contains(step), "{step} missing:\n{out}");
    }
    assert_eq!(out.matches("DRAWER opens below the top bar").count(), 2, "{out}");
    assert_eq!(out.matches("PRINTED diagnosis").count(), 6, "three outcomes, A4 and Letter:\n{out}");
}

#[test]
fn issue_4_keyboard_opens_the_menu_and_reaches_every_navigation_link() {
    let (_tmp, book) = build_bundled();
    let out = node("keyboard.mjs", &[book.to_str().unwrap(), "strategy-problems/index.html"]);
    assert!(out.contains("menu opened with Enter"), "{out}");
    assert!(out.contains("arrow keys"), "{out}");
}

#[test]
fn issue_14_an_mdbook_sidebar_nests_marks_drafts_and_opens_chapters() {
    let (_tmp, book) = build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/compat/mdbook"));
    let out = node("sidebar.mjs", &[book.to_str().unwrap()]);
    for step in ["NESTED chapters", "DRAFT shown", "CLICKED a nested chapter"] {
        assert!(out.contains(step), "{step} not seen:\n{out}");
    }
}

#[test]
fn issue_5_decision_walk_reaches_every_outcome_by_clicking() {
    let (_tmp, book) = build_bundled();
    let out = node("decision.mjs", &[book.to_str().unwrap(), "diagnose/index.html"]);
    for outcome in
        ["Strategy problems", "Culture problems", "Interpersonal problems", "Outdated infrastructure", "Skill gaps"]
    {
        assert!(out.contains(&format!("OUTCOME {outcome} via")), "{outcome} not reached:\n{out}");
    }
    for step in [
        "PRINT shows the path",
        "BACK and START AGAIN work",
        "SHARED URL reopens",
        "HOSTILE URL ignored",
        "NO-JS reached",
        "FIRST QUESTION in the first screen",
        "ARROWS move between answers",
        "IN-PAGE LINKS keep the walk",
    ] {
        assert!(out.contains(step), "{step} missing:\n{out}");
    }
}

/// Serves a copy of the fixture book at `fixture` with `playbook serve` on
/// a free port and runs `script` with its address (no trailing `/`) and
/// the copy's folder; stops the server whether or not the script passed.
fn with_served_copy(fixture: &Path, script: impl FnOnce(&str, &Path) -> String + std::panic::UnwindSafe) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("book-root");
    copy_dir(fixture, &root);
    with_served(&root, |base| script(base, &root))
}

/// Serves the book at `root` with `playbook serve` on a free port and runs
/// `script` with its address (no trailing `/`); stops the server whether
/// or not the script passed.
fn with_served(root: &Path, script: impl FnOnce(&str) -> String + std::panic::UnwindSafe) -> String {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["serve", "--port", "0", "--color=never"])
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.split(" at ").nth(1).and_then(|r| r.split(' ').next()).unwrap().trim_end_matches('/').to_string();
    let result = std::panic::catch_unwind(|| script(&base));
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap_or_else(|e| std::panic::resume_unwind(e))
}

#[test]
fn issue_6_live_reload_and_error_overlay() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/model/basic");
    let out = with_served_copy(&fixture, |base, root| {
        let file = root.join("content/beta.md");
        node("live.mjs", &[base, "/beta/", file.to_str().unwrap()])
    });
    assert!(out.contains("EDIT shown without a manual reload"), "{out}");
    assert!(out.contains("OVERLAY --> content/beta.md:2:"), "{out}");
    assert!(out.contains("FIXED overlay gone"), "{out}");
}

/// The fixture book of the search tests.
fn search_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/search/ranking")
}

/// What `search.mjs` prints when every check of a book passed.
const SEARCH_CHECKS: &[&str] = &[
    "TITLE over body for 'priorities': Setting priorities first",
    "AS YOU TYPE 'prio': Setting priorities first",
    "STEM 'prioritize' finds 'priorities' on both pages",
    "ACCENT \"café\": Café culture first",
    "ACCENT \"naive\": Café culture first",
    "PASSAGE marks [\"evidence\"] under § Evidence",
    "OPENED at its heading: roadmap-reviews/index.html#evidence, in view",
    "KEYS '/' and Ctrl-K focus, arrows move, Enter opens, Escape closes",
    "FILTER Impact keeps [\"Roadmap reviews\"]",
    "ANNOUNCED 2 results",
    "NO RESULTS suggests",
    "SHARED URL search/index.html?q=trade-offs&level=execution reopens [\"Setting priorities\"]",
];

#[test]
fn issue_13_search_from_disk_finds_filters_opens_and_reopens() {
    let (_tmp, book) = build(&search_fixture());
    let base = format!("file://{}/", book.display());
    let out = node("search.mjs", &[&base]);
    for check in SEARCH_CHECKS {
        assert!(out.contains(check), "{check} missing:\n{out}");
    }
}

#[test]
fn issue_13_search_served_finds_an_edit_without_a_restart() {
    let out = with_served_copy(&search_fixture(), |base, root| {
        let file = root.join("content/weekly-review.md");
        node("search.mjs", &[&format!("{base}/"), file.to_str().unwrap()])
    });
    for check in SEARCH_CHECKS {
        assert!(out.contains(check), "{check} missing:\n{out}");
    }
    assert!(out.contains("SERVE EDIT found 'zeppelin' in Weekly review without a restart"), "{out}");
    assert!(out.contains("SERVE UNDO 'zeppelin' is gone once the edit is undone"), "{out}");
}

/// A book for the edges of search that reviews found: words that name
/// JavaScript's object properties, a reversed title, a section to open on
/// its own page, a quoted passage, and 25 pages of one word for "Show more".
fn search_edges_book(dir: &Path) {
    let fixture = search_fixture();
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::copy(fixture.join("book.toml"), dir.join("book.toml")).unwrap();
    let page = |name: &str, text: String| std::fs::write(dir.join("content").join(name), text).unwrap();
    page(
        "object-words.md",
        "---\ntitle: Object words\n---\nThe constructor and `__proto__` keys of an object. Press q to quit.\n".into(),
    );
    page(
        "bidi.md",
        "---\ntitle: \"Bidi \\u202Ereversed title\"\nlevels: [impact, execution]\n---\nA bidi test.\n".into(),
    );
    page("cjk.md", "---\ntitle: CJK page\n---\n这是中文的文字。\n".into());
    page("sizes.md", "---\ntitle: Sizes\n---\nDie Größe der Straße.\n".into());
    let filler = "A paragraph of filler text about boats.\n\n".repeat(40);
    page(
        "harbour.md",
        format!(
            "---\ntitle: Harbour guide\nlevels: [execution]\n---\nThe harbour.\n\n{filler}## Moorings\n\n\
             Who keeps the moorings list.\n\n## Plans\n\nThe answer is “not on our horizon.” Then more words follow.\n"
        ),
    );
    for n in 1..=25 {
        page(&format!("team-{n:02}.md"), format!("---\ntitle: Team note {n}\n---\nA note the team wrote.\n"));
    }
}

#[test]
fn issue_13_search_edges_a_review_found() {
    let src = tempfile::tempdir().unwrap();
    search_edges_book(src.path());
    let (_tmp, book) = build(src.path());
    let out = node("search_edges.mjs", &[&format!("file://{}/", book.display())]);
    for check in [
        "PROTO 'constructor' finds Object words",
        "PROTO '__proto__' finds Object words",
        "PASSAGE keeps its punctuation",
        "IDEOGRAPH '中' finds CJK page; '中国' has only some of the words",
        "SHARP S 'STRASSE' and 'grösse' find Straße and Größe",
        "BIDI the levels stay after a reversed title",
        "FILTERED OUT says 1 page matches without the filters; clearing them finds it, the results stay open",
        "ONE LETTER ?q=q finds Object words",
        "LONG WORD says words of more than 40 letters are not searched",
        "LONG WORD beside another: 1 result with some of the words",
        "SAME PAGE a result of this page closes the results, by Enter and by click",
        "SHOW MORE focuses the 21st result",
        "PANEL inside the page at widths from 360 to 1440",
        "PHONE Escape closes the bar and gives focus back to the magnifier",
        "NO SIDEWAYS SCROLL for a long query on a phone",
    ] {
        assert!(out.contains(check), "{check} missing:\n{out}");
    }
}

/// search-stem.js makes the query's terms as rust-stemmers made the
/// index's: checked on every word of our playbook and of the fixtures,
/// and on words made to reach each rule of the algorithm.
#[test]
fn issue_13_the_browser_stems_as_the_index_does() {
    let mut words: std::collections::BTreeSet<String> = RULE_WORDS.iter().map(|w| w.to_string()).collect();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [manifest.join("content"), search_fixture().join("content")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let lower = text.to_lowercase();
            words.extend(
                lower.split(|c: char| !c.is_alphabetic() && c != '\'').filter(|w| !w.is_empty()).map(str::to_string),
            );
        }
    }
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let pairs: Vec<(String, String)> = words.iter().map(|w| (w.clone(), stemmer.stem(w).into_owned())).collect();
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("words.json");
    std::fs::write(&json, serde_json::to_string(&pairs).unwrap()).unwrap();
    let stem_js = manifest.join("themes/default/static/search-stem.js");
    let out = node("stem.mjs", &[stem_js.to_str().unwrap(), json.to_str().unwrap()]);
    assert!(out.contains(&format!("STEMS {} words, 0 differ", pairs.len())), "{out}");
    assert!(pairs.len() > 1500, "{} words", pairs.len());
}

/// Words that reach each step of Porter2 (exceptions, prelude, regions,
/// every suffix list, the short-syllable rules).
const RULE_WORDS: &[&str] = &[
    "skis",
    "skies",
    "dying",
    "lying",
    "tying",
    "idly",
    "gently",
    "ugly",
    "early",
    "only",
    "singly",
    "sky",
    "news",
    "howe",
    "atlas",
    "cosmos",
    "bias",
    "andes",
    "inning",
    "innings",
    "outing",
    "canning",
    "herring",
    "earring",
    "proceed",
    "exceed",
    "succeed",
    "generate",
    "generously",
    "communism",
    "arsenal",
    "yellow",
    "sayings",
    "toying",
    "'quoted",
    "caresses",
    "ponies",
    "ties",
    "cries",
    "gas",
    "gaps",
    "kiwis",
    "press",
    "bus",
    "agreed",
    "feed",
    "plastered",
    "bled",
    "motoring",
    "sing",
    "conflated",
    "troubled",
    "sized",
    "hopping",
    "tanned",
    "falling",
    "hissing",
    "fizzed",
    "failing",
    "filing",
    "hoped",
    "cry",
    "by",
    "say",
    "relational",
    "conditional",
    "rational",
    "valenci",
    "hesitanci",
    "digitizer",
    "conformabli",
    "radicalli",
    "differentli",
    "vileli",
    "analogousli",
    "vietnamization",
    "predication",
    "operator",
    "feudalism",
    "decisiveness",
    "hopefulness",
    "callousness",
    "formaliti",
    "sensitiviti",
    "sensibiliti",
    "apologi",
    "fulli",
    "lessli",
    "cheerfulli",
    "triplicate",
    "formative",
    "formalize",
    "electriciti",
    "electrical",
    "hopeful",
    "goodness",
    "revival",
    "allowance",
    "inference",
    "airliner",
    "gyroscopic",
    "adjustable",
    "defensible",
    "irritant",
    "replacement",
    "adjustment",
    "dependent",
    "adoption",
    "communism",
    "activate",
    "angulariti",
    "homologous",
    "effective",
    "bowdlerize",
    "probate",
    "rate",
    "cease",
    "controll",
    "roll",
    "hope",
    "hopes",
    "hoping",
    "priorities",
    "prioritize",
    "prioritise",
    "priority",
    "organization",
    "organisational",
    "measurement",
    "misalignment",
    "stakeholders",
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
