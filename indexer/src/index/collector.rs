//! One pass over the documents a query matches yields the best hits, the exact total and every
//! facet's counts. Filters are applied here rather than in the query: a document failing exactly
//! one facet's filter still counts for that facet (InstantSearch's disjunctive faceting), one
//! failing none is a hit.
//!
//! Facet values are read from [`Tables`]: per segment, one flat list of global value ids per
//! document (every facet's values together), built once from tantivy's fast fields, so counting
//! a document is one slice walk.
//!
//! Ranking by relevance, a document is scored only if it could enter the top: once the top is
//! full of documents with every word exactly ([`WordsScorer::all_exact`]), one without them can
//! only be counted, and its BM25F sums are never made.

use super::ranking::{ALL_EXACT, WordsScorer};
use super::schema::{Facet, Fields};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

pub const FIRST_YEAR: u64 = 1900;
pub const YEARS: usize = 201;
/// Years a case counts in for the period facet, at most.
const MAX_YEARS_PER_CASE: u16 = 40;

/// One segment's facet values and period numbers, by document.
struct SegmentTable {
    /// `values[offsets[doc]..offsets[doc + 1]]` are the document's value ids.
    offsets: Vec<u32>,
    values: Vec<u16>,
    start_year: Vec<u16>,
    end_year: Vec<u16>,
    start_key: Vec<u32>,
}

impl SegmentTable {
    fn values(&self, doc: DocId) -> &[u16] {
        let doc = doc as usize;
        &self.values[self.offsets[doc] as usize..self.offsets[doc + 1] as usize]
    }
}

/// Every facet value seen so far, all facets in one list; a value's id is its position.
#[derive(Clone, Default)]
pub struct Dictionaries {
    /// (facet index, value) by id.
    pub entries: Vec<(u8, String)>,
    ids: HashMap<(u8, String), u16>,
}

impl Dictionaries {
    fn id(&mut self, facet: usize, value: &str) -> tantivy::Result<u16> {
        let key = (facet as u8, value.to_owned());
        if let Some(&id) = self.ids.get(&key) {
            return Ok(id);
        }
        let id = u16::try_from(self.entries.len())
            .map_err(|_| tantivy::TantivyError::InternalError("more than 65,535 facet values".into()))?;
        self.entries.push(key.clone());
        self.ids.insert(key, id);
        Ok(id)
    }

    pub fn find(&self, facet: usize, value: &str) -> Option<u16> {
        self.ids.get(&(facet as u8, value.to_owned())).copied()
    }
}

/// The tables of one searcher's segments, shared by the queries on it.
pub struct Snapshot {
    segments: Vec<(SegmentId, Arc<SegmentTable>)>,
    pub dictionaries: Dictionaries,
}

impl Snapshot {
    fn table(&self, id: SegmentId) -> Option<Arc<SegmentTable>> {
        self.segments.iter().find(|(segment, _)| *segment == id).map(|(_, table)| table.clone())
    }
}

/// The engine's tables: built once per segment, reused by every query.
#[derive(Default)]
pub struct Tables {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    dictionaries: Dictionaries,
    segments: HashMap<SegmentId, Arc<SegmentTable>>,
    current: Option<Arc<Snapshot>>,
}

impl Tables {
    /// The tables for `searcher`'s segments, building those of new segments.
    pub fn snapshot(&self, searcher: &Searcher, fields: &Fields) -> tantivy::Result<Arc<Snapshot>> {
        let mut inner = self.inner.lock().expect("facet tables");
        let ids: Vec<SegmentId> = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
        if let Some(current) = &inner.current
            && current.segments.len() == ids.len()
            && current.segments.iter().zip(&ids).all(|((a, _), b)| a == b)
        {
            return Ok(current.clone());
        }
        let mut segments = Vec::with_capacity(ids.len());
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let table = match inner.segments.get(&id) {
                Some(table) => table.clone(),
                None => {
                    let table = Arc::new(build_table(segment, fields, &mut inner.dictionaries)?);
                    inner.segments.insert(id, table.clone());
                    table
                }
            };
            segments.push((id, table));
        }
        inner.segments.retain(|id, _| ids.contains(id));
        let snapshot = Arc::new(Snapshot { segments, dictionaries: inner.dictionaries.clone() });
        inner.current = Some(snapshot.clone());
        Ok(snapshot)
    }
}

