//! The loopback HTTP server of `playbook serve`: GET and HEAD over HTTP/1.1,
//! the site from memory, assets from `content/`, live reload over
//! server-sent events, and the guards that keep it safe to leave running.
//!
//! Guards: a request target is decoded once and refused if it could leave
//! the site (`..`, encoded separators, backslashes, NUL); the `Host` header
//! must name an IP address or `localhost` on our port (a DNS-rebinding page
//! has a domain name there); the event stream checks `Origin`; no response
//! allows other origins. One thread per connection, capped.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::session::Snapshot;
use crate::pipeline::Layout;

/// The script every served page loads for live reload and the error overlay.
const LIVE_JS: &str = include_str!("live.js");
/// Where it is served.
const LIVE_JS_PATH: &str = "/__playbook/live.js";
/// The event stream.
const EVENTS_PATH: &str = "/__playbook/events";
/// The most connections served at once; more get 503.
const MAX_CONNECTIONS: usize = 256;
/// The largest request head read.
const MAX_HEAD: usize = 16 * 1024;

/// What the server shows: the last good site, the current errors, and a
/// version that changes on every publish, with a condition variable the
/// event streams wait on.
pub struct Live {
    state: Mutex<LiveState>,
    changed: Condvar,
}

/// The state behind [`Live`].
#[derive(Clone)]
pub struct LiveState {
    /// The files served.
    pub snapshot: Arc<Snapshot>,
    /// Bumped on every publish and every change of errors.
    pub version: u64,
    /// What the last publish changed (`None`: possibly everything).
    pub changed: Option<Vec<String>>,
    /// The current errors as JSON (an array), empty when the build is good.
    pub errors_json: String,
}

impl Live {
    /// Starts with `snapshot` and no errors.
    pub fn new(snapshot: Arc<Snapshot>) -> Self {
        let state = LiveState { snapshot, version: 1, changed: None, errors_json: "[]".into() };
        Live { state: Mutex::new(state), changed: Condvar::new() }
    }

    /// Serves a new site.
    pub fn publish(&self, snapshot: Arc<Snapshot>, changed: Option<Vec<String>>) {
        let mut state = self.state.lock().expect("live state lock");
        state.snapshot = snapshot;
        state.changed = changed;
        state.errors_json = "[]".into();
        state.version += 1;
        self.changed.notify_all();
    }

    /// Shows errors over the last good site.
    pub fn fail(&self, errors_json: String) {
        let mut state = self.state.lock().expect("live state lock");
        state.errors_json = errors_json;
        state.version += 1;
        self.changed.notify_all();
    }

    fn current(&self) -> LiveState {
        self.state.lock().expect("live state lock").clone()
    }
}

/// Why a request target was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not an absolute path (`/...`).
    NotAPath,
    /// `%2f`, `%5c` or `%00`: separators and NUL may not be encoded.
    EncodedSeparator,
    /// A `%` not followed by two hex digits, or not UTF-8 once decoded.
    BadEncoding,
    /// `..`, `.`, an empty segment, a backslash or NUL.
    Traversal,
}

/// Turns a raw request target into a site-relative path, decoding it once.
/// `/` is `index.html`; a trailing `/` means its `index.html`.
pub fn site_path(target: &str) -> Result<String, Refusal> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = path.strip_prefix('/') else { return Err(Refusal::NotAPath) };
    let lower = path.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Err(Refusal::EncodedSeparator);
    }
    let decoded = percent_decode(path).ok_or(Refusal::BadEncoding)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refusal::Traversal);
    }
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    if !trimmed.is_empty() && trimmed.split('/').any(|s| matches!(s, "" | "." | "..")) {
        return Err(Refusal::Traversal);
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        return Ok(format!("{decoded}index.html"));
    }
    Ok(decoded)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether a `Host` header names this server: an IP address or
/// `localhost`, on our port. A DNS-rebinding attack reaches us under the
/// attacker's domain name, which this refuses.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p)) if !name.is_empty() && !p.contains(']') => (name, p.parse::<u16>().ok()),
        _ => (host, None),
    };
    if host_port != Some(port) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok()
}

