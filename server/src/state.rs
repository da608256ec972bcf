//! The server's shared state: the engine of the serving index generation, swapped atomically
//! when a new generation appears, and the built app's assets.

use arc_swap::ArcSwap;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use indexer::Engine;
use indexer::index::generation::{self, GenerationError, WriteLock};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the server looks for a new index generation.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(250);

pub struct AppState {
    engine: ArcSwap<Engine>,
    pub index_root: PathBuf,
    pub content: PathBuf,
    /// The content folder's owner: the submission queue and its review operations.
    pub store: collection::Store,
    /// The built app (scripts, wasm, styles, the service worker); `None` serves the pages
    /// without them (plain HTML) and the API.
    pub assets: Option<PathBuf>,
    /// The built files' hashed names, which the pages link (`dist/assets.json`).
    pub built: Option<Arc<app::site::Assets>>,
    /// The site's public address for links in feeds, QR codes and share tags; `None` uses the
    /// request's `Host`.
    pub public_url: Option<String>,
    /// The maintainers' token; `None` switches maintainer actions off.
    pub admin_token: Option<Vec<u8>>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the rate limits); from any
    /// other peer the header is ignored, so a client cannot pick its own address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Submissions allowed per client; `None` for no limit.
    pub submission_limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Photos one client may have decoded per hour, accepted or refused (each costs a few hundred
    /// milliseconds of a core): as many as its submissions may hold. `None` for no limit.
    pub photo_limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Failed maintainer logins allowed per client, against token guessing.
    pub login_limiter: DefaultKeyedRateLimiter<IpAddr>,
    /// Approved cases waiting for the index while a full build holds the lock, as the store
    /// wrote them.
    pending: Mutex<Vec<model::Case>>,
    /// Searches running at once, two per core: the rest wait their turn instead of each taking
    /// a blocking thread of its own. Measured with 64 connections at 10k cases on 2 cores:
    /// throughput unchanged within the noise (1,300–1,860 requests/s either way), p99 about 60
    /// instead of 80 ms, the server's own memory 24 instead of 45 MiB and 17 threads instead of
    /// 79.
    pub searches: Arc<tokio::sync::Semaphore>,
    /// Exports streaming at once (each holds a blocking thread while it runs).
    pub exports: Arc<tokio::sync::Semaphore>,
    /// The overview page's figures, kept per index version.
    pub overview: crate::overview::OverviewCache,
}

/// Submissions one client may make per hour, by default.
pub const SUBMISSIONS_PER_HOUR: u32 = 30;
/// Failed maintainer logins one client may make per minute.
pub const LOGINS_PER_MINUTE: u32 = 10;

impl AppState {
    /// Opens the current generation under `index_root`.
    pub fn open(index_root: &Path, content: &Path, assets: Option<&Path>) -> anyhow::Result<AppState> {
        let engine = Engine::open(index_root)?;
        let built = assets.map(read_assets).transpose()?.map(Arc::new);
        Ok(AppState {
            engine: ArcSwap::from_pointee(engine),
            index_root: index_root.to_owned(),
            content: content.to_owned(),
            store: collection::Store::open(content),
            assets: assets.map(Path::to_owned),
            built,
            public_url: None,
            admin_token: None,
            trusted_proxies: Vec::new(),
            submission_limiter: Some(RateLimiter::keyed(hourly(SUBMISSIONS_PER_HOUR))),
            photo_limiter: Some(RateLimiter::keyed(hourly(SUBMISSIONS_PER_HOUR * model::limits::PHOTOS as u32))),
            login_limiter: RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(LOGINS_PER_MINUTE).expect("not zero"))),
            pending: Mutex::new(Vec::new()),
            exports: Arc::new(tokio::sync::Semaphore::new(EXPORTS_AT_ONCE)),
            overview: Default::default(),
            searches: Arc::new(tokio::sync::Semaphore::new(
                2 * std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
        })
    }

    /// Sets the maintainers' token (`None` or an empty token switches maintainer actions off).
    pub fn with_admin_token(mut self, token: Option<String>) -> Self {
        self.admin_token = token.map(|t| t.trim().as_bytes().to_vec()).filter(|t| !t.is_empty());
        self
    }

    /// Sets how many submissions one client may make per hour (`0` for no limit), and so how
    /// many photos it may send (eight a submission).
    pub fn with_submissions_per_hour(mut self, per_hour: u32) -> Self {
        self.submission_limiter = (per_hour > 0).then(|| RateLimiter::keyed(hourly(per_hour)));
        let photos = per_hour.saturating_mul(model::limits::PHOTOS as u32);
        self.photo_limiter = (photos > 0).then(|| RateLimiter::keyed(hourly(photos)));
        self
    }

