//! The command line: subcommands, exit codes, and the guards that keep a
//! mistyped command from destroying anything.

use std::fs;

use crate::harness::BookTest;

#[test]
fn help_and_version_exit_zero() {
    let test = BookTest::empty();
    let help = test.run(&["--help"]);
    assert_eq!(help.code, 0);
    for verb in ["init", "build", "clean"] {
        assert!(help.stdout.contains(verb), "{}", help.stdout);
    }
    assert_eq!(test.run(&["build", "--help"]).code, 0);
}

#[test]
fn usage_errors_exit_two() {
    let test = BookTest::empty();
    assert_eq!(test.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(test.run(&["frobnicate"]).code, 2);
    let not_a_book = test.run(&["build"]);
    assert_eq!(not_a_book.code, 2, "{}", not_a_book.stderr);
    assert!(not_a_book.stderr.contains("playbook init"), "{}", not_a_book.stderr);
}

#[test]
fn init_writes_a_playbook_that_builds_cleanly() {
    let test = BookTest::empty();
    let init = test.run(&["init", "fresh"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let build = test.run(&["build", "fresh"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    assert!(test.root.join("fresh/book/index.html").is_file());
    // It shows every feature (issue 14): levels and contexts with their
    // pages, a source with its timestamp, and a decision page whose every
    // path ends on a page, which `check` proves.
    for page in ["levels/impact", "levels/optics", "contexts/platform", "matrix"] {
        assert!(test.root.join("fresh/book").join(page).join("index.html").is_file(), "no {page}");
    }
    let source = fs::read_to_string(test.root.join("fresh/book/name-the-level/index.html")).unwrap();
    assert!(source.contains("youtube.com/watch?v=YP_QghPLG-8&amp;t=3428"), "{source}");
    let walk = fs::read_to_string(test.root.join("fresh/book/diagnose/index.html")).unwrap();
    for outcome in ["name-the-level", "tell-people-what-changed", "look-for-a-deeper-cause"] {
        assert!(walk.contains(&format!("{outcome}/index.html")), "{outcome} is no outcome of the walk");
    }
    let check = test.run(&["check", "fresh"]);
    assert_eq!((check.code, check.stderr.as_str()), (0, "no problems found\n"));
    let again = test.run(&["init", "fresh"]);
    assert_eq!(again.code, 2, "init refuses to overwrite: {}", again.stderr);
}

#[test]
fn dest_dir_overrides_output_and_refuses_content() {
    let test = BookTest::new("build/basic");
    let run = test.run(&["build", "-d", "../elsewhere"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(test.root.join("../elsewhere/index.html").is_file());
    let inside = test.run(&["build", "-d", "content/out"]);
    assert_eq!(inside.code, 2, "{}", inside.stderr);
    assert!(inside.stderr.contains("content folder"), "{}", inside.stderr);
    assert!(!test.root.join("content/out").exists());
    let itself = test.run(&["build", "-d", "."]);
    assert_eq!(itself.code, 2, "{}", itself.stderr);
}

#[test]
fn issue_9_output_dir_in_book_toml_inside_content_is_a_usage_error() {
    // It exited 1, as if the pages were wrong; usage errors exit 2 everywhere.
    let test = BookTest::new("build/basic");
    test.write("book.toml", "[build]\noutput-dir = \"content\"\n");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("output-dir") && run.stderr.contains("content folder"), "{}", run.stderr);
    assert_eq!(test.run(&["clean"]).code, 2);
    assert_eq!(test.run(&["check"]).code, 2);
}

#[test]
fn foreign_folders_are_never_replaced_or_cleaned() {
    let test = BookTest::new("build/basic");
    test.write("book/notes.txt", "precious");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not made by playbook"), "{}", run.stderr);
    assert_eq!(test.run(&["clean"]).code, 2);
    assert_eq!(fs::read_to_string(test.root.join("book/notes.txt")).unwrap(), "precious");
}

#[test]
fn clean_removes_the_output() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    let run = test.run(&["clean"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!test.root.join("book").exists());
    assert!(test.root.join("content").is_dir());
}

#[test]
fn readme_documents_every_code_and_config_key() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for code in playbook::diag::Code::ALL {
        assert!(readme.contains(&format!("| {} |", code.id())), "README does not list {}", code.id());
    }
    for key in [
        "title",
        "description",
        "language",
        "authors",
        "content-dir",
        "output-dir",
        "theme",
        "site-url",
        "levels",
        "contexts",
    ] {
        assert!(
            readme.contains(&format!("` {key}` |")) || readme.contains(&format!("] {key}` |")),
            "README does not document `{key}`"
        );
    }
}

#[test]
fn issue_9_a_broken_book_toml_exits_one_for_every_command() {
    // A broken book.toml is a problem in the content (exit 1), whichever
    // command meets it; serve exited 2, as for a mistyped command.
    let test = BookTest::new("build/basic");
    test.write("book.toml", "[book\n");
    for command in ["build", "check", "clean", "serve"] {
        let run = test.run(&[command, "--port", "0"][..if command == "serve" { 3 } else { 1 }]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("error[E101]"), "{command}: {}", run.stderr);
    }
    test.write("book.toml", b"[book]\ntitle = \"caf\xe9\"\n");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E201]") && run.stderr.contains("book.toml"), "{}", run.stderr);
}

/// The deploy recipe the README gives (issue 14): every `playbook` step it
/// runs works, in the folder it runs in, on a playbook `init` wrote, and
/// the folder it publishes is the one `build` writes.
#[test]
fn the_github_pages_workflow_runs_commands_that_work() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/deploy/github-pages.yml");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().expect("a build job with steps");
    let runs: Vec<&str> = steps.iter().filter_map(|step| step["run"].as_str()).collect();
    let commands: Vec<&str> = runs.iter().copied().filter(|run| run.starts_with("playbook ")).collect();
    assert_eq!(commands, ["playbook check --format github", "playbook build"], "{runs:?}");
    let published = steps.iter().find_map(|step| step["with"]["path"].as_str()).expect("an upload of the site");

    let test = BookTest::empty();
    assert_eq!(test.run(&["init", "."]).code, 0);
    for command in commands {
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let run = test.run(&args);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
    }
    assert!(test.root.join(published).join("index.html").is_file(), "{published} is not what build wrote");
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("(examples/deploy/github-pages.yml)"), "the README links the recipe");
}
