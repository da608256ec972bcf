//! Project automation, in Rust rather than shell: `cargo xtask <command>`.
//!
//! - `build`: the wasm app in release (size-optimised), bound with wasm-bindgen, written to
//!   `dist/` with content-hashed names and brotli and gzip copies.
//! - `run [--port P]`: build everything, index `content/`, serve on 127.0.0.1 and print the URL.
//! - `test`: every test: unit, integration and end-to-end in headless Chromium, then the HTTP API
//!   against its OpenAPI document with schemathesis (when python3 can make a virtual environment).
//! - `synth --cases N --seed S --out DIR`: a deterministic synthetic collection for benchmarks.
//! - `bench`: the benchmark report (builds corpora and indexes, measures, prints Markdown).
//! - `relevance`: the ranking on public IR test collections (nDCG@10, MAP, R@100 beside the
//!   peers' baselines).

mod bench;
mod dist;
mod schemathesis;
mod synth;
mod tools;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The axe-core release the accessibility tests run.
const AXE_VERSION: &str = "4.14.1";
/// The Lighthouse release the bench runs (the newest that runs on Node.js 20).
const LIGHTHOUSE_VERSION: &str = "12.8.2";

fn main() {
    if let Err(error) = run() {
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

/// Project automation for the case-study collection.
#[derive(clap::Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(clap::Subcommand)]
enum Task {
    /// The wasm app in release, bound with wasm-bindgen, written to `dist/`.
    Build,
    /// Build everything, index `content/`, serve on 127.0.0.1 and print the URL.
    Run {
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Serve without maintainer actions (no token is made or read).
        #[arg(long)]
        no_admin: bool,
        /// Build the server and indexer optimised (slower to build the first time; for a real
        /// deployment, where the collection is large).
        #[arg(long)]
        release: bool,
    },
    /// Every test: unit, integration and end-to-end in headless Chromium, then schemathesis.
    Test {
        /// Passed on to `cargo test` (e.g. `-p server`, or a test's name).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// A deterministic synthetic collection for benchmarks.
    Synth(synth::Options),
    /// The benchmark report: corpora, indexes, measures, printed as Markdown.
    Bench,
    /// The ranking on public IR test collections beside the peers' baselines.
    Relevance,
}

fn run() -> Result<()> {
    let cli = <Cli as clap::Parser>::parse();
    let root = project_root();
    std::env::set_current_dir(&root)?;
    match cli.task {
        Task::Build => dist::build(&root).map(|sizes| sizes.print()),
        Task::Run { port, no_admin, release } => serve(&root, port, no_admin, release),
        Task::Test { args } => test(&root, &args),
        Task::Synth(options) => synth::run(&root, &options),
        Task::Bench => bench::run(&root),
        Task::Relevance => relevance(&root),
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the project root").to_owned()
}

/// Cargo's target folder: `CARGO_TARGET_DIR` if set, else `target/` in the project.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Runs a command, failing with its description if it does not succeed.
pub fn run_command(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("cannot start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Where `cargo xtask run` keeps the maintainers' token (git-ignored).
const TOKEN_FILE: &str = ".maintainer-token";

/// `cargo xtask run`: build, index the real collection and serve it, with a maintainers' token
/// made on first use unless `no_admin`.
///
/// The server and indexer are built in the dev profile unless `release`: it shares its
/// dependencies with this xtask's own build and with `cargo xtask test`, and its dependencies
/// are optimised (`profile.dev.package."*"`), so the first run builds the heavy crates once
/// instead of twice.
fn serve(root: &Path, port: u16, no_admin: bool, release: bool) -> Result<()> {
    let started = std::time::Instant::now();
    let (sizes, ()) = dist::build_beside(root, || {
        let mut build = cargo();
        build.args(["build", "-p", "indexer", "-p", "server"]);
        if release {
            build.arg("--release");
        }
        run_command(&mut build)
    })?;
    sizes.print();
    println!("built the app, the server and the indexer in {:.0} s", started.elapsed().as_secs_f64());
    let bin = target_dir(root).join(if release { "release" } else { "debug" });
    run_command(Command::new(bin.join("indexer")).args(["build", "--content", "content", "--index", "index"]))?;
    let listen = format!("127.0.0.1:{port}");
    let mut server = Command::new(bin.join("server"));
    server.args(["--content", "content", "--index", "index", "--assets", "dist", "--listen", &listen]);
    println!("starting the server; open http://{listen}/ (Ctrl-C stops it)");
    if no_admin {
        println!("maintainer actions are off (--no-admin)");
    } else {
        let token = maintainer_token(&root.join(TOKEN_FILE))?;
        server.arg("--admin-token-file").arg(&token);
        println!("maintainers review submissions at http://{listen}/admin with the token in {}", token.display());
    }
    run_command(&mut server)
}

/// The token file at `path`, made with a new random token (owner-only) if it is not there.
fn maintainer_token(path: &Path) -> Result<PathBuf> {
    if collection::token::ensure(path).with_context(|| format!("cannot create {}", path.display()))? {
        println!("made a maintainer token in {} (readable by you alone)", path.display());
    }
    Ok(path.to_owned())
}

/// `cargo xtask relevance`: the ranking on the public test collections in `../shared/relevance/`
/// (`RELEVANCE_SETS` to use another folder), through the release indexer and server.
fn relevance(root: &Path) -> Result<()> {
    run_command(cargo().args(["build", "--release", "-p", "indexer", "-p", "server", "-p", "bench"]))?;
    let release = target_dir(root).join("release");
    let sets =
        std::env::var_os("RELEVANCE_SETS").map(PathBuf::from).unwrap_or_else(|| root.join("../shared/relevance"));
    run_command(
        Command::new(release.join("bench"))
            .arg("relevance")
            .arg("--bin-dir")
            .arg(&release)
            .arg("--sets")
            .arg(&sets)
            .arg("--vocabulary")
            .arg(root.join("content/vocabulary.toml"))
            .arg("--work")
            .arg(target_dir(root).join("relevance")),
    )
}

/// `cargo xtask test`: the built app, every test including the browser ones, then schemathesis
/// over the running server.
fn test(root: &Path, extra: &[String]) -> Result<()> {
    let browser = tools::ensure_browser()?;
    // axe-core checks accessibility in the browser tests.
    let axe = tools::npm_package(root, "axe-core", AXE_VERSION)?.join("axe.min.js");
    // The fault drills run the binaries themselves.
    let (sizes, ()) =
        dist::build_beside(root, || run_command(cargo().args(["build", "-p", "server", "-p", "indexer"])))?;
    sizes.print();
    let mut command = cargo();
    command
        .args(["test", "--no-fail-fast"])
        .env("E2E_DIST", root.join("dist"))
        .env("E2E_CHROMEDRIVER", &browser.driver)
        .env("E2E_CHROMIUM", &browser.chromium)
        .env("E2E_AXE", &axe)
        .args(["--", "--include-ignored"])
        .args(extra);
    run_command(&mut command)?;
    schemathesis::run(root)
}
