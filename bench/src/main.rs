//! `bench report`: the Markdown report of `cargo xtask bench` (which builds the corpora and the
//! binaries first). `bench search`: in-process latency alone over one index, for a profiler.
//!
//! Every query asks for what the app asks for: the top 10, the exact total, every facet's counts
//! and snippets.

use anyhow::{Context, Result};
use bench::faults::{self, Drill};
use bench::latency::{Latency, ms};
use bench::process::{Binaries, ServerProcess};
use bench::queries::{self, Shape};
use bench::{client, first_visit, fts5, load};
use clap::{Parser, Subcommand};
use indexer::Engine;
use model::api::SearchParams;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Benchmarks that print figures")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measures every corpus and prints the report.
    Report(ReportArgs),
    /// The ranking on public IR test collections: indexed, served and queried end to end.
    Relevance {
        /// The release binaries of the server and the indexer.
        #[arg(long)]
        bin_dir: PathBuf,
        /// The folder of collections (each with docs.jsonl, queries.jsonl, qrels.txt).
        #[arg(long)]
        sets: PathBuf,
        /// The vocabulary the collections' cases are checked against.
        #[arg(long, default_value = "content/vocabulary.toml")]
        vocabulary: PathBuf,
        #[arg(long, default_value = "target/relevance")]
        work: PathBuf,
    },
    /// The time to take in an 8 MB photo, and the overview page's size on a running server.
    Pages {
        /// The site, e.g. http://127.0.0.1:8080
        #[arg(long)]
        base: String,
    },
    /// A first visit on an emulated slow phone link, and Lighthouse, against a running server.
    FirstVisit {
        /// The site, e.g. http://127.0.0.1:8080
        #[arg(long)]
        base: String,
        #[command(flatten)]
        browser: BrowserArgs,
        /// Where Lighthouse's reports are written.
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
    },
    /// The stalled-connections drill alone, over one content folder.
    Stalls {
        /// The release binaries of the server and the indexer.
        #[arg(long)]
        bin_dir: PathBuf,
        #[arg(long)]
        content: PathBuf,
        /// The collection the query words are drawn from.
        #[arg(long, default_value = "content")]
        words: PathBuf,
        #[arg(long, default_value = "target/bench/stalls")]
        work: PathBuf,
        #[arg(long, default_value_t = 1000)]
        per_kind: usize,
        #[arg(long, default_value_t = 20.0)]
        seconds: f64,
        /// The server's connection limit (its default otherwise).
        #[arg(long)]
        max_connections: Option<usize>,
    },
    /// The drill of approvals during full builds alone, over one content folder.
    BuildApprovals {
        /// The release binaries of the server and the indexer.
        #[arg(long)]
        bin_dir: PathBuf,
        #[arg(long)]
        content: PathBuf,
        #[arg(long, default_value = "target/bench/build-approvals")]
        work: PathBuf,
        #[arg(long, default_value_t = 20)]
        builds: usize,
    },
    /// In-process search latency over one index.
    Search {
        #[arg(long)]
        index: PathBuf,
        /// The collection the query words are drawn from.
        #[arg(long, default_value = "content")]
        words: PathBuf,
        #[arg(long, default_value_t = 500)]
        queries: usize,
        /// One shape alone ("one word", "typo", ...).
        #[arg(long)]
        only: Option<String>,
        /// One query text, repeated.
        #[arg(long)]
        query: Option<String>,
        /// Print each shape's slowest queries.
        #[arg(long)]
        slowest: bool,
    },
}

