//! Searching one index generation: [`Engine`] answers searches (hits, exact total, disjunctive
//! facet counts, snippets) and case look-ups.
//!
//! One [`Engine`] per generation, holding one reader for its life; each request takes a searcher.
//! Filters are applied in the collector from fast fields rather than in the query, so that one
//! pass over the matching documents yields the hits, the total and every facet's counts: a
//! document failing exactly one facet's filter still counts for that facet (InstantSearch's
//! disjunctive faceting), one failing none is a hit.

use super::analysis;
use super::generation::{self, GenerationError, GenerationInfo};
use super::query::{Expansions, Highlight, ParsedQuery, QueryBuilder};
use super::schema::{Facet, Fields};
use super::snippet;
use super::stored::StoredCase;
use model::api::{CaseRef, CaseView, FacetCount, Facets, Hit, SearchParams, SearchResponse, Sort, TranslationRef};
use model::vocabulary::Kind;
use model::{Lang, Vocabulary, countries};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::Order as TantivyOrder;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::MoreLikeThisQuery;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::OwnedValue;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, Searcher, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};

/// Years a case counts in for the period facet, at most.
const MAX_YEARS_PER_CASE: u64 = 40;
const FIRST_YEAR: u64 = 1900;
const YEARS: usize = 201;
/// Related cases shown on a case page.
pub const RELATED: usize = 5;

/// A searchable index generation.
pub struct Engine {
    reader: IndexReader,
    fields: Fields,
    vocabulary: Vocabulary,
    expansions: Expansions,
    info: GenerationInfo,
    dir: PathBuf,
}

impl Engine {
    /// Opens the current generation under `root`.
    pub fn open(root: &Path) -> Result<Engine, GenerationError> {
        Engine::open_generation(&generation::current(root)?)
    }

