//! The connection loop. `axum::serve` reads request headers and waits on idle connections
//! without a deadline and accepts connections without bound, so a few hundred clients that send
//! half a request, or never read, starve every other reader. Here:
//!
//! - a request's headers must arrive within [`Limits::header_timeout`], and an idle keep-alive
//!   connection is closed after the same time (hyper's header read timer runs while it waits for
//!   the next request);
//! - its body within [`crate::BODY_TIMEOUT`], in the router ([`crate::app`]);
//! - a request's line and headers together may take at most [`MAX_HEAD`] bytes of memory;
//! - at most [`Limits::max_connections`] connections are open at once: past that, new ones wait
//!   in the kernel's queue, and the process never runs out of file descriptors for its index.
//!   When every slot is taken, each new connection closes the one that has waited longest (at
//!   least a second) for a request — idle between requests, or still sending its headers — as
//!   nginx reuses its idle keep-alive connections; one answering a request (or reading its body)
//!   is never closed.
//!   Logged once a minute. [`open_files`] raises the process's limit first, and the default
//!   follows from it ([`Limits::for_open_files`]);
//! - a request hyper cannot parse, which it answers itself before the router sees it (400, 414,
//!   431, empty), is answered as the router answers errors: JSON naming the problem, with the
//!   security headers ([`Replacing`]).

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tower::ServiceExt;

/// What one client may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_connections: 512, header_timeout: Duration::from_secs(10) }
    }
}

/// The most connections [`Limits::for_open_files`] allows, however many files the process may
/// open. The drill in the bench (`bench/src/faults.rs`) measures what a stalled connection costs.
pub const MOST_CONNECTIONS: usize = 4096;

/// The bytes of a request's line and headers the server reads before answering 431 (a 414 for an
/// address over hyper's 65,534 bytes fits): a pasted 4,000-character query in Cyrillic is about
/// 24 KiB of address.
pub const MAX_HEAD: usize = 80 * 1024;

impl Limits {
    /// The limits for a process that may open `open_files` files: the connections take what the
    /// index, the content and the logs leave (a quarter of the files, at least 512 or else half, stay for them),
    /// up to [`MOST_CONNECTIONS`]. At the common default of 1,024 files that is 512 connections.
    pub fn for_open_files(open_files: u64) -> Limits {
        let open_files = usize::try_from(open_files).unwrap_or(usize::MAX);
        let kept = (open_files / 4).max(512).min(open_files / 2);
        Limits { max_connections: (open_files - kept).clamp(16, MOST_CONNECTIONS), ..Limits::default() }
    }
}

/// Raises the soft limit on open files to the hard limit (as Go's runtime does at start) and
/// returns it; a server behind a default `ulimit -n` of 1,024 would otherwise refuse clients
/// long before its memory or CPU ran short.
pub fn open_files() -> io::Result<u64> {
    rlimit::increase_nofile_limit(u64::MAX)
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let open = Arc::new(Mutex::new(Open::default()));
    let (closing, closed) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut warned: Option<Instant> = None;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a little rather than spin.
                    tracing::error!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if warned.is_none_or(|at| at.elapsed() > Duration::from_secs(60)) {
                    tracing::warn!(
                        max = limits.max_connections,
                        "every connection slot is taken: the connection waiting longest for a request is closed for each new one"
                    );
                    warned = Some(Instant::now());
                }
                // Until a slot frees: close one that has waited long enough, as soon as there is one.
                let waited = async {
                    loop {
                        if open.lock().expect("never poisoned").evict_oldest_waiting() {
                            return slots.clone().acquire_owned().await.expect("the semaphore is never closed");
                        }
                        tokio::select! {
                            slot = slots.clone().acquire_owned() => return slot.expect("the semaphore is never closed"),
                            () = tokio::time::sleep(Duration::from_millis(50)) => {}
                        }
                    }
                };
                tokio::select! {
                    slot = waited => slot,
                    () = &mut shutdown => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let connection = Open::register(&open);
        let service = {
            let (app, connection) = (app.clone(), connection.clone());
            tower::service_fn(move |request: axum::http::Request<Incoming>| {
                let answering = Answering::start(&connection);
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                let answer = app.clone().oneshot(request);
                async move {
                    let response = answer.await?;
                    // Answering until the body is written (an export streams for a while).
                    Ok::<_, std::convert::Infallible>(
                        response.map(|body| axum::body::Body::new(AnsweredBody { body, _answering: answering })),
                    )
                }
            })
        };
        let mut closed = closed.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(MAX_HEAD)
                .keep_alive(true);
            let stream = TokioIo::new(Replacing { inner: stream, replacing: None });
            let served = builder.serve_connection_with_upgrades(stream, TowerToHyperService::new(service));
            let mut served = std::pin::pin!(served);
            tokio::select! {
                result = served.as_mut() => {
                    if let Err(error) = result {
                        tracing::debug!(%error, %peer, "connection ended with an error");
                    }
                }
                () = connection.evict.notified() => {
                    tracing::debug!(%peer, "closed to make room: it was waiting for a request");
                }
                _ = closed.changed() => {
                    served.as_mut().graceful_shutdown();
                    let _ = served.await;
                }
            }
        });
    }
    // Stop accepting, ask every connection to finish its request, and wait for them.
    drop(listener);
    let _ = closing.send(true);
    let _ = slots.acquire_many(limits.max_connections as u32).await;
    Ok(())
}

