//! A reader's first visit on a slow phone link, in a real headless Chromium: 150 ms latency and
//! 400 kbit/s each way, the CPU slowed four times, a fresh profile for every page. For each
//! page: when what the reader came for is painted (the first hit's title, the case's heading:
//! the elements the pages mark `elementtiming="content"`), the first and largest paints, layout
//! shift, the bytes and requests before the content showed, and when the islands were awake.
//!
//! And Lighthouse's mobile scores for the same pages, where Lighthouse could be installed from
//! npm.

use crate::browser::{Link, Options, Session};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The emulated phone link: 150 ms each way, 400 kbit/s (50,000 bytes a second) each way.
pub const PHONE_LINK: Link = Link::Slow { latency_ms: 150, bytes_per_second: 50_000 };
/// How much slower the emulated phone's CPU is than this machine's.
pub const PHONE_CPU_SLOWDOWN: u32 = 4;

/// The pages a first visit is measured on.
pub const PAGES: [&str; 4] = ["/?q=biblioteca", "/case/code-kids", "/", "/submit"];

/// Records the paint of the content, the largest paint and layout shifts from the start.
const OBSERVERS: &str = r#"
window.__visit = { content: 0, lcp: 0, cls: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.identifier === "content" && !window.__visit.content) window.__visit.content = e.renderTime || e.loadTime;
}).observe({ type: "element", buffered: true });
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__visit.lcp = e.renderTime || e.startTime;
}).observe({ type: "largest-contentful-paint", buffered: true });
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__visit.cls += e.value;
}).observe({ type: "layout-shift", buffered: true });
"#;

/// What one first visit measured. Times are milliseconds from the start of the navigation.
#[derive(Debug, Clone)]
pub struct Visit {
    pub path: String,
    pub script: bool,
    /// The content's paint (or the first paint, for pages without marked content); `None` when
    /// nothing showed within 30 seconds.
    pub content_ms: Option<f64>,
    pub first_paint_ms: f64,
    pub largest_paint_ms: f64,
    pub layout_shift: f64,
    pub bytes_before_content: u64,
    pub requests_before_content: usize,
    /// When the islands had woken (never without script).
    pub awake_ms: Option<f64>,
    pub bytes_total: u64,
}