    /// Opens the generation in `dir`.
    pub fn open_generation(dir: &Path) -> Result<Engine, GenerationError> {
        let index: Index = generation::open_index(dir)?;
        let fields = Fields::from_schema(index.schema())?;
        let (info, vocabulary) = generation::read_info(dir)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Engine { reader, fields, expansions: Expansions::new(&vocabulary), vocabulary, info, dir: dir.to_owned() })
    }

    pub fn info(&self) -> &GenerationInfo {
        &self.info
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The generation's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Cases in the index now.
    pub fn num_cases(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// A tag that changes whenever what this engine serves changes (for HTTP caching).
    pub fn version(&self) -> String {
        let searcher = self.reader.searcher();
        let opstamp = searcher.segment_readers().iter().map(|segment| u64::from(segment.max_doc())).sum::<u64>();
        format!("{}-{}-{opstamp}", self.info.id, searcher.num_docs())
    }

    /// Calls `each` with every case, in index order, reading the store sequentially. Stops early
    /// when `each` returns `false` (the reader went away).
    pub fn for_each_case(&self, mut each: impl FnMut(StoredCase) -> bool) -> tantivy::Result<()> {
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64)?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                if !each(self.parse_stored(&doc?)?) {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The `n` cases that started most recently among those written in `lang`.
    pub fn newest(&self, lang: Lang, n: usize) -> tantivy::Result<Vec<StoredCase>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(Term::from_field_text(self.fields.lang, lang.code()), IndexRecordOption::Basic);
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(n).order_by_u64_field(self.fields.start_key_name(), TantivyOrder::Desc),
        )?;
        top.into_iter().map(|(_, address)| self.stored(&searcher, address)).collect()
    }

    /// Picks up documents committed since the reader was opened (incremental updates).
    pub fn reload(&self) -> tantivy::Result<()> {
        self.reader.reload()
    }

    /// Runs a search.
    pub fn search(&self, params: &SearchParams) -> tantivy::Result<SearchResponse> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let parsed = ParsedQuery::parse(&params.q);
        let mut builder = QueryBuilder::new(&self.fields, &self.expansions, &searcher);

        // Without words there is no relevance: show the newest first.
        let order = if parsed.is_empty() || params.sort == Sort::Newest { Order::Newest } else { Order::Score };
        let filters = Filters::from_params(params);
        let limit = (params.page() * params.per_page()) as usize;
        let collector = CaseCollector { filters: &filters, limit, order, fields: &self.fields };

        let (mut fruit, highlight) = if parsed.is_empty() {
            let query: Box<dyn Query> =
                if parsed.clauses.is_empty() { Box::new(AllQuery) } else { builder.exclusions_only(&parsed) };
            (searcher.search(&query, &collector)?, Highlight::default())
        } else {
            let plan = builder.build(&parsed);
            let mut fruit = searcher.search(&plan.strict, &collector)?;
            if fruit.total == 0
                && let Some(relaxed) = &plan.relaxed
            {
                fruit = searcher.search(relaxed, &collector)?;
            }
            (fruit, plan.highlight)
        };

        let ui = params.ui;
        let skip = ((params.page() - 1) * params.per_page()) as usize;
        let mut analyzers: HashMap<Lang, tantivy::tokenizer::TextAnalyzer> = HashMap::new();
        let mut hits = Vec::with_capacity(params.per_page() as usize);
        for &(_, address) in fruit.top.iter().skip(skip) {
            let stored = self.stored(&searcher, address)?;
            let text = stored.text_for(ui);
            let analyzer = analyzers.entry(text.lang).or_insert_with(|| analysis::language_analyzer(text.lang));
            let source = if highlight.folded.is_empty() && highlight.prefixes.is_empty() {
                &text.body_text
            } else {
                best_field(text, &highlight, analyzer)
            };
            hits.push(Hit {
                slug: stored.slug.clone(),
                lang: Some(text.lang),
                title: text.title.clone(),
                summary: text.summary.clone(),
                snippet: snippet::snippet(source, text.lang, &highlight, analyzer),
                countries: stored.meta.countries.clone(),
                themes: stored.meta.themes.clone(),
                period: stored.meta.period.clone(),
            });
        }

        let label_lang = ui.unwrap_or(Lang::En);
        let facets = Facets {
            country: self.facet(
                &mut fruit.counts[Facet::Country as usize],
                &filters.codes[Facet::Country as usize],
                |code| countries::label(code, label_lang).to_owned(),
            ),
            theme: self.facet(&mut fruit.counts[Facet::Theme as usize], &filters.codes[Facet::Theme as usize], |id| {
                self.vocabulary.label(Kind::Theme, id, label_lang).to_owned()
            }),
            audience: self.facet(
                &mut fruit.counts[Facet::Audience as usize],
                &filters.codes[Facet::Audience as usize],
                |id| self.vocabulary.label(Kind::Audience, id, label_lang).to_owned(),
            ),
            org_type: self.facet(
                &mut fruit.counts[Facet::OrgType as usize],
                &filters.codes[Facet::OrgType as usize],
                |id| self.vocabulary.label(Kind::OrgType, id, label_lang).to_owned(),
            ),
            lang: self.facet(&mut fruit.counts[Facet::Lang as usize], &filters.codes[Facet::Lang as usize], |code| {
                code.parse::<Lang>().map_or(code.to_owned(), |lang| lang.native_name().to_owned())
            }),
            year: fruit
                .years
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(|(i, count)| {
                    let year = (FIRST_YEAR + i as u64).to_string();
                    FacetCount { label: year.clone(), value: year, count: *count }
                })
                .rev()
                .collect(),
        };

        Ok(SearchResponse { total: fruit.total, hits, facets, took_ms: started.elapsed().as_secs_f64() * 1000.0 })
    }

    /// One facet's values, most frequent first; selected values are kept even at count 0.
    fn facet(
        &self,
        counts: &mut HashMap<String, u64>,
        selected: &[String],
        label: impl Fn(&str) -> String,
    ) -> Vec<FacetCount> {
        for value in selected {
            counts.entry(value.clone()).or_insert(0);
        }
        let mut values: Vec<FacetCount> =
            counts.drain().map(|(value, count)| FacetCount { label: label(&value), value, count }).collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        values
    }

    fn stored(&self, searcher: &Searcher, address: DocAddress) -> tantivy::Result<StoredCase> {
        self.parse_stored(&searcher.doc(address)?)
    }

    fn parse_stored(&self, doc: &TantivyDocument) -> tantivy::Result<StoredCase> {
        let bytes = doc
            .get_first(self.fields.data)
            .and_then(|value| value.as_bytes())
            .ok_or_else(|| tantivy::TantivyError::InternalError("a document has no stored data".into()))?;
        serde_json::from_slice(bytes)
            .map_err(|e| tantivy::TantivyError::InternalError(format!("stored data does not parse: {e}")))
    }

    fn address_of(&self, searcher: &Searcher, slug: &str) -> tantivy::Result<Option<DocAddress>> {
        let query = TermQuery::new(Term::from_field_text(self.fields.slug, slug), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, address)| *address))
    }

    /// The stored case with this slug.
    pub fn stored_case(&self, slug: &str) -> tantivy::Result<Option<StoredCase>> {
        let searcher = self.reader.searcher();
        match self.address_of(&searcher, slug)? {
            Some(address) => self.stored(&searcher, address).map(Some),
            None => Ok(None),
        }
    }

    /// The case page: the case in `lang` (else the reader's language `ui`, else its original).
    pub fn case(&self, slug: &str, lang: Option<Lang>, ui: Option<Lang>) -> tantivy::Result<Option<CaseView>> {
        let searcher = self.reader.searcher();
        let Some(address) = self.address_of(&searcher, slug)? else { return Ok(None) };
        let stored = self.stored(&searcher, address)?;
        let text = stored.text_for(lang.or(ui));
        let label_lang = ui.unwrap_or(text.lang);
        let meta = &stored.meta;

        let mut labels: Vec<(String, String)> = Vec::new();
        let mut add = |key: &str, label: &str| {
            if !labels.iter().any(|(k, _)| k == key) {
                labels.push((key.to_owned(), label.to_owned()));
            }
        };
        for code in &meta.countries {
            add(code, countries::label(code, label_lang));
        }
        for id in &meta.themes {
            add(id, self.vocabulary.label(Kind::Theme, id, label_lang));
        }
        for id in &meta.audiences {
            add(id, self.vocabulary.label(Kind::Audience, id, label_lang));
        }
        let org_types = std::iter::once(Some(&meta.lead_organisation.kind))
            .chain(meta.partners.iter().map(|p| p.kind.as_ref()))
            .chain(meta.funders.iter().map(|f| f.kind.as_ref()))
            .flatten();
        for id in org_types {
            add(id, self.vocabulary.label(Kind::OrgType, id, label_lang));
        }

        let related = self.related(&searcher, address, &stored, ui)?;
        Ok(Some(CaseView {
            slug: stored.slug.clone(),
            lang: text.lang,
            title: text.title.clone(),
            summary: text.summary.clone(),
            translation: text.translation,
            body_html: text.body_html.clone(),
            meta: stored.meta.clone(),
            translations: stored
                .texts
                .iter()
                .map(|t| TranslationRef { lang: t.lang, title: t.title.clone(), translation: t.translation })
                .collect(),
            labels,
            related,
        }))
    }

    /// Cases most like this one: similar words (more-like-this over the folded text of every
    /// language) and shared themes, audiences and countries.
    fn related(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        stored: &StoredCase,
        ui: Option<Lang>,
    ) -> tantivy::Result<Vec<CaseRef>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let text: String =
            stored.texts.iter().map(|t| format!("{} {} {}\n", t.title, t.summary, t.body_text)).collect();
        let similar = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_max_doc_frequency((searcher.num_docs() / 2).max(2))
            .with_min_term_frequency(2)
            .with_min_word_length(4)
            .with_max_query_terms(25)
            .with_document_fields(vec![(self.fields.fold_text, vec![OwnedValue::Str(text)])]);
        clauses.push((Occur::Should, Box::new(similar)));
        let mut add = |field, id: &str, score| {
            let term = TermQuery::new(Term::from_field_text(field, id), IndexRecordOption::Basic);
            clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(term), score))));
        };
        for id in &stored.meta.themes {
            add(self.fields.theme, id, 3.0);
        }
        for id in &stored.meta.audiences {
            add(self.fields.audience, id, 1.0);
        }
        for code in &stored.meta.countries {
            add(self.fields.country, code, 1.0);
        }
        let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(RELATED + 1).order_by_score())?;
        let mut related = Vec::with_capacity(RELATED);
        for (_, other) in top {
            if other == address || related.len() == RELATED {
                continue;
            }
            let case = self.stored(searcher, other)?;
            let text = case.text_for(ui);
            related.push(CaseRef {
                slug: case.slug.clone(),
                lang: text.lang,
                title: text.title.clone(),
                summary: text.summary.clone(),
            });
        }
        Ok(related)
    }
}

