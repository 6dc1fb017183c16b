//! Issue 10: a differential test keeps the engine honest. Random sequences of
//! edits (bodies and headings; frontmatter fields; pages added, deleted and
//! renamed; book.toml and theme files; edits that break the build, then fix
//! it) are applied to a playbook on disk, committed to git at the start so
//! pages show dates (issue 12). After every step the engine that
//! took them in one by one must hold exactly what a fresh engine loading the
//! same files holds: the same diagnostics, and byte for byte the same output.
//!
//! The suite runs a fixed seed and a bounded number of sequences; a campaign:
//! `PLAYBOOK_DIFF_CASES=20000 PLAYBOOK_DIFF_SEED=3 cargo test --release --test
//! testsuite differential -- --nocapture`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use playbook::engine::Engine;
use playbook::layout::load_layout;
use playbook::{Contents, Mode, OutputFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::harness::{git, has_git};

/// The files of the playbook, as the test means them to be.
type Files = BTreeMap<String, String>;

const LEVELS: [&str; 3] = ["impact", "execution", "optics"];
const CONTEXTS: [&str; 2] = ["platform", "early"];

fn book_toml(title: &str, levels: usize, theme: Option<&str>) -> String {
    let levels: Vec<String> =
        LEVELS[..levels].iter().map(|l| format!("{{ id = \"{l}\", name = \"{}\" }}", l.to_uppercase())).collect();
    let contexts: Vec<String> = CONTEXTS.iter().map(|c| format!("{{ id = \"{c}\", name = \"{c} team\" }}")).collect();
    let theme = theme.map(|t| format!("theme = \"{t}\"\n")).unwrap_or_default();
    format!(
        "[book]\ntitle = \"{title}\"\n[build]\nedit-url-template = \"https://example.org/edit/{{path}}\"\n{theme}\
         [playbook]\nlevels = [{}]\ncontexts = [{}]\n",
        levels.join(", "),
        contexts.join(", ")
    )
}

/// A page: frontmatter fields and a body, each chosen by the test.
#[derive(Debug, Clone)]
struct Page {
    title: String,
    summary: Option<String>,
    levels: Vec<&'static str>,
    contexts: Vec<&'static str>,
    slug: Option<String>,
    order: Option<i64>,
    /// A question's id and where its "Yes" leads.
    question: Option<(String, String)>,
    /// The question's words.
    ask: String,
    decision: bool,
    headings: Vec<String>,
    links: Vec<String>,
    broken_yaml: bool,
}

impl Page {
    fn text(&self) -> String {
        if self.broken_yaml {
            return format!("---\ntitle: [{}\n---\nBroken.\n", self.title);
        }
        let mut front = format!("---\ntitle: \"{}\"\n", self.title);
        if let Some(summary) = &self.summary {
            front.push_str(&format!("summary: \"{summary}\"\n"));
        }
        front.push_str(&format!("levels: [{}]\ncontexts: [{}]\n", self.levels.join(", "), self.contexts.join(", ")));
        if let Some(slug) = &self.slug {
            front.push_str(&format!("slug: {slug}\n"));
        }
        if let Some(order) = self.order {
            front.push_str(&format!("order: {order}\n"));
        }
        if let Some((id, leads_to)) = &self.question {
            let ask = &self.ask;
            front.push_str(&format!(
                "diagnostic_questions:\n  - id: {id}\n    ask: \"{ask}\"\n    answers:\n      - {{ label: \"Yes\", leads_to: \"{leads_to}\" }}\n      - {{ label: \"No\", leads_to: start }}\n"
            ));
        }
        if self.decision {
            front.push_str("decision: { start: q-start }\n");
        }
        front.push_str("---\n");
        let mut body = format!("Intro of {}.\n", self.title);
        for heading in &self.headings {
            body.push_str(&format!("\n## {heading}\n\nText under {heading}.\n"));
        }
        for link in &self.links {
            body.push_str(&format!("\nSee {link}.\n"));
        }
        front + &body
    }
}

/// The starting playbook: a start page with the decision walk, and pages
/// linking each other and their headings.
fn start() -> (Files, BTreeMap<String, Page>) {
    let mut pages = BTreeMap::new();
    pages.insert(
        "start.md".to_string(),
        Page {
            title: "Start".into(),
            summary: Some("Where to begin.".into()),
            levels: vec!["impact"],
            contexts: vec![],
            slug: None,
            order: Some(1),
            question: Some(("q-start".into(), "?q-a".into())),
            ask: "Is it the start?".into(),
            decision: true,
            headings: vec!["Why".into()],
            links: vec!["[[a]]".into(), "[b](b.md#signs)".into()],
            broken_yaml: false,
        },
    );
    for (name, level, heading) in [("a", "execution", "Signs"), ("b", "impact", "Signs"), ("c", "execution", "Fixes")] {
        pages.insert(
            format!("{name}.md"),
            Page {
                title: format!("Page {name}"),
                summary: None,
                levels: vec![level],
                contexts: vec!["platform"],
                slug: None,
                order: None,
                question: (name == "a").then(|| ("q-a".to_string(), "b".to_string())),
                ask: format!("Is it {name}?"),
                decision: false,
                headings: vec![heading.into()],
                links: vec!["[[start]]".into()],
                broken_yaml: false,
            },
        );
    }
    let mut files = Files::new();
    files.insert("book.toml".into(), book_toml("Differential", 3, None));
    files.insert("content/index.md".into(), "# Home\n\nWelcome. [[start]]\n".into());
    files.insert("content/img/pic.svg".into(), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n".into());
    for (path, page) in &pages {
        files.insert(format!("content/{path}"), page.text());
    }
    (files, pages)
}

/// The id of the question page `key` (`a.md`) is given by [`Edit::Question`].
fn question_id(key: &str) -> String {
    match key.trim_end_matches(".md") {
        "start" => "q-start".to_string(),
        stem => format!("q-{stem}"),
    }
}

/// One edit. Indexes pick among the pages present (modulo their count).
#[derive(Debug, Clone)]
enum Edit {
    BodyText(usize, String),
    AddHeading(usize, String),
    RemoveHeading(usize),
    AddLink(usize, usize, bool),
    Title(usize, String),
    Summary(usize, Option<String>),
    Levels(usize, usize),
    Contexts(usize, bool),
    Slug(usize, Option<String>),
    Order(usize, Option<i64>),
    Answer(usize, usize),
    AnswerToQuestion(usize, usize),
    Ask(usize, String),
    Question(usize, bool),
    Decision(usize, bool),
    AddPage(String),
    DeletePage(usize),
    RenamePage(usize, String),
    Home(String, usize, bool),
    BookTitle(String),
    BookLevels(usize),
    Theme(Option<&'static str>),
    ThemeFile(String),
    Asset(String),
    Break(usize),
    Fix(usize),
}

fn name() -> impl Strategy<Value = String> {
    "([a-c]/)?[a-e][a-z]{0,3}"
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = 0..8usize;
    prop_oneof![
        (i.clone(), "[a-z ]{0,12}").prop_map(|(p, t)| Edit::BodyText(p, t)),
        (i.clone(), prop_oneof![Just("Signs"), Just("Fixes"), Just("Why"), Just("Later")])
            .prop_map(|(p, h)| Edit::AddHeading(p, h.into())),
        i.clone().prop_map(Edit::RemoveHeading),
        (i.clone(), i.clone(), any::<bool>()).prop_map(|(p, t, h)| Edit::AddLink(p, t, h)),
        (i.clone(), "[A-Z][a-z]{0,6}").prop_map(|(p, t)| Edit::Title(p, t)),
        (i.clone(), prop::option::of("[a-z ]{1,10}")).prop_map(|(p, s)| Edit::Summary(p, s)),
        (i.clone(), 0..4usize).prop_map(|(p, l)| Edit::Levels(p, l)),
        (i.clone(), any::<bool>()).prop_map(|(p, c)| Edit::Contexts(p, c)),
        (i.clone(), prop::option::of(name())).prop_map(|(p, s)| Edit::Slug(p, s)),
        (i.clone(), prop::option::of(-2..3i64)).prop_map(|(p, o)| Edit::Order(p, o)),
        (i.clone(), i.clone()).prop_map(|(p, t)| Edit::Answer(p, t)),
        (i.clone(), i.clone()).prop_map(|(p, t)| Edit::AnswerToQuestion(p, t)),
        (i.clone(), "[A-Z][a-z ]{0,8}").prop_map(|(p, a)| Edit::Ask(p, a)),
        (i.clone(), any::<bool>()).prop_map(|(p, q)| Edit::Question(p, q)),
        (i.clone(), any::<bool>()).prop_map(|(p, d)| Edit::Decision(p, d)),
        name().prop_map(Edit::AddPage),
        i.clone().prop_map(Edit::DeletePage),
        (i.clone(), name()).prop_map(|(p, n)| Edit::RenamePage(p, n)),
        "[A-Z][a-z]{0,6}".prop_map(Edit::BookTitle),
        (1..4usize).prop_map(Edit::BookLevels),
        ("[a-z ]{0,12}", i.clone(), any::<bool>()).prop_map(|(t, p, h)| Edit::Home(t, p, h)),
        prop_oneof![Just(None), Just(Some("mine"))].prop_map(Edit::Theme),
        "[a-z]{0,8}".prop_map(Edit::ThemeFile),
        "[a-z]{0,8}".prop_map(Edit::Asset),
        i.clone().prop_map(Edit::Break),
        i.prop_map(Edit::Fix),
    ]
}

/// The state the edits act on, and the file paths each one touched.
struct Model {
    files: Files,
    pages: BTreeMap<String, Page>,
    book: (String, usize, Option<&'static str>),
}

impl Model {
    fn page_key(&self, index: usize) -> Option<String> {
        let keys: Vec<&String> = self.pages.keys().collect();
        (!keys.is_empty()).then(|| keys[index % keys.len()].clone())
    }

    fn slugs(&self) -> Vec<String> {
        self.pages
            .iter()
            .map(|(path, page)| page.slug.clone().unwrap_or_else(|| path.trim_end_matches(".md").to_string()))
            .collect()
    }

    /// Applies an edit; returns the playbook-relative paths it changed.
    fn apply(&mut self, edit: &Edit) -> Vec<String> {
        let book = |m: &Model| book_toml(&m.book.0, m.book.1, m.book.2);
        let mut changed = Vec::new();
        let mut page_edit = |model: &mut Model, index: usize, f: &dyn Fn(&mut Page, &[String])| {
            let Some(key) = model.page_key(index) else { return };
            let slugs = model.slugs();
            let page = model.pages.get_mut(&key).expect("picked from the pages");
            f(page, &slugs);
            changed.push(format!("content/{key}"));
        };
        match edit {
            Edit::BodyText(p, t) => page_edit(self, *p, &|page, _| page.links.push(t.clone())),
            Edit::AddHeading(p, h) => page_edit(self, *p, &|page, _| page.headings.push(h.clone())),
            Edit::RemoveHeading(p) => page_edit(self, *p, &|page, _| {
                page.headings.pop();
            }),
            Edit::AddLink(p, t, heading) => page_edit(self, *p, &|page, slugs| {
                let target = &slugs[*t % slugs.len()];
                page.links.push(if *heading { format!("[[{target}#signs]]") } else { format!("[[{target}]]") });
            }),
            Edit::Title(p, t) => page_edit(self, *p, &|page, _| page.title = t.clone()),
            Edit::Summary(p, s) => page_edit(self, *p, &|page, _| page.summary = s.clone()),
            Edit::Levels(p, l) => page_edit(self, *p, &|page, _| page.levels = LEVELS[..*l].to_vec()),
            Edit::Contexts(p, c) => {
                page_edit(self, *p, &|page, _| page.contexts = if *c { vec!["early"] } else { vec![] })
            }
            Edit::Slug(p, s) => page_edit(self, *p, &|page, _| page.slug = s.clone()),
            Edit::Order(p, o) => page_edit(self, *p, &|page, _| page.order = *o),
            Edit::Answer(p, t) => page_edit(self, *p, &|page, slugs| {
                if let Some((_, leads_to)) = &mut page.question {
                    *leads_to = slugs[*t % slugs.len()].clone();
                }
            }),
            Edit::AnswerToQuestion(p, t) => {
                let target = self.page_key(*t).map(|key| question_id(&key));
                page_edit(self, *p, &|page, _| {
                    if let (Some((_, leads_to)), Some(target)) = (&mut page.question, &target) {
                        *leads_to = format!("?{target}");
                    }
                })
            }
            Edit::Ask(p, a) => page_edit(self, *p, &|page, _| page.ask = a.clone()),
            Edit::Question(p, add) => {
                let Some(key) = self.page_key(*p) else { return changed };
                page_edit(self, *p, &|page, slugs| {
                    page.question = add.then(|| (question_id(&key), slugs[0].clone()));
                })
            }
            Edit::Decision(p, d) => page_edit(self, *p, &|page, _| page.decision = *d),
            Edit::Break(p) => page_edit(self, *p, &|page, _| page.broken_yaml = true),
            Edit::Fix(p) => page_edit(self, *p, &|page, _| page.broken_yaml = false),
            Edit::AddPage(name) => {
                let path = format!("{name}.md");
                if !self.pages.contains_key(&path) {
                    let page = Page {
                        title: format!("New {name}"),
                        summary: None,
                        levels: vec!["optics"],
                        contexts: vec![],
                        slug: None,
                        order: None,
                        question: None,
                        ask: "Is it new?".into(),
                        decision: false,
                        headings: vec!["Signs".into()],
                        links: vec!["[[start]]".into()],
                        broken_yaml: false,
                    };
                    self.pages.insert(path.clone(), page);
                    changed.push(format!("content/{path}"));
                }
            }
            Edit::DeletePage(p) => {
                if let Some(key) = self.page_key(*p).filter(|k| k != "start.md") {
                    self.pages.remove(&key);
                    changed.push(format!("content/{key}"));
                }
            }
            Edit::RenamePage(p, name) => {
                let to = format!("{name}.md");
                if let Some(key) = self.page_key(*p).filter(|k| k != "start.md" && !self.pages.contains_key(&to)) {
                    let page = self.pages.remove(&key).expect("picked from the pages");
                    self.pages.insert(to.clone(), page);
                    changed.extend([format!("content/{key}"), format!("content/{to}")]);
                }
            }
            Edit::Home(text, target, heading) => {
                let slugs = self.slugs();
                let target = &slugs[*target % slugs.len()];
                let link = if *heading { format!("[[{target}#signs]]") } else { format!("[[{target}]]") };
                self.files.insert("content/index.md".into(), format!("# Home\n\n{text} {link} [[start]]\n"));
                changed.push("content/index.md".into());
            }
            Edit::BookTitle(t) => {
                self.book.0 = t.clone();
                changed.push("book.toml".into());
            }
            Edit::BookLevels(n) => {
                self.book.1 = *n;
                changed.push("book.toml".into());
            }
            Edit::Theme(theme) => {
                self.book.2 = *theme;
                changed.push("book.toml".into());
            }
            Edit::ThemeFile(text) => {
                self.files.insert("themes/mine/static/style.css".into(), format!("/* {text} */"));
                changed.push("themes/mine/static/style.css".into());
            }
            Edit::Asset(text) => {
                self.files.insert("content/img/pic.svg".into(), format!("<svg><!-- {text} --></svg>"));
                changed.push("content/img/pic.svg".into());
            }
        }
        self.files.insert("book.toml".into(), book(self));
        self.files
            .retain(|path, _| !path.starts_with("content/") || !path.ends_with(".md") || path == "content/index.md");
        for (path, page) in &self.pages {
            self.files.insert(format!("content/{path}"), page.text());
        }
        changed
    }
}

/// Makes the folder hold exactly `files`.
fn sync(root: &Path, files: &Files) {
    fs::create_dir_all(root).unwrap();
    for entry in walkdir::WalkDir::new(root).contents_first(true) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        if entry.file_type().is_file() && !files.contains_key(&rel) {
            fs::remove_file(entry.path()).unwrap();
        }
    }
    for (rel, text) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            fs::write(&path, text).unwrap();
        }
    }
}

/// The site an engine has rendered, path to bytes.
type Site = BTreeMap<String, Vec<u8>>;

fn bytes_of(file: &OutputFile) -> Vec<u8> {
    match &file.contents {
        Contents::Bytes(bytes) => bytes.clone(),
        Contents::CopyOf(path) => fs::read(path).unwrap_or_default(),
    }
}

/// Renders what changed into `site`.
fn render_into(engine: &mut Engine, site: &mut Site) -> Result<(), TestCaseError> {
    let files = std::sync::Mutex::new(Vec::new());
    let rendered = engine
        .render(|file| {
            files.lock().unwrap().push(file);
            Ok(())
        })
        .map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
    prop_assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    // What a server renders once idle (print.html) is part of the site too.
    let deferred = engine
        .render_deferred(|file| {
            files.lock().unwrap().push(file);
            Ok(())
        })
        .map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
    prop_assert!(deferred.problems.is_empty(), "{:?}", deferred.problems);
    for file in files.into_inner().unwrap() {
        site.insert(file.path.clone(), bytes_of(&file));
    }
    for path in rendered.removed {
        site.remove(&path);
    }
    Ok(())
}

fn fresh(root: &Path) -> Result<(Engine, Site), TestCaseError> {
    let layout = load_layout(root, None).unwrap().map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
    let mut engine = Engine::load(layout, Mode::Build, true).unwrap();
    let mut site = Site::new();
    render_into(&mut engine, &mut site)?;
    Ok((engine, site))
}

/// Applies `edits` one by one to a playbook and compares, after each, the
/// engine that took them in with a fresh one. Returns how many steps ran.
fn check_sequence(edits: &[Edit]) -> Result<usize, TestCaseError> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap().join("book");
    let (files, pages) = start();
    let mut model = Model { files, pages, book: ("Differential".into(), 3, None) };
    sync(&root, &model.files);
    // The starting pages are committed (issue 12), so pages show a date
    // until they are renamed; the repository is the folder above, which
    // `sync` leaves alone.
    let dated = has_git();
    if dated {
        git(tmp.path(), &["init", "-q"], None);
        git(tmp.path(), &["add", "-A"], None);
        git(tmp.path(), &["commit", "-q", "-m", "start"], Some("2026-12-06T12:00:00Z"));
    }
    let (mut engine, mut site) = fresh(&root)?;
    let shows_dates = site.values().any(|bytes| bytes.windows(15).any(|w| w == b"datetime=\"2026-"));
    prop_assert_eq!(shows_dates, dated, "pages show their commit's date");
    for (step, edit) in edits.iter().enumerate() {
        let changed: Vec<PathBuf> = model.apply(edit).iter().map(|rel| root.join(rel)).collect();
        sync(&root, &model.files);
        engine.update(&changed).map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
        let (reference, reference_site) = fresh(&root)?;
        let ours: Vec<String> = engine.diagnostics().iter().map(|d| format!("{d:?}")).collect();
        let theirs: Vec<String> = reference.diagnostics().iter().map(|d| format!("{d:?}")).collect();
        prop_assert_eq!(ours, theirs, "diagnostics differ after step {} ({:?})", step, edit);
        if reference.has_errors() {
            continue;
        }
        render_into(&mut engine, &mut site)?;
        let differ: Vec<&String> =
            site.keys().chain(reference_site.keys()).filter(|p| site.get(*p) != reference_site.get(*p)).collect();
        prop_assert!(differ.is_empty(), "after step {} ({:?}) these outputs differ: {:?}", step, edit, differ);
    }
    Ok(edits.len())
}

