//! Searching one index generation: [`Engine`] answers searches (hits, exact total, disjunctive
//! facet counts, snippets) and case look-ups.
//!
//! One [`Engine`] per generation, holding one reader for its life; each request takes a searcher.
//! Filters and facets are the collector's work (see [`super::collector`]).

use super::collector::{CaseCollector, Dictionaries, FIRST_YEAR, Filters, Order, Tables};
use super::generation::{self, GenerationError, GenerationInfo};
use super::query::{Analyzers, Expansions, Highlight, ParsedQuery, QueryBuilder};
use super::schema::{Facet, Fields};
use super::snippet;
use super::stored::StoredCase;
use crate::render::html_to_text;
use model::api::{
    CaseRef, CaseView, FacetCount, Facets, Hit, MAX_RESULT_DEPTH, SearchParams, SearchResponse, Sort, TranslationRef,
};
use model::vocabulary::Kind;
use model::{Lang, Vocabulary, countries};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;
use tantivy::Order as TantivyOrder;
use tantivy::collector::TopDocs;
use tantivy::query::MoreLikeThisQuery;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::OwnedValue;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

/// Years a case counts in for the period facet, at most.
/// Related cases shown on a case page.
pub const RELATED: usize = 5;

/// A searchable index generation.
pub struct Engine {
    reader: IndexReader,
    tables: Tables,
    fields: Fields,
    vocabulary: Vocabulary,
    expansions: Expansions,
    /// Analyzer sets for searches to borrow (building them costs more than a small search).
    analyzers: Mutex<Vec<Analyzers>>,
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
        let engine = Engine {
            reader,
            tables: Tables::default(),
            fields,
            expansions: Expansions::new(&vocabulary),
            analyzers: Mutex::new(Vec::new()),
            vocabulary,
            info,
            dir: dir.to_owned(),
        };
        // Build the facet tables now, not on the first request.
        engine.tables.snapshot(&engine.reader.searcher(), &engine.fields)?;
        Ok(engine)
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

    /// Cases with a text in each language.
    pub fn language_counts(&self) -> Vec<(Lang, u64)> {
        let searcher = self.reader.searcher();
        Lang::ALL
            .into_iter()
            .map(|lang| (lang, searcher.doc_freq(&Term::from_field_text(self.fields.lang, lang.code())).unwrap_or(0)))
            .collect()
    }

    /// A tag that changes whenever what this engine serves changes (for HTTP caching): its
    /// segments' ids, new with every build and every added case, and its live documents (a
    /// deletion). A generation rebuilt from scratch under the same name gets a new tag.
    pub fn version(&self) -> String {
        use std::hash::{Hash, Hasher};
        let searcher = self.reader.searcher();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for segment in searcher.segment_readers() {
            segment.segment_id().uuid_string().hash(&mut hasher);
        }
        searcher.num_docs().hash(&mut hasher);
        format!("{}-{:016x}", self.info.id, hasher.finish())
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
        let mut analyzers = self.analyzers.lock().expect("analyzer pool").pop().unwrap_or_default();
        let response = self.search_with(params, &mut analyzers);
        self.analyzers.lock().expect("analyzer pool").push(analyzers);
        response
    }

    fn search_with(&self, params: &SearchParams, analyzers: &mut Analyzers) -> tantivy::Result<SearchResponse> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let parsed = ParsedQuery::parse(&params.q);
        let mut builder = QueryBuilder::new(&self.fields, &self.expansions, &searcher, analyzers);

        // Without words there is no relevance: show the newest first.
        let order = if parsed.is_empty() || params.sort == Sort::Newest { Order::Newest } else { Order::Score };
        let snapshot = self.tables.snapshot(&searcher, &self.fields)?;
        let selected = selected_values(params);
        let filters = filters(&selected, params, &snapshot.dictionaries);
        // Pages past the deepest result a search may reach come back empty.
        let per_page = params.per_page() as usize;
        let skip = (params.page() as usize - 1) * per_page;
        let limit = (skip + per_page).min(MAX_RESULT_DEPTH as usize);
        let collector = CaseCollector { filters: &filters, limit, order, snapshot: &snapshot };

        let (fruit, highlight, ignored) = if parsed.is_empty() {
            let query: Box<dyn Query> =
                if parsed.clauses.is_empty() { Box::new(AllQuery) } else { builder.exclusions_only(&parsed) };
            (searcher.search(&query, &collector)?, Highlight::default(), Vec::new())
        } else {
            let plan = builder.build(&parsed);
            (searcher.search(&plan.query, &collector)?, plan.highlight, plan.ignored)
        };

