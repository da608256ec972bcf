//! The end-to-end harness: a real server on 127.0.0.1 over a real index, and a real headless
//! Chromium driven through chromedriver (WebDriver).
//!
//! `cargo xtask test` builds the app into `dist/` and passes its location and the browser's in
//! `E2E_DIST`, `E2E_CHROMIUM` and `E2E_CHROMEDRIVER`; the browser tests are `#[ignore]`d under a
//! plain `cargo test`, which has neither.

use anyhow::{Context, Result, bail};
use bench::browser::{Link, Options, Session};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use indexer::index::generation;
use server::state::AppState;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a browser expectation may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The project's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the project root").to_owned()
}

/// The real collection.
pub fn real_content() -> PathBuf {
    root().join("content")
}

/// The small fixture collection.
pub fn fixture_content() -> PathBuf {
    root().join("tests/fixtures/content")
}

/// The built app (`dist/`), as `cargo xtask test` gives it.
pub fn dist() -> Result<PathBuf> {
    env_path("E2E_DIST")
}

/// The debug server and indexer next to this test's executable (`target/debug/deps/..`), which
/// `cargo xtask test` builds before the tests.
pub fn binaries() -> Result<bench::process::Binaries> {
    let exe = std::env::current_exe()?;
    let profile = exe.parent().and_then(Path::parent).context("the test runs from target/<profile>/deps")?;
    bench::process::Binaries::in_dir(profile)
}

fn env_path(name: &str) -> Result<PathBuf> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .with_context(|| format!("{name} is not set: run the browser tests with `cargo xtask test`"))
}

/// The maintainers' token of every test server.
pub const ADMIN_TOKEN: &str = "test-maintainer-token";

/// A server over a fresh index of a copy of a content folder, listening on 127.0.0.1, with a
/// maintainer token and no submission limit.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    /// Holds the index and the copy of the content (tests write to it).
    pub dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<()>>,
}

pub use bench::files::copy_dir;

impl TestServer {
    /// Copies `content`, indexes it into a temporary folder and serves it with the built app.
    pub async fn start(content: &Path) -> Result<TestServer> {
        Self::start_with_assets(content, Some(&env_path("E2E_DIST")?)).await
    }

    /// The same without the app, for API tests that need a real socket but no browser.
    pub async fn start_with_assets(source: &Path, assets: Option<&Path>) -> Result<TestServer> {
        let dir = tempfile::tempdir()?;
        let content = dir.path().join("content");
        copy_dir(source, &content)?;
        let collection = collection::load(&content, &|_, _| {}).map_err(|e| anyhow::anyhow!("{e}"))?;
        let index = dir.path().join("index");
        generation::build(&collection, &index, &|_, _| {})?;
        let state = AppState::open(&index, &content, assets)?
            .with_admin_token(Some(ADMIN_TOKEN.into()))
            .with_submissions_per_hour(0);
        let state = Arc::new(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(server::state::watch_generations(state.clone()));
        let app = server::app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(TestServer { addr, state, dir, stop: Some(stop), serving: Some(serving) })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The served copy of the content.
    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    /// Stops listening and closes every connection: the network is gone for the browser.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), serving).await;
        }
    }
}

/// Headless Chromium behind its own chromedriver. Call [`Browser::close`] at the end of a test;
/// if a test panics first, dropping the browser kills the driver.
pub struct Browser {
    pub client: Client,
    session: Session,
}

impl Browser {
    pub async fn start() -> Result<Browser> {
        Self::start_with(Options::default()).await
    }

    /// A browser whose interface language (and so `navigator.languages`) is `lang`.
    pub async fn start_in(lang: &str) -> Result<Browser> {
        Self::start_in_scripted(lang, true).await
    }

    /// A browser in `lang`, with JavaScript on or off.
    pub async fn start_in_scripted(lang: &str, script: bool) -> Result<Browser> {
        let args = [format!("--lang={lang}"), format!("--accept-lang={lang}")];
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Self::start_with(Options { args: &args, languages: Some(lang), no_script: !script, ..Options::default() }).await
    }

    /// A browser that runs no script of the pages it shows (no JavaScript, so no WebAssembly),
    /// as on an old phone or behind a proxy that strips scripts. WebDriver still drives it.
    pub async fn start_without_script() -> Result<Browser> {
        Self::start_scripted(false).await
    }

    /// A browser with JavaScript on or off, the journeys' two ways of meeting the site.
    pub async fn start_scripted(script: bool) -> Result<Browser> {
        Self::start_with(Options { no_script: !script, ..Options::default() }).await
    }

    async fn start_with(options: Options<'_>) -> Result<Browser> {
        let session = Session::start(&env_path("E2E_CHROMIUM")?, &env_path("E2E_CHROMEDRIVER")?, &options).await?;
        Ok(Browser { client: session.client.clone(), session })
    }

    /// Ends the session, then the driver.
    pub async fn close(self) -> Result<()> {
        self.session.close().await
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        Ok(self.client.goto(url).await?)
    }