/// The text a hit's snippet comes from: the body if the query matches it, else the summary.
fn best_field<'a>(
    text: &'a super::stored::StoredText,
    highlight: &Highlight,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> &'a str {
    let marked = snippet::snippet(&text.body_text, text.lang, highlight, analyzer);
    if marked.contains("<mark>") || !snippet::snippet(&text.summary, text.lang, highlight, analyzer).contains("<mark>")
    {
        &text.body_text
    } else {
        &text.summary
    }
}

/// The filters of a search, by facet.
struct Filters {
    codes: [Vec<String>; 5],
    years: Option<(u64, u64)>,
}

impl Filters {
    fn from_params(params: &SearchParams) -> Filters {
        let mut codes: [Vec<String>; 5] = Default::default();
        codes[Facet::Country as usize] = params.country.clone();
        codes[Facet::Theme as usize] = params.theme.clone();
        codes[Facet::Audience as usize] = params.audience.clone();
        codes[Facet::OrgType as usize] = params.org_type.clone();
        codes[Facet::Lang as usize] = params.lang.iter().map(|lang| lang.code().to_owned()).collect();
        let years = (params.year_from.is_some() || params.year_to.is_some())
            .then(|| (params.year_from.map_or(0, u64::from), params.year_to.map_or(u64::MAX, u64::from)));
        Filters { codes, years }
    }
}

