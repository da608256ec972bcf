//! The HTTP API between the server and the app: request parameters and response bodies.
//!
//! [`SearchParams`] is also the app's URL state: the page `/?q=…&country=RO` asks the API for
//! `/api/search?q=…&country=RO`, so a search is shareable and the back button restores it.

use crate::case::{CaseMeta, Period, Translation};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest query searched, in characters: a longer one (a pasted paragraph) is cut at a
/// word boundary, and the answer says so ([`SearchResponse::cut`]).
pub const MAX_QUERY_CHARS: usize = 4000;
/// The longest `q` parameter accepted at all, in characters (a request, not a query).
pub const MAX_QUERY_PARAM_CHARS: usize = 16 * 1024;
/// Words of a query that count; past them, stop words are dropped first, then the most common
/// words (each word costs a few term look-ups per language), and the answer names them
/// ([`SearchResponse::ignored`]).
pub const MAX_QUERY_TERMS: usize = 128;
/// Largest page size.
pub const MAX_PER_PAGE: u32 = 50;
pub const DEFAULT_PER_PAGE: u32 = 10;
/// Deepest result reachable by paging (`page * per_page`).
pub const MAX_RESULT_DEPTH: u32 = 10_000;
/// Most values of one filter parameter.
pub const MAX_FILTER_VALUES: usize = 20;

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
        }
    }
}

/// A search: the query, the filters, the order and the page.
///
/// As query parameters (see [`SearchParams::from_query`]) every one is optional, a filter is
/// repeated for more values (`country=RO&country=MD`), and an unknown parameter is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query, style = Form))]
pub struct SearchParams {
    /// Words to find, in any language; empty lists every case. Past 1000 characters the text is
    /// cut at a word boundary; past 32 words the commonest are dropped (the answer says which).
    #[cfg_attr(feature = "openapi", param(required = false, max_length = 16384))]
    pub q: String,
    /// Countries (ISO 3166-1 alpha-2, e.g. `RO`); a case in any of them matches.
    #[cfg_attr(feature = "openapi", param(required = false, explode, schema_with = openapi::country_codes))]
    pub country: Vec<String>,
    /// Theme ids from the vocabulary (e.g. `coding`); a case with any of them matches.
    #[cfg_attr(feature = "openapi", param(required = false, explode, schema_with = openapi::vocabulary_ids))]
    pub theme: Vec<String>,
    /// Audience ids from the vocabulary (e.g. `children-10-14`).
    #[cfg_attr(feature = "openapi", param(required = false, explode, schema_with = openapi::vocabulary_ids))]
    pub audience: Vec<String>,
    /// Organisation-type ids from the vocabulary (e.g. `public-library`).
    #[cfg_attr(feature = "openapi", param(required = false, explode, schema_with = openapi::vocabulary_ids))]
    pub org_type: Vec<String>,
    /// Languages a case is written in.
    #[cfg_attr(feature = "openapi", param(required = false, explode, inline, max_items = 20))]
    pub lang: Vec<Lang>,
    /// Cases that ran in or after this year.
    #[cfg_attr(feature = "openapi", param(minimum = 1900, maximum = 2100))]
    pub year_from: Option<u16>,
    /// Cases that ran in or before this year; not before `year_from`.
    #[cfg_attr(feature = "openapi", param(minimum = 1900, maximum = 2100))]
    pub year_to: Option<u16>,
    /// Result order: `relevance` (the default) or `newest`.
    #[cfg_attr(feature = "openapi", param(required = false, inline))]
    pub sort: Sort,
    /// The page, 1-based; `page * per_page` may not exceed 10000.
    #[cfg_attr(feature = "openapi", param(required = false, minimum = 1, maximum = 10000))]
    pub page: u32,
    /// Hits per page (10 by default).
    #[cfg_attr(feature = "openapi", param(required = false, minimum = 1, maximum = 50))]
    pub per_page: u32,
    /// The reader's language: hits are shown in it where a translation exists.
    #[cfg_attr(feature = "openapi", param(inline))]
    pub ui: Option<Lang>,
}

