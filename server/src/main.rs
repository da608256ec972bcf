//! `server --content DIR --index DIR --listen ADDR [--assets DIR]`

use anyhow::{Context, Result};
use clap::Parser;
use server::state::{AppState, watch_generations};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(version, about = "Serves the case-study collection: the app, the search API and case pages")]
struct Cli {
    /// The content folder (submissions are written under it).
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// The index root built by `indexer build`.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The built app (`cargo xtask build` writes it to `dist/`); without it the pages are served
    /// as plain HTML, without styles or islands.
    #[arg(long)]
    assets: Option<PathBuf>,
    /// The site's public address (e.g. https://cases.example.org) for links in feeds, QR codes
    /// and share previews; without it the request's Host is used.
    #[arg(long)]
    public_url: Option<String>,
    /// A file holding the maintainers' token (else the ADMIN_TOKEN environment variable); with
    /// neither, maintainer actions are off.
    #[arg(long)]
    admin_token_file: Option<PathBuf>,
    /// Submissions one client may make per hour (0: no limit).
    #[arg(long, default_value_t = server::state::SUBMISSIONS_PER_HOUR)]
    submissions_per_hour: u32,
    /// A reverse proxy in front of the server (repeatable): its `X-Forwarded-For` names the
    /// client the submission and login limits count. Without it every client behind the proxy
    /// shares the proxy's address and its limit.
    #[arg(long = "trusted-proxy")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Connections open at once; more wait in the kernel's queue until one closes. By default
    /// three quarters of the open-files limit (raised to the hard limit at start), at most 4,096;
    /// keep it well under that limit, which the index needs too.
    #[arg(long)]
    max_connections: Option<usize>,
    /// Log lines as JSON (one object per line) rather than text.
    #[arg(long)]
    log_json: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    // Requests are logged at the end (status, latency) inside their span, which carries the id.
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if cli.log_json {
        logs.json().with_current_span(true).init();
    } else {
        logs.init();
    }
    let token = match &cli.admin_token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the admin token file {}", path.display()))?,
        ),
        None => std::env::var("ADMIN_TOKEN").ok(),
    };
    let state = AppState::open(&cli.index, &cli.content, cli.assets.as_deref())
        .with_context(|| format!("cannot serve the index in {}", cli.index.display()))?
        .with_public_url(cli.public_url)
        .with_admin_token(token)
        .with_submissions_per_hour(cli.submissions_per_hour)
        .with_trusted_proxies(cli.trusted_proxies);
    if state.built.is_none() {
        tracing::warn!("no --assets: pages are served as plain HTML, without styles or islands");
    }
    if state.admin_token.is_none() {
        tracing::warn!("maintainer actions are off: no admin token (set ADMIN_TOKEN or --admin-token-file)");
    }
    let state = std::sync::Arc::new(state);
    let engine = state.engine();
    tracing::info!(generation = %engine.info().id, cases = engine.num_cases(), "index opened");
    if let Err(error) = state.index_missing_approvals() {
        tracing::warn!(error = %format!("{error:#}"), "could not check the index for approved cases");
    }
    tokio::spawn(watch_generations(state.clone()));

    let listener =
        tokio::net::TcpListener::bind(cli.listen).await.with_context(|| format!("cannot listen on {}", cli.listen))?;
    println!("serving the collection at http://{}/", listener.local_addr()?);
    let open_files = server::serve::open_files().unwrap_or_else(|error| {
        tracing::warn!(%error, "cannot read or raise the open-files limit; assuming 1,024");
        1024
    });
    let mut limits = server::serve::Limits::for_open_files(open_files);
    if let Some(max) = cli.max_connections {
        limits.max_connections = max;
    }
    tracing::info!(open_files, max_connections = limits.max_connections, "connection limits");
    server::serve::serve(listener, server::app(state), limits, shutdown_signal()).await?;
    tracing::info!("stopped; every request in flight was answered");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM: the server then stops accepting connections and finishes the
/// requests in flight before exiting.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
