//! Query building: user text becomes a tantivy query in code, never through tantivy's
//! `QueryParser` (which panics on inputs like `- *`, tantivy #3031, and is exponential in nesting
//! depth, #2498).
//!
//! Semantics, in the order they are applied:
//! - The text is NFC-normalised, cut at a word boundary past [`MAX_QUERY_CHARS`] characters,
//!   and split into words, `"quoted phrases"` and `-exclusions` (`-word` or `-"a phrase"`).
//!   Characters that are neither letters nor digits only separate words, so no input is a syntax
//!   error. A word given twice counts once.
//! - Stop words (the lists of [`stop_words`], per language) weigh nothing: they add their BM25
//!   score but never make a document match, and are never highlighted.
//! - At most [`MAX_QUERY_TERMS`] words count: past that, stop words are dropped first, then the
//!   most common words. Words found nowhere in the collection (not even one typo away) are
//!   dropped too. Every dropped word is reported ([`QueryPlan::ignored`]).
//! - Each word is searched in every language's fields written in its script (title 3, summary 2,
//!   body 1, stemmed by that language) and in the folded cross-script fields (title 1.5, text
//!   0.5), taking the best field's BM25 (and a little of the others'); a word that is a label or
//!   synonym of a theme, audience or organisation type, or a country's name, in any language,
//!   also matches the cases tagged with it; so does a run of up to four words ("active
//!   citizenship", "Republica Moldova").
//! - Typos: a word of 5 or more letters also matches folded terms 1 edit away, 9 or more 2 edits
//!   away (the [`MAX_EXPANSIONS`] most frequent, starting with the same letter), unless the word
//!   itself is common in the collection; a word the collection lacks is searched as its closest
//!   frequent spelling. While typing, the last word also matches as a prefix.
//! - How the words combine, match and rank is [`super::ranking`]'s: BM25 times how much of the
//!   query's information a document covers, a minimum share of it required, exact matches of
//!   every word first.
//!
//! Cost is bounded: the query length, the number of words, the expansions per word, and the
//! automaton distance are all capped.

use super::analysis::{self, fold_word};
use super::bm25f::{Bm25fQuery, idf};
use super::ranking::{Unit, WordsQuery};
use super::schema::{Facet, Fields};
use model::api::{MAX_QUERY_CHARS, MAX_QUERY_TERMS};
use model::vocabulary::Kind;
use model::{Lang, Vocabulary};
use std::collections::{HashMap, HashSet};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::Value;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Score, Searcher, TERMINATED, TantivyDocument, Term};

/// Typo and prefix expansions kept per word.
pub const MAX_EXPANSIONS: usize = 10;
/// Terms scanned in the dictionary per prefix before keeping the most frequent.
const PREFIX_SCAN: usize = 256;
/// A word in at least this share of the cases (1 in N), and at least [`COMMON_MIN`] of them, is
/// common: no typo expansion, fewer prefix completions.
const COMMON_SHARE: u64 = 500;
const COMMON_MIN: u64 = 20;
const COMMON_PREFIX_EXPANSIONS: usize = 3;
/// Words per vocabulary label looked for in the query.
const MAX_LABEL_WORDS: usize = 4;
/// Queries with more significant words than this are pasted text, not typed: no typo
/// expansions (they would only add noise to so many words).
const MAX_TYPO_WORDS: usize = 8;
/// Pairs of neighbouring query words whose closeness counts, at most.
const MAX_PROXIMITY_PAIRS: usize = 16;
/// How far apart (in words) neighbouring query words may stand to count as close.
const PROXIMITY_SLOP: u32 = 3;
/// What close neighbours add, for a query of up to [`PROXIMITY_FULL_PAIRS`] pairs; a longer
/// query shares it among its pairs, so that closeness never outweighs the words themselves.
const PROXIMITY_BOOST: Score = 0.3;
const PROXIMITY_FULL_PAIRS: usize = 4;

// Field weights of BM25F (an occurrence in a title counts as two in a body), and of the
// folded fields. Measured on the two test collections with `cargo xtask relevance`.
const TITLE_WEIGHT: Score = 2.0;
const SUMMARY_WEIGHT: Score = 1.5;
const BODY_WEIGHT: Score = 1.0;
const FOLD_TITLE_WEIGHT: Score = 2.0;
const FOLD_TEXT_WEIGHT: Score = 1.0;
/// The folded fields' score, against a language's: cross-script matches rank below the words of
/// the reader's own script and stemming.
const FOLD_BOOST: Score = 0.5;
/// A word's score is its best field group's plus this share of its other groups'.
const FIELD_TIE: Score = 0.1;
const FUZZY_BOOST: Score = 0.2;
/// A misspelt word, searched as its closest frequent spelling.
const CORRECTED_BOOST: Score = 0.9;
/// Spellings looked up (each in a stored case) for the one written in the word's script.
const MAX_SPELLINGS_TRIED: usize = 3;
/// A word is taken for a misspelling of a spelling at least this many times as frequent.
const MISSPELT_RATIO: u64 = 10;
const PREFIX_BOOST: Score = 0.5;
/// A case tagged with a term the query names scores as this many occurrences' worth of the
/// tag's IDF.
const VOCABULARY_WEIGHT: Score = 1.0;

