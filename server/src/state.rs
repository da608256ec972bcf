//! The server's shared state: the engine of the serving index generation, swapped atomically
//! when a new generation appears, and the app shell.

use arc_swap::ArcSwap;
use indexer::Engine;
use indexer::index::generation;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How often the server looks for a new index generation.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(250);

pub struct AppState {
    engine: ArcSwap<Engine>,
    pub index_root: PathBuf,
    pub content: PathBuf,
    /// The built app (`index.html`, scripts, wasm, styles); `None` serves the API alone.
    pub assets: Option<PathBuf>,
    /// `index.html` as built, with the `<!--head-->` marker where page metadata goes.
    pub shell: Option<String>,
    /// The site's public address for links in feeds, QR codes and share tags; `None` uses the
    /// request's `Host`.
    pub public_url: Option<String>,
}

impl AppState {
    /// Opens the current generation under `index_root`.
    pub fn open(index_root: &Path, content: &Path, assets: Option<&Path>) -> anyhow::Result<AppState> {
        let engine = Engine::open(index_root)?;
        let shell = match assets {
            Some(dir) => Some(std::fs::read_to_string(dir.join("index.html")).map_err(|e| {
                anyhow::anyhow!(
                    "cannot read the app's index.html in {}: {e} (build it with `cargo xtask build`)",
                    dir.display()
                )
            })?),
            None => None,
        };
        Ok(AppState {
            engine: ArcSwap::from_pointee(engine),
            index_root: index_root.to_owned(),
            content: content.to_owned(),
            assets: assets.map(Path::to_owned),
            shell,
            public_url: None,
        })
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

/// Polls `CURRENT` and swaps engines when a build has switched generations. A generation that
/// fails to open is logged and the old one keeps serving.
pub async fn watch_generations(state: Arc<AppState>) {
    let mut interval = tokio::time::interval(WATCH_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let state = state.clone();
        match tokio::task::spawn_blocking(move || state.refresh()).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => {
                tracing::warn!(error = %format!("{error:#}"), "could not open the new index generation; still serving the old one")
            }
            Err(error) => tracing::error!(%error, "the generation watcher failed"),
        }
    }
}
