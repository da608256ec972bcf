//! Headless Chromium behind its own chromedriver, for the end-to-end tests and the first-visit
//! bench: a session with a fresh profile, and Chromium's DevTools protocol through the driver.

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A WebDriver session and the driver behind it. Call [`Session::close`] when done; dropping it
/// kills the driver.
pub struct Session {
    pub client: Client,
    driver: Child,
}

/// How a session's browser is set up.
#[derive(Default)]
pub struct Options<'a> {
    /// Extra command-line flags (`--lang=uk`).
    pub args: &'a [&'a str],
    /// The languages the browser asks for (`Accept-Language`), e.g. `uk`; English otherwise.
    pub languages: Option<&'a str>,
    /// JavaScript switched off for the pages (WebDriver still runs its own scripts).
    pub no_script: bool,
    pub width: u32,
    pub height: u32,
}

impl Session {
    /// Starts chromedriver on a free port and a headless Chromium with a new, empty profile.
    pub async fn start(chromium: &Path, driver_path: &Path, options: &Options<'_>) -> Result<Session> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", driver_path.display()))?;
        let profile = tempfile::tempdir()?;
        let (width, height) = if options.width == 0 { (1280, 800) } else { (options.width, options.height) };
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--window-size={width},{height}"));
        args.push(format!("--user-data-dir={}", profile.keep().display()));
        args.extend(options.args.iter().map(|a| a.to_string()));
        let mut prefs = serde_json::json!({ "intl": { "accept_languages": options.languages.unwrap_or("en-GB,en") } });
        if options.no_script {
            prefs["profile"] = serde_json::json!({ "managed_default_content_settings": { "javascript": 2 } });
        }
        let capabilities = serde_json::json!({
            "goog:chromeOptions": { "binary": chromium, "args": args, "prefs": prefs }
        });
        let capabilities = capabilities.as_object().expect("an object").clone();
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::native()
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(_) if started.elapsed() < Duration::from_secs(20) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => {
                    let _ = driver.kill();
                    bail!("cannot start a WebDriver session: {error}");
                }
            }
        };
        Ok(Session { client, driver })
    }

    /// Ends the session, then the driver.
    pub async fn close(mut self) -> Result<()> {
        let client = self.client.clone();
        client.close().await?;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        Ok(())
    }

    /// Sends a command of Chromium's DevTools protocol (through chromedriver).
    pub async fn cdp(&self, command: &str, params: serde_json::Value) -> Result<serde_json::Value> {
        Ok(self.client.issue_cmd(Cdp { command: command.to_owned(), params }).await?)
    }

    /// Emulates a network link for the pages of the session.
    pub async fn emulate_network(&self, link: Link) -> Result<()> {
        self.cdp("Network.enable", serde_json::json!({})).await?;
        let (offline, latency, throughput) = match link {
            Link::Unthrottled => (false, 0, -1),
            Link::Slow { latency_ms, bytes_per_second } => (false, latency_ms, i64::from(bytes_per_second)),
            Link::Offline => (true, 0, -1),
        };
        let conditions = serde_json::json!({
            "offline": offline, "latency": latency, "downloadThroughput": throughput, "uploadThroughput": throughput,
        });
        self.cdp("Network.emulateNetworkConditions", conditions.clone()).await?;
        // Newer Chromium keeps `navigator.onLine` apart from the emulated link: a page loaded while
        // "offline" would still say it is online. Where the browser knows the command, set both.
        if let Err(error) = self.cdp("Network.overrideNetworkState", conditions).await {
            eprintln!("Network.overrideNetworkState is not available: {error:#}");
        }
        Ok(())
    }
}

/// A network link to emulate.
#[derive(Clone, Copy, Debug)]
pub enum Link {
    Unthrottled,
    /// `latency_ms` each way, `bytes_per_second` each way.
    Slow {
        latency_ms: u32,
        bytes_per_second: u32,
    },
    /// No network at all, as in airplane mode.
    Offline,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// A DevTools protocol command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    command: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "cmd": self.command, "params": self.params }).to_string()))
    }
}
