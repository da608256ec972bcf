//! `cargo xtask synth --cases N --seed S --out DIR`: a deterministic synthetic collection in the
//! content format, for benchmarks and scale tests.
//!
//! Words are drawn per language from the real collection's word frequencies (a Zipf law over
//! their ranks, as in natural text), with a small share of new words made from real word parts,
//! so the dictionary keeps growing with the corpus as real vocabularies do. Vocabulary ids, the
//! spread of countries, languages, periods and budgets follow the shape of the real collection.
//! The same seed always gives the same files, whatever the number of threads.

use anyhow::{Context, Result, bail};
use model::Lang;
use model::case::{Budget, CaseMeta, FrontMatter, Funder, Organisation, Partner, Period, Reach, Status, Translation};
use model::files::{case_text_file, case_toml, parse_vocabulary, split_front_matter};
use model::validate::limits::SUMMARY_CHARS;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Zipf};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Options {
    /// How many cases.
    #[arg(long, default_value_t = 1000)]
    pub cases: usize,
    /// The same seed writes the same collection.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder written (replaced if it exists).
    #[arg(long, default_value = "target/synth")]
    pub out: PathBuf,
    /// How long the texts are.
    #[arg(long, value_enum, default_value_t = Texts::Short)]
    pub texts: Texts,
}

/// The length of the synthetic texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Texts {
    /// Like the real collection's: summaries of two sentences, bodies of 2–5 short sections.
    Short,
    /// Longer: summaries of 20–40 words, bodies of 150–400 words.
    Long,
}

/// (language, weight as the original language, chance of also having a translation in it)
const LANGUAGES: [(Lang, u32, f64); 5] =
    [(Lang::En, 30, 0.45), (Lang::Ro, 35, 0.25), (Lang::Uk, 15, 0.12), (Lang::Ru, 12, 0.12), (Lang::El, 8, 0.04)];

/// (country, weight, currencies)
const COUNTRIES: &[(&str, u32, &[&str])] = &[
    ("RO", 35, &["RON", "EUR", "USD"]),
    ("MD", 20, &["MDL", "EUR", "USD"]),
    ("UA", 20, &["UAH", "EUR", "USD"]),
    ("GR", 10, &["EUR"]),
    ("BG", 3, &["BGN", "EUR"]),
    ("PL", 3, &["PLN", "EUR"]),
    ("HU", 2, &["HUF", "EUR"]),
    ("GE", 2, &["GEL", "USD"]),
    ("AM", 1, &["AMD", "USD"]),
    ("IT", 2, &["EUR"]),
    ("DE", 1, &["EUR"]),
    ("FR", 1, &["EUR"]),
];

const TOWNS: &[&str] = &[
    "Bistrița",
    "Vâlcea",
    "Neamț",
    "Ploiești",
    "Cluj",
    "Iași",
    "Suceava",
    "Brașov",
    "Craiova",
    "Timișoara",
    "Hîncești",
    "Ungheni",
    "Cahul",
    "Soroca",
    "Bălți",
    "Orhei",
    "Lviv",
    "Luhansk",
    "Poltava",
    "Chernihiv",
    "Vinnytsia",
    "Kharkiv",
    "Odesa",
    "Rivne",
    "Patras",
    "Larissa",
    "Volos",
    "Ioannina",
    "Kavala",
    "Varna",
    "Ruse",
    "Lublin",
    "Debrecen",
];

const ORG_KINDS: &[(&str, &str, u32)] = &[
    ("public-library", "County Library", 40),
    ("ngo", "Association", 25),
    ("foundation", "Foundation", 10),
    ("school", "Secondary School", 8),
    ("library-association", "Librarians' Association", 6),
    ("university", "University", 4),
    ("public-authority", "Town Hall", 4),
    ("company", "Company", 3),
];

/// The words of one language, most frequent first, with a Zipf law over their ranks.
struct Words {
    ranked: Vec<String>,
    zipf: Zipf<f64>,
}