/// The browser the first-visit figures are measured in, and Lighthouse.
#[derive(clap::Args)]
struct BrowserArgs {
    #[arg(long)]
    chromium: PathBuf,
    #[arg(long)]
    chromedriver: PathBuf,
    /// Lighthouse's command (from npm); without it its scores are skipped.
    #[arg(long)]
    lighthouse: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ReportArgs {
    #[command(flatten)]
    browser: BrowserArgs,
    /// The release binaries of the server and the indexer.
    #[arg(long)]
    bin_dir: PathBuf,
    /// Where indexes, databases and logs are written.
    #[arg(long)]
    work: PathBuf,
    /// The built app, served as in production.
    #[arg(long)]
    assets: PathBuf,
    /// The real collection, whose words the queries are made of.
    #[arg(long, default_value = "content")]
    words: PathBuf,
    /// A synthetic corpus: `CASES=DIR`, or `CASES-long=DIR` for one with longer texts.
    #[arg(long = "corpus", value_parser = parse_corpus, required = true)]
    corpora: Vec<Corpus>,
    /// Queries per shape.
    #[arg(long, default_value_t = 500)]
    queries: usize,
    /// Concurrent connections of the load.
    #[arg(long, default_value_t = 64)]
    clients: u32,
    /// Seconds of each load run.
    #[arg(long, default_value_t = 10)]
    load_seconds: u32,
    /// Requests per second of the open-loop run.
    #[arg(long, default_value_t = 3000)]
    rate: u32,
    /// Full rebuilds under search in the fault drills.
    #[arg(long, default_value_t = 20)]
    rebuilds: usize,
    /// Indexer builds killed in the fault drills.
    #[arg(long, default_value_t = 10)]
    indexer_kills: usize,
    /// Server kills during submissions in the fault drills.
    #[arg(long, default_value_t = 5)]
    server_kills: usize,
    /// Seconds of FTS5 queries per shape at most (at least 20 queries are timed).
    #[arg(long, default_value_t = 60)]
    fts5_seconds: u64,
    /// Submissions approved one after another, each timed until searchable.
    #[arg(long, default_value_t = 10)]
    approvals: usize,
    /// Stalled connections of each kind in the fault drills.
    #[arg(long, default_value_t = 1000)]
    stalled: usize,
    /// Seconds of searching without, then with, the stalled connections.
    #[arg(long, default_value_t = 20.0)]
    stall_seconds: f64,
}

/// A synthetic corpus to measure.
#[derive(Clone)]
struct Corpus {
    /// How the report names it: its number of cases, and "long" for the one with longer texts.
    name: String,
    cases: usize,
    content: PathBuf,
}

fn parse_corpus(value: &str) -> Result<Corpus, String> {
    let (key, dir) = value.split_once('=').ok_or("expected CASES=DIR or CASES-long=DIR")?;
    let (number, kind) = key.split_once('-').map_or((key, None), |(number, kind)| (number, Some(kind)));
    let cases = number.parse().map_err(|e| format!("{number}: {e}"))?;
    let name = match kind {
        None => number.to_owned(),
        Some("long") => format!("{number} long"),
        Some(other) => return Err(format!("{other}: the only kind of corpus is `long`")),
    };
    Ok(Corpus { name, cases, content: PathBuf::from(dir) })
}

/// Whether a figure meets the target issue 17 sets for it.
fn mark(met: bool) -> &'static str {
    if met { "met" } else { "not met" }
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Report(args) => report(&args),
        Command::Pages { base } => {
            bench::pages::photo_report(5)?;
            println!("\n| collection | raw | gzip | brotli |\n|---|---:|---:|---:|");
            println!("{}", bench::pages::overview_row(&base, &base)?);
            Ok(())
        }
        Command::Relevance { bin_dir, sets, vocabulary, work } => {
            let measured = bench::relevance::measure(&Binaries::in_dir(&bin_dir)?, &sets, &vocabulary, &work)?;
            bench::relevance::print(&measured);
            Ok(())
        }
        Command::FirstVisit { base, browser, work } => {
            std::fs::create_dir_all(&work)?;
            first_visits(&browser, &base, &work)
        }
        Command::Stalls { bin_dir, content, words, work, per_kind, seconds, max_connections } => {
            let binaries = Binaries::in_dir(&bin_dir)?;
            let _ = std::fs::remove_dir_all(&work);
            std::fs::create_dir_all(&work)?;
            let words: Vec<String> =
                queries::shapes(&words, 40)[0].queries.iter().map(|params| params.q.clone()).collect();
            let drill = Drill { binaries: &binaries, content: &content, work: &work, queries: &words };
            print_stalls(&faults::stalled_connections(&drill, per_kind, 4, seconds, max_connections)?);
            Ok(())
        }
        Command::BuildApprovals { bin_dir, content, work, builds } => {
            let binaries = Binaries::in_dir(&bin_dir)?;
            let _ = std::fs::remove_dir_all(&work);
            std::fs::create_dir_all(&work)?;
            let drill = Drill { binaries: &binaries, content: &content, work: &work, queries: &[] };
            let report = faults::approvals_during_builds(&drill, builds, 17)?;
            println!("{report:#?}");
            Ok(())
        }
        Command::Search { index, words, queries, only, query, slowest } => {
            let engine = Engine::open(&index).with_context(|| format!("opening {}", index.display()))?;
            let mut shapes = queries::shapes(&words, queries);
            if let Some(q) = query {
                shapes = vec![Shape {
                    name: "one query",
                    queries: vec![SearchParams { q, ..Default::default() }; queries],
                    spelled: Vec::new(),
                }];
            }
            shapes.retain(|shape| only.as_deref().is_none_or(|only| only == shape.name));
            println!("| query shape | p50 ms | p99 ms | mean ms | mean hits |\n|---|---:|---:|---:|---:|");
            for shape in &shapes {
                let (times, totals) = time_in_process(&engine, &shape.queries)?;
                if slowest {
                    let mut all: Vec<(Duration, &str)> =
                        times.iter().copied().zip(shape.queries.iter().map(|q| q.q.as_str())).collect();
                    all.sort_by(|a, b| b.0.cmp(&a.0));
                    for (time, q) in all.iter().take(6) {
                        eprintln!("  slow {}: {q:?} {}", shape.name, ms(*time));
                    }
                }
                let latency = Latency::of(times);
                let hits = totals as f64 / shape.queries.len() as f64;
                println!(
                    "| {} | {} | {} | {} | {hits:.0} |",
                    shape.name,
                    ms(latency.p50),
                    ms(latency.p99),
                    ms(latency.mean)
                );
            }
            print_typo_overlap(&engine, &shapes)?;
            Ok(())
        }
    }
}

