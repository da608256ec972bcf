//! BM25F: one word scored over a group of fields at once (a language's title, summary and
//! body; or the folded title and text), as BM25 scores one bag of words, but with field weights.
//!
//! The word's frequency in each field is multiplied by the field's weight and summed, and so is
//! the document's length in each field; the sum is then saturated once (k1 = 1.2, b = 0.75, as
//! tantivy's and the peers' BM25) against the group's weighted average length. So a word in the
//! title counts as several occurrences in a text, not as a second, separately saturated score,
//! and a document is not rewarded for repeating the word in every field (Robertson, Zaragoza
//! and Taylor, "Simple BM25 extension to multiple weighted fields", 2004).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

const K1: Score = 1.2;
const B: Score = 0.75;

/// BM25's inverse document frequency of a term found in `df` of `n` documents, smoothed as
/// Lucene's and tantivy's: a word in most documents still weighs a little. Robertson and Spärck
/// Jones's unsmoothed one (Xapian's, SQLite FTS5's) ranks MED slightly better (nDCG@10 0.716
/// against 0.708 with `cargo xtask relevance`), but gives nothing to a word most cases share,
/// so in a small collection "libraries" in a title stops counting.
pub fn idf(df: u64, n: u64) -> Score {
    let (df, n) = (df as Score, n.max(1) as Score);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// One term in a group of weighted fields.
#[derive(Clone, Debug)]
pub struct Bm25fQuery {
    /// The term in each field of the group, with the field's weight.
    terms: Vec<(Term, Score)>,
}

impl Bm25fQuery {
    /// `text` in each of `fields`, weighted.
    pub fn new(fields: &[(Field, Score)], text: &str) -> Bm25fQuery {
        Bm25fQuery {
            terms: fields.iter().map(|&(field, weight)| (Term::from_field_text(field, text), weight)).collect(),
        }
    }

    fn terms(&self) -> impl Iterator<Item = (&Term, Score)> + '_ {
        self.terms.iter().map(|(term, weight)| (term, *weight))
    }
}

impl Query for Bm25fQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let (idf, average) = match enable_scoring {
            EnableScoring::Enabled { statistics_provider: stats, .. } => {
                let n = stats.total_num_docs()?;
                let mut df = 0;
                let mut average = 0.0;
                for (term, weight) in self.terms() {
                    // The group's document frequency: at least that of its most frequent field.
                    df = df.max(stats.doc_freq(term)?);
                    average += weight * stats.total_num_tokens(term.field())? as Score / n.max(1) as Score;
                }
                (idf(df, n), average.max(1.0))
            }
            EnableScoring::Disabled { .. } => (1.0, 1.0),
        };
        Ok(Box::new(Bm25fWeight { query: self.clone(), idf, average }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

struct Bm25fWeight {
    query: Bm25fQuery,
    idf: Score,
    average: Score,
}

impl Weight for Bm25fWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut postings = Vec::new();
        let mut norms = Vec::new();
        for (term, weight) in self.query.terms() {
            let field = term.field();
            norms.push((reader.get_fieldnorms_reader(field)?, weight));
            if let Some(found) = reader.inverted_index(field)?.read_postings(term, IndexRecordOption::WithFreqs)? {
                postings.push((found, weight));
            }
        }
        if postings.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let mut scorer = Bm25fScorer { postings, norms, idf: self.idf * boost, average: self.average, doc: 0 };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::ranking::explain_by_scoring(self, reader, doc, "BM25F over weighted fields")
    }
}

struct Bm25fScorer {
    postings: Vec<(SegmentPostings, Score)>,
    norms: Vec<(FieldNormReader, Score)>,
    idf: Score,
    average: Score,
    doc: DocId,
}

impl Bm25fScorer {
    fn settle(&mut self) {
        self.doc = self.postings.iter().map(|(p, _)| p.doc()).min().unwrap_or(TERMINATED);
    }
}

impl DocSet for Bm25fScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for (postings, _) in &mut self.postings {
            if postings.doc() == doc {
                postings.advance();
            }
        }
        self.settle();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for (postings, _) in &mut self.postings {
            if postings.doc() < target {
                postings.seek(target);
            }
        }
        self.settle();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings.iter().map(|(p, _)| p.size_hint()).fold(0, u32::saturating_add)
    }
}

impl Scorer for Bm25fScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let frequency: Score =
            self.postings.iter().filter(|(p, _)| p.doc() == doc).map(|(p, w)| w * p.term_freq() as Score).sum();
        let length: Score = self.norms.iter().map(|(norms, w)| w * norms.fieldnorm(doc) as Score).sum();
        let normalized = length / self.average;
        self.idf * frequency * (K1 + 1.0) / (frequency + K1 * (1.0 - B + B * normalized))
    }
}