impl Words {
    fn word(&self, rng: &mut ChaCha8Rng) -> String {
        // About 3 % of words are new: a real word's start joined to another's end.
        if rng.random_bool(0.03) {
            let a = &self.ranked[rng.random_range(0..self.ranked.len())];
            let b = &self.ranked[rng.random_range(0..self.ranked.len())];
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            if a.len() >= 4 && b.len() >= 4 {
                let head = rng.random_range(2..a.len() - 1);
                let tail = rng.random_range(1..b.len() - 1);
                return a[..head].iter().chain(&b[tail..]).collect();
            }
        }
        let rank = (self.zipf.sample(rng) as usize).clamp(1, self.ranked.len()) - 1;
        self.ranked[rank].clone()
    }

    /// A sentence of a length in `words`, capitalised and closed with a full stop.
    fn sentence(&self, rng: &mut ChaCha8Rng, words: std::ops::RangeInclusive<usize>) -> String {
        let n = rng.random_range(words);
        let mut out = String::new();
        for i in 0..n {
            let word = self.word(rng);
            if i == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(&word);
                if i + 1 < n && rng.random_bool(0.08) {
                    out.push(',');
                }
            }
        }
        out.push('.');
        out
    }
}

/// The word statistics of the real collection and the vocabulary's ids.
struct Source {
    words: Vec<Words>,
    themes: Vec<String>,
    audiences: Vec<String>,
    vocabulary_text: String,
}

fn read_source(content: &Path) -> Result<Source> {
    let vocabulary_text = fs::read_to_string(content.join("vocabulary.toml"))?;
    let vocabulary =
        parse_vocabulary("vocabulary.toml", &vocabulary_text).map_err(|problems| anyhow::anyhow!("{}", problems[0]))?;
    let mut counts: Vec<HashMap<String, u64>> = vec![HashMap::new(); 5];
    for entry in fs::read_dir(content.join("cases"))? {
        let dir = entry?.path();
        for lang in Lang::ALL {
            let Ok(text) = fs::read_to_string(dir.join(format!("{lang}.md"))) else { continue };
            let Ok((_, body)) = split_front_matter("", &text) else { continue };
            for word in body.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() > 1) {
                *counts[lang.index()].entry(word.to_lowercase()).or_default() += 1;
            }
        }
    }
    let words = counts
        .into_iter()
        .enumerate()
        .map(|(i, counts)| {
            let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            if ranked.len() < 50 {
                bail!("the real collection has too few {} words to imitate", Lang::ALL[i]);
            }
            let ranked: Vec<String> = ranked.into_iter().map(|(word, _)| word).collect();
            let zipf = Zipf::new(ranked.len() as f64, 1.07).expect("valid Zipf parameters");
            Ok(Words { ranked, zipf })
        })
        .collect::<Result<_>>()?;
    Ok(Source {
        words,
        themes: vocabulary.themes.iter().map(|t| t.id.clone()).collect(),
        audiences: vocabulary.audiences.iter().map(|t| t.id.clone()).collect(),
        vocabulary_text,
    })
}

fn weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut pick = rng.random_range(0..total);
    for item in items {
        let w = weight(item);
        if pick < w {
            return item;
        }
        pick -= w;
    }
    &items[items.len() - 1]
}

/// Picks distinct ids, as many as a number in `count`, earlier ones more often.
fn pick_ids(rng: &mut ChaCha8Rng, ids: &[String], count: std::ops::RangeInclusive<usize>) -> Vec<String> {
    let n = rng.random_range(count);
    let zipf = Zipf::new(ids.len() as f64, 0.8).expect("valid Zipf parameters");
    let mut picked: Vec<String> = Vec::new();
    while picked.len() < n.min(ids.len()) {
        let id = &ids[(zipf.sample(rng) as usize).clamp(1, ids.len()) - 1];
        if !picked.contains(id) {
            picked.push(id.clone());
        }
    }
    picked
}