/// The open connections, oldest first.
struct Open {
    started: Instant,
    next: u64,
    connections: BTreeMap<u64, Arc<Connection>>,
}

/// How long a connection must have waited for its next request before it may be closed to make
/// room: a reader sends its request within milliseconds of connecting, and one just accepted in
/// a burst of others must not be closed before it is read.
const WAITING_AT_LEAST: Duration = Duration::from_secs(1);

impl Default for Open {
    fn default() -> Self {
        Open { started: Instant::now(), next: 0, connections: BTreeMap::new() }
    }
}

/// One open connection, as the accept loop sees it.
struct Connection {
    id: u64,
    /// Requests it is answering now (a pipelined one may overlap the end of the last).
    answering: AtomicUsize,
    /// When it last began or ended answering (else when it was accepted), in milliseconds of
    /// `epoch`, which is [`Open::started`].
    since_ms: AtomicU64,
    epoch: Instant,
    /// Told to close once; its task then drops it.
    evicted: AtomicBool,
    evict: Notify,
    open: std::sync::Weak<Mutex<Open>>,
}

impl Open {
    fn register(open: &Arc<Mutex<Open>>) -> Arc<ConnectionGuard> {
        let mut all = open.lock().expect("never poisoned");
        all.next += 1;
        let connection = Arc::new(Connection {
            id: all.next,
            answering: AtomicUsize::new(0),
            since_ms: AtomicU64::new(millis_since(all.started)),
            epoch: all.started,
            evicted: AtomicBool::new(false),
            evict: Notify::new(),
            open: Arc::downgrade(open),
        });
        all.connections.insert(connection.id, connection.clone());
        Arc::new(ConnectionGuard(connection))
    }