/// Ukrainian stop words the ISO list lacks: the commonest conjunctions and prepositions.
const UKRAINIAN_EXTRA: [&str; 9] = ["і", "в", "у", "на", "або", "а", "по", "за", "при"];

/// The stop words of every language, folded: the NLTK lists for English, Romanian, Russian and
/// Greek and the Stopwords ISO list for Ukrainian (from the `stop-words` crate), with
/// [`UKRAINIAN_EXTRA`]. A word of a Latin-script query is checked against the English and
/// Romanian lists, so Romanian "care" ("which") weighs nothing in an English query too; it still
/// adds its score.
pub fn stop_words() -> HashSet<String> {
    let mut words: HashSet<String> = HashSet::new();
    for code in ["en", "ro", "uk", "ru", "el"] {
        words.extend(stop_words::get(code).iter().map(|word| fold_word(word)));
    }
    words.extend(UKRAINIAN_EXTRA.iter().map(|word| fold_word(word)));
    words
}

/// One part of the user's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// NFC-normalised text: one word, or the words of a phrase.
    pub text: String,
    /// Several words to find side by side: quoted, or joined by punctuation (`e-mail`).
    pub phrase: bool,
    /// A phrase between quotes: in a typed query, it must be there.
    pub quoted: bool,
    pub negated: bool,
    /// How often the query has it: a word repeated in a pasted text matters more.
    pub count: u32,
}

/// The user's text, split.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    /// The last clause is a word still being typed (no space after it).
    pub prefix_last: bool,
    /// The text was longer than [`MAX_QUERY_CHARS`] and was cut at a word boundary.
    pub cut: bool,
}

impl ParsedQuery {
    /// Splits user text; never fails.
    pub fn parse(text: &str) -> ParsedQuery {
        let normalized = analysis::normalize(text);
        let (text, cut) = cut_at_word(&normalized, MAX_QUERY_CHARS);
        let mut clauses: Vec<Clause> = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
                continue;
            }
            let mut negated = false;
            if c == '-' {
                chars.next();
                match chars.peek() {
                    Some(next) if !next.is_whitespace() && *next != '-' => negated = true,
                    _ => continue,
                }
            }
            let (raw, phrase) = if chars.peek() == Some(&'"') {
                chars.next();
                let raw: String = chars.by_ref().take_while(|&c| c != '"').collect();
                (raw, true)
            } else {
                let mut raw = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '"' {
                        break;
                    }
                    raw.push(c);
                    chars.next();
                }
                (raw, false)
            };
            let tokens = word_tokens(&raw);
            if tokens.is_empty() {
                continue;
            }
            // A single word between quotes is a word (searched as written).
            let quoted = phrase && tokens.len() > 1;
            let clause = Clause { text: tokens.join(" "), phrase: tokens.len() > 1, quoted, negated, count: 1 };
            // A word (or phrase) given twice is one clause, counted twice.
            let key = fold_word(&clause.text);
            match clauses.iter_mut().find(|c| c.negated == clause.negated && fold_word(&c.text) == key) {
                Some(earlier) => earlier.count += 1,
                None => clauses.push(clause),
            }
        }
        let prefix_last = !cut
            && matches!(clauses.last(), Some(Clause { phrase: false, negated: false, .. }))
            && text.chars().last().is_some_and(|c| c.is_alphanumeric());
        ParsedQuery { clauses, prefix_last, cut }
    }

    pub fn is_empty(&self) -> bool {
        !self.clauses.iter().any(|clause| !clause.negated)
    }
}

/// `text` up to `max` characters, cut at the last whitespace within them (or at `max` inside
/// a word longer than that); whether it was cut.
fn cut_at_word(text: &str, max: usize) -> (&str, bool) {
    let Some((end, _)) = text.char_indices().nth(max) else { return (text, false) };
    let head = &text[..end];
    let at = head.rfind(char::is_whitespace).filter(|&at| at > 0).unwrap_or(end);
    (&text[..at], true)
}

/// The words of `raw`: runs of letters and digits.
fn word_tokens(raw: &str) -> Vec<&str> {
    raw.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect()
}

/// The terms a snippet highlights.
#[derive(Clone, Debug, Default)]
pub struct Highlight {
    /// Per language, the stemmed query terms.
    pub stems: [HashSet<String>; Lang::COUNT],
    /// Folded query terms and their typo expansions.
    pub folded: HashSet<String>,
    /// Folded prefixes being typed.
    pub prefixes: Vec<String>,
}