/// Schemas of the search parameters that the derive cannot spell: lists of codes with a pattern.
#[cfg(feature = "openapi")]
mod openapi {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};

    fn codes(pattern: &str, max_length: usize) -> ArrayBuilder {
        let code = ObjectBuilder::new().schema_type(Type::String).pattern(Some(pattern)).max_length(Some(max_length));
        ArrayBuilder::new().items(code).max_items(Some(super::MAX_FILTER_VALUES))
    }

    pub fn country_codes() -> ArrayBuilder {
        codes("^[A-Z]{2}$", 2)
    }

    pub fn vocabulary_ids() -> ArrayBuilder {
        codes("^[a-z0-9]+(-[a-z0-9]+)*$", crate::limits::SLUG_CHARS)
    }
}

/// A search parameter that could not be read; `name` is the parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub name: String,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter `{}`: {}", self.name, self.message)
    }
}

impl std::error::Error for ParamError {}

fn param_error(name: &str, message: impl Into<String>) -> ParamError {
    ParamError { name: name.to_owned(), message: message.into() }
}

impl SearchParams {
    /// The page number, within 1..=[`MAX_RESULT_DEPTH`] (parameters built in code, not by
    /// [`SearchParams::from_query`], may hold anything).
    pub fn page(&self) -> u32 {
        self.page.clamp(1, MAX_RESULT_DEPTH)
    }

    /// Hits per page, within 1..=[`MAX_PER_PAGE`]; 0 means the default.
    pub fn per_page(&self) -> u32 {
        if self.per_page == 0 { DEFAULT_PER_PAGE } else { self.per_page.min(MAX_PER_PAGE) }
    }

    /// Whether any filter is set.
    pub fn has_filters(&self) -> bool {
        !(self.country.is_empty()
            && self.theme.is_empty()
            && self.audience.is_empty()
            && self.org_type.is_empty()
            && self.lang.is_empty()
            && self.year_from.is_none()
            && self.year_to.is_none())
    }

    /// Reads a URL query string (without `?`). Unknown parameters and malformed values are
    /// errors naming the parameter; repeated filter parameters add values; an empty year, page
    /// or page size is left unset (as a form sends a field left blank).
    pub fn from_query(query: &str) -> Result<Self, ParamError> {
        Self::parse(query, false)
    }

    /// [`SearchParams::from_query`] for the search page's own form, which may send the years
    /// the wrong way round: they are swapped rather than refused.
    pub fn from_form_query(query: &str) -> Result<Self, ParamError> {
        Self::parse(query, true)
    }

