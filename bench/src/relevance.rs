//! `cargo xtask relevance`: the ranking measured on public IR test collections, end to end.
//!
//! Each collection (a folder with `docs.jsonl`, `queries.jsonl` and `qrels.txt`) becomes a
//! content folder: one case per document, its title and body in English, and the same neutral
//! coded facts for every case (so nothing but the text ranks). The real `indexer` builds it, the
//! real server serves it, and every query goes through `/api/search` exactly as the search box
//! sends it; the top 1,000 hits are written as a TREC run and scored by the collection's own
//! `ndcg.py`, beside the peer baselines its README lists.

use crate::client;
use crate::process::{Binaries, ServerProcess};
use anyhow::{Context, Result, bail};
use model::case::{Organisation, Period};
use model::{CaseMeta, FrontMatter, Lang, Translation};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Hits asked for per query (the depth MAP and R@100 need).
pub const DEPTH: usize = 1000;
const PER_PAGE: usize = 50;

#[derive(serde::Deserialize)]
struct Doc {
    id: String,
    #[serde(default)]
    title: String,
    body: String,
}

#[derive(serde::Deserialize)]
struct Topic {
    qid: String,
    text: String,
}

/// A collection's scores: nDCG@10, MAP, R@100.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    pub ndcg10: f64,
    pub map: f64,
    pub recall100: f64,
}

/// What one collection measured, with the baselines its README gives.
pub struct Measured {
    pub set: String,
    pub documents: usize,
    pub queries: usize,
    pub ours: Scores,
    /// Queries the server refused, with its answer.
    pub refused: Vec<String>,
    /// (run, scores) rows of the README's baseline table for this set.
    pub baselines: Vec<(String, Scores)>,
    pub run: PathBuf,
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(i, line)| serde_json::from_str(line).with_context(|| format!("{} line {}", path.display(), i + 1)))
        .collect()
}

/// The slug of document `id` (ids are strings of any shape; slugs are lowercase words).
fn slug(id: &str) -> String {
    let mut slug = String::from("d");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else {
            slug.push('-');
        }
    }
    slug.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-")
}

/// The text up to `max` characters, cut at a word boundary.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(space) => cut[..space].trim_end().to_owned(),
        None => cut,
    }
}

/// Writes the collection in `dir` as a content folder under `out`; returns the slug → id map.
fn write_content(dir: &Path, set: &str, vocabulary: &Path, out: &Path) -> Result<(BTreeMap<String, String>, usize)> {
    let docs: Vec<Doc> = read_jsonl(&dir.join("docs.jsonl"))?;
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out.join("cases"))?;
    std::fs::copy(vocabulary, out.join("vocabulary.toml"))?;
    // The same neutral facts for every case: only the text can rank.
    let meta = CaseMeta {
        original_language: Lang::En,
        countries: vec!["GB".into()],
        period: Period { start: "2000".into(), end: None, ongoing: false },
        lead_organisation: Organisation { name: "Test collection".into(), kind: "public-library".into() },
        themes: vec!["library-innovation".into()],
        ..model::submission::Submission::default().meta
    };
    let case_toml = model::files::case_toml(&meta);
    let mut ids = BTreeMap::new();
    for doc in &docs {
        let slug = slug(&doc.id);
        // A collection without titles: the body's first sentence serves as the title.
        let title = if doc.title.trim().is_empty() {
            let first = doc
                .body
                .split(". ")
                .map(|s| s.trim_matches(|c: char| c == '.' || c.is_whitespace()))
                .find(|s| !s.is_empty());
            clip(first.unwrap_or(&doc.id), model::limits::TITLE_CHARS)
        } else {
            clip(doc.title.trim(), model::limits::TITLE_CHARS)
        };
        let front = FrontMatter { title, summary: format!("{set} {}", doc.id), translation: Translation::Original };
        let case = out.join("cases").join(&slug);
        std::fs::create_dir_all(&case)?;
        std::fs::write(case.join("case.toml"), &case_toml)?;
        std::fs::write(case.join("en.md"), model::files::case_text_file(&front, &doc.body))?;
        if ids.insert(slug.clone(), doc.id.clone()).is_some() {
            bail!("two documents of {set} have the slug {slug}");
        }
    }
    Ok((ids, docs.len()))
}