    /// Tells the connection that has waited longest for a request, at least
    /// [`WAITING_AT_LEAST`], to close; whether there was one.
    fn evict_oldest_waiting(&self) -> bool {
        let waited_since = millis_since(self.started).saturating_sub(WAITING_AT_LEAST.as_millis() as u64);
        let oldest = self
            .connections
            .values()
            .filter(|connection| {
                connection.answering.load(Ordering::Acquire) == 0 && !connection.evicted.load(Ordering::Acquire)
            })
            .map(|connection| (connection.since_ms.load(Ordering::Acquire), connection))
            .filter(|(since, _)| *since <= waited_since)
            .min_by_key(|(since, _)| *since)
            .map(|(_, connection)| connection);
        match oldest {
            Some(connection) => {
                connection.evicted.store(true, Ordering::Release);
                connection.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

fn millis_since(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Held by a connection's task and its service: the last one dropped takes it off the list.
struct ConnectionGuard(Arc<Connection>);

impl std::ops::Deref for ConnectionGuard {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if let Some(open) = self.0.open.upgrade() {
            open.lock().expect("never poisoned").connections.remove(&self.0.id);
        }
    }
}

/// A request being answered on a connection, from its head to the end of its answer's body.
struct Answering(Arc<ConnectionGuard>);

impl Answering {
    fn start(connection: &Arc<ConnectionGuard>) -> Answering {
        connection.answering.fetch_add(1, Ordering::AcqRel);
        connection.touch();
        Answering(connection.clone())
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.touch();
        self.0.answering.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Connection {
    fn touch(&self) {
        self.since_ms.store(millis_since(self.epoch), Ordering::Release);
    }
}

/// An answer's body that keeps its connection marked as answering until it is written or dropped.
struct AnsweredBody {
    body: axum::body::Body,
    _answering: Answering,
}

impl http_body::Body for AnsweredBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A connection's stream that replaces the answers hyper writes on its own. When a request's
/// head does not parse (400), is over [`MAX_HEAD`] (431) or its address over 65,534 bytes (414),
/// hyper writes a bare head — a 4xx status, `content-length: 0`, no content type — and closes
/// the connection, without the router. The router never answers an error empty (`finish` in
/// lib.rs), so such a head is hyper's: it is swapped for the same status with a JSON body naming
/// the problem and the headers every answer has.
///
/// Hyper writes a head it answers on its own in one piece, at the start of a write; a malformed
/// request pipelined behind another on the same connection, whose answer is still buffered, keeps
/// hyper's bare answer.
pub struct Replacing<S> {
    inner: S,
    /// Our answer and how much of it is written, once hyper has written its own.
    replacing: Option<(Vec<u8>, usize)>,
}

impl<S: AsyncWrite + Unpin> Replacing<S> {
    /// Writes our answer in place of hyper's `claimed` bytes, then tells hyper they were written.
    fn write_replacement(&mut self, cx: &mut Context<'_>, claimed: usize) -> Poll<io::Result<usize>> {
        let Some((answer, written)) = &mut self.replacing else { unreachable!("called once replacing") };
        while *written < answer.len() {
            match ready!(Pin::new(&mut self.inner).poll_write(cx, &answer[*written..]))? {
                0 => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                n => *written += n,
            }
        }
        Poll::Ready(Ok(claimed))
    }

    fn replaces(&mut self, head: &[u8]) -> bool {
        if self.replacing.is_none()
            && let Some(status) = bare_error_head(head)
        {
            self.replacing = Some((json_answer(status), 0));
            return true;
        }
        matches!(&self.replacing, Some((answer, written)) if written < &answer.len())
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Replacing<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Replacing<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.replaces(buf) {
            return self.write_replacement(cx, buf.len());
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let first = bufs.iter().find(|buf| !buf.is_empty()).map_or(&[][..], |buf| &buf[..]);
        if self.replaces(first) {
            let claimed = bufs.iter().map(|buf| buf.len()).sum();
            return self.write_replacement(cx, claimed);
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The status of `bytes` when they are exactly an answer hyper wrote on its own: a 4xx head with
/// `content-length: 0`, no content type and nothing after it.
fn bare_error_head(bytes: &[u8]) -> Option<axum::http::StatusCode> {
    let rest = bytes.strip_prefix(b"HTTP/1.1 ").or_else(|| bytes.strip_prefix(b"HTTP/1.0 "))?;
    let status = axum::http::StatusCode::from_bytes(rest.get(..3)?).ok()?;
    let head = std::str::from_utf8(bytes).ok()?.to_ascii_lowercase();
    let bare = status.is_client_error()
        && head.ends_with("\r\n\r\n")
        && head.matches("\r\n\r\n").count() == 1
        && head.contains("\r\ncontent-length: 0\r\n")
        && !head.contains("\r\ncontent-type:");
    bare.then_some(status)
}

/// The whole answer, head and JSON body, that replaces hyper's bare one.
fn json_answer(status: axum::http::StatusCode) -> Vec<u8> {
    let error = match status.as_u16() {
        414 => "the address is too long: it may be at most 65,534 bytes".to_owned(),
        431 => format!(
            "the request's address and headers are too large: they may be at most {} KiB together, in at most 100 headers",
            MAX_HEAD / 1024
        ),
        400 => "the request could not be read: its request line or a header is malformed".to_owned(),
        _ => status.canonical_reason().unwrap_or("the request could not be read").to_lowercase(),
    };
    let body = serde_json::to_vec(&model::api::ApiError { error, problems: Vec::new() }).unwrap_or_default();
    let mut answer = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    );
    for (name, value) in crate::SECURITY_HEADERS {
        answer.push_str(&format!("{name}: {value}\r\n"));
    }
    answer.push_str("\r\n");
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(&body);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bare_error_head_is_replaced() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Wed, 02 Dec 2026 04:00:00 GMT\r\n\r\n";
        assert_eq!(bare_error_head(bare), Some(axum::http::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE));
        let json = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 30\r\n\r\n";
        assert_eq!(bare_error_head(json), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_error_head(ok), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
        assert_eq!(bare_error_head(with_body), None);
    }

    #[test]
    fn connections_follow_the_open_files_limit() {
        assert_eq!(Limits::for_open_files(1024).max_connections, 512);
        assert_eq!(Limits::for_open_files(4096).max_connections, 3072);
        assert_eq!(Limits::for_open_files(1_048_576).max_connections, MOST_CONNECTIONS);
        assert_eq!(Limits::for_open_files(64).max_connections, 32);
    }
}