    fn parse(query: &str, swap_years: bool) -> Result<Self, ParamError> {
        let mut params = SearchParams::default();
        for (name, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            let value = value.trim();
            if value.is_empty() && matches!(name.as_ref(), "year_from" | "year_to" | "page" | "per_page") {
                continue;
            }
            match name.as_ref() {
                "q" => {
                    if value.chars().count() > MAX_QUERY_PARAM_CHARS {
                        return Err(param_error("q", format!("is longer than {MAX_QUERY_PARAM_CHARS} characters")));
                    }
                    params.q = value.to_owned();
                }
                "country" => push_code(
                    &mut params.country,
                    "country",
                    value,
                    |v| v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase()),
                    "an ISO 3166-1 alpha-2 code such as RO",
                )?,
                "theme" => {
                    push_code(&mut params.theme, "theme", value, crate::validate::is_slug, "a theme id such as coding")?
                }
                "audience" => push_code(
                    &mut params.audience,
                    "audience",
                    value,
                    crate::validate::is_slug,
                    "an audience id such as children-10-14",
                )?,
                "org_type" => push_code(
                    &mut params.org_type,
                    "org_type",
                    value,
                    crate::validate::is_slug,
                    "an organisation type id such as public-library",
                )?,
                "lang" => {
                    let lang =
                        value.parse().map_err(|e: crate::lang::UnknownLang| param_error("lang", e.to_string()))?;
                    if params.lang.len() >= MAX_FILTER_VALUES {
                        return Err(param_error("lang", "is given too many times"));
                    }
                    if !params.lang.contains(&lang) {
                        params.lang.push(lang);
                    }
                }
                "year_from" => params.year_from = Some(parse_year("year_from", value)?),
                "year_to" => params.year_to = Some(parse_year("year_to", value)?),
                "sort" => {
                    params.sort = match value {
                        "relevance" | "" => Sort::Relevance,
                        "newest" => Sort::Newest,
                        _ => return Err(param_error("sort", format!("`{value}` is not relevance or newest"))),
                    }
                }
                "page" => params.page = parse_number("page", value, 1, MAX_RESULT_DEPTH)?,
                "per_page" => params.per_page = parse_number("per_page", value, 1, MAX_PER_PAGE)?,
                "ui" => {
                    params.ui =
                        Some(value.parse().map_err(|e: crate::lang::UnknownLang| param_error("ui", e.to_string()))?)
                }
                other => {
                    return Err(param_error(
                        &other.chars().take(40).collect::<String>(),
                        "is not a search parameter (expected q, country, theme, audience, org_type, lang, year_from, year_to, sort, page, per_page, ui)",
                    ));
                }
            }
        }
        if let (Some(from), Some(to)) = (params.year_from, params.year_to)
            && from > to
        {
            if !swap_years {
                return Err(param_error("year_from", format!("{from} is after year_to {to}")));
            }
            (params.year_from, params.year_to) = (Some(to), Some(from));
        }
        if params.page() * params.per_page() > MAX_RESULT_DEPTH {
            return Err(param_error(
                "page",
                format!("goes deeper than result {MAX_RESULT_DEPTH}; narrow the search instead"),
            ));
        }
        Ok(params)
    }

    /// The search page's address for these parameters, leaving out the interface language (the
    /// reader's choice travels in its cookie).
    pub fn href(&self) -> String {
        let query = SearchParams { ui: None, ..self.clone() }.to_query();
        if query.is_empty() { "/".to_owned() } else { format!("/?{query}") }
    }

    /// The URL query string (without `?`) for these parameters; defaults are left out, so equal
    /// searches have equal URLs.
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            out.append_pair("q", &self.q);
        }
        for facet in Facet::ALL {
            for value in self.selected(facet) {
                out.append_pair(facet.name(), &value);
            }
        }
        if let Some(year) = self.year_from {
            out.append_pair("year_from", &year.to_string());
        }
        if let Some(year) = self.year_to {
            out.append_pair("year_to", &year.to_string());
        }
        if self.sort != Sort::Relevance {
            out.append_pair("sort", self.sort.as_str());
        }
        if self.page() > 1 {
            out.append_pair("page", &self.page().to_string());
        }
        if self.per_page != 0 && self.per_page != DEFAULT_PER_PAGE {
            out.append_pair("per_page", &self.per_page.to_string());
        }
        if let Some(ui) = self.ui {
            out.append_pair("ui", ui.code());
        }
        out.finish()
    }
}

fn push_code(
    values: &mut Vec<String>,
    name: &str,
    value: &str,
    valid: impl Fn(&str) -> bool,
    expected: &str,
) -> Result<(), ParamError> {
    if !valid(value) {
        let shown: String = value.chars().take(40).collect();
        return Err(param_error(name, format!("`{shown}` is not {expected}")));
    }
    if values.len() >= MAX_FILTER_VALUES {
        return Err(param_error(name, format!("is given more than {MAX_FILTER_VALUES} times")));
    }
    if !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
    Ok(())
}

fn parse_year(name: &str, value: &str) -> Result<u16, ParamError> {
    parse_number(name, value, 1900, 2100).map(|year| year as u16)
}

fn parse_number(name: &str, value: &str, min: u32, max: u32) -> Result<u32, ParamError> {
    value.parse::<u32>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
        param_error(
            name,
            format!("`{}` is not a whole number from {min} to {max}", value.chars().take(20).collect::<String>()),
        )
    })
}

