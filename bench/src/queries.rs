//! The benchmark's queries: five shapes, drawn deterministically from the real collection's words
//! (the words the synthetic corpus is made of), so every query has realistic frequencies.

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
    let typo = (0..n)
        .map(|_| {
            let mut w: Vec<char> = word(&mut rng).chars().collect();
            while w.len() < 6 {
                w = word(&mut rng).chars().collect();
            }
            let at = rng.random_range(1..w.len() - 1);
            w.swap(at, at + 1);
            plain(w.into_iter().collect())
        })
        .collect();
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
        Shape { name: "one word", queries: one },
        Shape { name: "three words", queries: three },
        Shape { name: "phrase", queries: phrase },
        Shape { name: "typo", queries: typo },
        Shape { name: "filtered + facets", queries: filtered },
    ]
}