impl Highlight {
    /// Whether nothing would be highlighted.
    pub fn is_empty(&self) -> bool {
        self.folded.is_empty() && self.prefixes.is_empty() && self.stems.iter().all(HashSet::is_empty)
    }
}

/// What to run for a query.
pub struct QueryPlan {
    pub query: Box<dyn Query>,
    pub highlight: Highlight,
    /// The words not searched for, in the order typed: past [`MAX_QUERY_TERMS`], or found
    /// nowhere in the collection.
    pub ignored: Vec<String>,
}

/// Labels and synonyms of the vocabulary, analysed, for query expansion.
#[derive(Clone, Debug, Default)]
pub struct Expansions {
    /// Analysed name (`f:` + folded words, or `<lang>:` + stemmed words) → the facet values it
    /// names.
    names: HashMap<String, Vec<(Facet, String)>>,
    /// [`stop_words`], folded.
    stop_words: HashSet<String>,
}

impl Expansions {
    pub fn new(vocabulary: &Vocabulary) -> Expansions {
        let mut analyzers = Analyzers::new();
        let mut names: HashMap<String, Vec<(Facet, String)>> = HashMap::new();
        let mut add = |facet: Facet, id: &str, name: &str, lang: Lang| {
            for key in analyzers.keys(name, Some(lang)) {
                let entry = names.entry(key).or_default();
                if !entry.iter().any(|(f, value)| *f == facet && value == id) {
                    entry.push((facet, id.to_owned()));
                }
            }
        };
        for (kind, facet) in
            [(Kind::Theme, Facet::Theme), (Kind::Audience, Facet::Audience), (Kind::OrgType, Facet::OrgType)]
        {
            for term in vocabulary.terms(kind) {
                for lang in Lang::ALL {
                    add(facet, &term.id, term.label.get(lang), lang);
                    for synonym in term.synonyms.get(lang) {
                        add(facet, &term.id, synonym, lang);
                    }
                }
            }
        }
        for code in model::countries::named() {
            for lang in Lang::ALL {
                add(Facet::Country, code, model::countries::label(code, lang), lang);
            }
        }
        Expansions { names, stop_words: stop_words() }
    }

    /// The facet values (vocabulary terms, countries) named by `text` in any language.
    fn lookup(&self, analyzers: &mut Analyzers, text: &str) -> Vec<(Facet, String)> {
        let mut found: Vec<(Facet, String)> = Vec::new();
        for key in analyzers.keys(text, None) {
            for term in self.names.get(&key).into_iter().flatten() {
                if !found.contains(term) {
                    found.push(term.clone());
                }
            }
        }
        found
    }
}

/// One analyzer per language plus the folding one (analyzers need `&mut` to run, so each search
/// borrows a set; the engine keeps them for reuse).
pub struct Analyzers {
    lang: [TextAnalyzer; Lang::COUNT],
    fold: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers::new()
    }
}

impl Analyzers {
    pub fn new() -> Analyzers {
        Analyzers { lang: Lang::ALL.map(analysis::language_analyzer), fold: analysis::fold_analyzer() }
    }

    /// The analyzer of `lang`'s fields.
    pub fn language(&mut self, lang: Lang) -> &mut TextAnalyzer {
        &mut self.lang[lang.index()]
    }

    fn stems(&mut self, lang: Lang, text: &str) -> Vec<String> {
        analysis::terms(&mut self.lang[lang.index()], text)
    }

    fn folded(&mut self, text: &str) -> Vec<String> {
        analysis::terms(&mut self.fold, text)
    }

    /// Lookup keys for a name: its folded form, and its stemmed form in `lang` (every language
    /// when `None`).
    fn keys(&mut self, text: &str, lang: Option<Lang>) -> Vec<String> {
        let mut keys = Vec::new();
        let folded = self.folded(text);
        if folded.is_empty() {
            return keys;
        }
        keys.push(format!("f:{}", folded.join(" ")));
        let langs: Vec<Lang> = lang.map_or_else(|| Lang::ALL.to_vec(), |lang| vec![lang]);
        for lang in langs {
            let stems = self.stems(lang, text);
            if !stems.is_empty() {
                keys.push(format!("{lang}:{}", stems.join(" ")));
            }
        }
        keys
    }
}

/// Builds queries for one index generation.
pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    expansions: &'a Expansions,
    searcher: &'a Searcher,
    analyzers: &'a mut Analyzers,
}

type Clauses = Vec<(Occur, Box<dyn Query>)>;

impl<'a> QueryBuilder<'a> {
    pub fn new(
        fields: &'a Fields,
        expansions: &'a Expansions,
        searcher: &'a Searcher,
        analyzers: &'a mut Analyzers,
    ) -> Self {
        QueryBuilder { fields, expansions, searcher, analyzers }
    }