/// `GET /api/search`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    /// Cases matching the query and filters (exact).
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub took_ms: f64,
    /// Words of the query that were not searched for, in the order typed: past the
    /// [`MAX_QUERY_TERMS`] that count (stop words dropped first, then the commonest words), or
    /// found nowhere in the collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// The query was longer than [`MAX_QUERY_CHARS`] characters and was cut at a word
    /// boundary: the words after the cut are not searched.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
}

/// One case in a result list, in the reader's language where it has a translation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub slug: String,
    pub lang: Option<Lang>,
    pub title: String,
    pub summary: String,
    /// An excerpt with the matched words in `<mark>`; every other character is HTML-escaped.
    pub snippet: String,
    pub countries: Vec<String>,
    pub themes: Vec<String>,
    pub period: Period,
}

/// The coded fields a search is narrowed by and an answer counts: each is a URL parameter of
/// [`SearchParams`], a list in [`Facets`] and a fast field of the index, all named by
/// [`Facet::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Country,
    Theme,
    Audience,
    OrgType,
    Lang,
}

impl Facet {
    /// How many there are: the length of every per-facet array.
    pub const COUNT: usize = 5;
    /// In the order the search page shows them.
    pub const ALL: [Facet; Facet::COUNT] = [Facet::Country, Facet::Theme, Facet::Audience, Facet::OrgType, Facet::Lang];

    /// The URL parameter, the answer's key and the index field.
    pub const fn name(self) -> &'static str {
        match self {
            Facet::Country => "country",
            Facet::Theme => "theme",
            Facet::Audience => "audience",
            Facet::OrgType => "org_type",
            Facet::Lang => "lang",
        }
    }

    pub fn from_name(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|facet| facet.name() == name)
    }

    /// Its place in [`Facet::ALL`], for per-facet arrays.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl SearchParams {
    /// The values chosen for `facet` (languages as their codes).
    pub fn selected(&self, facet: Facet) -> Vec<String> {
        match facet {
            Facet::Country => self.country.clone(),
            Facet::Theme => self.theme.clone(),
            Facet::Audience => self.audience.clone(),
            Facet::OrgType => self.org_type.clone(),
            Facet::Lang => self.lang.iter().map(|lang| lang.code().to_owned()).collect(),
        }
    }

    /// Unchooses `value` in `facet`.
    pub fn unselect(&mut self, facet: Facet, value: &str) {
        match facet {
            Facet::Country => self.country.retain(|v| v != value),
            Facet::Theme => self.theme.retain(|v| v != value),
            Facet::Audience => self.audience.retain(|v| v != value),
            Facet::OrgType => self.org_type.retain(|v| v != value),
            Facet::Lang => self.lang.retain(|lang| lang.code() != value),
        }
    }
}

/// Facet counts: for each facet, its values with their counts among the matching cases. Counts
/// within a facet ignore that facet's own filter (choosing Romania still shows what Moldova adds).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub country: Vec<FacetCount>,
    pub theme: Vec<FacetCount>,
    pub audience: Vec<FacetCount>,
    pub org_type: Vec<FacetCount>,
    pub lang: Vec<FacetCount>,
    /// Years in which cases ran.
    pub year: Vec<FacetCount>,
}

impl Facets {
    /// The counts of `facet`.
    pub fn of(&self, facet: Facet) -> &[FacetCount] {
        match facet {
            Facet::Country => &self.country,
            Facet::Theme => &self.theme,
            Facet::Audience => &self.audience,
            Facet::OrgType => &self.org_type,
            Facet::Lang => &self.lang,
        }
    }

