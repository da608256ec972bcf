//! Query building: user text becomes a tantivy query in code, never through tantivy's
//! `QueryParser` (which panics on inputs like `- *`, tantivy #3031, and is exponential in nesting
//! depth, #2498).
//!
//! Semantics, in the order they are applied:
//! - The text is NFC-normalised and split into words, `"quoted phrases"` and `-exclusions`
//!   (`-word` or `-"a phrase"`). Characters that are neither letters nor digits only separate
//!   words, so no input is a syntax error. At most [`MAX_QUERY_TERMS`] words count.
//! - Every word must match (stop words such as "de", "the", "та" only add to the score), in any
//!   language's field: title (boost 3) > summary (2) > body (1), analysed with that language's
//!   stemmer, or the folded cross-script fields (title 1.5, text 0.5).
//! - A word that is a label or synonym of a theme, audience or organisation type, or a country's
//!   name, in any language, also matches the cases tagged with it; so does a run of up to four
//!   words ("active citizenship", "Republica Moldova").
//! - Typos: a word of 5 or more letters also matches folded terms 1 edit away, 9 or more 2 edits
//!   away (the [`MAX_EXPANSIONS`] most frequent, starting with the same letter), unless the word
//!   itself is common in the collection. Exact and vocabulary matches get a tier bonus
//!   ([`EXACT_TIER`]) so they always rank above typo-only matches.
//! - While typing, the last word also matches as a prefix (the most frequent expansions).
//! - If nothing matches every word, [`QueryPlan::relaxed`] asks for any word instead.
//!
//! Cost is bounded: the query length ([`model::api::MAX_QUERY_CHARS`]), the number of words,
//! the expansions per word, and the automaton distance are all capped.

use super::analysis::{self, fold_word};
use super::schema::{Facet, Fields};
use model::api::MAX_QUERY_TERMS;
use model::vocabulary::Kind;
use model::{Lang, Vocabulary};
use std::collections::{HashMap, HashSet};
use std::fmt;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Explanation, FuzzyTermQuery, Occur, PhraseQuery, Query,
    Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term};

/// Typo and prefix expansions kept per word.
pub const MAX_EXPANSIONS: usize = 10;
/// Terms scanned in the dictionary per prefix before keeping the most frequent.
const PREFIX_SCAN: usize = 256;
/// Added to the score of a document for each word it matches exactly or through the vocabulary.
pub const EXACT_TIER: Score = 1000.0;
/// A word in at least this share of the cases (1 in N), and at least [`COMMON_MIN`] of them, is
/// common: no typo expansion, fewer prefix completions.
const COMMON_SHARE: u64 = 500;
const COMMON_MIN: u64 = 20;
const COMMON_PREFIX_EXPANSIONS: usize = 3;
/// Words per vocabulary label looked for in the query.
const MAX_LABEL_WORDS: usize = 4;

const TITLE_BOOST: Score = 3.0;
const SUMMARY_BOOST: Score = 2.0;
const BODY_BOOST: Score = 1.0;
const FOLD_TITLE_BOOST: Score = 1.5;
const FOLD_TEXT_BOOST: Score = 0.5;
const FUZZY_BOOST: Score = 0.2;
const PREFIX_BOOST: Score = 0.5;
const VOCABULARY_SCORE: Score = 2.0;

/// Words that never have to match on their own, in every language (compared folded).
const STOP_WORDS: &str = "a an and are as at be by for from in is it of on or the to with \
    al ale și în la de din pe cu pentru un o ca sau ce care este sunt mai prin \
    і й та в у на з із до для що це як або а \
    и в во на с со к по для что это как или не \
    και το τα η ο οι της του των τη την τον τις τους σε στο στη στην στον στα στις στους με για από \
    ένα μια να ή που ως κατά είναι";

/// One part of the user's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// NFC-normalised text: one word, or the words of a phrase.
    pub text: String,
    pub phrase: bool,
    pub negated: bool,
}

/// The user's text, split.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    /// The last clause is a word still being typed (no space after it).
    pub prefix_last: bool,
}