/// The content type of a file, by extension.
pub fn mime_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Accepts connections until the listener fails, one thread each.
pub fn serve(listener: TcpListener, live: Arc<Live>, layout: Arc<Mutex<Layout>>, port: u16) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = respond(&mut stream, 503, "text/plain; charset=utf-8", b"too many connections\n", false, true);
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (live, layout, active) = (live.clone(), layout.clone(), active.clone());
        std::thread::spawn(move || {
            let _ = handle_connection(stream, &live, &layout, port);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

struct Request {
    method: String,
    target: String,
    host: Option<String>,
    origin: Option<String>,
    close: bool,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Request>> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = reader.by_ref().take((MAX_HEAD - head.len()) as u64 + 1).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if head.len() + line.len() > MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "request head too large"));
        }
        let blank = line == b"\r\n" || line == b"\n";
        head.extend_from_slice(&line);
        if blank {
            break;
        }
    }
    let text = String::from_utf8(head).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8"))?;
    let mut lines = text.lines();
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (method, target, version) =
        (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if !version.starts_with("HTTP/1.") {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not HTTP/1.x"));
    }
    let mut request = Request {
        method: method.into(),
        target: target.into(),
        host: None,
        origin: None,
        close: version == "HTTP/1.0",
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => request.host = Some(value.into()),
            "origin" => request.origin = Some(value.into()),
            "connection" => request.close = value.eq_ignore_ascii_case("close"),
            "content-length" if value != "0" => {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "bodies are not accepted"));
            }
            "transfer-encoding" => return Err(io::Error::new(io::ErrorKind::InvalidData, "bodies are not accepted")),
            _ => {}
        }
    }
    Ok(Some(request))
}

fn handle_connection(stream: TcpStream, live: &Live, layout: &Mutex<Layout>, port: u16) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(15)))?;
    stream.set_write_timeout(Some(Duration::from_secs(15)))?;
    // Small responses on a kept-alive connection otherwise wait for
    // Nagle's algorithm and the client's delayed ACK: 40 ms each.
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(_) => return respond(&mut writer, 400, "text/plain; charset=utf-8", b"bad request\n", false, true),
        };
        let head_only = request.method == "HEAD";
        if request.method != "GET" && !head_only {
            respond(&mut writer, 405, "text/plain; charset=utf-8", b"only GET and HEAD\n", false, request.close)?;
        } else if !request.host.as_deref().is_some_and(|h| host_allowed(h, port)) {
            respond(
                &mut writer,
                403,
                "text/plain; charset=utf-8",
                b"forbidden: the Host header must be this server's address\n",
                head_only,
                true,
            )?;
            return Ok(());
        } else if request.target.split('?').next() == Some(EVENTS_PATH) {
            let host = request.host.as_deref().unwrap_or_default();
            let origin_ok = request.origin.as_deref().is_none_or(|o| o == format!("http://{host}"));
            if !origin_ok {
                return respond(
                    &mut writer,
                    403,
                    "text/plain; charset=utf-8",
                    b"forbidden: cross-origin event stream\n",
                    head_only,
                    true,
                );
            }
            return stream_events(&mut writer, live);
        } else if request.target.split('?').next() == Some(LIVE_JS_PATH) {
            respond(&mut writer, 200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes(), head_only, request.close)?;
        } else {
            serve_file(&mut writer, &request.target, live, layout, head_only, request.close)?;
        }
        if request.close {
            return Ok(());
        }
    }
}

fn serve_file(
    writer: &mut TcpStream,
    target: &str,
    live: &Live,
    layout: &Mutex<Layout>,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let path = match site_path(target) {
        Ok(path) => path,
        Err(_) => {
            return respond(
                writer,
                400,
                "text/plain; charset=utf-8",
                b"bad request: that path is not allowed\n",
                head_only,
                close,
            );
        }
    };
    let snapshot = live.current().snapshot;
    if let Some(bytes) = snapshot.files.get(&path) {
        return send(writer, 200, &path, bytes, head_only, close);
    }
    if snapshot.files.contains_key(&format!("{path}/index.html")) {
        let location = format!("/{path}/");
        let head = format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nCache-Control: no-store\r\n\r\n"
        );
        return writer.write_all(head.as_bytes());
    }
    if let Some(source) = snapshot.assets.get(&path) {
        // Read through the boundary: the file may have become a link to
        // somewhere else since the site was built.
        let read = layout.lock().expect("layout lock").boundary().read(source);
        if let Ok(bytes) = read {
            return send(writer, 200, &path, &bytes, head_only, close);
        }
    }
    match snapshot.files.get("404.html") {
        Some(page) => send(writer, 404, "404.html", page, head_only, close),
        None => respond(writer, 404, "text/plain; charset=utf-8", b"not found\n", head_only, close),
    }
}