    /// Waits for an element to appear.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element `{css}` appeared"))
    }

    /// Waits until `css` matches elements whose text satisfies `test`; returns the texts.
    pub async fn texts_until(&self, css: &str, what: &str, test: impl Fn(&[String]) -> bool) -> Result<Vec<String>> {
        let mut last = Vec::new();
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let mut texts = Vec::new();
            for element in self.client.find_all(Locator::Css(css)).await? {
                texts.push(element.text().await.unwrap_or_default());
            }
            if test(&texts) {
                return Ok(texts);
            }
            last = texts;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("waited {PATIENCE:?} for {what} in `{css}`; last saw {last:?}")
    }

    /// Waits until the page's text contains `needle`.
    pub async fn text_contains(&self, css: &str, needle: &str) -> Result<String> {
        let texts =
            self.texts_until(css, &format!("{needle:?}"), |texts| texts.iter().any(|t| t.contains(needle))).await?;
        Ok(texts.into_iter().find(|t| t.contains(needle)).unwrap_or_default())
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn js(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, Vec::new()).await?)
    }

    pub async fn current_url(&self) -> Result<String> {
        Ok(self.client.current_url().await?.to_string())
    }

    /// Sends a command of Chromium's DevTools protocol (through chromedriver).
    pub async fn cdp(&self, command: &str, params: serde_json::Value) -> Result<serde_json::Value> {
        self.session.cdp(command, params).await
    }

    /// Cuts the page off the network (or restores it), as airplane mode would.
    /// Waits until the service worker controls the page (it registers a few seconds after
    /// start and then takes over).
    pub async fn service_worker_in_control(&self) -> Result<()> {
        eventually("the service worker in control", || async {
            let controlled =
                self.js("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)").await?;
            Ok((controlled == true).then_some(()))
        })
        .await
    }

    /// Reloads the page with the network cut off. Chromium forgets the emulated
    /// `navigator.onLine` when a page is reloaded (a new renderer) while it still fails every
    /// request, so the link is cut again after the reload: a device in airplane mode says
    /// offline from the start.
    pub async fn reload_offline(&self) -> Result<()> {
        self.set_offline(true).await?;
        self.client.refresh().await?;
        self.set_offline(true).await
    }

    pub async fn set_offline(&self, offline: bool) -> Result<()> {
        self.session.emulate_network(if offline { Link::Offline } else { Link::Unthrottled }).await
    }

    /// Keeps the page's own scripts (and so the wasm) from loading, while scripts WebDriver runs
    /// still work: the page exactly as it arrives. (With JavaScript switched off, axe-core, which
    /// runs on the page's timers, cannot run.)
    pub async fn block_page_scripts(&self) -> Result<()> {
        self.cdp("Network.enable", serde_json::json!({})).await?;
        self.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": ["*.js", "*.wasm"] })).await?;
        Ok(())
    }

    /// Runs axe-core (from npm, injected into the page) and returns its WCAG 2.2 A/AA violations.
    pub async fn axe_violations(&self) -> Result<Vec<serde_json::Value>> {
        let source = std::fs::read_to_string(env_path("E2E_AXE")?)?;
        self.client.execute(&source, Vec::new()).await?;
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
              .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }))))
              .catch(e => done([{ id: 'axe-error', help: String(e) }]));
        "#;
        let result = self.client.execute_async(script, Vec::new()).await?;
        Ok(result.as_array().cloned().unwrap_or_default())
    }
}

/// Polls `check` until it returns `Some`, or fails after [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        if Instant::now() > deadline {
            bail!("waited {PATIENCE:?} for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A plain HTTP/1.1 client for API tests over the real socket.
pub mod http {
    use anyhow::Result;
    use http_body_util::{BodyExt, Full};
    use hyper::body::Bytes;
    use hyper_util::client::legacy::Client;
    use hyper_util::client::legacy::connect::HttpConnector;
    use hyper_util::rt::TokioExecutor;

    pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

    pub fn client() -> HttpClient {
        Client::builder(TokioExecutor::new()).pool_max_idle_per_host(64).build_http()
    }

    /// Sends a request; returns the status and the body.
    /// Posts the fixture submission (`tests/fixtures/submission.json`) to the server at `base`
    /// (`http://…`) and checks that it was stored (201).
    pub async fn submit_fixture(base: &str) -> anyhow::Result<()> {
        let submission = std::fs::read_to_string(crate::root().join("tests/fixtures/submission.json"))?;
        let url = format!("{base}/api/submissions");
        let headers = [("content-type", "application/json")];
        let (status, body) = send(&client(), "POST", &url, &headers, Some(submission.into_bytes())).await?;
        anyhow::ensure!(status == 201, "the fixture submission was refused: {}", String::from_utf8_lossy(&body));
        Ok(())
    }

    pub async fn send(
        client: &HttpClient,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<(u16, Vec<u8>)> {
        let mut request = hyper::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = client.request(request.body(Full::new(Bytes::from(body.unwrap_or_default())))?).await?;
        let status = response.status().as_u16();
        Ok((status, response.into_body().collect().await?.to_bytes().to_vec()))
    }
}