impl ParsedQuery {
    /// Splits user text; never fails.
    pub fn parse(text: &str) -> ParsedQuery {
        let text = analysis::normalize(text);
        let mut clauses = Vec::new();
        let mut chars = text.chars().peekable();
        let mut words = 0;
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
            if tokens.is_empty() || words >= MAX_QUERY_TERMS {
                continue;
            }
            let room = MAX_QUERY_TERMS - words;
            let tokens: Vec<&str> = tokens.into_iter().take(room).collect();
            words += tokens.len();
            clauses.push(Clause { text: tokens.join(" "), phrase: phrase || tokens.len() > 1, negated });
        }
        let prefix_last = matches!(clauses.last(), Some(Clause { phrase: false, negated: false, .. }))
            && text.chars().last().is_some_and(|c| c.is_alphanumeric());
        ParsedQuery { clauses, prefix_last }
    }

    pub fn is_empty(&self) -> bool {
        !self.clauses.iter().any(|clause| !clause.negated)
    }
}

/// The words of `raw`: runs of letters and digits.
fn word_tokens(raw: &str) -> Vec<&str> {
    raw.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect()
}

/// The terms a snippet highlights.
#[derive(Clone, Debug, Default)]
pub struct Highlight {
    /// Per language, the stemmed query terms.
    pub stems: [HashSet<String>; 5],
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
    /// Every word must match.
    pub strict: Box<dyn Query>,
    /// Any word may match; used when `strict` finds nothing. `None` with a single word.
    pub relaxed: Option<Box<dyn Query>>,
    pub highlight: Highlight,
}

/// Labels and synonyms of the vocabulary, analysed, for query expansion.
#[derive(Clone, Debug, Default)]
pub struct Expansions {
    /// Analysed name (`f:` + folded words, or `<lang>:` + stemmed words) → the facet values it
    /// names.
    names: HashMap<String, Vec<(Facet, String)>>,
    /// [`STOP_WORDS`], folded.
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
        Expansions { names, stop_words: STOP_WORDS.split_whitespace().map(fold_word).collect() }
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
    lang: [TextAnalyzer; 5],
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
        let last = positive.last().map(|(i, _)| *i);
        let all_stop_words = positive.iter().all(|(_, clause)| self.is_stop_word(clause));

        // Word groups, with runs of words that name a vocabulary term merged into one group.
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut i = 0;
        while i < positive.len() {
            if let Some((len, group)) = self.vocabulary_run(&positive[i..], last, parsed.prefix_last, &mut highlight) {
                groups.push((Occur::Must, group));
                i += len;
                continue;
            }
            let (index, clause) = positive[i];
            let prefix = parsed.prefix_last && Some(index) == last;
            let group = self.clause_group(clause, prefix, true, &mut highlight);
            let occur = if !all_stop_words && self.is_stop_word(clause) { Occur::Should } else { Occur::Must };
            groups.push((occur, group));
            i += 1;
        }

        let exclusions: Clauses = parsed
            .clauses
            .iter()
            .filter(|clause| clause.negated)
            .map(|clause| (Occur::MustNot, self.exact(clause, &mut Highlight::default())))
            .collect();