/// Measures the first visit of `base` + `path`, with the page's scripts (`script`) or without
/// any (none of its JavaScript or WebAssembly is loaded).
pub async fn visit(chromium: &Path, driver: &Path, base: &str, path: &str, script: bool) -> Result<Visit> {
    let session = Session::start(chromium, driver, &Options { width: 412, height: 823, ..Options::default() }).await?;
    session.cdp("Page.enable", serde_json::json!({})).await?;
    session.cdp("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": OBSERVERS })).await?;
    session.emulate_network(PHONE_LINK).await?;
    if !script {
        // The page's own scripts never load (the observers above, the bench's, still run).
        session.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": ["*.js", "*.wasm"] })).await?;
    }
    session.cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": PHONE_CPU_SLOWDOWN })).await?;
    session.client.goto(&format!("{base}{path}")).await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut shown = None;
    let found = loop {
        let found = session
            .client
            .execute(
                "const v = window.__visit || {}; const paint = performance.getEntriesByName('first-contentful-paint')[0];
                 const awake = performance.getEntriesByName('islands-awake')[0];
                 const marked = !!document.querySelector('[elementtiming=content]');
                 const content = marked ? v.content : (paint ? paint.startTime : 0);
                 if (!paint || !content) return null;
                 const nav = performance.getEntriesByType('navigation')[0];
                 const all = [nav, ...performance.getEntriesByType('resource')];
                 const before = all.filter(e => e.responseEnd <= content);
                 return { content, paint: paint.startTime, lcp: v.lcp, cls: v.cls, awake: awake ? awake.startTime : null,
                          before: before.reduce((n, e) => n + e.transferSize, 0), requests: before.length,
                          total: all.reduce((n, e) => n + e.transferSize, 0) };",
                Vec::new(),
            )
            .await?;
        // Done once the islands are awake (a site without them is done ten seconds after its
        // content showed).
        let awake = found.get("awake").is_some_and(|a| !a.is_null());
        if !found.is_null() {
            let shown_at = *shown.get_or_insert_with(Instant::now);
            if awake || !script || shown_at.elapsed() > Duration::from_secs(10) {
                break found;
            }
        }
        if Instant::now() > deadline {
            break found;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    session.close().await?;
    let ms = |name: &str| found[name].as_f64().unwrap_or(f64::NAN);
    Ok(Visit {
        path: path.to_owned(),
        script,
        content_ms: found["content"].as_f64(),
        first_paint_ms: ms("paint"),
        largest_paint_ms: ms("lcp"),
        layout_shift: ms("cls"),
        bytes_before_content: found["before"].as_u64().unwrap_or(0),
        requests_before_content: found["requests"].as_u64().unwrap_or(0) as usize,
        awake_ms: found["awake"].as_f64(),
        bytes_total: found["total"].as_u64().unwrap_or(0),
    })
}

/// Prints the first-visit table for `base`, every page with and without script.
pub fn report(chromium: &Path, driver: &Path, base: &str) -> Result<Vec<Visit>> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!(
        "Headless Chromium, a fresh profile per page, {} ms latency and {} kbit/s each way, the CPU slowed {}×, a 412×823 screen. \
         Content: the first hit's title or the case's heading painted (the first paint on other pages). Milliseconds; bytes as transferred.\n",
        150, 400, PHONE_CPU_SLOWDOWN
    );
    println!(
        "| page | script | content visible | first paint | largest paint | layout shift | bytes before content (requests) | islands awake | bytes in all |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut visits = Vec::new();
    for path in PAGES {
        for script in [true, false] {
            let visit = runtime.block_on(visit(chromium, driver, base, path, script))?;
            let number = |value: f64, decimals: usize| {
                if value.is_nan() { "–".to_owned() } else { format!("{value:.decimals$}") }
            };
            println!(
                "| `{}` | {} | {} | {} | {} | {} | {} ({}) | {} | {} |",
                visit.path,
                if script { "on" } else { "off" },
                visit.content_ms.map_or("never (30 s)".to_owned(), |ms| format!("{ms:.0}")),
                number(visit.first_paint_ms, 0),
                number(visit.largest_paint_ms, 0),
                number(visit.layout_shift, 3),
                visit.bytes_before_content,
                visit.requests_before_content,
                visit.awake_ms.map_or("–".to_owned(), |ms| format!("{ms:.0}")),
                visit.bytes_total,
            );
            visits.push(visit);
        }
    }
    Ok(visits)
}

/// Lighthouse's scores and metrics for one page.
#[derive(Debug, Clone)]
pub struct Lighthouse {
    pub path: String,
    /// performance, accessibility, best-practices, seo: 0 to 100.
    pub scores: Vec<(String, f64)>,
    /// Displayed values of FCP, LCP, TBT, CLS, Speed Index.
    pub metrics: Vec<(String, String)>,
}

/// Runs Lighthouse (mobile, its own simulated slow 4G and 4× CPU) on `base` + `path`.
pub fn lighthouse(lighthouse: &Path, chromium: &Path, base: &str, path: &str, out: &Path) -> Result<Lighthouse> {
    let status = Command::new(lighthouse)
        .arg(format!("{base}{path}"))
        .args(["--quiet", "--form-factor=mobile", "--output=json"])
        .arg(format!("--output-path={}", out.display()))
        .args(["--only-categories=performance,accessibility,best-practices,seo"])
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run")
        .env("CHROME_PATH", chromium)
        .status()
        .with_context(|| format!("cannot start {}", lighthouse.display()))?;
    anyhow::ensure!(status.success(), "lighthouse failed on {path} ({status})");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out)?)?;
    let scores = ["performance", "accessibility", "best-practices", "seo"]
        .into_iter()
        .map(|id| (id.to_owned(), report["categories"][id]["score"].as_f64().unwrap_or(f64::NAN) * 100.0))
        .collect();
    let metrics = [
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
        "speed-index",
    ]
    .into_iter()
    .map(|id| (id.to_owned(), report["audits"][id]["displayValue"].as_str().unwrap_or("–").to_owned()))
    .collect();
    Ok(Lighthouse { path: path.to_owned(), scores, metrics })
}

/// Prints Lighthouse's table for every page, or why it was skipped.
pub fn lighthouse_report(lighthouse_bin: Option<&Path>, chromium: &Path, base: &str, work: &Path) -> Result<()> {
    let Some(bin) = lighthouse_bin else {
        println!("Lighthouse: SKIPPED, it could not be installed from npm.");
        return Ok(());
    };
    println!("Lighthouse 12, mobile (its simulated slow 4G and 4× CPU), each page once:\n");
    println!("| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | Speed Index |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for path in PAGES {
        match lighthouse(bin, chromium, base, path, &work.join("lighthouse.json")) {
            Ok(found) => {
                let scores: Vec<String> = found.scores.iter().map(|(_, s)| format!("{s:.0}")).collect();
                let metrics: Vec<String> = found.metrics.iter().map(|(_, m)| m.replace('\u{a0}', " ")).collect();
                println!("| `{path}` | {} | {} |", scores.join(" | "), metrics.join(" | "));
            }
            Err(error) => println!("| `{path}` | failed: {error:#} | | | | | | | | |"),
        }
    }
    Ok(())
}