    /// Gives back the analyzers, for the snippets.
    pub fn into_analyzers(self) -> &'a mut Analyzers {
        self.analyzers
    }

    /// The plan for `parsed`, which must not be empty.
    pub fn build(&mut self, parsed: &ParsedQuery) -> QueryPlan {
        let mut highlight = Highlight::default();
        let positive: Vec<(usize, &Clause)> = parsed.clauses.iter().enumerate().filter(|(_, c)| !c.negated).collect();
        let (kept, mut ignored) = self.choose(&positive);
        let all_stop_words = kept.iter().all(|(_, clause)| self.is_stop_word(clause));
        let significant = kept.iter().filter(|(_, clause)| !self.is_stop_word(clause)).count();
        let last = kept.last().map(|(i, _)| *i);
        let mut units = Vec::new();
        // The significant words searched for, in order, for their closeness.
        let mut searched: Vec<&Clause> = Vec::new();
        let mut i = 0;
        while i < kept.len() {
            if let Some((len, unit)) = self.vocabulary_run(&kept[i..], &mut highlight) {
                units.push(unit);
                searched.extend(kept[i..i + len].iter().map(|(_, clause)| *clause));
                i += len;
                continue;
            }
            let (index, clause) = kept[i];
            let typos = significant <= MAX_TYPO_WORDS;
            // Pasted text is not being typed: no prefix completions either.
            let prefix = parsed.prefix_last && Some(index) == last && typos;
            let stop = !all_stop_words && self.is_stop_word(clause);
            match self.unit(clause, prefix, stop, typos, true, &mut highlight).map(|unit| unit.repeated(clause.count)) {
                Some(unit) => {
                    if !stop && !clause.phrase {
                        searched.push(clause);
                    }
                    units.push(unit);
                }
                None => ignored.push((index, clause.text.clone())),
            }
            i += 1;
        }
        let proximity = self.proximity(&searched);
        let words: Box<dyn Query> = Box::new(WordsQuery { units, proximity });
        let exclusions: Clauses = parsed
            .clauses
            .iter()
            .filter(|clause| clause.negated)
            .map(|clause| (Occur::MustNot, self.exact_query(clause)))
            .collect();
        let query = if exclusions.is_empty() {
            words
        } else {
            let mut all = vec![(Occur::Must, words)];
            all.extend(exclusions);
            Box::new(BooleanQuery::new(all))
        };
        ignored.sort_by_key(|(index, _)| *index);
        QueryPlan { query, highlight, ignored: ignored.into_iter().map(|(_, text)| text).collect() }
    }

    /// A query matching documents that contain none of the excluded clauses, for a query that has
    /// only exclusions.
    pub fn exclusions_only(&mut self, parsed: &ParsedQuery) -> Box<dyn Query> {
        let mut clauses: Clauses = vec![(Occur::Must, Box::new(tantivy::query::AllQuery))];
        for clause in parsed.clauses.iter().filter(|clause| clause.negated) {
            clauses.push((Occur::MustNot, self.exact_query(clause)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn is_stop_word(&self, clause: &Clause) -> bool {
        !clause.phrase && self.expansions.stop_words.contains(fold_word(&clause.text).as_str())
    }

    /// Documents whose folded text has `folded`.
    fn folded_title_doc_freq(&self, folded: &str) -> u64 {
        self.searcher.doc_freq(&Term::from_field_text(self.fields.fold_title, folded)).unwrap_or(0)
    }

    fn folded_doc_freq(&self, folded: &str) -> u64 {
        self.searcher.doc_freq(&Term::from_field_text(self.fields.fold_text, folded)).unwrap_or(0)
    }

    /// The clauses that count, and those dropped past [`MAX_QUERY_TERMS`] words (with their
    /// positions): stop words first, the last first, then the most common words. Phrases stay.
    fn choose<'c>(&self, positive: &[(usize, &'c Clause)]) -> (Vec<(usize, &'c Clause)>, Vec<(usize, String)>) {
        let words = |clause: &Clause| clause.text.split(' ').count();
        let mut total: usize = positive.iter().map(|(_, clause)| words(clause)).sum();
        if total <= MAX_QUERY_TERMS {
            return (positive.to_vec(), Vec::new());
        }
        let mut droppable: Vec<(bool, u64, usize)> = positive
            .iter()
            .enumerate()
            .filter(|(_, (_, clause))| !clause.phrase)
            .map(|(k, (_, clause))| (self.is_stop_word(clause), self.folded_doc_freq(&fold_word(&clause.text)), k))
            .collect();
        // Stop words first, then the commonest; among equals the later word.
        droppable.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
        let mut dropped = HashSet::new();
        for (_, _, k) in droppable {
            if total <= MAX_QUERY_TERMS {
                break;
            }
            total -= words(positive[k].1);
            dropped.insert(k);
        }
        let mut kept = Vec::new();
        let mut ignored = Vec::new();
        for (k, (index, clause)) in positive.iter().enumerate() {
            if dropped.contains(&k) {
                ignored.push((*index, clause.text.clone()));
            } else {
                kept.push((*index, *clause));
            }
        }
        (kept, ignored)
    }

    /// If the words at the start of `run` (2 to 4 plain words) name a vocabulary term, one unit
    /// for them: every word, or the term.
    fn vocabulary_run(&mut self, run: &[(usize, &Clause)], highlight: &mut Highlight) -> Option<(usize, Unit)> {
        let plain = run.iter().take_while(|(_, clause)| !clause.phrase).count().min(MAX_LABEL_WORDS);
        for len in (2..=plain).rev() {
            let text = run[..len].iter().map(|(_, clause)| clause.text.as_str()).collect::<Vec<_>>().join(" ");
            let terms = self.expansions.lookup(self.analyzers, &text);
            if terms.is_empty() {
                continue;
            }
            let mut weight = 0.0;
            let mut words: Clauses = Vec::new();
            for (_, clause) in &run[..len] {
                let (exact, df) = self.exact_unit(clause, true, highlight);
                if !self.is_stop_word(clause) {
                    weight += idf(df, self.searcher.num_docs());
                }
                words.push((Occur::Must, exact));
            }
            let exact = BooleanQuery::new(vec![
                (Occur::Should, Box::new(BooleanQuery::new(words)) as Box<dyn Query>),
                (Occur::Should, self.vocabulary_query(&terms, VOCABULARY_WEIGHT * len as Score).0),
            ]);
            return Some((len, Unit { exact: Box::new(exact), loose: None, weight, required: false }));
        }
        None
    }

    /// The unit of one clause, or `None` for a word found nowhere in the collection (not even
    /// through a typo or the vocabulary).
    fn unit(
        &mut self,
        clause: &Clause,
        prefix: bool,
        stop: bool,
        typos: bool,
        correct: bool,
        highlight: &mut Highlight,
    ) -> Option<Unit> {
        let n = self.searcher.num_docs();
        if stop {
            let folded = self.analyzers.folded(&clause.text);
            if folded.is_empty() {
                return None;
            }
            let exact = boosted(self.group_query(&self.folded_group(), &folded, &mut 0), FOLD_BOOST);
            return Some(Unit { exact, loose: None, weight: 0.0, required: false });
        }
        let (mut exact, mut df) = self.exact_unit(clause, true, highlight);
        if clause.phrase {
            // Quotes in a typed query ask for the phrase; in pasted text they are the text's own.
            let required = clause.quoted && typos;
            return Some(Unit { exact, loose: None, weight: idf(df, n), required });
        }
        let vocabulary = self.expansions.lookup(self.analyzers, &clause.text);
        if !vocabulary.is_empty() {
            // The text's words and the case's tags are two kinds of evidence: they add up.
            let (terms, tagged) = self.vocabulary_query(&vocabulary, VOCABULARY_WEIGHT);
            df = df.max(tagged);
            exact = Box::new(BooleanQuery::new(vec![(Occur::Should, exact), (Occur::Should, terms)]));
        }
        let folded = fold_word(&clause.text);
        let letters = clause.text.chars().filter(|c| c.is_alphanumeric()).count();
        let distance = match letters {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        // A word found as typed in many cases is spelled as people spell it: typo variants
        // would only add other words, and its prefix completions matter less.
        let as_typed = self.folded_doc_freq(&folded).max(self.folded_title_doc_freq(&folded));
        let common = as_typed >= (n / COMMON_SHARE).max(COMMON_MIN);
        let mut loose: Clauses = Vec::new();
        // The weight of the spelling searched instead of a misspelt word.
        let mut corrected_weight = None;
        if typos && distance > 0 && !common {
            let candidates = self.fuzzy_terms(&folded, distance);
            // The closest spelling in the word's script, the most frequent of those equally close.
            let mut ranked: Vec<&(String, u64)> = candidates
                .iter()
                .filter(|(_, df)| correct && vocabulary.is_empty() && *df >= MISSPELT_RATIO * as_typed)
                .collect();
            ranked.sort_by_key(|(candidate, df)| (strsim::osa_distance(candidate, &folded), std::cmp::Reverse(*df)));
            let closest = ranked
                .into_iter()
                .take(MAX_SPELLINGS_TRIED)
                .find_map(|(candidate, _)| self.surface(candidate, &clause.text));
            match closest {
                // A word the collection lacks as typed, or has far less often than a spelling one
                // letter off, is misspelt (Xapian's spelling correction, made stricter): it finds
                // what that spelling finds (its vocabulary terms, its variants), a little below
                // the words of the query that are typed right; as typed, it counts as a variant.
                Some(spelling) => {
                    let correction = Clause { text: spelling, count: 1, ..clause.clone() };
                    if let Some(corrected) = self.unit(&correction, false, false, typos, false, highlight) {
                        corrected_weight = Some(corrected.weight);
                        loose.push((Occur::Should, boosted(exact, FUZZY_BOOST)));
                        if let Some(variants) = corrected.loose {
                            loose.push((Occur::Should, boosted(variants, CORRECTED_BOOST)));
                        }
                        exact = boosted(corrected.exact, CORRECTED_BOOST);
                    }
                }
                _ => {
                    let candidates: Vec<String> = candidates.into_iter().map(|(candidate, _)| candidate).collect();
                    highlight.folded.extend(candidates.iter().cloned());
                    loose.extend(self.expanded(&candidates, FUZZY_BOOST));
                }
            }
        }
        if prefix && letters >= 2 {
            // The word itself is already an exact match.
            let mut terms: Vec<String> =
                self.prefix_terms(&folded).into_iter().filter(|term| *term != folded).collect();
            if common {
                terms.truncate(COMMON_PREFIX_EXPANSIONS);
            }
            if df == 0 {
                df = terms.first().map_or(0, |term| self.folded_doc_freq(term));
            }
            highlight.prefixes.push(folded);
            loose.extend(self.expanded(&terms, PREFIX_BOOST));
        }
        if df == 0 && vocabulary.is_empty() && corrected_weight.is_none() {
            return None;
        }
        let loose = (!loose.is_empty()).then(|| Box::new(BooleanQuery::new(loose)) as Box<dyn Query>);
        Some(Unit { exact, loose, weight: corrected_weight.unwrap_or_else(|| idf(df, n)), required: false })
    }

    /// Exact matches of a word or phrase: the best of its fields, in every language written in
    /// its script and the folded fields, and the documents the most inclusive of its terms is
    /// found in.
    fn exact_unit(&mut self, clause: &Clause, mark: bool, highlight: &mut Highlight) -> (Box<dyn Query>, u64) {
        let mut queries: Vec<Box<dyn Query>> = Vec::new();
        let mut df = 0;
        for lang in Lang::ALL.into_iter().filter(|&lang| written_in_script_of(lang, &clause.text)) {
            let stems = self.analyzers.stems(lang, &clause.text);
            if stems.is_empty() {
                continue;
            }
            let i = lang.index();
            let group = [
                (self.fields.title[i], TITLE_WEIGHT),
                (self.fields.summary[i], SUMMARY_WEIGHT),
                (self.fields.body[i], BODY_WEIGHT),
            ];
            queries.push(self.group_query(&group, &stems, &mut df));
            if mark {
                highlight.stems[i].extend(stems.into_iter().filter(|stem| !self.expansions.stop_words.contains(stem)));
            }
        }
        let folded = self.analyzers.folded(&clause.text);
        if !folded.is_empty() {
            let query = self.group_query(&self.folded_group(), &folded, &mut df);
            queries.push(boosted(query, FOLD_BOOST));
            if mark {
                highlight.folded.extend(folded.into_iter().filter(|word| !self.expansions.stop_words.contains(word)));
            }
        }
        if clause.phrase {
            // A phrase is as informative as its rarest word.
            df = clause
                .text
                .split(' ')
                .filter(|word| !self.expansions.stop_words.contains(&fold_word(word)))
                .map(|word| self.folded_doc_freq(&fold_word(word)))
                .min()
                .unwrap_or(0);
        }
        (Box::new(DisjunctionMaxQuery::with_tie_breaker(queries, FIELD_TIE)), df)
    }

    /// The folded title and text, weighted.
    fn folded_group(&self) -> [(Field, Score); 2] {
        [(self.fields.fold_title, FOLD_TITLE_WEIGHT), (self.fields.fold_text, FOLD_TEXT_WEIGHT)]
    }

    /// A word's BM25F over a group of weighted fields (a phrase: the best field's phrase
    /// match, weighted); raises `df` to the word's document frequency in the group.
    fn group_query(&self, group: &[(Field, Score)], terms: &[String], df: &mut u64) -> Box<dyn Query> {
        if let [term] = terms {
            for &(field, _) in group {
                *df = (*df).max(self.searcher.doc_freq(&Term::from_field_text(field, term)).unwrap_or(0));
            }
            return Box::new(Bm25fQuery::new(group, term));
        }
        let phrases = group.iter().map(|&(field, weight)| boosted(words_query(field, terms), weight)).collect();
        Box::new(DisjunctionMaxQuery::new(phrases))
    }

    /// Exact matches of a clause, as one query (for exclusions).
    fn exact_query(&mut self, clause: &Clause) -> Box<dyn Query> {
        self.exact_unit(clause, false, &mut Highlight::default()).0
    }

    /// Neighbouring significant words standing close together, in the text of each language
    /// written in their script.
    fn proximity(&mut self, words: &[&Clause]) -> Vec<Box<dyn Query>> {
        let mut queries = Vec::new();
        let pairs = words.len().saturating_sub(1).clamp(1, MAX_PROXIMITY_PAIRS);
        let boost = PROXIMITY_BOOST * (PROXIMITY_FULL_PAIRS as Score / pairs as Score).min(1.0);
        for pair in words.windows(2).take(MAX_PROXIMITY_PAIRS) {
            for lang in Lang::ALL {
                if !(written_in_script_of(lang, &pair[0].text) && written_in_script_of(lang, &pair[1].text)) {
                    continue;
                }
                let (first, second) =
                    (self.analyzers.stems(lang, &pair[0].text), self.analyzers.stems(lang, &pair[1].text));
                let ([first], [second]) = (first.as_slice(), second.as_slice()) else { continue };
                let field = self.fields.body[lang.index()];
                let mut phrase =
                    PhraseQuery::new(vec![Term::from_field_text(field, first), Term::from_field_text(field, second)]);
                phrase.set_slop(PROXIMITY_SLOP);
                queries.push(boosted(Box::new(phrase), boost));
            }
        }
        queries
    }

    /// The cases tagged with any of `terms`, each scoring `scale` times the tag's IDF; and the
    /// most cases one of the tags is on.
    fn vocabulary_query(&self, terms: &[(Facet, String)], scale: Score) -> (Box<dyn Query>, u64) {
        let n = self.searcher.num_docs();
        let mut most = 0;
        let clauses: Clauses = terms
            .iter()
            .map(|(facet, id)| {
                let term = Term::from_field_text(self.fields.facet(*facet), id);
                // A tag on every case tells nothing: it scores as rare as it is.
                let df = self.searcher.doc_freq(&term).unwrap_or(0);
                most = most.max(df);
                let query = TermQuery::new(term, IndexRecordOption::Basic);
                (Occur::Should, Box::new(ConstScoreQuery::new(Box::new(query), scale * idf(df, n))) as Box<dyn Query>)
            })
            .collect();
        (Box::new(BooleanQuery::new(clauses)), most)
    }

    /// Term queries on both folded fields for expanded terms.
    fn expanded(&self, terms: &[String], boost: Score) -> Clauses {
        terms
            .iter()
            .flat_map(|term| {
                self.folded_group().map(|(field, field_boost)| {
                    (
                        Occur::Should,
                        boosted(
                            Box::new(TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs)),
                            boost * field_boost,
                        ),
                    )
                })
            })
            .collect()
    }

    /// Folded terms within `distance` edits of `word` (not `word` itself) that start with the
    /// same letter, most frequent first. Keeping the first letter bounds the dictionary walk to
    /// that letter's range, as engines commonly do; a typo in the first letter is not corrected.
    /// The word as the collection writes it whose folded form is `folded`, in the script of
    /// `typed` (its commonest form, lower case, in the first case that has it): the folded
    /// fields lose what tells languages apart (diacritics, `c` from `k`, the script), and the
    /// word is searched as written.
    fn surface(&self, folded: &str, typed: &str) -> Option<String> {
        let script = |text: &str| Lang::ALL.map(|lang| written_in_script_of(lang, text));
        let fields = [self.fields.fold_text, self.fields.fold_title];
        for (ord, segment, field) in self
            .searcher
            .segment_readers()
            .iter()
            .enumerate()
            .flat_map(|(ord, segment)| fields.map(|field| (ord, segment, field)))
        {
            let term = Term::from_field_text(field, folded);
            let Ok(index) = segment.inverted_index(field) else { continue };
            let Ok(Some(postings)) = index.read_postings(&term, IndexRecordOption::Basic) else { continue };
            let doc = postings.doc();
            if doc == TERMINATED {
                continue;
            }
            let stored: TantivyDocument = self.searcher.doc(DocAddress::new(ord as u32, doc)).ok()?;
            let text = stored.get_first(self.fields.data).and_then(|value| value.as_str())?;
            let mut forms: HashMap<String, u32> = HashMap::new();
            let words = text.split(|c: char| !c.is_alphanumeric());
            for word in words.filter(|word| fold_word(word) == folded && script(word) == script(typed)) {
                *forms.entry(word.to_lowercase()).or_default() += 1;
            }
            if let Some((form, _)) = forms.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))) {
                return Some(form);
            }
        }
        None
    }

    fn fuzzy_terms(&self, word: &str, distance: u8) -> Vec<(String, u64)> {
        let mut found: HashMap<String, u64> = HashMap::new();
        for field in [self.fields.fold_text, self.fields.fold_title] {
            for (term, df) in self.fuzzy_terms_in(field, word, distance) {
                let most = found.entry(term).or_default();
                *most = (*most).max(df);
            }
        }
        most_frequent_counted(found)
    }

    /// The folded terms of `field` at most `distance` edits from `word` (with its first letter),
    /// with their document frequencies.
    fn fuzzy_terms_in(&self, field: Field, word: &str, distance: u8) -> HashMap<String, u64> {
        let automaton_query = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
        let Some(first) = word.chars().next() else { return HashMap::new() };
        let mut low = [0u8; 4];
        let low = first.encode_utf8(&mut low).as_bytes().to_vec();
        let mut high = low.clone();
        high.push(0xff);
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else { continue };
            let Ok(automaton) = automaton_query.automaton() else { return HashMap::new() };
            let Ok(mut stream) = index.terms().search(automaton).ge(&low).lt(&high).into_stream() else { continue };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key())
                    && term != word
                {
                    *found.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        found
    }

    /// Folded terms starting with `prefix`, most frequent first.
    fn prefix_terms(&self, prefix: &str) -> Vec<String> {
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(self.fields.fold_text) else { continue };
            let Ok(mut stream) = index.terms().range().ge(prefix.as_bytes()).lt(&upper).into_stream() else { continue };
            let mut scanned = 0;
            while scanned < PREFIX_SCAN && stream.advance() {
                scanned += 1;
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *found.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        most_frequent(found)
    }
}