#[derive(Clone, Copy)]
enum Order {
    Score,
    Newest,
}

struct CaseCollector<'a> {
    filters: &'a Filters,
    limit: usize,
    order: Order,
    fields: &'a Fields,
}

/// What one search collects: the best `limit` documents, the total and the facet counts.
struct CaseFruit {
    total: u64,
    /// Best first.
    top: Vec<(u64, DocAddress)>,
    counts: [HashMap<String, u64>; 5],
    years: Vec<u64>,
}

/// A sortable key: for relevance the score; for newest the start month, then the score.
fn sort_key(order: Order, score: Score, start_key: u64) -> u64 {
    // Scores are never negative, so their bit patterns sort like the numbers.
    let score_bits = u64::from(score.max(0.0).to_bits());
    match order {
        Order::Score => score_bits,
        Order::Newest => (start_key << 32) | score_bits,
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
        let fast = segment.fast_fields();
        let mut columns: [Option<StrColumn>; 5] = Default::default();
        let mut selected: [Option<Vec<u64>>; 5] = Default::default();
        for facet in Facet::ALL {
            let column = fast.str(facet.field_name())?;
            let values = &self.filters.codes[facet as usize];
            if !values.is_empty() {
                let mut ords = Vec::new();
                if let Some(column) = &column {
                    for value in values {
                        if let Some(ord) = column.dictionary().term_ord(value.as_bytes())? {
                            ords.push(ord);
                        }
                    }
                }
                ords.sort_unstable();
                selected[facet as usize] = Some(ords);
            }
            columns[facet as usize] = column;
        }
        let counts = std::array::from_fn(|i| vec![0; columns[i].as_ref().map_or(0, |c| c.num_terms())]);
        Ok(SegmentCaseCollector {
            segment_ord,
            start_year: fast.u64(self.fields.start_year_name())?,
            end_year: fast.u64(self.fields.end_year_name())?,
            start_key: fast.u64(self.fields.start_key_name())?,
            columns,
            selected,
            years_filter: self.filters.years,
            counts,
            years: vec![0; YEARS],
            total: 0,
            limit: self.limit,
            order: self.order,
            top: BinaryHeap::with_capacity(self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        matches!(self.order, Order::Score)
    }

    fn merge_fruits(&self, fruits: Vec<CaseFruit>) -> tantivy::Result<CaseFruit> {
        let mut merged = CaseFruit { total: 0, top: Vec::new(), counts: Default::default(), years: vec![0; YEARS] };
        for fruit in fruits {
            merged.total += fruit.total;
            merged.top.extend(fruit.top);
            for (into, from) in merged.counts.iter_mut().zip(fruit.counts) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
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

struct SegmentCaseCollector {
    segment_ord: SegmentOrdinal,
    columns: [Option<StrColumn>; 5],
    /// Per facet with a filter: the segment's ordinals of the chosen values.
    selected: [Option<Vec<u64>>; 5],
    start_year: Column<u64>,
    end_year: Column<u64>,
    start_key: Column<u64>,
    years_filter: Option<(u64, u64)>,
    counts: [Vec<u64>; 5],
    years: Vec<u64>,
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

impl SegmentCaseCollector {
    fn failed(&self, doc: DocId, start: u64, end: u64) -> Failed {
        let mut failed = Failed::None;
        let mut fail = |index: usize| {
            failed = match failed {
                Failed::None => Failed::One(index),
                _ => Failed::Several,
            };
        };
        for (index, selected) in self.selected.iter().enumerate() {
            let Some(selected) = selected else { continue };
            let passes = self.columns[index]
                .as_ref()
                .is_some_and(|column| column.term_ords(doc).any(|ord| selected.binary_search(&ord).is_ok()));
            if !passes {
                fail(index);
            }
        }
        if let Some((from, to)) = self.years_filter
            && !(start <= to && end >= from)
        {
            fail(5);
        }
        failed
    }

    fn count_facet(&mut self, index: usize, doc: DocId) {
        if let Some(column) = &self.columns[index] {
            for ord in column.term_ords(doc) {
                self.counts[index][ord as usize] += 1;
            }
        }
    }

    fn count_years(&mut self, start: u64, end: u64) {
        if start < FIRST_YEAR {
            return;
        }
        let last = end.min(start + MAX_YEARS_PER_CASE - 1).min(FIRST_YEAR + YEARS as u64 - 1);
        for year in start..=last {
            self.years[(year - FIRST_YEAR) as usize] += 1;
        }
    }
}

impl SegmentCollector for SegmentCaseCollector {
    type Fruit = CaseFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let start = self.start_year.first(doc).unwrap_or(0);
        let end = self.end_year.first(doc).unwrap_or(start);
        match self.failed(doc, start, end) {
            Failed::Several => {}
            Failed::One(5) => self.count_years(start, end),
            Failed::One(index) => self.count_facet(index, doc),
            Failed::None => {
                self.total += 1;
                for index in 0..5 {
                    self.count_facet(index, doc);
                }
                self.count_years(start, end);
                let key = sort_key(self.order, score, self.start_key.first(doc).unwrap_or(0));
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

    fn harvest(self) -> CaseFruit {
        let mut counts: [HashMap<String, u64>; 5] = Default::default();
        let mut value = String::new();
        for (index, column) in self.columns.iter().enumerate() {
            let Some(column) = column else { continue };
            for (ord, &count) in self.counts[index].iter().enumerate() {
                if count > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    counts[index].insert(value.clone(), count);
                }
            }
        }
        let segment_ord = self.segment_ord;
        let top =
            self.top.into_iter().map(|Reverse((key, Reverse(doc)))| (key, DocAddress::new(segment_ord, doc))).collect();
        CaseFruit { total: self.total, top, counts, years: self.years }
    }
}