fn build_table(
    segment: &SegmentReader,
    fields: &Fields,
    dictionaries: &mut Dictionaries,
) -> tantivy::Result<SegmentTable> {
    let fast = segment.fast_fields();
    let max_doc = segment.max_doc() as usize;
    // Each facet's values per document, merged into one list per document.
    let mut per_doc: Vec<Vec<u16>> = vec![Vec::new(); max_doc];
    let mut value = String::new();
    for facet in Facet::ALL {
        let Some(column) = fast.str(facet.name())? else { continue };
        let mut global = Vec::with_capacity(column.num_terms());
        for ord in 0..column.num_terms() as u64 {
            value.clear();
            column.ord_to_str(ord, &mut value)?;
            global.push(dictionaries.id(facet.index(), &value)?);
        }
        for (doc, values) in per_doc.iter_mut().enumerate() {
            values.extend(column.term_ords(doc as DocId).map(|ord| global[ord as usize]));
        }
    }
    let mut offsets = Vec::with_capacity(max_doc + 1);
    let mut values = Vec::new();
    offsets.push(0);
    for doc_values in per_doc {
        values.extend(doc_values);
        offsets.push(values.len() as u32);
    }
    let number = |name: &str| -> tantivy::Result<Vec<u64>> {
        let column = fast.u64(name)?;
        Ok((0..max_doc as DocId).map(|doc| column.first(doc).unwrap_or(0)).collect())
    };
    let start_year = number(fields.start_year_name())?.into_iter().map(|y| y as u16).collect();
    let end_year = number(fields.end_year_name())?.into_iter().map(|y| y as u16).collect();
    let start_key = number(fields.start_key_name())?.into_iter().map(|k| k as u32).collect();
    Ok(SegmentTable { offsets, values, start_year, end_year, start_key })
}

/// A search's filters, as global value ids.
pub struct Filters {
    /// Per facet with a filter: the chosen values' ids (empty if none is known: nothing passes).
    pub selected: [Option<Vec<u16>>; Facet::COUNT],
    pub years: Option<(u16, u16)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Score,
    Newest,
}

pub struct CaseCollector<'a> {
    pub filters: &'a Filters,
    pub limit: usize,
    pub order: Order,
    pub snapshot: &'a Snapshot,
}

/// What one search collects: the best `limit` documents, the total and the facet counts.
pub struct CaseFruit {
    pub total: u64,
    /// Best first.
    pub top: Vec<(u64, DocAddress)>,
    /// By global value id.
    pub counts: Vec<u64>,
    pub years: Vec<u64>,
}

/// A sortable key: for relevance the score; for newest the start month, then the score.
fn sort_key(order: Order, score: Score, start_key: u32) -> u64 {
    // Scores are never negative, so their bit patterns sort like the numbers.
    let score_bits = u64::from(score.max(0.0).to_bits());
    match order {
        Order::Score => score_bits,
        Order::Newest => (u64::from(start_key) << 32) | score_bits,
    }
}