fn most_frequent(found: HashMap<String, u64>) -> Vec<String> {
    most_frequent_counted(found).into_iter().map(|(term, _)| term).collect()
}

/// The [`MAX_EXPANSIONS`] most frequent of `found`, with their document frequencies.
fn most_frequent_counted(found: HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut terms: Vec<(String, u64)> = found.into_iter().collect();
    terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(MAX_EXPANSIONS);
    terms
}

/// Whether text in `lang` can contain `text`'s words as its own (stemmed) words: Latin letters
/// for English and Romanian, Cyrillic for Ukrainian and Russian, Greek for Greek. Names written
/// in another script inside a text (a Latin name in Ukrainian) are still found through the
/// folded fields; skipping the other languages' fields keeps each word to a few term look-ups.
fn written_in_script_of(lang: Lang, text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
    if letters.peek().is_none() {
        return true;
    }
    letters.any(|c| match lang {
        Lang::En | Lang::Ro => c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c),
        Lang::Uk | Lang::Ru => ('\u{0400}'..='\u{04FF}').contains(&c),
        Lang::El => ('\u{0370}'..='\u{03FF}').contains(&c) || ('\u{1F00}'..='\u{1FFF}').contains(&c),
    })
}

/// A term query for one word, a phrase query for several.
fn words_query(field: Field, words: &[String]) -> Box<dyn Query> {
    if let [word] = words {
        Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new(words.iter().map(|word| Term::from_field_text(field, word)).collect()))
    }
}

