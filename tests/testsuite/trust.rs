//! Issue 9: safe to build untrusted pull requests. Each test here reproduces
//! a finding of that issue: what a hostile contributor or a careless user did,
//! and what playbook must do instead.

use crate::harness::BookTest;

fn book_with(pages: &[(&str, &str)]) -> BookTest {
    let test = BookTest::empty();
    test.write("book.toml", "[book]\ntitle = \"Trust\"\n");
    for (path, text) in pages {
        test.write(&format!("content/{path}"), text);
    }
    test
}

#[test]
fn issue_9_a_flood_of_broken_links_prints_a_bounded_report() {
    // 102,000 broken links printed 26 MB. A few of a kind are shown, then
    // one line counts the rest; a line 10,000 links long is shown as an
    // excerpt around the caret, not whole.
    let mut text = String::from("# Flood\n\n");
    for i in 0..20_000 {
        text.push_str(&format!("See [[missing-{i}]].\n\n"));
    }
    text.push_str(&(0..10_000).map(|i| format!("[[gone-{i}]] ")).collect::<String>());
    let test = book_with(&[("flood.md", &text)]);
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.len() < 32 * 1024, "{} bytes of diagnostics", run.stderr.len());
    assert!(run.stderr.contains("more warnings[L501]") || run.stderr.contains("more errors[L501]"), "{}", run.stderr);
    let longest = run.stderr.lines().map(str::len).max().unwrap();
    assert!(longest < 300, "a source line is shown as an excerpt, not {longest} bytes");
}

#[cfg(unix)]
mod symlinks {
    use std::fs;
    use std::os::unix::fs::symlink;

    use super::book_with;
    use crate::serve::Server;

    const SECRET: &str = "AWS_SECRET_ACCESS_KEY=hunter2";

    /// A folder beside the playbook holding secrets a link could reach.
    fn outside(test: &crate::harness::BookTest) -> std::path::PathBuf {
        let dir = test.root.parent().unwrap().join("home");
        fs::create_dir_all(dir.join(".ssh")).unwrap();
        fs::write(dir.join(".ssh/id_rsa"), SECRET).unwrap();
        fs::write(dir.join("environ.md"), SECRET).unwrap();
        fs::write(dir.join("style.css"), SECRET).unwrap();
        dir
    }

    #[test]
    fn issue_9_symlinks_out_of_the_playbook_are_errors_and_never_published() {
        let test = book_with(&[("index.md", "# Home\n")]);
        let home = outside(&test);
        symlink(home.join("environ.md"), test.root.join("content/environ.md")).unwrap();
        symlink(home.join(".ssh"), test.root.join("content/keys")).unwrap();
        symlink("/etc", test.root.join("content/deep-link")).unwrap();
        fs::create_dir_all(test.root.join("themes/mine/static")).unwrap();
        symlink(home.join("style.css"), test.root.join("themes/mine/static/style.css")).unwrap();
        test.write("book.toml", "[book]\ntitle = \"Trust\"\n[build]\ntheme = \"mine\"\n");
        for command in ["build", "check"] {
            let run = test.run(&[command]);
            assert_eq!(run.code, 1, "{command}: {}", run.stderr);
            for path in ["content/environ.md", "content/keys", "content/deep-link", "themes/mine/static/style.css"] {
                assert!(
                    run.stderr.contains("error[E204]") && run.stderr.contains(path),
                    "{command} names {path}:\n{}",
                    run.stderr
                );
            }
            assert!(!run.stderr.contains("hunter2"), "{command} printed the secret:\n{}", run.stderr);
        }
        assert!(!test.root.join("book").exists());
        let server = Server::start(&test);
        for target in ["/environ/", "/keys/id_rsa", "/deep-link/shadow", "/deep-link/passwd", "/assets/style.css"] {
            let (_, _, body) = server.get(target);
            assert!(!body.contains("hunter2") && !body.contains("root:"), "serve leaked {target}");
        }
    }