/// Runs every query through the server; writes the TREC run. Returns the queries the server
/// refused (a 4xx answer: they count as finding nothing).
fn run_queries(
    server: &ServerProcess,
    topics: &[Topic],
    ids: &BTreeMap<String, String>,
    run: &Path,
) -> Result<Vec<String>> {
    let agent = client::agent();
    let mut out = String::new();
    let mut refused = Vec::new();
    'topics: for topic in topics {
        let mut rank = 0;
        for page in 1..=DEPTH / PER_PAGE {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &topic.text)
                .append_pair("per_page", &PER_PAGE.to_string())
                .append_pair("page", &page.to_string())
                .finish();
            let (status, body) = client::get(&agent, &server.url(&format!("/api/search?{query}")))?;
            if (400..500).contains(&status) {
                refused.push(format!("{} ({status}: {})", topic.qid, String::from_utf8_lossy(&body)));
                continue 'topics;
            }
            anyhow::ensure!(status == 200, "query {}: {status} {}", topic.qid, String::from_utf8_lossy(&body));
            let answer: model::api::SearchResponse = serde_json::from_slice(&body)?;
            for hit in &answer.hits {
                rank += 1;
                let id = ids.get(&hit.slug).with_context(|| format!("an unknown case {}", hit.slug))?;
                // Distinct, falling scores keep the engine's order (ndcg.py sorts by score).
                let _ = writeln!(out, "{} Q0 {id} {rank} {:.6} ours", topic.qid, (DEPTH + 1 - rank) as f64);
            }
            if answer.hits.len() < PER_PAGE || rank >= DEPTH {
                break;
            }
        }
    }
    std::fs::write(run, out)?;
    Ok(refused)
}

/// Scores `run` against `qrels` with the collection's `ndcg.py`.
fn score(ndcg: &Path, qrels: &Path, run: &Path) -> Result<Scores> {
    let output = Command::new("python3").arg(ndcg).arg(qrels).arg(run).output().context("cannot run python3")?;
    anyhow::ensure!(output.status.success(), "ndcg.py failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let value = |name: &str| -> Result<f64> {
        let rest = text.split(name).nth(1).with_context(|| format!("no {name} in ndcg.py's output: {text}"))?;
        rest.split_whitespace().next().unwrap_or("").parse().with_context(|| format!("{name} in {text}"))
    };
    Ok(Scores { ndcg10: value("nDCG@10")?, map: value("MAP")?, recall100: value("R@100")? })
}

/// The baseline rows of the README's table for `set`: its columns are `<SET> nDCG@10`,
/// `<SET> MAP`, `<SET> R@100`.
pub fn baselines(readme: &str, set: &str) -> Vec<(String, Scores)> {
    let cells = |line: &str| line.trim().trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect::<Vec<_>>();
    let mut lines = readme.lines().filter(|line| line.trim_start().starts_with('|'));
    let mut found = Vec::new();
    while let Some(line) = lines.next() {
        let header = cells(line);
        let column = |metric: &str| header.iter().position(|h| h.eq_ignore_ascii_case(&format!("{set} {metric}")));
        let (Some(ndcg), Some(map), Some(recall)) = (column("nDCG@10"), column("MAP"), column("R@100")) else {
            continue;
        };
        for row in lines.by_ref() {
            let row = cells(row);
            if row.iter().all(|c| c.chars().all(|c| matches!(c, '-' | ':'))) {
                continue;
            }
            let number = |i: usize| row.get(i).and_then(|c| c.trim_matches('*').parse::<f64>().ok());
            match (number(ndcg), number(map), number(recall)) {
                (Some(ndcg10), Some(map), Some(recall100)) => {
                    found.push((row[0].clone(), Scores { ndcg10, map, recall100 }))
                }
                _ => break,
            }
        }
    }
    found
}