#[test]
fn issue_10_incremental_updates_equal_a_clean_build_after_every_edit() {
    let cases = std::env::var("PLAYBOOK_DIFF_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let seed: u64 = std::env::var("PLAYBOOK_DIFF_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    let steps = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&prop::collection::vec(edit(), 1..12), |edits| {
        let ran = check_sequence(&edits)?;
        steps.fetch_add(ran, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    });
    eprintln!("differential: {cases} sequences, {} edit steps, seed {seed}", steps.into_inner());
    if let Err(error) = result {
        panic!("{error}");
    }
}

/// Sequences the campaigns found, kept so `cargo test` runs them every time.
#[test]
fn issue_10_edits_that_once_rendered_stale_outputs() {
    let found: Vec<Vec<Edit>> = vec![
        // A page is deleted, which shifts the ids of the pages after it;
        // then another page's summary changes: an output that stood through
        // the deletion must still know it shows that summary.
        vec![Edit::DeletePage(2), Edit::Summary(2, None)],
        // Page a, no longer next to b in reading order, rewords the question
        // whose answer leads to b: b's "led here by" list shows the new words.
        vec![Edit::Order(2, Some(0)), Edit::Ask(4, "A".into())],
        // Page zz asks a question that leads to c, which shows no other
        // trace of the walk; then the start page's answer leads into q-zz,
        // so c's "led here by" now points into the walk.
        vec![
            Edit::AddPage("zz".into()),
            Edit::Question(4, true),
            Edit::Answer(4, 2),
            Edit::Order(4, Some(0)),
            Edit::AnswerToQuestion(3, 4),
        ],
        // The home page stops linking one page and links another: both
        // pages' "Referred to by" lists change, and no other page's.
        vec![Edit::Home("".into(), 0, false), Edit::Home("".into(), 1, false)],
        // Levels change which pages are related to page c.
        vec![Edit::Levels(5, 2)],
        vec![Edit::Decision(1, true)],
        vec![Edit::Decision(2, true)],
        vec![Edit::Decision(3, false)],
        vec![Edit::Question(2, true)],
        vec![Edit::Question(0, false)],
    ];
    for edits in found {
        if let Err(error) = check_sequence(&edits) {
            panic!("{edits:?}: {error}");
        }
    }
}

/// A page moves to another file but keeps its slug and title: the links to
/// it read exactly as before, yet they reach another page now (ids shift),
/// whose "referred to by" must still list them.
#[test]
fn issue_10_a_page_moved_with_its_slug_keeps_its_backlinks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let page = "---\ntitle: Kept\nslug: kept\n---\nText.\n";
    let files: Files = BTreeMap::from([
        ("book.toml".to_string(), "[book]\ntitle = \"Moves\"\n".to_string()),
        ("content/b.md".to_string(), page.to_string()),
        ("content/c.md".to_string(), "# Linker\n\nSee [[kept]].\n".to_string()),
        ("content/d.md".to_string(), "# Other\n".to_string()),
    ]);
    sync(&root, &files);
    let (mut engine, mut site) = fresh(&root).unwrap();
    fs::remove_file(root.join("content/b.md")).unwrap();
    fs::write(root.join("content/m.md"), page).unwrap();
    engine.update(&[root.join("content/b.md"), root.join("content/m.md")]).unwrap();
    render_into(&mut engine, &mut site).unwrap();
    let (_, reference) = fresh(&root).unwrap();
    let ours = String::from_utf8(site["kept/index.html"].clone()).unwrap();
    assert!(ours.contains("c/index.html"), "the moved page lists the page that links to it");
    assert_eq!(site.get("kept/index.html"), reference.get("kept/index.html"));
}
