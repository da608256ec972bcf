//! How a query's words become one ranked list: [`WordsQuery`].
//!
//! Each word of the query (or quoted phrase, or run of words naming a vocabulary term) is a
//! *unit* with two queries: its exact matches (BM25 over the text fields, with field weights,
//! plus vocabulary and cross-script matches) and its loose ones (typo and prefix expansions).
//! Stop words are units too, but weigh nothing: they add their (small) BM25 score and never make
//! a document match on their own.
//!
//! A document matches when the units it contains carry enough of the query's information: the
//! sum of their IDF must reach [`required_share`] of the whole query's. A one-word query needs
//! its word; a longer one needs half an average word's information, so a document lacking a
//! common word but holding a rare one is found, and one holding only a very common word is not.
//! This is the minimum-should-match of Lucene's engines, weighed by IDF instead of counted.
//!
//! Its score is BM25F (the sum over its units, [`super::bm25f`]) plus a bonus for query words
//! standing close together ([`WordsQuery::proximity`]). Matching more of the informative words
//! ranks higher by the IDF those words carry, a common word hardly matters, and nothing adds a
//! flat bonus per word. Documents that match every weighed unit exactly come first
//! ([`ALL_EXACT`]): a document missing a word, or matching one only through a typo or prefix
//! expansion, never outranks one that has them all. (A misspelt word's correction counts as the
//! word: "libary coding" ranks the cases with "library" and "coding" first.)

use std::fmt;
use tantivy::query::{BoostQuery, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Added to the score of documents that match every unit exactly.
pub const ALL_EXACT: Score = 1000.0;
/// BM25's saturation of a word the query repeats (k3): a word said twice weighs 1.8 times as
/// much, never more than 9 times. Measured on CISI's pasted abstracts (`cargo xtask relevance`):
/// 8 ranks better than Xapian's 1 and Okapi's 1000.
const K3: Score = 8.0;

/// The share of the query's information (IDF) a document must carry to match, for a query of
/// `units` weighed units: all of it for one, half an average unit's for more.
pub fn required_share(units: usize) -> Score {
    match units {
        0 => 0.0,
        1 => 1.0,
        n => 0.5 / n as Score,
    }
}

/// One unit of a query.
pub struct Unit {
    pub exact: Box<dyn Query>,
    pub loose: Option<Box<dyn Query>>,
    /// How informative the unit is (its IDF); 0 for a stop word.
    pub weight: Score,
    /// A quoted phrase: documents without it do not match.
    pub required: bool,
}

/// BM25's weight of a word the query has `count` times.
fn query_frequency(count: u32) -> Score {
    let count = count.max(1) as Score;
    (K3 + 1.0) * count / (K3 + count)
}

impl Unit {
    /// The unit of a word the query has `count` times.
    pub fn repeated(self, count: u32) -> Unit {
        if count <= 1 {
            return self;
        }
        let boost = query_frequency(count);
        let boost = |query: Box<dyn Query>| Box::new(BoostQuery::new(query, boost)) as Box<dyn Query>;
        Unit { exact: boost(self.exact), loose: self.loose.map(boost), ..self }
    }
}

impl Clone for Unit {
    fn clone(&self) -> Self {
        Unit {
            exact: self.exact.box_clone(),
            loose: self.loose.as_ref().map(|q| q.box_clone()),
            weight: self.weight,
            required: self.required,
        }
    }
}

/// The query's units, combined as the module says.
pub struct WordsQuery {
    pub units: Vec<Unit>,
    /// Queries that only add to the score of documents that match anyway: query words standing
    /// close together.
    pub proximity: Vec<Box<dyn Query>>,
}

impl Clone for WordsQuery {
    fn clone(&self) -> Self {
        WordsQuery { units: self.units.clone(), proximity: self.proximity.iter().map(|q| q.box_clone()).collect() }
    }
}

impl fmt::Debug for WordsQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordsQuery")
            .field("units", &self.units.iter().map(|u| (u.weight, u.required, &u.exact)).collect::<Vec<_>>())
            .field("proximity", &self.proximity.len())
            .finish()
    }
}