    /// Makes approved cases searchable: adds them to the serving generation now if no build is
    /// running, else keeps them until the build has switched and adds them to its generation
    /// then (a build may have read the content before they were written). Returns whether they
    /// are in now.
    pub fn index_cases(&self, cases: Vec<model::Case>) -> anyhow::Result<bool> {
        let slugs: Vec<String> = cases.iter().map(|case| case.slug.clone()).collect();
        self.pending.lock().expect("pending list").extend(cases);
        let applied = self.apply_pending();
        if applied.is_err() {
            // The caller undoes the approval: these cases must not reach the index later.
            self.pending.lock().expect("pending list").retain(|case| !slugs.contains(&case.slug));
        }
        applied
    }

    /// Adds the kept cases to the current generation. Returns whether none is left.
    pub fn apply_pending(&self) -> anyhow::Result<bool> {
        let waiting: Vec<model::Case> = self.pending.lock().expect("pending list").clone();
        if waiting.is_empty() {
            return Ok(true);
        }
        let _lock = match WriteLock::try_acquire(&self.index_root) {
            Ok(lock) => lock,
            Err(GenerationError::Busy(_)) => return Ok(false),
            Err(error) => return Err(error.into()),
        };
        // The lock is ours: no build is running, so the current generation is final.
        self.refresh()?;
        generation::add_cases(&self.index_root, &waiting)?;
        self.engine().reload()?;
        let added: std::collections::HashSet<&str> = waiting.iter().map(|case| case.slug.as_str()).collect();
        self.pending.lock().expect("pending list").retain(|case| !added.contains(case.slug.as_str()));
        tracing::info!(cases = waiting.len(), "approved cases are searchable");
        Ok(true)
    }

    /// Indexes the approved submissions whose case the serving index lacks: ones approved while
    /// a build ran, by a server stopped before the build switched. Returns how many.
    pub fn index_missing_approvals(&self) -> anyhow::Result<usize> {
        let engine = self.engine();
        let mut missing = Vec::new();
        for stored in self.store.list() {
            let Some(slug) = stored.record.slug.filter(|_| stored.record.status == model::api::ReviewStatus::Approved)
            else {
                continue;
            };
            if engine.stored_case(&slug)?.is_some() {
                continue;
            }
            match self.store.read_published(&slug, engine.vocabulary()) {
                Ok(case) => missing.push(case),
                Err(error) => tracing::warn!(%slug, %error, "an approved case does not read; not indexed"),
            }
        }
        let count = missing.len();
        if count > 0 {
            self.index_cases(missing)?;
            tracing::info!(cases = count, "indexed approved cases the index lacked");
        }
        Ok(count)
    }

    /// Sets the reverse proxies trusted to name the client in `X-Forwarded-For`.
    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// Sets the public address used in feeds, QR codes and share tags.
    pub fn with_public_url(mut self, url: Option<String>) -> Self {
        self.public_url = url.map(|url| url.trim_end_matches('/').to_owned());
        self
    }

    /// The engine serving now; requests keep theirs until they finish, even across a swap.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.load_full()
    }

    /// Switches to the current generation if it is not the one being served. Returns whether it
    /// switched.
    pub fn refresh(&self) -> anyhow::Result<bool> {
        let current = generation::current(&self.index_root)?;
        if current == self.engine.load().dir() {
            return Ok(false);
        }
        let engine = Engine::open_generation(&current)?;
        tracing::info!(generation = %engine.info().id, cases = engine.info().cases, "serving a new index generation");
        self.engine.store(Arc::new(engine));
        Ok(true)
    }
}

/// Reads `dist/assets.json` and checks that every file it names is there: a server whose pages
/// would link a missing bundle refuses to start, naming the file.
fn read_assets(dir: &Path) -> anyhow::Result<app::site::Assets> {
    let manifest = dir.join("assets.json");
    let text = std::fs::read_to_string(&manifest).map_err(|e| {
        anyhow::anyhow!("cannot read {}: {e} (build the app with `cargo xtask build`)", manifest.display())
    })?;
    let assets: app::site::Assets = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not the app's asset list: {e}", manifest.display()))?;
    for file in assets.files() {
        let path = dir.join("assets").join(file);
        anyhow::ensure!(path.is_file(), "{} is missing (rebuild the app with `cargo xtask build`)", path.display());
    }
    Ok(assets)
}

fn hourly(per_hour: u32) -> Quota {
    let per_hour = NonZeroU32::new(per_hour).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(Duration::from_secs(3600) / per_hour.get()).expect("a positive period").allow_burst(per_hour)
}

/// Exports streamed at once; more are told to retry (429 with a time). A stalled reader holds its
/// slot for the export's write timeout at most.
pub const EXPORTS_AT_ONCE: usize = 8;

/// Polls `CURRENT` and swaps engines when a build has switched generations. A generation that
/// fails to open is logged and the old one keeps serving.
pub async fn watch_generations(state: Arc<AppState>) {
    let mut interval = tokio::time::interval(WATCH_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let state = state.clone();
        match tokio::task::spawn_blocking(move || state.refresh().and_then(|_| state.apply_pending())).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => {
                tracing::warn!(error = %format!("{error:#}"), "could not open the new index generation; still serving the old one")
            }
            Err(error) => tracing::error!(%error, "the generation watcher failed"),
        }
    }
}