impl Collector for CaseCollector<'_> {
    type Fruit = CaseFruit;
    type Child = SegmentCaseCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCaseCollector> {
        let table = self
            .snapshot
            .table(segment.segment_id())
            .ok_or_else(|| tantivy::TantivyError::InternalError("a segment without facet tables".into()))?;
        let facet_of = self.snapshot.dictionaries.entries.iter().map(|(facet, _)| *facet).collect();
        Ok(SegmentCaseCollector {
            segment_ord,
            table,
            facet_of,
            selected: self.filters.selected.clone(),
            years_filter: self.filters.years,
            unfiltered: self.filters.selected.iter().all(Option::is_none) && self.filters.years.is_none(),
            counts: vec![0; COUNT_LANES * self.snapshot.dictionaries.entries.len()],
            values: self.snapshot.dictionaries.entries.len(),
            year_steps: vec![0; YEARS + 1],
            total: 0,
            limit: self.limit,
            order: self.order,
            top: BinaryHeap::with_capacity(self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        matches!(self.order, Order::Score)
    }

    /// tantivy's own pass, except that a words query's documents are scored only when they
    /// could enter the top (see the module).
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<CaseFruit> {
        let mut collector = self.for_segment(segment_ord, reader)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|alive| alive.is_alive(doc));
        if !self.requires_scoring() {
            weight.for_each_no_score(reader, &mut |docs| {
                for &doc in docs {
                    if is_alive(doc) {
                        collector.collect(doc, 0.0);
                    }
                }
            })?;
            return Ok(collector.harvest());
        }
        let mut scorer = weight.scorer(reader, 1.0)?;
        if let Some(words) = scorer.downcast_mut::<WordsScorer>() {
            let mut doc = words.doc();
            while doc != TERMINATED {
                if is_alive(doc) {
                    let all_exact = words.all_exact();
                    collector.collect_lazily(doc, all_exact, || words.score());
                }
                doc = words.advance();
            }
        } else {
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if is_alive(doc) {
                    let score = scorer.score();
                    collector.collect(doc, score);
                }
                doc = scorer.advance();
            }
        }
        Ok(collector.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<CaseFruit>) -> tantivy::Result<CaseFruit> {
        let values = self.snapshot.dictionaries.entries.len();
        let mut merged = CaseFruit { total: 0, top: Vec::new(), counts: vec![0; values], years: vec![0; YEARS] };
        for fruit in fruits {
            merged.total += fruit.total;
            merged.top.extend(fruit.top);
            for (into, from) in merged.counts.iter_mut().zip(fruit.counts) {
                *into += from;
            }
            for (into, from) in merged.years.iter_mut().zip(fruit.years) {
                *into += from;
            }
        }
        merged.top.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        merged.top.truncate(self.limit);
        Ok(merged)
    }
}

pub struct SegmentCaseCollector {
    segment_ord: SegmentOrdinal,
    table: Arc<SegmentTable>,
    /// The facet of each value id.
    facet_of: Vec<u8>,
    selected: [Option<Vec<u16>>; Facet::COUNT],
    years_filter: Option<(u16, u16)>,
    /// No filter at all: every matching document is a hit.
    unfiltered: bool,
    /// [`COUNT_LANES`] copies of the counts by value id, lane-major: consecutive documents add to
    /// different copies, so their additions do not wait on one another.
    counts: Vec<u32>,
    values: usize,
    /// Years as differences: +1 at a case's first year, -1 after its last (summed at harvest).
    year_steps: Vec<i32>,
    total: u64,
    limit: usize,
    order: Order,
    /// Min-heap of the best documents so far: (key, earlier document wins ties).
    top: BinaryHeap<Reverse<(u64, Reverse<DocId>)>>,
}

/// Which filter a document fails: none, exactly one (facet index, 5 for years), or several.
enum Failed {
    None,
    One(usize),
    Several,
}

const YEARS_FILTER: usize = 5;

/// Copies of the facet counts a segment collector keeps (see `SegmentCaseCollector::counts`).
const COUNT_LANES: usize = 4;

fn failed(
    selected: &[Option<Vec<u16>>; Facet::COUNT],
    years_filter: Option<(u16, u16)>,
    values: &[u16],
    start: u16,
    end: u16,
) -> Failed {
    let mut failed = Failed::None;
    let mut fail = |index: usize| {
        failed = match failed {
            Failed::None => Failed::One(index),
            _ => Failed::Several,
        };
    };
    for (index, selected) in selected.iter().enumerate() {
        if let Some(selected) = selected
            && !values.iter().any(|value| selected.contains(value))
        {
            fail(index);
        }
    }
    // A case passes when its years overlap the range; an inverted range (which the API
    // refuses, but a caller in code may build) has no year in it, so nothing passes.
    if let Some((from, to)) = years_filter
        && !(from <= to && start <= to && end >= from)
    {
        fail(YEARS_FILTER);
    }
    failed
}

/// Counts a case in each year from `start` to `end` (at most [`MAX_YEARS_PER_CASE`] of them), as
/// two steps in `steps` (length `YEARS + 1`).
fn count_years(steps: &mut [i32], start: u16, end: u16) {
    if u64::from(start) < FIRST_YEAR || u64::from(start) >= FIRST_YEAR + YEARS as u64 {
        return;
    }
    let last = end.min(start.saturating_add(MAX_YEARS_PER_CASE - 1)).min((FIRST_YEAR + YEARS as u64 - 1) as u16);
    steps[(u64::from(start) - FIRST_YEAR) as usize] += 1;
    steps[(u64::from(last) - FIRST_YEAR) as usize + 1] -= 1;
}

impl SegmentCollector for SegmentCaseCollector {
    type Fruit = CaseFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.collect_lazily(doc, true, || score);
    }

    fn harvest(self) -> CaseFruit {
        self.harvest_fruit()
    }
}