fn organisation(rng: &mut ChaCha8Rng) -> (String, &'static str) {
    let (kind, noun, _) = *weighted(rng, ORG_KINDS, |(_, _, w)| *w);
    let town = TOWNS[rng.random_range(0..TOWNS.len())];
    (format!("{town} {noun}"), kind)
}

/// One case: its coded data and `(lang, front matter, body)` per language, written through
/// `model::files` as the real collection's files are.
/// Sentences of `words` of about `count` words in all, cut at a word so as to stay within
/// `max_chars` characters.
fn words_up_to(words: &Words, rng: &mut ChaCha8Rng, count: usize, max_chars: usize) -> String {
    let mut out = String::new();
    let mut left = count;
    'sentences: while left > 0 {
        let sentence = words.sentence(rng, left.min(6)..=left.min(16));
        let sentence = sentence.trim_end_matches('.');
        for word in sentence.split(' ') {
            if left == 0 || out.chars().count() + word.chars().count() + 2 > max_chars {
                break 'sentences;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            left -= 1;
        }
        out.push('.');
    }
    if !out.ends_with('.') && !out.is_empty() {
        out.push('.');
    }
    out
}

/// A body of 150–400 words in sections of the language's headings.
fn long_body(words: &Words, rng: &mut ChaCha8Rng, lang: Lang, body: &mut String) {
    let headings = model::submission::section_headings(lang);
    let sections = rng.random_range(2..=headings.len().max(2));
    let mut left: usize = rng.random_range(150..=400);
    for (i, heading) in headings.iter().cycle().take(sections).enumerate() {
        let _ = write!(body, "\n## {heading}\n\n");
        // An even share of what is left for this section, the last taking the rest.
        let share = if i + 1 == sections { left } else { left / (sections - i) };
        left -= share;
        let mut written = 0;
        while written < share {
            let sentence = words.sentence(rng, 6..=16);
            // The section's last sentence is cut to what is left of its share.
            let kept: Vec<&str> = sentence.split(' ').take(share - written).collect();
            written += kept.len();
            body.push_str(kept.join(" ").trim_end_matches(['.', ',']));
            body.push('.');
            body.push(if written >= share || rng.random_bool(0.25) { '\n' } else { ' ' });
            if body.ends_with('\n') {
                body.push('\n');
            }
        }
    }
}

