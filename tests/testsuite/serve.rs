//! `playbook serve` (issue 6) over real sockets: raw request targets that
//! try to leave the site, Host and Origin checks, incremental rebuilds, and
//! a bounded load test on loopback while files change.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::BookTest;

/// A running `playbook serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    pub(crate) fn start(test: &BookTest) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["serve", "--port", "0", "--color=never"])
            .current_dir(&test.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok());
        let port = port.unwrap_or_else(|| panic!("no port in {line:?}"));
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            let mut line = String::new();
            while err.read_line(&mut line).unwrap_or(0) > 0 {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        Server { child, port, stderr }
    }

    /// Sends raw bytes as a request and returns (status, headers, body).
    pub(crate) fn raw(&self, request: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    pub(crate) fn get(&self, target: &str) -> (u16, String, String) {
        self.raw(&format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.port))
    }

    /// Waits until `target`'s body satisfies `ready`.
    pub(crate) fn wait_for(&self, target: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (_, _, body) = self.get(target);
            if ready(&body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting on {target}; serve said:\n{}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub(crate) fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn served_book() -> BookTest {
    let test = BookTest::new("model/basic");
    test.write("content/img/pic.png", b"\x89PNG fake");
    test
}

#[test]
fn issue_6_traversal_is_refused_and_never_leaks_files() {
    let test = served_book();
    let server = Server::start(&test);
    let (status, _, body) = server.get("/img/pic.png");
    assert_eq!(
        (status, body.as_str()),
        (200, "\u{89}PNG fake".replace('\u{89}', "\u{fffd}").as_str()),
        "assets are served from content/"
    );
    for target in [
        "/../book.toml",
        "/img/../../book.toml",
        "/%2e%2e/book.toml",
        "/img/%2e%2e/%2e%2e/book.toml",
        "/..%2fbook.toml",
        "/img/..%2F..%2Fbook.toml",
        "/img/..%5c..%5cbook.toml",
        "/img\\..\\..\\book.toml",
        "/..%00/book.toml",
        "//book.toml",
    ] {
        let (status, _, body) = server.get(target);
        assert_eq!(status, 400, "{target} must be refused");
        assert!(!body.contains("[playbook]") && !body.contains("levels ="), "{target} leaked book.toml");
    }
}

#[test]
fn issue_6_host_origin_and_cors() {
    let test = served_book();
    let server = Server::start(&test);
    let port = server.port;
    let (status, head, body) = server.get("/alpha/");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("<script src=\"/__playbook/live.js\"></script></body>"), "live reload is injected");
    assert!(!head.to_ascii_lowercase().contains("access-control-allow-origin"), "{head}");
    for host in [format!("evil.example:{port}"), format!("127.0.0.1.nip.io:{port}"), "127.0.0.1:1".to_string()] {
        let (status, _, _) = server.raw(&format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(status, 403, "Host {host} must be refused");
    }
    let (status, _, _) = server.raw(&format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200);
    let (status, _, _) = server.raw(&format!(
        "GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 403, "a cross-origin event stream is refused");
    let (status, head, _) = server.get("/nope/");
    assert_eq!(status, 404);
    assert!(head.contains("text/html"), "404.html is served for missing pages");
    assert!(server.get("/assets/style.css").1.contains("text/css"), "static files get their MIME type");
}

/// Whether the log says an edit rebuilt one page: the page itself, beside
/// its text for search and the index files of its words (issue 13).
fn rebuilt_only_the_page_and_its_search_files(log: &str) -> bool {
    log.contains("rebuilt 1 of ")
}

#[test]
fn issue_6_body_edit_rebuilds_one_page_and_frontmatter_edit_updates_lists() {
    let test = served_book();
    let server = Server::start(&test);
    let alpha = std::fs::read_to_string(test.root.join("content/alpha.md")).unwrap();
    test.write("content/alpha.md", alpha.replace("Alpha body.", "Alpha body, edited."));
    server.wait_for("/alpha/", |b| b.contains("Alpha body, edited."));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !rebuilt_only_the_page_and_its_search_files(&server.log()) {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(10));
    }
    test.write("content/alpha.md", alpha.replace("title: Alpha", "title: Alpha renamed"));
    server.wait_for("/levels/impact/", |b| b.contains("Alpha renamed"));
    test.write("content/delta.md", "---\ntitle: Delta\nlevels: [impact]\n---\nNew page.\n");
    server.wait_for("/delta/", |b| b.contains("New page."));
    server.wait_for("/levels/impact/", |b| b.contains("Delta"));
    std::fs::rename(test.root.join("content/delta.md"), test.root.join("content/epsilon.md")).unwrap();
    server.wait_for("/epsilon/", |b| b.contains("New page."));
    assert_eq!(server.get("/delta/").0, 404, "the old path is gone");
    assert!(!test.root.join("book").exists(), "serve writes nothing to disk");
}

#[test]
fn issue_6_broken_edit_keeps_the_last_good_site() {
    let test = served_book();
    let server = Server::start(&test);
    let beta = std::fs::read_to_string(test.root.join("content/beta.md")).unwrap();
    test.write("content/beta.md", beta.replace("title: Beta", "title: [Beta"));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.log().contains("still serving the last good version") {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(server.log().contains("content/beta.md:2:"), "{}", server.log());
    assert!(server.get("/beta/").2.contains("Beta body."), "the last good page is still served");
    test.write("content/beta.md", beta.replace("Beta body.", "Beta fixed."));
    server.wait_for("/beta/", |b| b.contains("Beta fixed."));
}

#[test]
fn issue_6_load_test_while_files_change() {
    let test = served_book();
    let server = Server::start(&test);
    let port = server.port;
    let failures = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (root, done) = (test.root.clone(), done.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !done.load(Ordering::SeqCst) && n < 500 {
                std::fs::write(
                    root.join("content/gamma.md"),
                    format!("---\ntitle: Gamma\nlevels: [impact]\n---\nVersion {n}.\n"),
                )
                .unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(15));
            }
            n
        })
    };
    let targets =
        ["/", "/alpha/", "/beta/index.html", "/gamma/", "/levels/impact/", "/matrix/", "/assets/style.css", "/nav.js"];
    let clients: Vec<_> = (0..50)
        .map(|c| {
            let failures = failures.clone();
            std::thread::spawn(move || {
                for r in 0..40 {
                    let target = targets[(c + r) % targets.len()];
                    let ok = (|| -> std::io::Result<bool> {
                        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
                        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
                        write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")?;
                        let mut response = Vec::new();
                        stream.read_to_end(&mut response)?;
                        Ok(response.starts_with(b"HTTP/1.1 200 "))
                    })();
                    if !matches!(ok, Ok(true)) {
                        failures.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let edits = writer.join().unwrap();
    assert!(edits > 0, "files changed during the test");
    assert_eq!(failures.load(Ordering::SeqCst), 0, "2,000 requests, none may fail; serve said:\n{}", server.log());
    assert_eq!(server.get("/").0, 200, "still serving afterwards");
}

#[cfg(unix)]
#[test]
fn issue_6_ctrl_c_stops_cleanly_and_deletes_nothing() {
    let test = served_book();
    let mut server = Server::start(&test);
    assert_eq!(server.get("/").0, 200);
    let before: Vec<_> = walk(&test.root);
    let status = Command::new("kill").args(["-INT", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(walk(&test.root), before, "nothing created or deleted");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out.sort();
    out
}

#[test]
fn issue_6_book_toml_change_rebuilds_everything() {
    let test = served_book();
    let server = Server::start(&test);
    let config = std::fs::read_to_string(test.root.join("book.toml")).unwrap();
    test.write("book.toml", config.replace("title = \"Model\"", "title = \"Model, renamed\""));
    server.wait_for("/gamma/", |b| b.contains("Model, renamed"));
    server.wait_for("/levels/impact/", |b| b.contains("Model, renamed"));
    test.write("book.toml", config.replace("title = \"Model\"", "titel = \"Typo\""));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.log().contains("error[E102]") {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(server.get("/gamma/").2.contains("Model, renamed"), "the last good site stays");
}

/// The response to `request` as raw bytes: (head, body).
fn raw_bytes(server: &Server, request: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a head");
    (String::from_utf8_lossy(&response[..split]).into_owned(), response[split + 4..].to_vec())
}

#[test]
fn issue_10_pages_are_kept_and_sent_compressed_to_clients_that_take_gzip() {
    let test = served_book();
    let server = Server::start(&test);
    let (status, _, plain) = server.get("/");
    assert_eq!(status, 200);
    let ask = |encoding: &str, extra: &str| {
        raw_bytes(
            &server,
            &format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept-Encoding: {encoding}\r\n{extra}Connection: close\r\n\r\n",
                server.port
            ),
        )
    };
    let (head, body) = ask("gzip, deflate, br", "");
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-encoding: gzip") && head.contains("vary: accept-encoding"), "{head}");
    let mut inflated = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut inflated).unwrap();
    assert_eq!(inflated, plain, "the gzip holds exactly the page");
    assert!(body.len() < plain.len());
    let (head, body) = ask("gzip;q=0", "");
    assert!(!head.to_ascii_lowercase().contains("content-encoding"), "{head}");
    assert_eq!(String::from_utf8(body).unwrap(), plain);
    let (head, body) = ask("gzip", "Range: bytes=0-9\r\n");
    assert!(head.starts_with("HTTP/1.1 206") && !head.to_ascii_lowercase().contains("content-encoding"), "{head}");
    assert_eq!(body, plain.as_bytes()[..10]);
    // An edited page is published at once, and compressed once the server
    // has been idle for a moment.
    let text = std::fs::read_to_string(test.root.join("content/alpha.md")).unwrap();
    test.write("content/alpha.md", format!("{text}\nCompressed again.\n"));
    server.wait_for("/alpha/", |b| b.contains("Compressed again."));
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (head, body) = raw_bytes(
            &server,
            &format!(
                "GET /alpha/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
                server.port
            ),
        );
        if head.to_ascii_lowercase().contains("content-encoding: gzip") {
            let mut inflated = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut inflated).unwrap();
            assert!(inflated.contains("Compressed again."));
            break;
        }
        assert!(Instant::now() < deadline, "the edited page was never compressed: {head}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn issue_12_serve_publishes_an_edit_first_and_the_book_to_print_after() {
    let test = served_book();
    let server = Server::start(&test);
    let (status, head, body) = server.get("/print.html");
    assert!(body.contains("Alpha body."), "print.html is served from the start: {status} {head}");
    let alpha = std::fs::read_to_string(test.root.join("content/alpha.md")).unwrap();
    test.write("content/alpha.md", alpha.replace("Alpha body.", "Alpha body, edited for print."));
    server.wait_for("/alpha/", |b| b.contains("Alpha body, edited for print."));
    // The edit was published as one file; print.html follows once idle.
    server.wait_for("/print.html", |b| b.contains("Alpha body, edited for print."));
    assert!(rebuilt_only_the_page_and_its_search_files(&server.log()), "{}", server.log());
}

#[test]
fn issue_14_a_busy_port_is_said_at_once_with_how_to_pick_another() {
    let test = served_book();
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let run = test.run(&["serve", "--port", &port]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("port {port} on 127.0.0.1 is in use")), "{}", run.stderr);
    assert!(run.stderr.contains("`--port 0`"), "{}", run.stderr);
    assert!(!run.stderr.contains("built "), "the port is tried before the build: {}", run.stderr);
}

#[test]
fn issue_14_serve_counts_pages_as_build_does() {
    let test = served_book();
    let built = test.build_ok();
    let count = built.stderr.split("built ").nth(1).and_then(|r| r.split(' ').next()).unwrap().to_string();
    let server = Server::start(&test);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.log().contains(&format!("built {count} pages (")) {
        assert!(Instant::now() < deadline, "build said {count} pages; serve said:\n{}", server.log());
        std::thread::sleep(Duration::from_millis(10));
    }
    let alpha = test.output("../content/alpha.md");
    test.write("content/alpha.md", alpha.replace("Alpha body.", "Alpha body, recounted."));
    server.wait_for("/alpha/", |b| b.contains("recounted"));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.log().contains(&format!("rebuilt 1 of {count} pages (")) {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(10));
    }
}