    /// Facets with each facet's counts made by `count`.
    pub fn from_fn(mut count: impl FnMut(Facet) -> Vec<FacetCount>, year: Vec<FacetCount>) -> Facets {
        Facets {
            country: count(Facet::Country),
            theme: count(Facet::Theme),
            audience: count(Facet::Audience),
            org_type: count(Facet::OrgType),
            lang: count(Facet::Lang),
            year,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    /// In the reader's language.
    pub label: String,
    pub count: u64,
}

/// `GET /api/cases/{slug}`: one case in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub translation: Translation,
    /// The Markdown body rendered to HTML and sanitised.
    pub body_html: String,
    pub meta: CaseMeta,
    /// Every language the case is written in.
    pub translations: Vec<TranslationRef>,
    /// Labels in the reader's language for the vocabulary ids and country codes in `meta`.
    pub labels: Vec<(String, String)>,
    pub related: Vec<CaseRef>,
}

impl CaseView {
    /// The label for an id or code, or the id itself.
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.labels.iter().find(|(key, _)| key == id).map_or(id, |(_, label)| label)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TranslationRef {
    pub lang: Lang,
    pub title: String,
    pub translation: Translation,
}

/// A case named in a list (related cases).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRef {
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    pub summary: String,
}

/// `GET /api/vocabulary?ui=…`: the controlled vocabulary and the named countries, labelled in
/// one language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VocabularyView {
    pub lang: Option<Lang>,
    pub themes: Vec<Labelled>,
    pub audiences: Vec<Labelled>,
    pub org_types: Vec<Labelled>,
    /// Countries with a name in every language, sorted by name.
    pub countries: Vec<Labelled>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Labelled {
    pub id: String,
    pub label: String,
}

impl VocabularyView {
    pub fn new(vocabulary: &crate::Vocabulary, lang: Lang) -> VocabularyView {
        let labelled = |terms: &[crate::vocabulary::Term]| {
            terms.iter().map(|term| Labelled { id: term.id.clone(), label: term.label.get(lang).to_owned() }).collect()
        };
        let mut countries: Vec<Labelled> = crate::countries::named()
            .map(|code| Labelled { id: code.to_owned(), label: crate::countries::label(code, lang).to_owned() })
            .collect();
        countries.sort_by(|a, b| a.label.cmp(&b.label));
        VocabularyView {
            lang: Some(lang),
            themes: labelled(&vocabulary.themes),
            audiences: labelled(&vocabulary.audiences),
            org_types: labelled(&vocabulary.org_types),
            countries,
        }
    }
}

impl VocabularyView {
    /// A vocabulary with these ids, for validation (every language gets this view's label).
    /// The label of a theme, audience, organisation type or country, or the id itself.
    pub fn label(&self, id: &str) -> String {
        [&self.themes, &self.audiences, &self.org_types, &self.countries]
            .into_iter()
            .flatten()
            .find(|item| item.id == id)
            .map_or_else(|| id.to_owned(), |item| item.label.clone())
    }

    pub fn to_vocabulary(&self) -> crate::Vocabulary {
        let terms = |items: &[Labelled]| {
            items
                .iter()
                .map(|item| {
                    let label = item.label.clone();
                    let labels = crate::vocabulary::Labels {
                        en: label.clone(),
                        ro: label.clone(),
                        uk: label.clone(),
                        ru: label.clone(),
                        el: label,
                    };
                    crate::vocabulary::Term { id: item.id.clone(), label: labels, synonyms: Default::default() }
                })
                .collect()
        };
        crate::Vocabulary {
            themes: terms(&self.themes),
            audiences: terms(&self.audiences),
            org_types: terms(&self.org_types),
        }
    }
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// What is wrong, naming the parameter or field.
    pub error: String,
    /// Per-field problems, for submissions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::validate::Problem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facet_is_a_search_parameter_and_an_answer_key() {
        let facets = serde_json::to_value(Facets::default()).unwrap();
        for facet in Facet::ALL {
            assert_eq!(Facet::from_name(facet.name()), Some(facet));
            assert_eq!(Facet::ALL[facet.index()], facet);
            assert!(facets.get(facet.name()).is_some(), "{} is not a key of Facets", facet.name());
            let value = if facet == Facet::Country {
                "RO"
            } else if facet == Facet::Lang {
                "ro"
            } else {
                "a-code"
            };
            let mut params = SearchParams::from_query(&format!("{}={value}", facet.name())).unwrap();
            assert_eq!(params.selected(facet), [value], "{}", facet.name());
            params.unselect(facet, value);
            assert_eq!(params, SearchParams::default());
        }
    }

