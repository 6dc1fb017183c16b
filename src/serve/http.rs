//! The loopback HTTP server of `playbook serve`: GET and HEAD over HTTP/1.1
//! with hyper on a small tokio runtime; the site from memory, assets from
//! `content/` through the playbook's boundary, live reload over server-sent
//! events, and the guards that keep it safe to leave running.
//!
//! Guards, in front of every request: a request target is decoded once and
//! refused if it could leave the site (`..`, encoded separators, backslashes,
//! NUL); exactly one `Host` header, naming an IP address or `localhost` on
//! our port (a DNS-rebinding page has a domain name there); no request
//! bodies; the event stream checks `Origin`; no response allows other
//! origins. Resources: a connection must send its request head within
//! [`HEAD_TIMEOUT`] (also between requests on a kept-alive connection) in at
//! most 16 KiB, a response write that makes no progress for
//! [`WRITE_TIMEOUT`] ends the connection, and connections and reload streams
//! are capped separately. Async tasks, not threads, hold connections, so
//! 300 clients sending a byte at a time or 500 open reload streams cost
//! memory, not the workers that answer readers (issue 9).

use std::convert::Infallible;
use std::io;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{mpsc, watch};

use super::Snapshot;
use super::body::{Body, WriteDeadline};
use super::guard::{RangeRequest, accepts_gzip, host_allowed, mime_type, parse_range, site_path};
use crate::layout::Layout;

/// The script every served page loads for live reload and the error overlay.
const LIVE_JS: &str = include_str!("live.js");
/// Where it is served; the engine adds a `<script>` for it to every page.
const LIVE_JS_PATH: &str = crate::render::LIVE_RELOAD_SCRIPT;
/// The event stream.
const EVENTS_PATH: &str = "/__playbook/events";
/// The most connections open at once; more are answered 503 and closed.
const MAX_CONNECTIONS: usize = 2048;
/// The most live-reload streams open at once (a stream per open tab).
const MAX_STREAMS: usize = 1024;
/// How long a client may take to send a request head.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a response write may make no progress.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest request head read (hyper's smallest buffer limit).
const MAX_HEAD: usize = 16 * 1024;
/// How often an idle event stream sends a comment, to notice readers gone.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Chunks in which an asset is streamed from disk.
const CHUNK: usize = 64 * 1024;

/// What the server shows: the last good site, the current errors, and a
/// version that changes on every publish. Event streams watch it.
pub(crate) struct Live {
    state: watch::Sender<LiveState>,
}

/// The state behind [`Live`].
#[derive(Clone)]
pub(crate) struct LiveState {
    /// The files served.
    pub(crate) snapshot: Arc<Snapshot>,
    /// Bumped on every publish and every change of errors.
    pub(crate) version: u64,
    /// What the last publish changed (`None`: possibly everything).
    pub(crate) changed: Option<Vec<String>>,
    /// The current errors as JSON (an array), empty when the build is good.
    pub(crate) errors_json: String,
}

impl Live {
    /// Starts with `snapshot` and no errors.
    pub(crate) fn new(snapshot: Arc<Snapshot>) -> Self {
        let state = LiveState { snapshot, version: 1, changed: None, errors_json: "[]".into() };
        Live { state: watch::Sender::new(state) }
    }

    /// Serves a new site.
    pub(crate) fn publish(&self, snapshot: Arc<Snapshot>, changed: Option<Vec<String>>) {
        self.state.send_modify(|state| {
            state.snapshot = snapshot;
            state.changed = changed;
            state.errors_json = "[]".into();
            state.version += 1;
        });
    }

    /// Serves `snapshot`, which holds the same files as the one served,
    /// stored differently: nothing to tell readers.
    pub(crate) fn restore(&self, snapshot: Arc<Snapshot>) {
        self.state.send_if_modified(|state| {
            state.snapshot = snapshot;
            false
        });
    }

    /// Shows errors over the last good site.
    pub(crate) fn fail(&self, errors_json: String) {
        self.state.send_modify(|state| {
            state.errors_json = errors_json;
            state.version += 1;
        });
    }

    fn current(&self) -> LiveState {
        self.state.borrow().clone()
    }
}

/// Everything a request handler reads.
struct Shared {
    live: Arc<Live>,
    layout: Arc<Mutex<Layout>>,
    port: u16,
    streams: AtomicUsize,
}

/// Serves on `listener` until it fails. Runs a tokio runtime of two worker
/// threads on the calling thread.
pub(crate) fn serve(listener: TcpListener, live: Arc<Live>, layout: Arc<Mutex<Layout>>, port: u16) -> io::Result<()> {
    raise_open_file_limit();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).max_blocking_threads(8).enable_all().build()?;
    let shared = Arc::new(Shared { live, layout, port, streams: AtomicUsize::new(0) });
    runtime.block_on(accept_loop(listener, shared))
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors or the like: wait a little rather
            // than spin, and keep serving those already connected.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let guard = Counted::new(&open);
        if guard.count > MAX_CONNECTIONS {
            tokio::spawn(refuse_busy(stream));
            continue;
        }
        let shared = shared.clone();
        tokio::spawn(async move {
            let io = TokioIo::new(WriteDeadline::new(stream, WRITE_TIMEOUT));
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(handle(request, &shared).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .keep_alive(true)
                .serve_connection(io, service)
                .await;
            drop(guard);
        });
    }
}