        let relaxed = (groups.len() > 1).then(|| {
            let mut any: Clauses = groups.iter().map(|(_, group)| (Occur::Should, group.box_clone())).collect();
            any.extend(exclusions.iter().map(|(occur, query)| (*occur, query.box_clone())));
            Box::new(BooleanQuery::new(any)) as Box<dyn Query>
        });
        // A single required group needs no conjunction around it.
        if groups.len() == 1 && exclusions.is_empty() && groups[0].0 == Occur::Must {
            let (_, group) = groups.pop().expect("one group");
            return QueryPlan { strict: group, relaxed, highlight };
        }
        let mut strict = groups;
        strict.extend(exclusions);
        QueryPlan { strict: Box::new(BooleanQuery::new(strict)), relaxed, highlight }
    }

    /// A query matching documents that contain none of the excluded clauses, for a query that has
    /// only exclusions.
    pub fn exclusions_only(&mut self, parsed: &ParsedQuery) -> Box<dyn Query> {
        let mut clauses: Clauses = vec![(Occur::Must, Box::new(tantivy::query::AllQuery))];
        for clause in parsed.clauses.iter().filter(|clause| clause.negated) {
            clauses.push((Occur::MustNot, self.exact(clause, &mut Highlight::default())));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn is_stop_word(&self, clause: &Clause) -> bool {
        !clause.phrase && self.expansions.stop_words.contains(fold_word(&clause.text).as_str())
    }

    /// If the words at the start of `run` (2 to 4 plain words) name a vocabulary term, one group
    /// for them: every word, or the term.
    fn vocabulary_run(
        &mut self,
        run: &[(usize, &Clause)],
        last: Option<usize>,
        prefix_last: bool,
        highlight: &mut Highlight,
    ) -> Option<(usize, Box<dyn Query>)> {
        let plain = run.iter().take_while(|(_, clause)| !clause.phrase).count().min(MAX_LABEL_WORDS);
        for len in (2..=plain).rev() {
            let text = run[..len].iter().map(|(_, clause)| clause.text.as_str()).collect::<Vec<_>>().join(" ");
            let terms = self.expansions.lookup(self.analyzers, &text);
            if terms.is_empty() {
                continue;
            }
            let words: Clauses = run[..len]
                .iter()
                .map(|(index, clause)| {
                    let prefix = prefix_last && Some(*index) == last;
                    (Occur::Must, self.clause_group(clause, prefix, false, highlight))
                })
                .collect();
            let tagged = Shift::boxed(self.vocabulary_query(&terms), EXACT_TIER * len as Score);
            let group = BooleanQuery::new(vec![
                (Occur::Should, Box::new(BooleanQuery::new(words)) as Box<dyn Query>),
                (Occur::Should, tagged),
            ]);
            return Some((len, Box::new(group)));
        }
        None
    }

    /// The group for one positive clause: exact (and vocabulary) matches with the tier bonus, or
    /// typo and prefix expansions without it.
    fn clause_group(
        &mut self,
        clause: &Clause,
        prefix: bool,
        expand: bool,
        highlight: &mut Highlight,
    ) -> Box<dyn Query> {
        // One flat union for the exact and vocabulary matches (nested unions cost a pass each).
        let mut exact = self.exact_clauses(clause, highlight);
        if expand && !clause.phrase {
            let terms = self.expansions.lookup(self.analyzers, &clause.text);
            exact.extend(self.vocabulary_clauses(&terms));
        }
        let mut group: Clauses = vec![(Occur::Should, Shift::boxed(Box::new(BooleanQuery::new(exact)), EXACT_TIER))];
        if !clause.phrase {
            let folded = fold_word(&clause.text);
            let letters = clause.text.chars().filter(|c| c.is_alphanumeric()).count();
            let distance = match letters {
                0..=4 => 0,
                5..=8 => 1,
                _ => 2,
            };
            // A word found as typed in many cases is spelled as people spell it: typo variants
            // would only add other words, and its prefix completions matter less.
            let common = self.searcher.doc_freq(&Term::from_field_text(self.fields.fold_text, &folded)).unwrap_or(0)
                >= (self.searcher.num_docs() / COMMON_SHARE).max(COMMON_MIN);
            if distance > 0 && !common {
                let terms = self.fuzzy_terms(&folded, distance);
                highlight.folded.extend(terms.iter().cloned());
                group.extend(self.expanded(&terms, FUZZY_BOOST));
            }
            if prefix && letters >= 2 {
                // The word itself is already an exact match.
                let mut terms: Vec<String> =
                    self.prefix_terms(&folded).into_iter().filter(|term| *term != folded).collect();
                if common {
                    terms.truncate(COMMON_PREFIX_EXPANSIONS);
                }
                highlight.prefixes.push(folded);
                group.extend(self.expanded(&terms, PREFIX_BOOST));
            }
        }
        Box::new(BooleanQuery::new(group))
    }

    /// Exact matches of a word or phrase in every language's fields and the folded fields.
    fn exact(&mut self, clause: &Clause, highlight: &mut Highlight) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(self.exact_clauses(clause, highlight)))
    }

    /// The term (or phrase) queries of [`Self::exact`], to put into a larger union.
    fn exact_clauses(&mut self, clause: &Clause, highlight: &mut Highlight) -> Clauses {
        let mut clauses: Clauses = Vec::new();
        for lang in Lang::ALL.into_iter().filter(|&lang| written_in_script_of(lang, &clause.text)) {
            let stems = self.analyzers.stems(lang, &clause.text);
            if stems.is_empty() {
                continue;
            }
            let i = lang.index();
            for (field, boost) in [
                (self.fields.title[i], TITLE_BOOST),
                (self.fields.summary[i], SUMMARY_BOOST),
                (self.fields.body[i], BODY_BOOST),
            ] {
                clauses.push((Occur::Should, boosted(words_query(field, &stems), boost)));
            }
            highlight.stems[i].extend(stems);
        }
        let folded = self.analyzers.folded(&clause.text);
        if !folded.is_empty() {
            for (field, boost) in [(self.fields.fold_title, FOLD_TITLE_BOOST), (self.fields.fold_text, FOLD_TEXT_BOOST)]
            {
                clauses.push((Occur::Should, boosted(words_query(field, &folded), boost)));
            }
            highlight.folded.extend(folded);
        }
        clauses
    }

    fn vocabulary_query(&self, terms: &[(Facet, String)]) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(self.vocabulary_clauses(terms)))
    }

    /// One constant-score clause per facet value.
    fn vocabulary_clauses(&self, terms: &[(Facet, String)]) -> Clauses {
        terms
            .iter()
            .map(|(facet, id)| {
                let term =
                    TermQuery::new(Term::from_field_text(self.fields.facet(*facet), id), IndexRecordOption::Basic);
                (Occur::Should, Box::new(ConstScoreQuery::new(Box::new(term), VOCABULARY_SCORE)) as Box<dyn Query>)
            })
            .collect()
    }

    /// Term queries on both folded fields for expanded terms.
    fn expanded(&self, terms: &[String], boost: Score) -> Clauses {
        terms
            .iter()
            .flat_map(|term| {
                [(self.fields.fold_title, FOLD_TITLE_BOOST), (self.fields.fold_text, FOLD_TEXT_BOOST)].map(
                    |(field, field_boost)| {
                        (
                            Occur::Should,
                            boosted(
                                Box::new(TermQuery::new(
                                    Term::from_field_text(field, term),
                                    IndexRecordOption::WithFreqs,
                                )),
                                boost * field_boost,
                            ),
                        )
                    },
                )
            })
            .collect()
    }

    /// Folded terms within `distance` edits of `word` (not `word` itself) that start with the
    /// same letter, most frequent first. Keeping the first letter bounds the dictionary walk to
    /// that letter's range, as engines commonly do; a typo in the first letter is not corrected.
    fn fuzzy_terms(&self, word: &str, distance: u8) -> Vec<String> {
        let automaton_query = FuzzyTermQuery::new(Term::from_field_text(self.fields.fold_text, word), distance, true);
        let Some(first) = word.chars().next() else { return Vec::new() };
        let mut low = [0u8; 4];
        let low = first.encode_utf8(&mut low).as_bytes().to_vec();
        let mut high = low.clone();
        high.push(0xff);
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(self.fields.fold_text) else { continue };
            let Ok(automaton) = automaton_query.automaton() else { return Vec::new() };
            let Ok(mut stream) = index.terms().search(automaton).ge(&low).lt(&high).into_stream() else { continue };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key())
                    && term != word
                {
                    *found.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        most_frequent(found)
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
    let mut terms: Vec<(String, u64)> = found.into_iter().collect();
    terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(MAX_EXPANSIONS);
    terms.into_iter().map(|(term, _)| term).collect()
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

/// Adds a constant to the score of every document its inner query matches: the tier bonus that
/// ranks exact matches above typo-only ones whatever their BM25 scores.
pub struct Shift {
    inner: Box<dyn Query>,
    amount: Score,
}

impl Shift {
    pub fn boxed(inner: Box<dyn Query>, amount: Score) -> Box<dyn Query> {
        Box::new(Shift { inner, amount })
    }
}

impl Clone for Shift {
    fn clone(&self) -> Self {
        Shift { inner: self.inner.box_clone(), amount: self.amount }
    }
}

impl fmt::Debug for Shift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Shift(+{}, {:?})", self.amount, self.inner)
    }
}

impl Query for Shift {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(enable_scoring)?;
        Ok(if enable_scoring.is_scoring_enabled() {
            Box::new(ShiftWeight { inner, amount: self.amount })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ShiftWeight {
    inner: Box<dyn Weight>,
    amount: Score,
}

impl Weight for ShiftWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ShiftScorer { inner: self.inner.scorer(reader, boost)?, amount: self.amount * boost }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation = Explanation::new("Shift", inner.value() + self.amount);
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct ShiftScorer {
    inner: Box<dyn Scorer>,
    amount: Score,
}

impl DocSet for ShiftScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for ShiftScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.amount
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str, phrase: bool, negated: bool) -> Clause {
        Clause { text: text.into(), phrase, negated }
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
        assert_eq!(ParsedQuery::parse("e-mail").clauses, [clause("e mail", true, false)]);
    }

    #[test]
    fn caps_the_number_of_words() {
        let long = "word ".repeat(MAX_QUERY_TERMS + 10);
        let words: usize = ParsedQuery::parse(&long).clauses.iter().map(|c| c.text.split(' ').count()).sum();
        assert_eq!(words, MAX_QUERY_TERMS);
    }
}
