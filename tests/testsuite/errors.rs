//! One error fixture per diagnostic code: the message names the file and
//! line, the exit status is 1 for errors, and nothing is written.

use std::fs;

use playbook::diag::Code;

use crate::harness::{BookTest, Run, fixtures};

/// Builds `errors/<code>` (after `setup`), asserts the failure, and returns
/// what was printed for a snapshot.
fn expect_error(code: &str, setup: impl FnOnce(&BookTest)) -> Run {
    let test = BookTest::new(&format!("errors/{code}"));
    setup(&test);
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{code}: expected exit 1\n{}", run.stderr);
    assert!(run.stderr.contains(&format!("error[{code}]")), "{code} not reported:\n{}", run.stderr);
    assert!(!test.root.join("book").exists(), "{code}: a failed build writes nothing");
    run
}

#[test]
fn every_code_has_a_fixture() {
    for code in Code::ALL {
        assert!(fixtures().join("errors").join(code.id()).join("book.toml").is_file(), "no fixture for {}", code.id());
    }
}

#[test]
fn e101_toml_syntax() {
    insta::assert_snapshot!(expect_error("E101", |_| {}).stderr);
}

#[test]
fn e102_unknown_config_key() {
    insta::assert_snapshot!(expect_error("E102", |_| {}).stderr);
}

#[test]
fn e103_config_value_type() {
    insta::assert_snapshot!(expect_error("E103", |_| {}).stderr);
}

#[test]
fn e104_inconsistent_config() {
    insta::assert_snapshot!(expect_error("E104", |_| {}).stderr);
}

#[test]
fn e201_not_utf8() {
    insta::assert_snapshot!(expect_error("E201", |_| {}).stderr);
}

