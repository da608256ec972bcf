//! `bench`: measures search over a built index and prints Markdown tables. Run through
//! `cargo xtask bench`, which builds the corpora and the index first.
//!
//! Every query asks for what the app asks for: the top 10, the exact total, every facet's counts
//! and snippets.

mod queries;

use anyhow::{Context, Result};
use indexer::Engine;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Latency percentiles of a set of timings.
pub struct Latency {
    pub p50: Duration,
    pub p99: Duration,
    pub mean: Duration,
}

impl Latency {
    pub fn of(mut times: Vec<Duration>) -> Latency {
        times.sort_unstable();
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        Latency { p50: at(0.50), p99: at(0.99), mean }
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut index, mut content, mut label, mut n) = (None, PathBuf::from("content"), String::from("corpus"), 500usize);
    let mut only: Option<String> = None;
    while let Some(flag) = args.next() {
        let value = args.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--index" => index = Some(PathBuf::from(value)),
            "--content" => content = PathBuf::from(value),
            "--label" => label = value,
            "--queries" => n = value.parse()?,
            // One shape alone, e.g. under a profiler.
            "--only" => only = Some(value),
            _ => anyhow::bail!("usage: bench --index DIR [--content DIR] [--label NAME] [--queries N]"),
        }
    }
    let index = index.context("--index is required")?;
    let engine = Engine::open(&index).with_context(|| format!("opening {}", index.display()))?;
    let mut shapes = queries::shapes(&content, n);
    // One query alone, repeated (for a profiler): BENCH_QUERY="children".
    if let Ok(q) = std::env::var("BENCH_QUERY") {
        shapes = vec![queries::Shape {
            name: "one query",
            queries: vec![model::api::SearchParams { q, ..Default::default() }; n],
        }];
    }

    println!("\n### Search in process, {label} ({} cases, {n} queries per shape, one thread)\n", engine.num_cases());
    println!("| query shape | p50 ms | p99 ms | mean ms | mean hits (total) |");
    println!("|---|---:|---:|---:|---:|");
    for shape in shapes.iter().filter(|shape| only.as_deref().is_none_or(|only| only == shape.name)) {
        // Warm the caches the way a running server has them warm.
        for params in shape.queries.iter().take(50) {
            engine.search(params)?;
        }
        let mut times = Vec::with_capacity(shape.queries.len());
        let mut totals = 0u64;
        for params in &shape.queries {
            let started = Instant::now();
            let response = engine.search(params)?;
            times.push(started.elapsed());
            totals += response.total;
        }
        if std::env::var_os("BENCH_SLOWEST").is_some() {
            let mut slowest: Vec<(std::time::Duration, &str)> =
                times.iter().copied().zip(shape.queries.iter().map(|q| q.q.as_str())).collect();
            slowest.sort_by(|a, b| b.0.cmp(&a.0));
            for (time, q) in slowest.iter().take(6) {
                eprintln!("  slow {}: {q:?} {}", shape.name, ms(*time));
            }
        }
        let latency = Latency::of(times);
        println!(
            "| {} | {} | {} | {} | {:.0} |",
            shape.name,
            ms(latency.p50),
            ms(latency.p99),
            ms(latency.mean),
            totals as f64 / shape.queries.len() as f64
        );
    }
    Ok(())
}