impl SegmentCaseCollector {
    /// Counts `doc` and keeps it if it is among the best; `score` is asked for only if the
    /// document could be. `all_exact`: it has every word exactly (so may score [`ALL_EXACT`] or
    /// more; any other scores less).
    fn collect_lazily(&mut self, doc: DocId, all_exact: bool, score: impl FnOnce() -> Score) {
        let table = &*self.table;
        let values = table.values(doc);
        let start = table.start_year[doc as usize];
        let end = table.end_year[doc as usize].max(start);
        let failed =
            if self.unfiltered { Failed::None } else { failed(&self.selected, self.years_filter, values, start, end) };
        match failed {
            Failed::Several => {}
            Failed::One(YEARS_FILTER) => count_years(&mut self.year_steps, start, end),
            Failed::One(facet) => {
                let lane = &mut self.counts[(doc as usize % COUNT_LANES) * self.values..][..self.values];
                for &value in values {
                    if usize::from(self.facet_of[value as usize]) == facet {
                        lane[value as usize] += 1;
                    }
                }
            }
            Failed::None => {
                self.total += 1;
                let lane = &mut self.counts[(doc as usize % COUNT_LANES) * self.values..][..self.values];
                for &value in values {
                    lane[value as usize] += 1;
                }
                count_years(&mut self.year_steps, start, end);
                let full = self.top.len() >= self.limit;
                if full
                    && !all_exact
                    && self.order == Order::Score
                    && self.top.peek().is_some_and(|Reverse((worst, _))| *worst >= sort_key(Order::Score, ALL_EXACT, 0))
                {
                    return;
                }
                let key = sort_key(self.order, score(), table.start_key[doc as usize]);
                if self.top.len() < self.limit {
                    self.top.push(Reverse((key, Reverse(doc))));
                } else if let Some(Reverse(worst)) = self.top.peek()
                    && (key, Reverse(doc)) > *worst
                {
                    self.top.pop();
                    self.top.push(Reverse((key, Reverse(doc))));
                }
            }
        }
    }

    fn harvest_fruit(self) -> CaseFruit {
        let segment_ord = self.segment_ord;
        let top =
            self.top.into_iter().map(|Reverse((key, Reverse(doc)))| (key, DocAddress::new(segment_ord, doc))).collect();
        let mut running = 0i64;
        let years = self.year_steps[..YEARS]
            .iter()
            .map(|&step| {
                running += i64::from(step);
                running.max(0) as u64
            })
            .collect();
        let counts = (0..self.values)
            .map(|value| (0..COUNT_LANES).map(|lane| u64::from(self.counts[lane * self.values + value])).sum())
            .collect();
        CaseFruit { total: self.total, top, counts, years }
    }
}
