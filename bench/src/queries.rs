//! The benchmark's queries: five shapes, drawn deterministically from the real collection's words
//! (the words the synthetic corpus is made of), so every query has realistic frequencies.

use indexer::Engine;
use model::Lang;
use model::api::SearchParams;
use model::files::split_front_matter;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::path::Path;

/// A query shape and its queries.
pub struct Shape {
    pub name: &'static str,
    pub queries: Vec<SearchParams>,
    /// The same queries spelt right (for the misspelt ones), to compare what each finds.
    pub spelled: Vec<SearchParams>,
}

impl Shape {
    fn new(name: &'static str, queries: Vec<SearchParams>) -> Shape {
        Shape { name, queries, spelled: Vec::new() }
    }
}

/// How far misspelt queries find what their right spelling finds.
pub struct TypoOverlap {
    /// The mean share of the right spelling's top 10 that the misspelt query's top 10 holds,
    /// over the queries whose right spelling finds something.
    pub overlap: f64,
    /// The share of misspelt queries that find nothing.
    pub no_hits: f64,
    pub compared: usize,
}

/// Each misspelt query of `shape` against its right spelling, in `engine`.
pub fn typo_overlap(engine: &Engine, shape: &Shape) -> anyhow::Result<Option<TypoOverlap>> {
    if shape.spelled.is_empty() {
        return Ok(None);
    }
    let top = |params: &SearchParams| -> anyhow::Result<Vec<String>> {
        let params = SearchParams { per_page: 10, ..params.clone() };
        Ok(engine.search(&params)?.hits.into_iter().map(|hit| hit.slug).collect())
    };
    let (mut overlap, mut compared, mut no_hits) = (0.0, 0, 0);
    for (typo, right) in shape.queries.iter().zip(&shape.spelled) {
        let (found, expected) = (top(typo)?, top(right)?);
        no_hits += usize::from(found.is_empty());
        if !expected.is_empty() {
            overlap += found.iter().filter(|slug| expected.contains(slug)).count() as f64 / expected.len() as f64;
            compared += 1;
        }
    }
    Ok(Some(TypoOverlap {
        overlap: overlap / compared.max(1) as f64,
        no_hits: no_hits as f64 / shape.queries.len().max(1) as f64,
        compared,
    }))
}

/// Words of `lang` in the real collection, most frequent first, without short ones.
fn ranked_words(content: &Path, lang: Lang) -> Vec<String> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for entry in std::fs::read_dir(content.join("cases")).into_iter().flatten().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join(format!("{lang}.md"))) else { continue };
        let Ok((_, body)) = split_front_matter("", &text) else { continue };
        for word in body.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 4) {
            *counts.entry(word.to_lowercase()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().map(|(word, _)| word).collect()
}

/// `n` queries of each shape.
pub fn shapes(content: &Path, n: usize) -> Vec<Shape> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let words: Vec<Vec<String>> = [Lang::En, Lang::Ro].iter().map(|&lang| ranked_words(content, lang)).collect();
    // Mid-frequency words: common enough to match many cases, rare enough to mean something.
    let word = |rng: &mut ChaCha8Rng| -> String {
        let list = &words[rng.random_range(0..words.len())];
        let top = list.len().min(400);
        list[rng.random_range(10..top)].clone()
    };
    let plain = |q: String| SearchParams { q, ..SearchParams::default() };

    let one = (0..n).map(|_| plain(word(&mut rng))).collect();
    let three = (0..n).map(|_| plain(format!("{} {} {}", word(&mut rng), word(&mut rng), word(&mut rng)))).collect();
    let phrase = (0..n).map(|_| plain(format!("\"{} {}\"", word(&mut rng), word(&mut rng)))).collect();
    // A word of six letters or more with two neighbouring letters swapped (never the first).
    let (typo, spelled): (Vec<_>, Vec<_>) = (0..n)
        .map(|_| {
            loop {
                let right: Vec<char> = word(&mut rng).chars().collect();
                if right.len() < 6 {
                    continue;
                }
                let at = rng.random_range(1..right.len() - 1);
                let mut wrong = right.clone();
                wrong.swap(at, at + 1);
                if wrong != right {
                    break (plain(wrong.into_iter().collect()), plain(right.into_iter().collect()));
                }
            }
        })
        .unzip();
    let countries = ["RO", "MD", "UA", "GR"];
    let themes = ["coding", "stem", "reading", "active-citizenship", "library-innovation", "community-development"];
    let filtered = (0..n)
        .map(|_| SearchParams {
            q: word(&mut rng),
            country: vec![countries[rng.random_range(0..countries.len())].to_owned()],
            theme: vec![themes[rng.random_range(0..themes.len())].to_owned()],
            year_from: Some(2015),
            ..SearchParams::default()
        })
        .collect();
    vec![
        Shape::new("one word", one),
        Shape::new("three words", three),
        Shape::new("phrase", phrase),
        Shape { name: "typo", queries: typo, spelled },
        Shape::new("filtered + facets", filtered),
    ]
}