    #[test]
    fn issue_9_a_linked_book_toml_outside_is_refused_unread() {
        let test = book_with(&[("index.md", "# Home\n")]);
        let home = outside(&test);
        fs::remove_file(test.root.join("book.toml")).unwrap();
        symlink(home.join("environ.md"), test.root.join("book.toml")).unwrap();
        let run = test.run(&["build"]);
        assert_ne!(run.code, 0);
        assert!(run.stderr.contains("E204") && run.stderr.contains("book.toml"), "{}", run.stderr);
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    }

    #[test]
    fn issue_9_content_dir_and_output_dir_stay_in_the_playbook() {
        let test = book_with(&[("index.md", "# Home\n")]);
        let home = outside(&test);
        fs::write(home.join("page.md"), "# Secret page\n\nhunter2").unwrap();
        test.write("book.toml", format!("[build]\ncontent-dir = \"{}\"\n", home.display()));
        let run = test.run(&["build"]);
        assert_ne!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("content-dir"), "{}", run.stderr);
        test.write("book.toml", "[build]\noutput-dir = \"../home/site\"\n");
        let run = test.run(&["build"]);
        assert_ne!(run.code, 0, "{}", run.stderr);
        assert!(!home.join("site").exists(), "book.toml may not send the output out of the playbook");
        assert!(run.stderr.contains("output-dir") && run.stderr.contains("-d"), "{}", run.stderr);
    }

    #[test]
    fn issue_9_symlinks_that_stay_inside_the_playbook_work() {
        let test = book_with(&[("index.md", "# Home\n\n[[shared]] ![pic](img/pic.png)\n")]);
        test.write("notes/shared.md", "# Shared\n\nShared text.\n");
        test.write("images/pic.png", b"\x89PNG");
        symlink("../notes/shared.md", test.root.join("content/shared.md")).unwrap();
        symlink("../images", test.root.join("content/img")).unwrap();
        let run = test.build_ok();
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        assert!(test.output("shared/index.html").contains("Shared text."));
        assert_eq!(fs::read(test.root.join("book/img/pic.png")).unwrap(), b"\x89PNG");
    }

    #[test]
    fn issue_9_a_link_into_a_hidden_folder_of_the_playbook_is_refused() {
        let test = book_with(&[("index.md", "# Home\n")]);
        test.write(".git/config", "[remote]\nurl = https://token:hunter2@example.com\n");
        symlink("../.git/config", test.root.join("content/config.txt")).unwrap();
        let run = test.run(&["build"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("E204") && run.stderr.contains("content/config.txt"), "{}", run.stderr);
    }
}

#[test]
fn issue_9_serve_never_serves_what_build_skips() {
    let test = book_with(&[("index.md", "# Home\n"), ("page.md", "# Page\n")]);
    test.write("content/.git/config", "[remote]\nurl = https://token:hunter2@example.com\n");
    test.write("content/.obsidian/workspace.json", "{\"secret\": \"hunter2\"}");
    test.write("content/notes/.env", "TOKEN=hunter2");
    test.write("content/img/ok.png", "PNG");
    let server = crate::serve::Server::start(&test);
    assert_eq!(server.get("/img/ok.png").0, 200);
    for target in ["/.git/config", "/.obsidian/workspace.json", "/notes/.env", "/page.md"] {
        let (status, _, body) = server.get(target);
        assert!(!body.contains("hunter2"), "{target} leaked");
        assert_eq!(status, 404, "{target}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn issue_9_a_file_name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let test = book_with(&[("index.md", "# Home\n")]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(test.root.join("content").join(name), "# Cafe\n").unwrap();
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E205]") && run.stderr.contains("caf\u{fffd}.md"), "{}", run.stderr);
}

/// A playbook of `n` linked pages: big enough that a build takes a while.
fn many_pages(n: usize, version: &str) -> BookTest {
    let test = BookTest::empty();
    write_pages(&test, n, version);
    test
}

fn write_pages(test: &BookTest, n: usize, version: &str) {
    test.write(
        "book.toml",
        "[book]\ntitle = \"Many\"\n[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }]\n",
    );
    test.write("content/index.md", format!("# Home {version}\n"));
    for i in 0..n {
        test.write(
            &format!("content/p{i}.md"),
            format!(
                "---\ntitle: Page {i}\nlevels: [impact]\n---\n## Part\n\nVersion {version}. See [[p{}]] and [[p{}#part]].\n",
                (i + 1) % n,
                (i + 7) % n
            ),
        );
    }
    test.write("content/img/pic.png", b"PNG");
}

/// Every file of a built site, path and bytes.
fn site_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                files.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    files
}