#[cfg(unix)]
#[test]
fn e202_symlink_loop() {
    let run = expect_error("E202", |t| std::os::unix::fs::symlink("..", t.root.join("content/loop")).unwrap());
    assert!(run.stderr.contains("content/loop"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[cfg(unix)]
#[test]
fn e204_symlink_escape() {
    let run = expect_error("E204", |t| {
        std::os::unix::fs::symlink("/etc/passwd", t.root.join("content/passwd.md")).unwrap();
    });
    assert!(!run.stderr.contains("root:"), "the target is never read:\n{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn e205_name_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let run = expect_error("E205", |t| {
        let name = std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9.md");
        fs::write(t.root.join("content").join(name), "# R\n").unwrap();
    });
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn e203_page_too_large() {
    let run = expect_error("E203", |t| {
        t.write("content/huge.md", "word ".repeat(1024 * 1024));
    });
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn e301_unclosed_frontmatter() {
    insta::assert_snapshot!(expect_error("E301", |_| {}).stderr);
}

#[test]
fn e302_yaml_syntax() {
    insta::assert_snapshot!(expect_error("E302", |_| {}).stderr);
}

#[test]
fn e303_unknown_frontmatter_key() {
    insta::assert_snapshot!(expect_error("E303", |_| {}).stderr);
}

#[test]
fn e304_wrong_frontmatter_type() {
    insta::assert_snapshot!(expect_error("E304", |_| {}).stderr);
}

#[test]
fn e305_frontmatter_too_large() {
    let run = expect_error("E305", |t| {
        t.write("content/big.md", format!("---\ntitle: [{}]\n---\n", "[".repeat(70 * 1024)));
    });
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn e308_nesting_too_deep() {
    let run = expect_error("E308", |t| {
        // Under the 64 KiB cap, but serde_yaml took 17 s to reject it.
        t.write("content/deep.md", format!("---\ntitle: Deep\nx: {}\n---\n", "[".repeat(63 * 1024)));
        t.write("content/quotes.md", format!("# Quotes\n\n{}\n", "> ".repeat(100)));
    });
    assert!(run.stderr.contains("content/deep.md:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("content/quotes.md:3:"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn e306_invalid_slug() {
    insta::assert_snapshot!(expect_error("E306", |_| {}).stderr);
}

#[test]
fn e307_duplicate_output_path() {
    insta::assert_snapshot!(expect_error("E307", |_| {}).stderr);
}

#[test]
fn issue_3_e401_unknown_level_suggests_the_nearest() {
    let run = expect_error("E401", |_| {});
    assert!(run.stderr.contains("content/typo.md:3:10"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `execution`?"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn e402_unknown_context() {
    let run = expect_error("E402", |_| {});
    assert!(run.stderr.contains("content/typo.md:6:5"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn e403_unknown_related_page() {
    insta::assert_snapshot!(expect_error("E403", |_| {}).stderr);
}

#[test]
fn e404_duplicate_question_across_pages() {
    insta::assert_snapshot!(expect_error("E404", |_| {}).stderr);
}

#[test]
fn e405_malformed_timestamp() {
    insta::assert_snapshot!(expect_error("E405", |_| {}).stderr);
}

#[test]
fn e406_unsafe_source_url() {
    insta::assert_snapshot!(expect_error("E406", |_| {}).stderr);
}

#[test]
fn e407_malformed_answer_target() {
    insta::assert_snapshot!(expect_error("E407", |_| {}).stderr);
}

#[test]
fn w401_timestamp_without_video_warns() {
    let test = BookTest::new("errors/W401");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[W401]") && run.stderr.contains("content/page.md:4:10"), "{}", run.stderr);
    assert!(!test.output("page/index.html").contains("youtube.com"), "no link without a video");
}

#[test]
fn e901_render_failure_names_the_page() {
    let run = expect_error("E901", |_| {});
    assert!(run.stderr.contains("content/page.md"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

/// A card drawn for a list of pages fails in the theme's card template:
/// the report names that template's file, not a page or book.toml.
#[test]
fn e901_a_failing_card_names_its_template() {
    let run = expect_error("E901", |test| {
        test.write("themes/broken/templates/page.html", "{% extends \"base.html\" %}");
        test.write("themes/broken/templates/card.html", "<li>{{ page.nope }}</li>");
    });
    assert!(run.stderr.contains("with `card.html` failed"), "{}", run.stderr);
    assert!(run.stderr.contains("--> themes/broken/templates/card.html"), "{}", run.stderr);
}

#[test]
fn e902_template_syntax() {
    let run = expect_error("E902", |_| {});
    assert!(run.stderr.contains("themes/broken/templates/page.html"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn w101_unknown_theme_file_warns_and_strict_fails() {
    let test = BookTest::new("errors/W101");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[W101]"), "{}", run.stderr);
    insta::assert_snapshot!(
        run.stderr.lines().filter(|l| !l.starts_with("built ") && !l.contains("open ")).collect::<Vec<_>>().join("\n")
    );
    fs::remove_dir_all(test.root.join("book")).unwrap();
    let strict = test.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(!test.root.join("book").exists());
}

#[test]
fn issue_4_l501_broken_links_warn_in_build_and_fail_check_and_strict() {
    let test = BookTest::new("errors/L501");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.contains("warning[L501]: broken link: no page `culture-problem`"), "{}", build.stderr);
    assert!(build.stderr.contains("content/links.md:5:5"), "{}", build.stderr);
    assert!(build.stderr.contains("did you mean `culture-problems`?"), "{}", build.stderr);
    assert!(build.stderr.contains("did you mean `#signs`?"), "{}", build.stderr);
    assert_eq!(build.stderr.matches("no page `culture-problem`").count(), 1, "grouped: {}", build.stderr);
    let page = test.output("links/index.html");
    assert!(page.contains("<span class=\"broken-link\" title=\"Broken link: culture-problem\">culture-problem<span class=\"visually-hidden\"> (broken link)</span></span>"), "{page}");
    insta::assert_snapshot!(
        build
            .stderr
            .lines()
            .filter(|l| !l.starts_with("built ") && !l.contains("  open "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let strict = test.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    let check = test.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("error[L501]"), "{}", check.stderr);
    let github = test.run(&["check", "--format", "github"]);
    assert_eq!(github.code, 1);
    assert!(
        github
            .stdout
            .contains("::error file=content/links.md,line=5,col=5,title=L501::broken link: no page `culture-problem`"),
        "{}",
        github.stdout
    );
    let json = test.run(&["check", "--format", "json"]);
    let first: serde_json::Value = serde_json::from_str(json.stdout.lines().next().unwrap()).unwrap();
    assert_eq!((first["code"].as_str(), first["line"].as_u64()), (Some("L501"), Some(5)));
}

#[test]
fn l502_ambiguous_wiki_link_names_the_candidates() {
    let run = expect_error("L502", |_| {});
    assert!(run.stderr.contains("`a/setup`, `b/setup`"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn l503_orphan_pages_are_check_warnings() {
    let test = BookTest::new("errors/L503");
    let check = test.run(&["check"]);
    assert_eq!(check.code, 0, "orphans are warnings: {}", check.stderr);
    assert!(check.stderr.contains("warning[L503]: `lonely` is an orphan"), "{}", check.stderr);
    assert!(!check.stderr.contains("`listed`"), "a page at a level is listed by its level page");
}

#[test]
fn issue_5_e601_dangling_leads_to_with_suggestions() {
    let run = expect_error("E601", |_| {});
    assert!(
        run.stderr.contains("content/questions.md:7:35") && run.stderr.contains("did you mean `?second`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/questions.md:8:34") && run.stderr.contains("did you mean `outcome`?"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn issue_5_e602_unknown_start() {
    let run = expect_error("E602", |_| {});
    assert!(run.stderr.contains("content/decide.md:3:20"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn issue_5_e603_cycle_names_its_path() {
    let run = expect_error("E603", |_| {});
    assert!(
        run.stderr.contains("first → second → first") && run.stderr.contains("content/questions.md:10:37"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn issue_5_e604_dead_end() {
    let run = expect_error("E604", |_| {});
    assert!(run.stderr.contains("content/questions.md:7:9"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn issue_5_e605_unreachable_question() {
    let run = expect_error("E605", |_| {});
    assert!(run.stderr.contains("`island`") && run.stderr.contains("content/questions.md:5:9"), "{}", run.stderr);
    let check = BookTest::new("errors/E605").run(&["check"]);
    assert_eq!(check.code, 1, "check reports graph errors too: {}", check.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn l504_missing_local_files_warn_in_build_and_fail_check() {
    let test = BookTest::new("errors/L504");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(build.stderr.matches("warning[L504]").count(), 4, "{}", build.stderr);
    insta::assert_snapshot!(
        build
            .stderr
            .lines()
            .filter(|l| !l.starts_with("built ") && !l.contains("  open "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let check = test.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("error[L504]"), "{}", check.stderr);
}

#[test]
fn w201_empty_content_warns_and_strict_fails() {
    let test = BookTest::new("errors/W201");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.contains("warning[W201]: `content` has no pages"), "{}", build.stderr);
    let strict = test.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    insta::assert_snapshot!(strict.stderr);
}

/// A build reads each page again when it renders it (it does not keep every
/// page's text): a page edited between the two reads is an error, never
/// rendered unchecked.
#[test]
fn e206_a_page_changed_during_the_build_is_not_rendered() {
    let test = BookTest::new("errors/E206");
    let layout = playbook::layout::load_layout(&test.root, None).unwrap().unwrap();
    let mut engine = playbook::engine::Engine::load(layout, playbook::Mode::Build, false).unwrap();
    assert!(engine.diagnostics().is_empty(), "{:?}", engine.diagnostics());
    test.write("content/a.md", "---\ntitle: A page\n---\n\nText nobody checked.\n");
    let written = std::sync::Mutex::new(Vec::new());
    let rendered = engine
        .render(|file| {
            written.lock().unwrap().push(file.path);
            Ok(())
        })
        .unwrap();
    let problem = rendered.problems.iter().find(|p| p.code == Code::ChangedDuringBuild);
    let problem = problem.unwrap_or_else(|| panic!("no E206 in {:?}", rendered.problems));
    assert!(problem.message.contains("content/a.md"), "{}", problem.message);
    assert!(problem.is_error());
    assert!(!written.into_inner().unwrap().contains(&"a/index.html".to_string()));
}

/// What a broken frontmatter says, for each mistake authors arriving from
/// other tools make (issue 14): in YAML's terms, at the line of the
/// mistake, with the fix.
#[test]
fn issue_14_yaml_errors_speak_yaml_and_point_at_the_mistake() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("order: abc\n", "a.md:3:", "expected a whole number, found the text \"abc\"", "like `order: 3`"),
        ("levels: impact\n", "a.md:3:", "expected a list, found the text \"impact\"", "`[a, b]`"),
        ("tags:\n\t- x\n", "a.md:4:", "tabs cannot indent YAML", "indent with spaces"),
        (
            "diagnostic_questions:\n  - id: q\n    ask: Why?\n    answers:\n      - { label: Yes, leads_to: ?other }\n",
            "a.md:7:",
            "`?` cannot start a value that is not quoted",
            "`\"?other\"`",
        ),
        ("tags:\n  - one\n - two\n", "a.md:5:", "indented differently from the one above it", "line its `-` up"),
    ];
    for (yaml, place, message, help) in cases {
        let test = BookTest::empty();
        test.write("content/a.md", format!("---\ntitle: A\n{yaml}---\nBody.\n"));
        let run = test.run(&["build"]);
        assert_eq!(run.code, 1, "{yaml}: {}", run.stderr);
        for want in [place, message, help] {
            assert!(run.stderr.contains(want), "{yaml:?}: no {want:?} in\n{}", run.stderr);
        }
        for rust in ["i64", "sequence", "cannot start any token"] {
            assert!(!run.stderr.contains(rust), "{yaml:?}: Rust's words in\n{}", run.stderr);
        }
    }
    // `leads-to` is said once, as the key it should be.
    let test = BookTest::empty();
    test.write(
        "content/a.md",
        "---\ntitle: A\ndiagnostic_questions:\n  - id: q\n    ask: Why?\n    answers:\n      - label: Yes\n        leads-to: a\n---\n",
    );
    let run = test.run(&["build"]);
    assert!(run.stderr.contains("did you mean `leads_to`?"), "{}", run.stderr);
    assert!(!run.stderr.contains("missing field"), "{}", run.stderr);
}

#[test]
fn e408_an_alias_that_is_another_page_s_name() {
    let run = expect_error("E408", |_| {});
    assert!(run.stderr.contains("content/planning.md:3:"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn e409_a_date_not_written_as_a_day() {
    let run = expect_error("E409", |_| {});
    assert!(run.stderr.contains("content/launch.md:3:7"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn w301_lenient_frontmatter_keeps_unknown_keys_with_a_warning() {
    let test = BookTest::new("errors/W301");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.contains("warning[W301]") && build.stderr.contains("content/note.md:3:1"), "{}", build.stderr);
    let strict = test.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "warnings fail a strict build:\n{}", strict.stderr);
    // The same key under the default policy is an error.
    test.write("book.toml", "[book]\ntitle = \"Strict\"\n");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E303]: unknown frontmatter key `cssclasses`"), "{}", run.stderr);
}

#[test]
fn e105_a_summary_chapter_that_is_no_link() {
    let run = expect_error("E105", |_| {});
    assert!(run.stderr.contains("src/SUMMARY.md:4:1"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

/// A chapter `SUMMARY.md` lists but nobody wrote: the build goes on, as
/// mdBook's would with `create-missing = false`; `check` fails.
#[test]
fn l505_a_summary_chapter_whose_file_is_missing() {
    let test = BookTest::new("errors/L505");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.contains("warning[L505]: SUMMARY.md lists `install.md`"), "{}", build.stderr);
    assert!(build.stderr.contains("src/SUMMARY.md:4:3"), "{}", build.stderr);
    assert!(build.stderr.contains("built 1 page into"), "{}", build.stderr);
    let check = test.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("error[L505]"), "{}", check.stderr);
    assert!(!check.stderr.contains("L503"), "a chapter SUMMARY.md lists is no orphan:\n{}", check.stderr);
}

#[test]
fn l506_an_include_of_a_missing_file() {
    let test = BookTest::new("errors/L506");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("warning[L506]: cannot include `scripts/setup.sh`: there is no such file"),
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("src/setup.md:6:1"), "{}", build.stderr);
    assert!(!build.stderr.contains("os error"), "{}", build.stderr);
    let check = test.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    insta::assert_snapshot!(check.stderr);
}

#[test]
fn w102_mdbook_keys_playbook_does_not_read_are_listed_once() {
    let test = BookTest::new("errors/W102");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(build.stderr.matches("warning[W102]").count(), 1, "{}", build.stderr);
    for key in
        ["`output.html.git-repository-url`", "`output.html.mathjax-support`", "`preprocessor.links`", "`rust.edition`"]
    {
        assert!(build.stderr.contains(key), "{key} not listed:\n{}", build.stderr);
    }
    assert!(!build.stderr.contains("`book.authors`"), "authors is read:\n{}", build.stderr);
    let strict = test.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn w402_a_directive_playbook_does_not_run() {
    let test = BookTest::new("errors/W402");
    let build = test.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("warning[W402]: `{{#toc}}`") && build.stderr.contains("src/intro.md:3:1"),
        "{}",
        build.stderr
    );
    assert!(test.output("intro/index.html").contains("{{#toc}}"), "left as text");
}