/// Measures every collection in `sets` (the folders there with a `docs.jsonl`).
pub fn measure(binaries: &Binaries, sets: &Path, vocabulary: &Path, work: &Path) -> Result<Vec<Measured>> {
    let readme = std::fs::read_to_string(sets.join("README.md")).unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(sets)
        .with_context(|| format!("cannot read {}", sets.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.join("docs.jsonl").is_file())
        .collect();
    dirs.sort();
    let mut measured = Vec::new();
    for dir in dirs {
        let set = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let out = work.join(&set);
        std::fs::create_dir_all(&out)?;
        let (ids, documents) = write_content(&dir, &set, vocabulary, &out.join("content"))?;
        let index = out.join("index");
        let _ = std::fs::remove_dir_all(&index);
        binaries.build_index(&out.join("content"), &index)?;
        let server =
            ServerProcess::start(&binaries.server, &out.join("content"), &index, None, &out.join("server.log"))?;
        let topics: Vec<Topic> = read_jsonl(&dir.join("queries.jsonl"))?;
        let run = out.join(format!("{set}.run"));
        let refused = run_queries(&server, &topics, &ids, &run)?;
        drop(server);
        let ours = score(&sets.join("ndcg.py"), &dir.join("qrels.txt"), &run)?;
        measured.push(Measured {
            baselines: baselines(&readme, &set),
            set,
            documents,
            queries: topics.len(),
            ours,
            refused,
            run,
        });
    }
    Ok(measured)
}

/// The table: ours and the peers, per collection, the best peer's nDCG@10 marked.
pub fn print(measured: &[Measured]) {
    println!("| set | run | nDCG@10 | MAP | R@100 |\n|---|---|---:|---:|---:|");
    for m in measured {
        let best = m.baselines.iter().map(|(_, s)| s.ndcg10).fold(f64::NAN, f64::max);
        let verdict = if best.is_nan() {
            String::new()
        } else if m.ours.ndcg10 >= best {
            format!(" (at or above the best peer, {best:.4}: met)")
        } else {
            format!(" (below the best peer, {best:.4}: not met)")
        };
        println!(
            "| {} ({} documents, {} queries) | **ours**{verdict} | {:.4} | {:.4} | {:.4} |",
            m.set, m.documents, m.queries, m.ours.ndcg10, m.ours.map, m.ours.recall100
        );
        for (run, s) in &m.baselines {
            println!("| {} | {run} | {:.4} | {:.4} | {:.4} |", m.set, s.ndcg10, s.map, s.recall100);
        }
    }
    for m in measured {
        println!("\n{}: the run is {}", m.set, m.run.display());
        if !m.refused.is_empty() {
            println!("{}: {} queries refused (counted as finding nothing):", m.set, m.refused.len());
            for refusal in &m.refused {
                println!("  - {}", refusal.chars().take(160).collect::<String>());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_baselines_of_each_set() {
        let readme = "| run | CISI nDCG@10 | CISI MAP | CISI R@100 | MED nDCG@10 | MED MAP | MED R@100 |\n\
            |---|---|---|---|---|---|---|\n\
            | FTS5 | 0.2826 | 0.1468 | 0.3850 | 0.6877 | 0.5080 | 0.7913 |\n\
            | Xapian | **0.3509** | **0.2028** | **0.4244** | 0.6902 | 0.5265 | 0.7923 |\n\nText.";
        let cisi = baselines(readme, "cisi");
        assert_eq!(cisi.len(), 2);
        assert_eq!(cisi[1].0, "Xapian");
        assert_eq!(cisi[1].1, Scores { ndcg10: 0.3509, map: 0.2028, recall100: 0.4244 });
        assert_eq!(baselines(readme, "med")[0].1.ndcg10, 0.6877);
        assert!(baselines(readme, "cran").is_empty());
    }

    #[test]
    fn slugs_and_titles() {
        assert_eq!(slug("17"), "d17");
        assert_eq!(slug("FT911-3"), "dft911-3");
        assert_eq!(clip("one two three", 9), "one two");
    }
}