        let ui = params.ui;
        let analyzers = builder.into_analyzers();
        let mut hits = Vec::with_capacity(per_page);
        for &(_, address) in fruit.top.iter().skip(skip) {
            let stored = self.stored(&searcher, address)?;
            let text = stored.text_for(ui);
            let snippet = hit_snippet(text, &highlight, analyzers.language(text.lang));
            hits.push(Hit {
                slug: stored.slug.clone(),
                lang: Some(text.lang),
                title: text.title.clone(),
                summary: text.summary.clone(),
                snippet,
                countries: stored.meta.countries.clone(),
                themes: stored.meta.themes.clone(),
                period: stored.meta.period.clone(),
            });
        }

        let label_lang = ui.unwrap_or(Lang::En);
        let entries = &snapshot.dictionaries.entries;
        // A value as the reader reads it: a country's name, a vocabulary label, a language's own name.
        let label = |facet: Facet, code: &str| -> String {
            match facet {
                Facet::Country => countries::label(code, label_lang).to_owned(),
                Facet::Theme => self.vocabulary.label(Kind::Theme, code, label_lang).to_owned(),
                Facet::Audience => self.vocabulary.label(Kind::Audience, code, label_lang).to_owned(),
                Facet::OrgType => self.vocabulary.label(Kind::OrgType, code, label_lang).to_owned(),
                Facet::Lang => code.parse::<Lang>().map_or(code.to_owned(), |lang| lang.native_name().to_owned()),
            }
        };
        let counts = |facet: Facet| {
            let counted = entries
                .iter()
                .zip(&fruit.counts)
                .filter(|((f, _), _)| usize::from(*f) == facet.index())
                .map(|((_, value), count)| (value.as_str(), *count));
            facet_counts(counted, &selected[facet.index()], &|code| label(facet, code))
        };
        let facets = Facets::from_fn(
            counts,
            fruit
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
        );

        Ok(SearchResponse {
            total: fruit.total,
            hits,
            facets,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            ignored,
            cut: parsed.cut,
        })
    }

    fn stored(&self, searcher: &Searcher, address: DocAddress) -> tantivy::Result<StoredCase> {
        self.parse_stored(&searcher.doc(address)?)
    }

    fn parse_stored(&self, doc: &TantivyDocument) -> tantivy::Result<StoredCase> {
        let json = doc
            .get_first(self.fields.data)
            .and_then(|value| value.as_str())
            .ok_or_else(|| tantivy::TantivyError::InternalError("a document has no stored data".into()))?;
        // From a `&str`, serde_json does not check the strings' UTF-8 a second time.
        serde_json::from_str(json)
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
        let text: String = stored
            .texts
            .iter()
            .map(|t| format!("{} {} {}\n", t.title, t.summary, html_to_text(&t.body_html)))
            .collect();
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

/// A hit's snippet: from the body if the query matches it there, else from the summary if it
/// matches that, else the body's start.
fn hit_snippet(
    text: &super::stored::StoredText,
    highlight: &Highlight,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> String {
    let body = snippet::snippet(&html_to_text(&text.body_html), text.lang, highlight, analyzer);
    if body.contains("<mark>") || highlight.is_empty() {
        return body;
    }
    let summary = snippet::snippet(&text.summary, text.lang, highlight, analyzer);
    if summary.contains("<mark>") { summary } else { body }
}

/// The values chosen for each facet, by facet index.
fn selected_values(params: &SearchParams) -> [Vec<String>; Facet::COUNT] {
    Facet::ALL.map(|facet| params.selected(facet))
}

/// The search's filters as the collector reads them: chosen values as global ids.
fn filters(selected: &[Vec<String>; Facet::COUNT], params: &SearchParams, dictionaries: &Dictionaries) -> Filters {
    let ids = |i: usize| {
        (!selected[i].is_empty()).then(|| selected[i].iter().filter_map(|value| dictionaries.find(i, value)).collect())
    };
    let years = (params.year_from.is_some() || params.year_to.is_some())
        .then(|| (params.year_from.unwrap_or(0), params.year_to.unwrap_or(u16::MAX)));
    Filters { selected: std::array::from_fn(ids), years }
}

/// One facet's values with their counts, most frequent first; chosen values are kept even at
/// count 0.
fn facet_counts<'a>(
    counted: impl Iterator<Item = (&'a str, u64)>,
    selected: &[String],
    label: &dyn Fn(&str) -> String,
) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = counted
        .filter(|(value, count)| *count > 0 || selected.iter().any(|s| s == value))
        .map(|(value, count)| FacetCount { label: label(value), value: value.to_owned(), count })
        .collect();
    // A chosen value nothing has is listed with 0 (once, however often it was chosen).
    for value in selected {
        if !out.iter().any(|f| f.value == *value) {
            out.push(FacetCount { label: label(value), value: value.clone(), count: 0 });
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    out
}