fn boosted(query: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
    if boost == 1.0 { query } else { Box::new(BoostQuery::new(query, boost)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str, phrase: bool, negated: bool) -> Clause {
        Clause { text: text.into(), phrase, quoted: phrase && text.contains(' '), negated, count: 1 }
    }

    #[test]
    fn parses_words_phrases_and_exclusions() {
        let parsed = ParsedQuery::parse(r#"coding "public libraries" -adults -"online course" clubs"#);
        assert_eq!(
            parsed.clauses,
            [
                clause("coding", false, false),
                clause("public libraries", true, false),
                clause("adults", false, true),
                clause("online course", true, true),
                clause("clubs", false, false),
            ]
        );
        assert!(parsed.prefix_last);
        assert!(!ParsedQuery::parse("coding ").prefix_last);
    }

    #[test]
    fn operators_alone_are_not_errors() {
        for input in ["- *", "-", "\"", "\"\"", "***", "-\"", "((((a))))", "a -", "- - -", "\u{0}", "AND OR NOT"] {
            let parsed = ParsedQuery::parse(input);
            assert!(parsed.clauses.iter().all(|c| !c.text.is_empty()), "{input}: {parsed:?}");
        }
        assert!(ParsedQuery::parse("- *").is_empty());
        assert_eq!(ParsedQuery::parse("((((a))))").clauses, [clause("a", false, false)]);
    }

    #[test]
    fn punctuation_inside_a_word_makes_a_phrase() {
        let e_mail = Clause { text: "e mail".into(), phrase: true, quoted: false, negated: false, count: 1 };
        assert_eq!(ParsedQuery::parse("e-mail").clauses, [e_mail]);
    }

    #[test]
    fn a_word_given_twice_counts_once() {
        let parsed = ParsedQuery::parse("word Word WORD other word");
        assert_eq!(
            parsed.clauses,
            [Clause { count: 4, ..clause("word", false, false) }, clause("other", false, false)]
        );
    }

    #[test]
    fn a_long_text_is_cut_at_a_word_boundary() {
        let long = "bibliotecă ".repeat(MAX_QUERY_CHARS);
        let parsed = ParsedQuery::parse(&format!("{long}x"));
        assert!(parsed.cut);
        assert!(!parsed.prefix_last, "the last word kept is whole");
        assert_eq!(cut_at_word("one two three", 9), ("one two", true));
        assert_eq!(cut_at_word("one two", 9), ("one two", false));
        assert_eq!(cut_at_word("abcdefghijkl", 5), ("abcde", true));
        assert!(!ParsedQuery::parse("short").cut);
    }
}