/// Sends a file; HTML pages get the live-reload script before `</body>`.
fn send(writer: &mut TcpStream, status: u16, path: &str, bytes: &[u8], head_only: bool, close: bool) -> io::Result<()> {
    let mime = mime_type(path);
    if mime.starts_with("text/html") {
        let html = String::from_utf8_lossy(bytes);
        let tag = format!("<script src=\"{LIVE_JS_PATH}\"></script>");
        let injected = match html.rfind("</body>") {
            Some(at) => format!("{}{tag}{}", &html[..at], &html[at..]),
            None => format!("{html}{tag}"),
        };
        return respond(writer, status, mime, injected.as_bytes(), head_only, close);
    }
    respond(writer, status, mime, bytes, head_only, close)
}

fn respond(
    writer: &mut TcpStream,
    status: u16,
    mime: &str,
    body: &[u8],
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Service Unavailable",
    };
    let connection = if close { "close" } else { "keep-alive" };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {connection}\r\n\r\n",
        body.len()
    );
    let mut response = head.into_bytes();
    if !head_only {
        response.extend_from_slice(body);
    }
    writer.write_all(&response)?;
    writer.flush()
}

/// Server-sent events: the current state at once, then every change. A
/// comment every 15 s notices readers that went away.
fn stream_events(writer: &mut TcpStream, live: &Live) -> io::Result<()> {
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    let mut seen = 0;
    loop {
        let state = {
            let guard = live.state.lock().expect("live state lock");
            let (guard, _) = live
                .changed
                .wait_timeout_while(guard, Duration::from_secs(15), |s| s.version == seen)
                .expect("live state lock");
            guard.clone()
        };
        if state.version == seen {
            writer.write_all(b": keep-alive\n\n")?;
            writer.flush()?;
            continue;
        }
        seen = state.version;
        let changed = match &state.changed {
            Some(paths) => serde_json::to_string(paths).unwrap_or_else(|_| "null".into()),
            None => "null".into(),
        };
        let event = format!(
            "event: state\ndata: {{\"version\":{},\"changed\":{changed},\"errors\":{}}}\n\n",
            state.version, state.errors_json
        );
        writer.write_all(event.as_bytes())?;
        writer.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(site_path("/").unwrap(), "index.html");
        assert_eq!(site_path("/a/b/").unwrap(), "a/b/index.html");
        assert_eq!(site_path("/a/b/index.html?x=1#y").unwrap(), "a/b/index.html");
        assert_eq!(site_path("/img/a%20b.png").unwrap(), "img/a b.png");
        assert_eq!(site_path("/a/b").unwrap(), "a/b");
    }

    #[test]
    fn traversal_is_refused() {
        for (target, why) in [
            ("/../book.toml", Refusal::Traversal),
            ("/a/../../book.toml", Refusal::Traversal),
            ("/%2e%2e/book.toml", Refusal::Traversal),
            ("/%2E%2E/%2e%2e/etc/passwd", Refusal::Traversal),
            ("/..%2fbook.toml", Refusal::EncodedSeparator),
            ("/..%2Fbook.toml", Refusal::EncodedSeparator),
            ("/..%5cbook.toml", Refusal::EncodedSeparator),
            ("/a\\..\\book.toml", Refusal::Traversal),
            ("/index.html%00.png", Refusal::EncodedSeparator),
            ("/%zz", Refusal::BadEncoding),
            ("/%ff%fe", Refusal::BadEncoding),
            ("//etc/passwd", Refusal::Traversal),
            ("/./index.html", Refusal::Traversal),
            ("http://evil/x", Refusal::NotAPath),
            ("*", Refusal::NotAPath),
        ] {
            assert_eq!(site_path(target), Err(why), "{target}");
        }
    }

    #[test]
    fn only_our_addresses_and_port_are_hosts() {
        for ok in ["127.0.0.1:3000", "localhost:3000", "LOCALHOST:3000", "[::1]:3000", "192.168.1.5:3000"] {
            assert!(host_allowed(ok, 3000), "{ok}");
        }
        for bad in
            ["evil.example:3000", "127.0.0.1:3001", "127.0.0.1", "localhost", "127.0.0.1.nip.io:3000", "", "[::1]"]
        {
            assert!(!host_allowed(bad, 3000), "{bad}");
        }
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_type("x.SVG"), "image/svg+xml");
        assert_eq!(mime_type("nav.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime_type("noext"), "application/octet-stream");
    }
}