/// Answers a connection over the cap with 503, briefly, and closes it.
async fn refuse_busy(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt as _;
    let reply =
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 21\r\nConnection: close\r\n\r\ntoo many connections\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(reply)).await;
}

/// Raises the soft limit on open files to the hard one: every connection is
/// a file descriptor, and the usual soft limit of 1,024 is less than the
/// connections the server accepts.
#[cfg(target_os = "linux")]
fn raise_open_file_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        limit.current = limit.maximum;
        let _ = setrlimit(Resource::Nofile, limit);
    }
}

#[cfg(not(target_os = "linux"))]
fn raise_open_file_limit() {}

/// Counts something open while the value lives.
struct Counted {
    counter: Arc<AtomicUsize>,
    count: usize,
}

impl Counted {
    fn new(counter: &Arc<AtomicUsize>) -> Self {
        let count = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Counted { counter: counter.clone(), count }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.counter.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One request, through the guards.
async fn handle(request: Request<Incoming>, shared: &Arc<Shared>) -> Response<Body> {
    let head_only = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head_only {
        return text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    }
    let hosts: Vec<&HeaderValue> = request.headers().get_all(header::HOST).iter().collect();
    let host = match hosts.as_slice() {
        [one] => one.to_str().unwrap_or(""),
        [] => return text(StatusCode::FORBIDDEN, "forbidden: the Host header must be this server's address\n"),
        _ => return text(StatusCode::BAD_REQUEST, "bad request: more than one Host header\n"),
    };
    if !host_allowed(host, shared.port) {
        return text(StatusCode::FORBIDDEN, "forbidden: the Host header must be this server's address\n");
    }
    let has_body = request.headers().get(header::CONTENT_LENGTH).is_some_and(|v| v.as_bytes() != b"0")
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body {
        return text(StatusCode::BAD_REQUEST, "bad request: bodies are not accepted\n");
    }
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    let path_only = target.split('?').next().unwrap_or("");
    let response = if path_only == EVENTS_PATH {
        let origin = request.headers().get(header::ORIGIN).map(|o| o.to_str().unwrap_or("\u{0}"));
        if origin.is_some_and(|o| o != format!("http://{host}")) {
            return text(StatusCode::FORBIDDEN, "forbidden: cross-origin event stream\n");
        }
        event_stream(shared)
    } else if path_only == LIVE_JS_PATH {
        bytes_response(StatusCode::OK, "text/javascript; charset=utf-8", Bytes::from_static(LIVE_JS.as_bytes()))
    } else {
        let range = request.headers().get(header::RANGE).and_then(|r| r.to_str().ok()).map(str::to_string);
        let gzip =
            (request.headers().get(header::ACCEPT_ENCODING)).and_then(|a| a.to_str().ok()).is_some_and(accepts_gzip);
        serve_file(&target, range.as_deref(), gzip, shared).await
    };
    if head_only { strip_body(response) } else { response }
}

async fn serve_file(target: &str, range: Option<&str>, gzip: bool, shared: &Arc<Shared>) -> Response<Body> {
    let Ok(path) = site_path(target) else {
        return text(StatusCode::BAD_REQUEST, "bad request: that path is not allowed\n");
    };
    let snapshot = shared.live.current().snapshot;
    if let Some(stored) = snapshot.files.get(path.as_str()) {
        if let Some(compressed) = stored.gzip().filter(|_| gzip && range.is_none()) {
            let mut response = bytes_response(StatusCode::OK, mime_type(&path), compressed);
            response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            return response;
        }
        let mut response = ranged(mime_type(&path), stored.bytes(), range);
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        return response;
    }
    if snapshot.files.contains_key(format!("{path}/index.html").as_str()) {
        let mut response = empty(StatusCode::MOVED_PERMANENTLY);
        if let Ok(location) = HeaderValue::from_str(&format!("/{path}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    if let Some(source) = snapshot.assets.get(&path)
        && let Some(response) = asset(shared, source.clone(), mime_type(&path), range).await
    {
        return response;
    }
    match snapshot.files.get("404.html") {
        Some(page) => bytes_response(StatusCode::NOT_FOUND, "text/html; charset=utf-8", page.bytes()),
        None => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// An asset of `content/`, read through the boundary (it may have become a
/// link elsewhere since the site was built) and streamed in chunks.
async fn asset(
    shared: &Arc<Shared>,
    source: std::path::PathBuf,
    mime: &'static str,
    range: Option<&str>,
) -> Option<Response<Body>> {
    let layout = shared.layout.clone();
    let opened = tokio::task::spawn_blocking(move || {
        let layout = layout.lock().expect("layout lock");
        let file = layout.boundary().open(&source)?;
        let len = file.metadata()?.len();
        Ok::<_, io::Error>((file, len))
    })
    .await
    .ok()?
    .ok()?;
    let (mut file, len) = opened;
    let (status, span) = match range.map(|r| parse_range(r, len)) {
        None | Some(RangeRequest::Ignored) => (StatusCode::OK, 0..len),
        Some(RangeRequest::Satisfiable(span)) => (StatusCode::PARTIAL_CONTENT, span),
        Some(RangeRequest::Unsatisfiable) => return Some(unsatisfiable(len)),
    };
    let (sender, receiver) = mpsc::channel(2);
    let start = span.start;
    let count = span.end - span.start;
    tokio::task::spawn_blocking(move || {
        use std::io::{Read as _, Seek as _, SeekFrom};
        if file.seek(SeekFrom::Start(start)).is_err() {
            return;
        }
        let mut left = count;
        while left > 0 {
            let mut chunk = vec![0; CHUNK.min(left as usize)];
            match file.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    chunk.truncate(n);
                    left -= n as u64;
                    if sender.blocking_send(Bytes::from(chunk)).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let mut response = Response::new(Body::Channel(receiver));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    if status == StatusCode::PARTIAL_CONTENT {
        content_range(headers, &span, len);
    }
    common_headers(headers);
    Some(response)
}

/// A response of bytes in memory, honouring a `Range` header.
fn ranged(mime: &'static str, bytes: Bytes, range: Option<&str>) -> Response<Body> {
    let len = bytes.len() as u64;
    match range.map(|r| parse_range(r, len)) {
        None | Some(RangeRequest::Ignored) => bytes_response(StatusCode::OK, mime, bytes),
        Some(RangeRequest::Unsatisfiable) => unsatisfiable(len),
        Some(RangeRequest::Satisfiable(span)) => {
            let part = bytes.slice(span.start as usize..span.end as usize);
            let mut response = bytes_response(StatusCode::PARTIAL_CONTENT, mime, part);
            content_range(response.headers_mut(), &span, len);
            response
        }
    }
}

fn content_range(headers: &mut hyper::HeaderMap, span: &std::ops::Range<u64>, len: u64) {
    if let Ok(value) = HeaderValue::from_str(&format!("bytes {}-{}/{len}", span.start, span.end - 1)) {
        headers.insert(header::CONTENT_RANGE, value);
    }
}

fn unsatisfiable(len: u64) -> Response<Body> {
    let mut response = text(StatusCode::RANGE_NOT_SATISFIABLE, "range not satisfiable\n");
    if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}

/// Server-sent events: the current state at once, then every change, and a
/// comment every [`KEEP_ALIVE`] to notice readers that went away.
fn event_stream(shared: &Arc<Shared>) -> Response<Body> {
    let open = shared.streams.fetch_add(1, Ordering::SeqCst) + 1;
    if open > MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return text(StatusCode::SERVICE_UNAVAILABLE, "too many live-reload streams\n");
    }
    let (sender, receiver) = mpsc::channel(4);
    let mut states = shared.live.state.subscribe();
    let shared = shared.clone();
    tokio::spawn(async move {
        let mut seen = 0;
        loop {
            let state = states.borrow_and_update().clone();
            let message = if state.version == seen {
                Bytes::from_static(b": keep-alive\n\n")
            } else {
                seen = state.version;
                let changed = match &state.changed {
                    Some(paths) => serde_json::to_string(paths).unwrap_or_else(|_| "null".into()),
                    None => "null".into(),
                };
                Bytes::from(format!(
                    "event: state\ndata: {{\"version\":{},\"changed\":{changed},\"errors\":{}}}\n\n",
                    state.version, state.errors_json
                ))
            };
            if sender.send(message).await.is_err() {
                break;
            }
            if let Ok(Err(_)) = tokio::time::timeout(KEEP_ALIVE, states.changed()).await {
                break;
            }
        }
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    });
    let mut response = Response::new(Body::Channel(receiver));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn bytes_response(status: StatusCode, mime: &'static str, bytes: Bytes) -> Response<Body> {
    let mut response = Response::new(Body::Full(Some(bytes)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    common_headers(headers);
    response
}

fn text(status: StatusCode, message: &'static str) -> Response<Body> {
    bytes_response(status, "text/plain; charset=utf-8", Bytes::from_static(message.as_bytes()))
}

fn empty(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::Full(None));
    *response.status_mut() = status;
    common_headers(response.headers_mut());
    response
}

fn common_headers(headers: &mut hyper::HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
}

/// A HEAD response: the headers of the GET, with its length, and no body.
fn strip_body(response: Response<Body>) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    if let Body::Full(Some(bytes)) = &body {
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    }
    Response::from_parts(parts, Body::Full(None))
}