/// Builds into a separate folder to know what a whole site looks like.
fn reference_site(test: &BookTest) -> std::collections::BTreeMap<String, Vec<u8>> {
    let dir = test.root.parent().unwrap().join(format!("reference-{}", std::process::id()));
    let run = test.run(&["build", "-d", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = site_files(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    files
}

fn spawn_build(test: &BookTest) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["build", "--color=never"])
        .current_dir(&test.root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn issue_9_two_builds_at_once_publish_one_whole_site() {
    // Two builds into one output: one said "built" while the site lacked
    // index.html, nav.js or assets/, and the marker could be lost.
    let test = many_pages(300, "one");
    let whole = reference_site(&test);
    for round in 0..3 {
        let (a, b) = (spawn_build(&test), spawn_build(&test));
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "round {round}: {stderr}");
        }
        let published = site_files(&test.root.join("book"));
        assert_eq!(published.keys().collect::<Vec<_>>(), whole.keys().collect::<Vec<_>>(), "round {round}");
        assert!(published == whole, "round {round}: a file differs from a whole build");
        let leftovers: Vec<_> = std::fs::read_dir(&test.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("playbook"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: left behind {leftovers:?}");
    }
    assert_eq!(test.run(&["clean"]).code, 0);
}

#[cfg(unix)]
#[test]
fn issue_9_a_build_killed_at_any_point_leaves_the_old_or_the_new_site_whole() {
    let test = many_pages(300, "old");
    test.build_ok();
    let old = site_files(&test.root.join("book"));
    write_pages(&test, 300, "new");
    let new = reference_site(&test);
    // Spread the kills over a whole build.
    let started = std::time::Instant::now();
    test.build_ok();
    let build_time = started.elapsed();
    for round in 0..8u32 {
        write_pages(&test, 300, if round % 2 == 0 { "old" } else { "new" });
        let mut child = spawn_build(&test);
        std::thread::sleep(build_time * round / 8);
        let _ = child.kill();
        let _ = child.wait();
        let published = site_files(&test.root.join("book"));
        assert!(published == old || published == new, "round {round}: the published site is neither whole site");
    }
    // The next build cleans up after the killed ones, and clean still works.
    write_pages(&test, 300, "new");
    test.build_ok();
    assert!(site_files(&test.root.join("book")) == new);
    assert_eq!(test.run(&["clean"]).code, 0);
    let leftovers: Vec<_> = std::fs::read_dir(&test.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("playbook") || name == "book")
        .collect();
    assert!(leftovers.is_empty(), "left behind {leftovers:?}");
}

#[test]
fn issue_9_slow_clients_and_reload_streams_do_not_lock_out_a_reader() {
    // 300 clients sending headers a byte at a time, or 256 open reload
    // streams, answered everyone else with 503 for about 25 s.
    use std::io::Write;
    let test = book_with(&[("index.md", "# Home\n"), ("page.md", "# Page\n\nHello.\n")]);
    let server = crate::serve::Server::start(&test);
    let port = server.port;
    let mut held = Vec::new();
    for _ in 0..300 {
        let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
        held.push(slow);
    }
    for _ in 0..300 {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(stream, "GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
        held.push(stream);
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let (status, _, body) = server.get("/page/");
    assert_eq!(status, 200, "a reader is served while 600 connections are held");
    assert!(body.contains("Hello."));
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
    drop(held);
}

#[test]
fn issue_9_range_requests_let_a_video_seek() {
    let test = book_with(&[("index.md", "# Home\n")]);
    test.write("content/media/clip.mp4", b"0123456789abcdef");
    let server = crate::serve::Server::start(&test);
    let port = server.port;
    let request = |range: &str| {
        server.raw(&format!(
            "GET /media/clip.mp4 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nRange: {range}\r\nConnection: close\r\n\r\n"
        ))
    };
    let (status, head, body) = request("bytes=2-5");
    assert_eq!(status, 206, "{head}");
    assert!(head.to_ascii_lowercase().contains("content-range: bytes 2-5/16"), "{head}");
    assert_eq!(body, "2345");
    let (status, _, body) = request("bytes=12-");
    assert_eq!((status, body.as_str()), (206, "cdef"));
    let (status, _, body) = request("bytes=-3");
    assert_eq!((status, body.as_str()), (206, "def"));
    let (status, head, _) = request("bytes=40-50");
    assert_eq!(status, 416, "{head}");
    let (status, head, body) = server.get("/media/clip.mp4");
    assert_eq!((status, body.as_str()), (200, "0123456789abcdef"));
    assert!(head.to_ascii_lowercase().contains("accept-ranges: bytes"), "{head}");
}

#[test]
fn issue_9_a_duplicated_host_header_is_refused() {
    let test = book_with(&[("index.md", "# Home\n")]);
    let server = crate::serve::Server::start(&test);
    let port = server.port;
    let (status, _, _) = server.raw(&format!(
        "GET / HTTP/1.1\r\nHost: evil.example:{port}\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 400, "which Host is meant is ambiguous: refuse");
    let (status, _, _) = server.raw(&format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 400);
}

#[test]
fn issue_9_missing_images_and_files_are_reported_and_present_ones_work() {
    let page = "# Guide\n\n![diagram](img/missing.png)\n\n<img src=\"img/gone.png\" alt=\"x\">\n\n\
                [the pdf](files/missing.pdf)\n\n![ok](img/ok.png) <img src=\"img/ok.png\" alt=\"ok\"> [ok pdf](files/ok.pdf)\n";
    let test = book_with(&[("index.md", "# Home\n\n[[guide/page]]\n"), ("guide/page.md", page)]);
    test.write("content/guide/img/ok.png", "PNG");
    test.write("content/guide/files/ok.pdf", "PDF");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "missing files warn in build: {}", run.stderr);
    for (missing, line) in [("img/missing.png", 3), ("img/gone.png", 5), ("files/missing.pdf", 7)] {
        assert!(
            run.stderr.contains(&format!("`{missing}`"))
                && run.stderr.contains(&format!("content/guide/page.md:{line}:")),
            "{missing} at line {line}:\n{}",
            run.stderr
        );
    }
    assert_eq!(run.stderr.matches("warning[L504]").count(), 3, "{}", run.stderr);
    let html = test.output("guide/page/index.html");
    assert!(html.contains("src=\"../img/ok.png\""), "a raw <img> follows its page into its folder: {html}");
    assert_eq!(test.run(&["check"]).code, 1, "check fails on missing files");
    assert_eq!(test.run(&["build", "--strict"]).code, 1);
}

#[test]
fn issue_9_percent_encoded_links_to_pages_resolve() {
    let test = book_with(&[
        ("index.md", "# Home\n\n[space](a%20b.md) and [plain](c.md#part%20two)\n"),
        ("a b.md", "# A B\n"),
        ("c.md", "# C\n\n## Part two\n"),
    ]);
    let run = test.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = test.run(&["build"]);
    assert_eq!(html.code, 0);
    let home = test.output("index.html");
    assert!(home.contains("href=\"a-b/index.html\""), "{home}");
    assert!(home.contains("href=\"c/index.html#part-two\""), "{home}");
}

#[test]
fn issue_9_root_absolute_links_are_checked_and_made_relative() {
    let page = "# Page\n\n[guide](/guide/) [pic](/img/pic.png) [source](/guide.md) [gone](/nope/) [gone file](/img/nope.png)\n";
    let test = book_with(&[
        ("index.md", "# Home\n\n[[guide]]\n"),
        ("guide.md", "# Guide\n\n[[deep/page]]\n"),
        ("deep/page.md", page),
    ]);
    test.write("content/img/pic.png", "PNG");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for missing in ["/nope/", "/img/nope.png"] {
        assert!(run.stderr.contains(&format!("`{missing}`")), "{missing}:\n{}", run.stderr);
    }
    let html = test.output("deep/page/index.html");
    assert!(html.contains("href=\"../../guide/index.html\""), "{html}");
    assert!(html.contains("href=\"../../img/pic.png\""), "{html}");
    // Under a base path, root-absolute links must start with it.
    test.write("book.toml", "[book]\ntitle = \"Trust\"\n[build]\nsite-url = \"/playbook/\"\n");
    test.write("content/deep/page.md", "# Page\n\n[in](/playbook/guide/) [out](/guide/)\n");
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[L501]").count(), 1, "only `/guide/` is broken: {}", run.stderr);
    assert!(run.stderr.contains("`/guide/`") && run.stderr.contains("content/deep/page.md:3:24"), "{}", run.stderr);
    assert!(run.stderr.contains("write `/playbook/guide/`"), "the help names the base path: {}", run.stderr);
}

#[test]
fn issue_9_an_index_html_in_content_clashes_with_the_home_page() {
    let test = book_with(&[("page.md", "# Page\n")]);
    test.write("content/index.html", "<h1>Not the home page</h1>");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E307]") && run.stderr.contains("content/index.html"), "{}", run.stderr);
}

#[test]
fn issue_9_an_empty_content_folder_is_not_silent() {
    let test = book_with(&[]);
    std::fs::create_dir_all(test.root.join("content")).unwrap();
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[W201]") && run.stderr.contains("content"), "{}", run.stderr);
    let strict = test.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn issue_9_every_unknown_key_of_book_toml_is_reported_in_one_run() {
    // Migrating the mdBook guide's book.toml took 8 runs, one key each.
    // (mdBook's own keys are read or listed as ignored since issue 14.)
    let test = book_with(&[("index.md", "# Home\n")]);
    test.write(
        "book.toml",
        "[book]\ntitle = \"T\"\nsorce = \"src\"\nmultilingal = false\n\n[build]\nbuild-directory = \"out\"\n\n[playbook]\nlevels = [{ id = \"a\", name = \"A\", colour = \"red\" }]\n\n[outputs.html]\nmathjax-support = true\n",
    );
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (key, line) in [("sorce", 3), ("multilingal", 4), ("build-directory", 7), ("colour", 10), ("outputs", 12)] {
        assert!(
            run.stderr.contains(&format!("unknown key `{key}`")) && run.stderr.contains(&format!("book.toml:{line}:")),
            "{key} at line {line}:\n{}",
            run.stderr
        );
    }
    assert_eq!(run.stderr.matches("error[E102]").count(), 5, "{}", run.stderr);
}

#[test]
fn issue_9_every_unknown_frontmatter_key_is_reported_in_one_run() {
    // A Quartz page took 11 runs.
    // (Quartz's draft, aliases and date are known keys since issue 14.)
    let page = "---\ntitle: Q\ncssclasses: [wide]\nenableToc: false\ncomments: true\nsumary: typo\ndiagnostic_questions:\n  - id: q\n    ask: A?\n    answerz: []\n---\nBody.\n";
    let test = book_with(&[("index.md", "# Home\n"), ("q.md", page)]);
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (key, line) in [("cssclasses", 3), ("enableToc", 4), ("comments", 5), ("sumary", 6), ("answerz", 10)] {
        assert!(
            run.stderr.contains(&format!("unknown frontmatter key `{key}`"))
                && run.stderr.contains(&format!("content/q.md:{line}:")),
            "{key} at line {line}:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("did you mean `summary`?"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `answers`?"), "{}", run.stderr);
}

#[test]
fn issue_9_a_missing_book_toml_is_named_when_it_is_the_cause() {
    // Without book.toml, six "unknown level" errors hid the cause.
    let test = BookTest::empty();
    for name in ["a", "b", "c", "d", "e", "f"] {
        test.write(&format!("content/{name}.md"), "---\nlevels: [impact]\ncontexts: [platform]\n---\nText.\n");
    }
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[").count(), 1, "one error, naming the cause:\n{}", run.stderr);
    assert!(run.stderr.contains("book.toml") && run.stderr.contains("6 pages"), "{}", run.stderr);
}