fn case(source: &Source, texts: Texts, rng: &mut ChaCha8Rng) -> (CaseMeta, Vec<(Lang, FrontMatter, String)>) {
    let original = weighted(rng, &LANGUAGES, |(_, w, _)| *w).0;
    let mut langs = vec![original];
    for (lang, _, chance) in LANGUAGES {
        if lang != original && rng.random_bool(chance) {
            langs.push(lang);
        }
    }
    langs.sort();

    let first = weighted(rng, COUNTRIES, |(_, w, _)| *w);
    let mut countries = vec![first.0.to_owned()];
    if rng.random_bool(0.2) {
        let second = weighted(rng, COUNTRIES, |(_, w, _)| *w).0;
        if second != first.0 {
            countries.push(second.to_owned());
        }
    }
    let themes = pick_ids(rng, &source.themes, 1..=3);
    let audiences = pick_ids(rng, &source.audiences, 0..=3);
    let sdgs = if rng.random_bool(0.5) { if rng.random_bool(0.7) { vec![4] } else { vec![4, 11] } } else { Vec::new() };

    // Periods lean towards recent years.
    let start_year = 2026 - (rng.random::<f64>().powi(2) * 26.0) as u32;
    let start_month = rng.random_bool(0.6).then(|| rng.random_range(1..=12u32));
    let start = match start_month {
        Some(month) => format!("{start_year}-{month:02}"),
        None => format!("{start_year}"),
    };
    let period = if start_year >= 2024 && rng.random_bool(0.4) {
        Period { start, end: None, ongoing: true }
    } else {
        let end_year = (start_year + rng.random_range(0..=4)).min(2026);
        let end = match start_month {
            Some(month) => {
                let first_month = if end_year == start_year { month } else { 1 };
                format!("{end_year}-{:02}", rng.random_range(first_month..=12))
            }
            None => format!("{end_year}"),
        };
        Period { start, end: Some(end), ongoing: false }
    };

    let (lead, lead_kind) = organisation(rng);
    let partners = (0..rng.random_range(0..=5))
        .map(|_| {
            let (name, kind) = organisation(rng);
            Partner { name, kind: Some(kind.to_owned()), role: Some("partner".into()) }
        })
        .collect();
    let funders = if rng.random_bool(0.7) {
        let town = TOWNS[rng.random_range(0..TOWNS.len())];
        vec![Funder { name: format!("{town} Fund"), kind: Some("funding-programme".into()), programme: None }]
    } else {
        Vec::new()
    };
    let budget = rng.random_bool(0.75).then(|| {
        let currency = first.2[rng.random_range(0..first.2.len())];
        let amount = (10f64.powf(rng.random_range(2.7..6.0)) / 10.0).round() * 10.0;
        Budget { amount: Some(amount), currency: Some(currency.to_owned()), note: None }
    });
    let reach = rng.random_bool(0.5).then(|| Reach {
        participants: Some(rng.random_range(10..5000)),
        libraries: Some(rng.random_range(1..60)),
        places: None,
    });
    let meta = CaseMeta {
        original_language: original,
        countries,
        places: Vec::new(),
        period,
        lead_organisation: Organisation { name: lead, kind: lead_kind.to_owned() },
        partners,
        funders,
        budget,
        themes,
        audiences,
        sdgs,
        reach,
        links: Vec::new(),
        licence: model::case::DEFAULT_LICENCE.to_owned(),
        status: Status::Published,
        evidence: None,
        featured: false,
        photos: Vec::new(),
    };

    let texts = langs
        .iter()
        .map(|&lang| {
            let words = &source.words[lang.index()];
            let title = words.sentence(rng, 3..=8);
            let title = title.trim_end_matches('.').to_owned();
            let mut summary = String::new();
            let sentences = if texts == Texts::Long { 0 } else { 2 };
            for _ in 0..sentences {
                let sentence = words.sentence(rng, 8..=16);
                if summary.chars().count() + sentence.chars().count() + 1 > 300 {
                    break;
                }
                if !summary.is_empty() {
                    summary.push(' ');
                }
                summary.push_str(&sentence);
            }
            if texts == Texts::Long {
                let count = rng.random_range(20..=40);
                summary = words_up_to(words, rng, count, SUMMARY_CHARS);
            }
            if summary.is_empty() {
                summary = title.clone();
            }
            let translation = if lang == original {
                Translation::Original
            } else if rng.random_bool(0.7) {
                Translation::Human
            } else {
                Translation::Machine
            };
            let mut body = String::new();
            if texts == Texts::Long {
                long_body(words, rng, lang, &mut body);
                return (lang, FrontMatter { title, summary, translation }, body);
            }
            for heading in model::submission::section_headings(lang).iter().take(rng.random_range(2..=5)) {
                let _ = write!(body, "\n## {heading}\n\n");
                for _ in 0..rng.random_range(1..=2) {
                    let count = rng.random_range(2..=4);
                    let sentences: Vec<String> = (0..count).map(|_| words.sentence(rng, 6..=16)).collect();
                    body.push_str(&sentences.join(" "));
                    body.push_str("\n\n");
                }
            }
            (lang, FrontMatter { title, summary, translation }, body)
        })
        .collect();
    (meta, texts)
}

pub struct Stats {
    pub cases: usize,
    pub files: usize,
    pub bytes: u64,
    pub seconds: f64,
}

