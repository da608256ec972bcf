//! The connection loop against clients that send half a request or promise a body they never
//! send: they are cut off, and the connections they held serve others.

use indexer::index::generation;
use server::serve::{Limits, serve};
use server::state::AppState;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn start(limits: Limits) -> (std::net::SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content");
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
    let state = AppState::open(&dir.path().join("index"), &content, None).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, server::app(Arc::new(state)), limits, std::future::pending()));
    (addr, dir)
}

/// A whole request on a new connection, answered: its status line.
fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or("").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_requests_are_cut_off_and_free_their_connections() {
    let limits = Limits { max_connections: 8, header_timeout: Duration::from_secs(1) };
    let (addr, _dir) = start(limits).await;
    tokio::task::spawn_blocking(move || {
        // Twice as many stalled clients as there are connections, each with half its headers.
        let stalled: Vec<TcpStream> = (0..16)
            .map(|_| {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.write_all(b"GET /api/search?q=coding HTTP/1.1\r\nHost: x\r\n").unwrap();
                stream
            })
            .collect();
        let started = Instant::now();
        assert!(get(addr, "/healthz").contains("200"), "a reader is served once the stalled ones are cut off");
        assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
        // The stalled connections were closed by the server.
        for mut stream in stalled {
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest);
        }
        // An idle keep-alive connection is closed too.
        let mut idle = TcpStream::connect(addr).unwrap();
        idle.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut answer = Vec::new();
        let _ = idle.read_to_end(&mut answer);
        assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"), "answered, then closed when idle");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_promised_and_never_sent_is_answered_408() {
    let (addr, _dir) = start(Limits::default()).await;
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(server::BODY_TIMEOUT + Duration::from_secs(10))).unwrap();
        write!(
            stream,
            "POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"title\""
        )
        .unwrap();
        let mut answer = vec![0; 4096];
        let n = stream.read(&mut answer).unwrap();
        String::from_utf8_lossy(&answer[..n]).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/json"), "{answer}");
}

/// Sends `request` as it is on a new connection and reads the whole answer.
fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The server may answer and close before it has read everything sent.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_hyper_refuses_are_answered_in_json_with_the_security_headers() {
    let (addr, _dir) = start(Limits::default()).await;
    tokio::task::spawn_blocking(move || {
        let long_address = format!("GET /?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
        let big_headers = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(100_000));
        let many_headers = format!(
            "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
            (0..150).map(|i| format!("X-H{i}: v\r\n")).collect::<String>()
        );
        let cases: [(&[u8], &str, &str); 4] = [
            (long_address.as_bytes(), "414", "address"),
            (big_headers.as_bytes(), "431", "headers"),
            (many_headers.as_bytes(), "431", "headers"),
            (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "400", "malformed"),
        ];
        for (request, status, named) in cases {
            let answer = exchange(addr, request);
            let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
            assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
            assert!(head.contains("content-type: application/json"), "{head}");
            assert!(head.contains("content-security-policy: default-src 'self'"), "{head}");
            assert!(head.contains("x-content-type-options: nosniff"), "{head}");
            let error: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body:?}"));
            assert!(error["error"].as_str().unwrap().contains(named), "{error}");
        }
        // A well-formed request on the same server is answered as before.
        assert!(get(addr, "/healthz").contains("200"));
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_every_slot_is_taken_the_oldest_waiting_connection_makes_room() {
    // Headers may take a minute here: only closing stalled connections can make room in time.
    let limits = Limits { max_connections: 8, header_timeout: Duration::from_secs(60) };
    let (addr, _dir) = start(limits).await;
    tokio::task::spawn_blocking(move || {
        // A request being answered keeps its connection: this one's body is still on its way.
        let body = br#"{"title": "half"}"#;
        let mut sending = TcpStream::connect(addr).unwrap();
        sending.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            sending,
            "POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        sending.write_all(&body[..5]).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        // Twice as many stalled clients as there are connections, each with half its headers.
        let stalled: Vec<TcpStream> = (0..16)
            .map(|_| {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.write_all(b"GET /api/search?q=coding HTTP/1.1\r\nHost: x\r\n").unwrap();
                stream
            })
            .collect();
        // Each new reader closes the oldest stalled one; with a read timeout of 20 s, an answer
        // shows it did not wait for the 60 s header deadline.
        for _ in 0..4 {
            assert!(get(addr, "/healthz").contains("200"), "a new reader is served at once");
        }
        sending.write_all(&body[5..]).unwrap();
        let mut answer = String::new();
        sending.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 4"), "the request being answered was answered: {answer:?}");
        drop(stalled);
    })
    .await
    .unwrap();
}