/// What misspelt queries find of what their right spelling finds.
fn print_typo_overlap(engine: &Engine, shapes: &[Shape]) -> Result<()> {
    for shape in shapes {
        if let Some(typos) = queries::typo_overlap(engine, shape)? {
            println!(
                "\nMisspelt words (\"{}\"): their top 10 holds {:.1} % of the right spelling's top 10 (mean over {} queries whose right spelling finds cases); {:.1} % of them find nothing.",
                shape.name,
                100.0 * typos.overlap,
                typos.compared,
                100.0 * typos.no_hits
            );
        }
    }
    Ok(())
}

/// Times `queries` one after the other through the engine, after a warm-up.
fn time_in_process(engine: &Engine, queries: &[SearchParams]) -> Result<(Vec<Duration>, u64)> {
    for params in queries.iter().take(50) {
        engine.search(params)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut totals = 0;
    for params in queries {
        let started = Instant::now();
        let response = engine.search(params)?;
        times.push(started.elapsed());
        totals += response.total;
    }
    Ok((times, totals))
}

/// Times `queries` one after the other over one keep-alive connection, as the app sends them
/// (accepting compressed answers). The warm-up reads answers uncompressed and checks each total
/// against the engine's.
fn time_over_http(engine: &Engine, base: &str, queries: &[SearchParams]) -> Result<Vec<Duration>> {
    let agent = client::agent();
    for params in queries.iter().take(50) {
        let (status, body) = client::get(&agent, &format!("{base}/api/search?{}", params.to_query()))?;
        anyhow::ensure!(status == 200, "{:?}: {status}", params.q);
        let answer: model::api::SearchResponse = serde_json::from_slice(&body)?;
        anyhow::ensure!(
            answer.total == engine.search(params)?.total,
            "{:?}: the server and the engine disagree",
            params.q
        );
    }
    let mut times = Vec::with_capacity(queries.len());
    for params in queries {
        let url = format!("{base}/api/search?{}", params.to_query());
        let started = Instant::now();
        let (status, _) = client::get_with(&agent, &url, &[("accept-encoding", "gzip, deflate, br, zstd")])?;
        times.push(started.elapsed());
        anyhow::ensure!(status == 200, "{:?}: {status}", params.q);
    }
    Ok(times)
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

struct Built {
    name: String,
    cases: usize,
    content: PathBuf,
    index: PathBuf,
    fts5: fts5::Fts5,
}

/// The first-visit table and Lighthouse's scores for the site at `base`.
fn first_visits(browser: &BrowserArgs, base: &str, work: &Path) -> Result<()> {
    println!("\n### First visit on a slow phone link\n");
    first_visit::report(&browser.chromium, &browser.chromedriver, base)?;
    println!();
    first_visit::lighthouse_report(browser.lighthouse.as_deref(), &browser.chromium, base, work)
}

fn report(args: &ReportArgs) -> Result<()> {
    let binaries = Binaries::in_dir(&args.bin_dir)?;
    std::fs::create_dir_all(&args.work)?;
    let shapes = queries::shapes(&args.words, args.queries);

    // The real collection, served as in production.
    let index = args.work.join("index-real");
    let _ = std::fs::remove_dir_all(&index);
    binaries.build_index(&args.words, &index)?;
    let server = ServerProcess::start(
        &binaries.server,
        &args.words,
        &index,
        Some(&args.assets),
        &args.work.join("server-real.log"),
    )?;
    first_visits(&args.browser, &format!("http://{}", server.addr), &args.work)?;
    let real_overview = bench::pages::overview_row(&format!("http://{}", server.addr), "the real collection")?;
    drop(server);

    println!("\n### A contributor's photo taken in\n");
    println!(
        "`photos::process`: checked, decoded, turned upright, scaled to 480/960/1600 px and re-encoded, one thread.\n"
    );
    bench::pages::photo_report(5)?;

    println!("\n### Index build\n");
    println!(
        "Ours: `indexer build` from the content folder to a switched generation (read, validate, render, index, merge, fsync)."
    );
    println!(
        "FTS5: the same content loaded by the same loader, then rendered to text, inserted in one transaction and optimised.\n"
    );
    println!("Target: at least 5,000 cases/s at 100,000 cases, and above FTS5.\n");
    println!("| corpus | engine | seconds | cases/s | on disk MiB | target |\n|---|---|---:|---:|---:|---|");
    let mut built = Vec::new();
    for Corpus { name, cases, content } in &args.corpora {
        let slug = name.replace(' ', "-");
        let index = args.work.join(format!("index-{slug}"));
        let _ = std::fs::remove_dir_all(&index);
        let seconds = binaries.build_index(content, &index)?.as_secs_f64();
        let size = indexer::index::generation::dir_size(&indexer::index::generation::current(&index)?);

        let started = Instant::now();
        let collection = collection::load(content, &|_, _| {}).map_err(|e| anyhow::anyhow!("{e}"))?;
        let load = started.elapsed().as_secs_f64();
        let peer = fts5::build(&collection, &args.work.join(format!("fts5-{slug}.sqlite")))?;
        let total = load + peer.seconds;
        let ours = *cases as f64 / seconds;
        let target = if *cases >= 100_000 { mark(ours >= 5_000.0 && seconds < total) } else { "" };
        println!("| {name} | ours | {seconds:.2} | {ours:.0} | {} | {target} |", mib(size));
        println!(
            "| {name} | FTS5 | {total:.2} (load {load:.2} + insert {:.2}) | {:.0} | {} | |",
            peer.seconds,
            *cases as f64 / total,
            mib(peer.bytes)
        );
        drop(collection);
        built.push(Built { name: name.clone(), cases: *cases, content: content.clone(), index, fts5: peer.fts5 });
    }

    let oha = load::find_oha();
    let mut overview_rows = vec![real_overview];
    for corpus in &built {
        overview_rows.push(measure_corpus(args, &binaries, &shapes, corpus, oha.as_deref())?);
    }
    println!("\n### The overview page as sent\n");
    println!("`/overview` (map, timeline or per-year chart, tallies, their tables), bytes.\n");
    println!("| collection | raw | gzip | brotli |\n|---|---:|---:|---:|");
    for row in overview_rows {
        println!("{row}");
    }
    if oha.is_none() {
        println!("\n(oha is not installed: `cargo install oha --locked` for the load figures.)");
    }

    let smallest = built.iter().min_by_key(|corpus| corpus.cases).context("no corpus")?;
    drills(args, &binaries, &shapes, smallest)?;
    for corpus in &built {
        approvals(args, &binaries, corpus)?;
    }
    Ok(())
}

/// Approvals timed until searchable, over a copy of the corpus (approving writes into it).
fn approvals(args: &ReportArgs, binaries: &Binaries, corpus: &Built) -> Result<()> {
    let work = args.work.join(format!("approvals-{}", corpus.name.replace(' ', "-")));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let drill = Drill { binaries, content: &corpus.content, work: &work, queries: &[] };
    let approved = faults::approvals(&drill, args.approvals)?;
    let (mut approve, mut searchable) = (approved.approve_ms.clone(), approved.searchable_ms.clone());
    approve.sort_by(f64::total_cmp);
    searchable.sort_by(f64::total_cmp);
    println!(
        "- {} submissions approved one after another over {} cases: the approve request took {:.0} ms median, {:.0} ms at most; the case was searchable {:.0} ms median, {:.0} ms at most after the approval was sent.",
        approve.len(),
        approved.cases,
        approve[approve.len() / 2],
        approve[approve.len() - 1],
        searchable[searchable.len() / 2],
        searchable[searchable.len() - 1]
    );
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

fn measure_corpus(
    args: &ReportArgs,
    binaries: &Binaries,
    shapes: &[Shape],
    corpus: &Built,
    oha: Option<&Path>,
) -> Result<String> {
    let engine = Engine::open(&corpus.index)?;
    let server = ServerProcess::start(
        &binaries.server,
        &corpus.content,
        &corpus.index,
        Some(&args.assets),
        &args.work.join(format!("server-{}.log", corpus.name.replace(' ', "-"))),
    )?;
    let base = format!("http://{}", server.addr);
    let idle = server.memory()?;

    println!("\n### Search, {} cases ({} queries per shape, one after another)\n", corpus.name, args.queries);
    println!("Each query returns the top 10 with snippets, the exact total and every facet's counts. Milliseconds.\n");
    println!("Target at 100,000 cases: over HTTP, p50 at most 1.5 ms and p99 at most 4.5 ms.\n");
    println!(
        "| query shape | in process p50 | p99 | over HTTP p50 | p99 | FTS5 p50 | p99 | FTS5 ÷ ours, p99 in process | mean hits ours / FTS5 | target |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for shape in shapes {
        let (times, ours_total) = time_in_process(&engine, &shape.queries)?;
        let ours = Latency::of(times);
        let http = Latency::of(time_over_http(&engine, &base, &shape.queries)?);
        let (times, peer_total) = fts5::time(&corpus.fts5, &shape.queries, Duration::from_secs(args.fts5_seconds))?;
        let peer_n = times.len();
        let peer = Latency::of(times);
        let n = shape.queries.len() as f64;
        let name = if peer_n < shape.queries.len() {
            format!("{} (FTS5: first {peer_n})", shape.name)
        } else {
            shape.name.to_owned()
        };
        let target = if corpus.cases >= 100_000 {
            mark(http.p50 <= Duration::from_micros(1500) && http.p99 <= Duration::from_micros(4500))
        } else {
            ""
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.1}× | {:.0} / {:.0} | {target} |",
            name,
            ms(ours.p50),
            ms(ours.p99),
            ms(http.p50),
            ms(http.p99),
            ms(peer.p50),
            ms(peer.p99),
            peer.p99.as_secs_f64() / ours.p99.as_secs_f64(),
            ours_total as f64 / n,
            peer_total as f64 / peer_n as f64,
        );
    }
    print_typo_overlap(&engine, shapes)?;

    if let Some(oha) = oha {
        let urls = args.work.join(format!("urls-{}.txt", corpus.name.replace(' ', "-")));
        let lines: Vec<String> = shapes
            .iter()
            .flat_map(|shape| shape.queries.iter())
            .map(|params| format!("{base}/api/search?{}", params.to_query()))
            .collect();
        std::fs::write(&urls, lines.join("\n") + "\n")?;
        println!(
            "\n### Load, {} cases: {} connections on loopback, {} s each, every query shape mixed\n",
            corpus.name, args.clients, args.load_seconds
        );
        let floor = if corpus.cases >= 100_000 { 2_500.0 } else { 4_000.0 };
        println!("Target, closed loop: at least {floor:.0} requests/s with p99 at most 50 ms, none failed.\n");
        println!(
            "| mode | requests | requests/s | p50 ms | p99 ms | failed | target |\n|---|---:|---:|---:|---:|---:|---|"
        );
        let closed = load::run(oha, &urls, args.clients, args.load_seconds, None)?;
        let open = load::run(oha, &urls, args.clients, args.load_seconds, Some(args.rate))?;
        for (mode, result) in [
            ("closed loop (as fast as answered)".to_owned(), &closed),
            (format!("open loop at {} /s", args.rate), &open),
        ] {
            let target = if std::ptr::eq(result, &closed) {
                mark(result.per_second >= floor && result.p99_ms <= 50.0 && result.failed() == 0)
            } else {
                ""
            };
            println!(
                "| {mode} | {} | {:.0} | {:.2} | {:.2} | {} | {target} |",
                result.requests,
                result.per_second,
                result.p50_ms,
                result.p99_ms,
                result.failed()
            );
            for (error, count) in &result.errors {
                println!("|  error: {error} | {count} | | | | | |");
            }
        }
    }
    let loaded = server.memory()?;
    println!(
        "\nServer memory, {} cases: {} MiB resident when idle after start, {} MiB after the load ({} MiB its own, {} MiB pages of the mapped index and binary), peak {} MiB.",
        corpus.name,
        mib(idle.resident_kib * 1024),
        mib(loaded.resident_kib * 1024),
        mib(loaded.anonymous_kib * 1024),
        mib(loaded.file_kib * 1024),
        mib(loaded.peak_kib * 1024)
    );
    if corpus.cases >= 100_000 {
        println!("Target: its own memory at most 64 MiB: {}.", mark(loaded.anonymous_kib <= 64 * 1024));
    }
    // After the memory figures, which are the searches' alone.
    let overview = bench::pages::overview_row(&base, &format!("{} cases", corpus.name))?;
    let status = server.stop()?;
    println!("SIGTERM after the load: the server exited with {status}.");
    Ok(overview)
}

fn drills(args: &ReportArgs, binaries: &Binaries, shapes: &[Shape], corpus: &Built) -> Result<()> {
    let work = args.work.join("drills");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let words: Vec<String> = shapes[0].queries.iter().take(40).map(|params| params.q.clone()).collect();
    let drill = Drill { binaries, content: &corpus.content, work: &work, queries: &words };
    println!("\n### Fault drills, {} cases\n", corpus.cases);

    let rebuilt = faults::rebuilds_under_search(&drill, args.rebuilds, 4)?;
    println!(
        "- {} full rebuilds one after another in {:.1} s while 4 clients searched: {} searches answered with the same totals as before, {} failed; SIGTERM at the end: {}.",
        rebuilt.rebuilds,
        rebuilt.seconds,
        rebuilt.searches.ok,
        rebuilt.searches.failures.len(),
        if rebuilt.clean_exit { "clean exit" } else { "NOT a clean exit" }
    );
    print_failures(&rebuilt.searches.failures);

    let killed = faults::indexer_kills(&drill, args.indexer_kills, 7)?;
    println!(
        "- {} indexer builds sent SIGKILL, half at random moments and half as soon as they switched `CURRENT` ({} before switching, {} after, {} had finished): the serving index held all {} cases after {} of {}; the rerun serves {} cases; left over: {}; {} searches meanwhile, {} failed.",
        killed.kills,
        killed.before_switch,
        killed.after_switch,
        killed.finished,
        killed.cases,
        killed.intact_after_kill,
        killed.kills,
        killed.cases_after_rerun,
        if killed.leftovers.is_empty() { "nothing".to_owned() } else { killed.leftovers.join(", ") },
        killed.searches.ok,
        killed.searches.failures.len()
    );
    print_failures(&killed.searches.failures);

    let submissions = faults::server_kills(&drill, args.server_kills, 8, 11)?;
    println!(
        "- The server sent SIGKILL {} times during a stream of submissions from 8 clients and restarted: {} sent, {} acknowledged, {} acknowledged lost or damaged, {} partial submission folders, {} interrupted writes left as temporary folders ({} after the restarts), {} of {} acknowledged in the review queue.",
        submissions.kills,
        submissions.sent,
        submissions.acknowledged,
        submissions.lost.len(),
        submissions.partial.len(),
        submissions.interrupted_writes,
        submissions.temporaries_after_restart,
        submissions.listed,
        submissions.acknowledged
    );
    print_failures(&submissions.lost);
    print_failures(&submissions.partial);

    let during = faults::approvals_during_builds(&drill, args.rebuilds, 17)?;
    println!(
        "- {} full builds of {} cases, a submission approved during each ({} of them while the build ran; in turn as it started, at a random moment of its reading, at a random moment of the build, right after its switch): {} approvals, {} checks of every approved case after each switch, {} lost.",
        during.builds,
        during.cases,
        during.approved_while_building,
        during.approved,
        during.checks,
        during.lost.len()
    );
    print_failures(&during.lost);

    print_stalls(&faults::stalled_connections(&drill, args.stalled, 4, args.stall_seconds, None)?);
    // The same where the connections are fewer than the stalled ones (a hard limit of 1,024
    // open files gives 512): the oldest waiting ones make room for new readers.
    print_stalls(&faults::stalled_connections(&drill, args.stalled, 4, args.stall_seconds, Some(512))?);
    Ok(())
}

fn print_stalls(report: &faults::StallReport) {
    let latency = |timed: &faults::Timed| {
        if timed.times.is_empty() {
            return "none answered".to_owned();
        }
        let latency = Latency::of(timed.times.clone());
        format!(
            "{} answered, p50 {} ms, p99 {} ms, slowest {} ms, {} failed",
            timed.times.len(),
            ms(latency.p50),
            ms(latency.p99),
            ms(timed.times.iter().copied().max().unwrap_or_default()),
            timed.failures.len()
        )
    };
    let held = faults::Stall::ALL
        .iter()
        .zip(&report.held)
        .map(|(kind, held)| {
            let cut = if kind.name() == "unread exports" {
                String::new()
            } else {
                format!(", {} cut off by the server and opened again", held.cut_by_server)
            };
            format!("{} {} connected at the end{cut}, {} refused", kind.name(), held.open_at_end, held.refused)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let before = (report.memory_before.resident_kib, report.memory_before.anonymous_kib);
    let during = (report.memory_during.resident_kib, report.memory_during.anonymous_kib);
    let limit = report
        .max_connections
        .map_or("its default connection limit".to_owned(), |max| format!("at most {max} connections"));
    println!(
        "- {} stalled connections of each kind held for {:.0} s against a server with {limit} ({} cases; each search on a new connection from 4 clients). Searches before: {}. While held: {}. Held: {held}. Server before: {} MiB resident ({} MiB its own), {} threads; while held, at most {} MiB ({} MiB its own), {} threads. /healthz afterwards: {}.",
        report.per_kind,
        report.seconds,
        report.cases,
        latency(&report.unloaded),
        latency(&report.loaded),
        before.0 / 1024,
        before.1 / 1024,
        report.threads_before,
        during.0 / 1024,
        during.1 / 1024,
        report.threads_during,
        if report.healthy_after { "200" } else { "NOT healthy" }
    );
    if !report.unloaded.times.is_empty() && !report.loaded.times.is_empty() {
        let ratio = Latency::of(report.loaded.times.clone()).p99.as_secs_f64()
            / Latency::of(report.unloaded.times.clone()).p99.as_secs_f64();
        println!("  p99 while held / p99 before: {ratio:.2}× (target ≤ 3×).");
    }
    print_failures(&report.loaded.failures);
}

fn print_failures(failures: &[String]) {
    for failure in failures.iter().take(5) {
        println!("  - {failure}");
    }
}