    #[test]
    fn query_round_trip() {
        let params = SearchParams {
            q: "club de programare".into(),
            country: vec!["RO".into(), "MD".into()],
            theme: vec!["coding".into()],
            lang: vec![Lang::Ro],
            year_from: Some(2018),
            sort: Sort::Newest,
            page: 2,
            ui: Some(Lang::Uk),
            ..SearchParams::default()
        };
        let query = params.to_query();
        assert_eq!(SearchParams::from_query(&query).unwrap(), params);
        assert_eq!(SearchParams::from_query("").unwrap().to_query(), "");
    }

    #[test]
    fn bad_parameters_are_named() {
        for (query, name) in [
            ("country=ROU", "country"),
            ("page=0", "page"),
            ("per_page=500", "per_page"),
            ("sort=oldest", "sort"),
            ("lang=de", "lang"),
            ("year_from=2020&year_to=2019", "year_from"),
            ("colour=red", "colour"),
            ("theme=Coding!", "theme"),
        ] {
            assert_eq!(SearchParams::from_query(query).unwrap_err().name, name, "{query}");
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_PARAM_CHARS + 1));
        assert_eq!(SearchParams::from_query(&long).unwrap_err().name, "q");
        let pasted = format!("q={}", "word ".repeat(MAX_QUERY_PARAM_CHARS / 5));
        assert!(pasted.len() > MAX_QUERY_CHARS);
        assert!(SearchParams::from_query(&pasted).is_ok(), "a long query is searched (cut), not refused");
    }

    #[test]
    fn the_search_form_as_a_browser_sends_it() {
        let sent = "q=club+de+programare+&country=MD&year_from=&year_to=2021&sort=relevance&page=";
        let params = SearchParams::from_query(sent).unwrap();
        assert_eq!(params.q, "club de programare");
        assert_eq!((params.year_from, params.year_to, params.page), (None, Some(2021), 0));
        let swapped = SearchParams::from_form_query("year_from=2022&year_to=2019").unwrap();
        assert_eq!((swapped.year_from, swapped.year_to), (Some(2019), Some(2022)));
    }
}

/// `POST /api/submissions` → 201: the reference of a stored submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionReceipt {
    /// The reference to quote; made by the server, never from the submission's text.
    pub id: String,
    pub status: ReviewStatus,
    /// The contributor's private page of what becomes of the submission (`/status/<token>`):
    /// given once, in this answer.
    pub status_url: String,
}

/// Where a submission is in review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    #[default]
    Pending,
    Approved,
    Rejected,
}

/// One submission in the maintainers' queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionSummary {
    pub id: String,
    /// RFC 3339.
    pub received_at: String,
    pub status: ReviewStatus,
    pub lang: Lang,
    pub title: String,
    pub countries: Vec<String>,
}

/// A submission opened for review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionDetail {
    pub summary: SubmissionSummary,
    pub submission: crate::submission::Submission,
    /// The story rendered and sanitised, as readers would see it.
    pub preview_html: String,
    /// A slug made from the title, free in the collection.
    pub suggested_slug: String,
    pub slug: Option<String>,
    pub reason: Option<String>,
    /// What `indexer check` would say of it now.
    pub problems: Vec<crate::validate::Problem>,
}

/// `POST /api/admin/submissions/{id}/approve`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approval {
    pub slug: String,
}

/// `POST /api/admin/submissions/{id}/reject`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    pub reason: String,
}

/// The answer to an approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approved {
    pub slug: String,
    /// Whether the case is already searchable (else it will be as soon as a running build ends).
    pub indexed: bool,
}

/// `GET /api/stats`: what the server is serving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Cases searchable now (approvals since the build included).
    pub cases: u64,
    /// The serving index generation.
    pub generation: String,
    /// When that generation was built (RFC 3339).
    pub built_at: String,
    pub index_bytes: u64,
    /// Cases with a text in each language.
    pub languages: Vec<(Lang, u64)>,
}