/// Writes the synthetic collection; the real collection in `content` is the model.
pub fn generate(content: &Path, options: &Options) -> Result<Stats> {
    let started = Instant::now();
    let source = read_source(content)?;
    let cases_dir = options.out.join("cases");
    if options.out.exists() {
        fs::remove_dir_all(&options.out).with_context(|| format!("cannot clear {}", options.out.display()))?;
    }
    fs::create_dir_all(&cases_dir)?;
    fs::write(options.out.join("vocabulary.toml"), &source.vocabulary_text)?;

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let results: Vec<Result<(usize, u64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let (source, cases_dir) = (&source, &cases_dir);
                scope.spawn(move || -> Result<(usize, u64)> {
                    let (mut files, mut bytes) = (0, 0);
                    for index in (thread..options.cases).step_by(threads) {
                        // One stream per case: the output does not depend on the thread count.
                        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
                        rng.set_stream(index as u64);
                        let (meta, texts) = case(source, options.texts, &mut rng);
                        let dir = cases_dir.join(format!("synth-{:06}", index + 1));
                        fs::create_dir(&dir)?;
                        let meta = case_toml(&meta);
                        fs::write(dir.join("case.toml"), &meta)?;
                        bytes += meta.len() as u64;
                        for (lang, front, body) in texts {
                            let text = case_text_file(&front, &body);
                            fs::write(dir.join(format!("{lang}.md")), &text)?;
                            bytes += text.len() as u64;
                            files += 1;
                        }
                        files += 1;
                    }
                    Ok((files, bytes))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a writer panicked")).collect()
    });
    let (mut files, mut bytes) = (1, source.vocabulary_text.len() as u64);
    for result in results {
        let (f, b) = result?;
        files += f;
        bytes += b;
    }
    Ok(Stats { cases: options.cases, files, bytes, seconds: started.elapsed().as_secs_f64() })
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let stats = generate(&root.join("content"), options)?;
    println!(
        "wrote {} cases ({} files, {:.1} MiB) to {} in {:.2} s ({:.0} cases/s)",
        stats.cases,
        stats.files,
        stats.bytes as f64 / (1024.0 * 1024.0),
        options.out.display(),
        stats.seconds,
        stats.cases as f64 / stats.seconds.max(1e-9)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("content")
    }

    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    out.push((
                        path.strip_prefix(dir.ancestors().last().unwrap()).unwrap().to_owned(),
                        fs::read(&path).unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn synthetic_cases_are_valid_and_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        generate(&content(), &Options { cases: 300, seed: 42, out: a.clone(), texts: Texts::Short }).unwrap();
        generate(&content(), &Options { cases: 300, seed: 42, out: b.clone(), texts: Texts::Short }).unwrap();
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(fa.len(), fb.len());
        assert!(fa.iter().zip(&fb).all(|((_, x), (_, y))| x == y), "the same seed gives the same files");

        let collection = collection::load(&a, &|_, _| {}).unwrap_or_else(|e| match e {
            collection::LoadError::Invalid(problems) => panic!("{}", problems[0]),
            other => panic!("{other}"),
        });
        assert_eq!(collection.cases.len(), 300);
        let languages: std::collections::BTreeSet<Lang> =
            collection.cases.iter().flat_map(|c| c.texts.iter().map(|t| t.lang)).collect();
        assert_eq!(languages.len(), 5, "all five languages appear");
    }

    #[test]
    fn long_texts_have_the_lengths_asked_for_and_are_valid() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("long");
        generate(&content(), &Options { cases: 200, seed: 7, out: out.clone(), texts: Texts::Long }).unwrap();
        let collection = collection::load(&out, &|_, _| {}).unwrap_or_else(|e| match e {
            collection::LoadError::Invalid(problems) => panic!("{}", problems[0]),
            other => panic!("{other}"),
        });
        let words = |text: &str| text.split_whitespace().filter(|w| !w.starts_with('#')).count();
        for text in collection.cases.iter().flat_map(|case| &case.texts) {
            let summary = words(&text.front.summary);
            assert!((10..=40).contains(&summary), "a summary of {summary} words");
            let headings: usize = text.body.lines().filter(|l| l.starts_with("## ")).map(|l| words(l)).sum();
            let body = words(&text.body) - headings;
            assert!((150..=400).contains(&body), "a body of {body} words");
        }
    }
}