impl Query for WordsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let units = self
            .units
            .iter()
            .map(|unit| {
                Ok(UnitWeight {
                    exact: unit.exact.weight(enable_scoring)?,
                    loose: unit.loose.as_ref().map(|q| q.weight(enable_scoring)).transpose()?,
                    weight: unit.weight,
                    required: unit.required,
                })
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let proximity = if enable_scoring.is_scoring_enabled() {
            self.proximity.iter().map(|q| q.weight(enable_scoring)).collect::<tantivy::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let total: Score = units.iter().map(|u| u.weight).sum();
        let weighed = units.iter().filter(|u| u.weight > 0.0).count();
        // A query of stop words alone: any of them matches.
        let threshold = if weighed == 0 { 0.0 } else { required_share(weighed) * total };
        Ok(Box::new(WordsWeight { units, proximity, threshold }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for unit in &self.units {
            unit.exact.query_terms(visitor);
            if let Some(loose) = &unit.loose {
                loose.query_terms(visitor);
            }
        }
    }
}

struct UnitWeight {
    exact: Box<dyn Weight>,
    loose: Option<Box<dyn Weight>>,
    weight: Score,
    required: bool,
}

struct WordsWeight {
    units: Vec<UnitWeight>,
    proximity: Vec<Box<dyn Weight>>,
    threshold: Score,
}

impl Weight for WordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let units = self
            .units
            .iter()
            .map(|unit| {
                let exact = unit.exact.scorer(reader, boost)?;
                let loose = unit.loose.as_ref().map(|w| w.scorer(reader, boost)).transpose()?;
                Ok(UnitScorer {
                    exact_doc: exact.doc(),
                    loose_doc: loose.as_ref().map_or(TERMINATED, |l| l.doc()),
                    exact,
                    loose,
                    weight: unit.weight,
                    required: unit.required,
                })
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let proximity = self.proximity.iter().map(|w| w.scorer(reader, boost)).collect::<tantivy::Result<Vec<_>>>()?;
        let mut scorer =
            WordsScorer { units, proximity, threshold: self.threshold, doc: 0, all_exact: false, score: None };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_by_scoring(self, reader, doc, "words: BM25F + proximity (+ every unit exact)")
    }
}

/// `weight`'s explanation of `doc`: the score its scorer gives it, under `what`.
pub fn explain_by_scoring(
    weight: &dyn Weight,
    reader: &SegmentReader,
    doc: DocId,
    what: &'static str,
) -> tantivy::Result<Explanation> {
    let mut scorer = weight.scorer(reader, 1.0)?;
    if scorer.seek(doc) != doc {
        return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match")));
    }
    Ok(Explanation::new(what, scorer.score()))
}

struct UnitScorer {
    exact: Box<dyn Scorer>,
    loose: Option<Box<dyn Scorer>>,
    weight: Score,
    required: bool,
    /// Where `exact` and `loose` stand (`TERMINATED` without `loose`), kept here so that the
    /// scorer's loop, which looks at every unit for every document, makes no call to find out.
    exact_doc: DocId,
    loose_doc: DocId,
}

impl UnitScorer {
    /// The first document at or after the unit's position that it matches (exactly or loosely).
    fn doc(&self) -> DocId {
        self.exact_doc.min(self.loose_doc)
    }

    /// Moves past `doc` whichever of its scorers stands on it.
    fn step(&mut self, doc: DocId) {
        if self.exact_doc == doc {
            self.exact_doc = self.exact.advance();
        }
        if self.loose_doc == doc
            && let Some(loose) = self.loose.as_mut()
        {
            self.loose_doc = loose.advance();
        }
    }

    /// Moves its scorers to `target` or past it.
    fn seek(&mut self, target: DocId) {
        if self.exact_doc < target {
            self.exact_doc = self.exact.seek(target);
        }
        if self.loose_doc < target
            && let Some(loose) = self.loose.as_mut()
        {
            self.loose_doc = loose.seek(target);
        }
    }
}

/// The scorer of a [`WordsQuery`]. It finds which documents match from the units' positions
/// alone and scores a document only when asked ([`Scorer::score`]), so a collector that knows a
/// document cannot make its top ([`WordsScorer::all_exact`] is all it needs) skips the BM25F
/// sums of most of a long query's matches.
pub struct WordsScorer {
    units: Vec<UnitScorer>,
    proximity: Vec<Box<dyn Scorer>>,
    threshold: Score,
    doc: DocId,
    /// Whether the current document matches every weighed unit exactly.
    all_exact: bool,
    /// The current document's score, once asked for.
    score: Option<Score>,
}

impl WordsScorer {
    /// Whether the current document matches every weighed unit exactly, and so scores at least
    /// [`ALL_EXACT`]; any other document scores less.
    pub fn all_exact(&self) -> bool {
        self.all_exact
    }

    /// Moves to the first document at or after every unit's position that matches; the units
    /// stay on it.
    fn settle(&mut self) {
        loop {
            let doc = self.units.iter().map(UnitScorer::doc).min().unwrap_or(TERMINATED);
            if doc == TERMINATED {
                self.doc = TERMINATED;
                return;
            }
            let (mut matched, mut all_exact, mut missing_required) = (0.0, true, false);
            for unit in &self.units {
                if unit.exact_doc == doc || unit.loose_doc == doc {
                    matched += unit.weight;
                    all_exact &= unit.exact_doc == doc || unit.weight == 0.0;
                } else {
                    all_exact &= unit.weight == 0.0;
                    missing_required |= unit.required;
                }
            }
            if !missing_required && matched >= self.threshold && matched > 0.0 {
                self.doc = doc;
                self.all_exact = all_exact;
                self.score = None;
                return;
            }
            self.step(doc);
        }
    }

    /// The current document's score: BM25F over the units it matches (exactly, else loosely),
    /// the proximity bonus, and [`ALL_EXACT`] if it has every unit exactly.
    fn compute_score(&mut self) -> Score {
        let doc = self.doc;
        let mut text = 0.0;
        for unit in &mut self.units {
            if unit.exact_doc == doc {
                text += unit.exact.score();
            } else if unit.loose_doc == doc
                && let Some(loose) = unit.loose.as_mut()
            {
                text += loose.score();
            }
        }
        // The proximity scorers only ever move forward, so a document never scored is skipped.
        for extra in &mut self.proximity {
            if extra.doc() < doc {
                extra.seek(doc);
            }
            if extra.doc() == doc {
                text += extra.score();
            }
        }
        text + if self.all_exact { ALL_EXACT } else { 0.0 }
    }

    /// Moves every unit that stands on `doc` past it.
    fn step(&mut self, doc: DocId) {
        for unit in &mut self.units {
            unit.step(doc);
        }
    }
}

impl DocSet for WordsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.step(self.doc);
            self.settle();
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for unit in &mut self.units {
            unit.seek(target);
        }
        self.settle();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.units
            .iter()
            .map(|u| u.exact.size_hint().saturating_add(u.loose.as_ref().map_or(0, |l| l.size_hint())))
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.units.iter().map(|u| u.exact.cost() + u.loose.as_ref().map_or(0, |l| l.cost())).sum()
    }
}

impl Scorer for WordsScorer {
    fn score(&mut self) -> Score {
        match self.score {
            Some(score) => score,
            None => {
                let score = self.compute_score();
                self.score = Some(score);
                score
            }
        }
    }
}
