//! The search page: a search box, facets with counts, active filter chips, sort and pages.
//!
//! Without any script it is a GET form: the box and every filter control belong to the form
//! `#search` (filters through the `form` attribute, as they sit beside the results), and chips,
//! sort and pages are links to the searches they lead to. The [`SearchUi`] island makes it live:
//! results as you type and filters that apply at once, by fetching the results region
//! ([`results`], also served alone at `/fragment/results`) rendered here, on the server. The box
//! itself is never re-rendered, so nothing the reader typed is ever rewritten.

use super::document::{Head, document};
use crate::i18n::{Texts, count, format_number, format_period, texts};
use crate::islands::reader::{SearchTexts, SearchUi};
use crate::site::{Islands, Visit};
use leptos::prelude::*;
use model::Lang;
use model::api::{Facet, FacetCount, MAX_RESULT_DEPTH, SearchParams, SearchResponse, Sort};

/// Facet values shown before "show more".
const FACET_PREVIEW: usize = 8;

/// A search and its answer.
pub struct SearchPage {
    /// The words as the reader typed them: the box shows them exactly so.
    pub typed: String,
    pub params: SearchParams,
    /// Hits per page shown.
    pub per_page: u32,
    /// The answer, or what was wrong with the request.
    pub answer: Result<SearchResponse, String>,
}

/// A facet's title in the interface language.
fn facet_title(t: &'static Texts, facet: Facet) -> &'static str {
    match facet {
        Facet::Country => t.facet_country,
        Facet::Theme => t.facet_theme,
        Facet::Audience => t.facet_audience,
        Facet::OrgType => t.facet_org_type,
        Facet::Lang => t.facet_lang,
    }
}

/// `params` without `value` in `facet`, back on the first page.
fn without(mut params: SearchParams, facet: Facet, value: &str) -> SearchParams {
    params.unselect(facet, value);
    params.page = 1;
    params
}

/// The page's address for `params` (the interface language is the reader's, not the URL's).
/// "No case studies found", "1 case study", "12 case studies".
pub fn total_text(total: u64, lang: Lang) -> String {
    let t = texts(lang);
    match total {
        0 => t.no_results.to_owned(),
        1 => t.one_result.to_owned(),
        n => count(t.many_results, n, lang),
    }
}

/// The page's title: the words searched for, else the site's name.
fn title(search: &SearchPage, t: &Texts) -> String {
    if search.params.q.is_empty() {
        t.site_name.to_owned()
    } else {
        format!("{} · {}", search.params.q, t.search_heading)
    }
}

/// The whole search page.
pub fn page(visit: &Visit, search: &SearchPage) -> impl IntoView + use<> {
    let t = texts(visit.ui);
    let head = Head { title: title(search, t), description: t.site_description.to_owned(), noindex: false };
    let status = match &search.answer {
        Ok(response) => total_text(response.total, visit.ui),
        Err(_) => String::new(),
    };
    let texts_for_island = SearchTexts { offline: t.offline_search.to_owned(), saved: t.kept_heading.to_owned() };
    let (typed, region) = (search.typed.clone(), results(visit, search));
    let main = view! {
        <section class="search">
            <h1 class="visually-hidden">{t.search_heading}</h1>
            <SearchUi texts=texts_for_island>
                <form id="search" role="search" class="search-box" action="/" method="get">
                    <label for="q">{t.search_label}</label>
                    <div class="search-row">
                        <input id="q" type="search" name="q" value=typed autocomplete="off"
                            spellcheck="false" enterkeyhint="search" placeholder=t.search_placeholder/>
                        <button type="submit">{t.search_button}</button>
                    </div>
                </form>
                // One live region for the page, so screen readers hear each new result count.
                <p id="search-status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">{status}</p>
                {region}
            </SearchUi>
        </section>
    };
    document(visit, Islands::Reader, head, (), main)
}

/// The results region alone, as HTML (`/fragment/results`).
pub fn results_html(visit: &Visit, search: &SearchPage) -> String {
    super::to_html(|| results(visit, search).into_any())
}

/// The results region: filters, count, sort, chips, hits and pages (or the problem with the
/// request). Its `data-title` and `data-status` carry the page title and the count to announce
/// when the island swaps it in.
fn results(visit: &Visit, search: &SearchPage) -> impl IntoView + use<> {
    let t = texts(visit.ui);
    let lang = visit.ui;
    let params = &search.params;
    let response = match &search.answer {
        Ok(response) => response,
        Err(message) => {
            return view! {
                <div id="results" class="layout" data-title=title(search, t) data-status=message.clone()>
                    <div class="results" data-q=params.q.clone()>
                        <p class="error" role="alert">{message.clone()}</p>
                    </div>
                </div>
            }
            .into_any();
        }
    };
    let per_page = u64::from(search.per_page.max(1));
    let pages = response.total.div_ceil(per_page).min(u64::from(MAX_RESULT_DEPTH) / per_page).max(1);
    let page = u64::from(params.page());

    // Chips for the active filters, each a link to the search without it.
    let mut chips: Vec<(String, String)> = Vec::new();
    for facet in Facet::ALL {
        for value in params.selected(facet) {
            let label =
                response.facets.of(facet).iter().find(|f| f.value == value).map_or(value.clone(), |f| f.label.clone());
            let title = facet_title(t, facet);
            chips.push((format!("{title}: {label}"), without(params.clone(), facet, &value).href()));
        }
    }
    if params.year_from.is_some() || params.year_to.is_some() {
        let range = format!(
            "{}–{}",
            params.year_from.map_or(String::new(), |y| y.to_string()),
            params.year_to.map_or(String::new(), |y| y.to_string())
        );
        let no_years = SearchParams { year_from: None, year_to: None, page: 1, ..params.clone() };
        chips.push((format!("{}: {range}", t.facet_year), no_years.href()));
    }
    let cleared = SearchParams { q: params.q.clone(), sort: params.sort, ..SearchParams::default() }.href();

    let facets = Facet::ALL
        .into_iter()
        .map(|facet| {
            facet_list(facet.name(), facet_title(t, facet), response.facets.of(facet), &params.selected(facet), lang, t)
        })
        .collect_view();
    let years: Vec<(u16, u64)> =
        response.facets.year.iter().filter_map(|f| Some((f.value.parse().ok()?, f.count))).collect();
    let sort_link = |sort: Sort, label: &'static str| {
        let target = SearchParams { sort, page: 1, ..params.clone() }.href();
        if params.sort == sort {
            view! { <strong aria-current="true">{label}</strong> }.into_any()
        } else {
            view! { <a href=target>{label}</a> }.into_any()
        }
    };
    let first = (page - 1) * per_page + 1;
    let hits = response
        .hits
        .iter()
        .enumerate()
        .map(|(i, hit)| {
            let places: Vec<&str> = hit.countries.iter().map(|c| model::countries::label(c, lang)).collect();
            let meta = format!("{} · {}", places.join(", "), format_period(&hit.period, lang));
            // What the reader came for, as the bench times its paint (Element Timing).
            let heading = leptos::html::h2()
                .attr("elementtiming", (i == 0).then_some("content"))
                .child(view! { <a href=format!("/case/{}", hit.slug)>{hit.title.clone()}</a> });
            view! {
                <li class="hit" lang=hit.lang.map(|l| l.code())>
                    {heading}
                    <p class="summary">{hit.summary.clone()}</p>
                    <p class="snippet" inner_html=hit.snippet.clone()></p>
                    <p class="meta" lang=lang.code()>{meta}</p>
                </li>
            }
        })
        .collect_view();

    view! {
        <div id="results" class="layout" data-title=title(search, t) data-status=total_text(response.total, lang)>
            <div class="results" data-q=params.q.clone() aria-busy="false">
                <div class="toolbar">
                    <p class="count">{total_text(response.total, lang)}</p>
                    <a class="to-filters" href="#filters">{t.filters}</a>
                    <p class="sort">
                        <span>{t.sort} ": "</span>
                        {sort_link(Sort::Relevance, t.sort_relevance)}
                        " · "
                        {sort_link(Sort::Newest, t.sort_newest)}
                    </p>
                </div>
                {(!chips.is_empty()).then(|| view! {
                    <ul class="chips" aria-label=t.active_filters>
                        {chips.into_iter().map(|(label, target)| view! {
                            <li>
                                <a class="chip" href=target title=t.remove_filter>
                                    {label} <span aria-hidden="true">" ×"</span>
                                    <span class="visually-hidden">{format!(" ({})", t.remove_filter)}</span>
                                </a>
                            </li>
                        }).collect_view()}
                        <li><a class="link" href=cleared.clone()>{t.clear_filters}</a></li>
                    </ul>
                })}
                {response.cut.then(|| view! { <p class="notice">{t.query_cut}</p> })}
                {(!response.ignored.is_empty()).then(|| view! {
                    <p class="notice">{t.ignored_words} " " <span class="ignored">{response.ignored.join(" ")}</span></p>
                })}
                {response.hits.is_empty().then(|| view! {
                    <div class="empty">
                        <p class="hint">{t.no_results_hint}</p>
                        {params.has_filters().then(|| view! { <a class="link" href=cleared.clone()>{t.clear_filters}</a> })}
                    </div>
                })}
                <ol class="hits" start=first.to_string()>{hits}</ol>
                {(pages > 1).then(|| pagination(page, pages, params, t))}
                // The order and page size the search was made with, for the next one the form sends.
                {(params.sort != Sort::Relevance).then(|| view! { <input type="hidden" name="sort" value=params.sort.as_str() form="search"/> })}
                {(params.per_page != 0).then(|| view! { <input type="hidden" name="per_page" value=params.per_page.to_string() form="search"/> })}
            </div>
            // After the results in the page (first on a phone's screen is what was found), beside
            // them on a wide screen.
            <aside id="filters" class="filters" aria-labelledby="filters-heading">
                <h2 id="filters-heading">{t.filters}</h2>
                {facets}
                {year_range(&years, params, t)}
                <button type="submit" form="search" class="apply">{t.apply_filters}</button>
            </aside>
        </div>
    }
    .into_any()
}

/// One facet: a checkbox per value with its count; values past the first few (and not chosen)
/// fold under "show more".
fn facet_list(
    name: &'static str,
    title: &'static str,
    values: &[FacetCount],
    chosen: &[String],
    lang: Lang,
    t: &'static Texts,
) -> impl IntoView + use<> {
    let item = |value: &FacetCount| {
        let id = format!("f-{name}-{}", value.value);
        view! {
            <li>
                <input type="checkbox" id=id.clone() name=name value=value.value.clone() form="search"
                    checked=chosen.contains(&value.value)/>
                <label for=id>
                    <span class="value">{value.label.clone()}</span>
                    <span class="n">{format_number(value.count as f64, lang)}</span>
                </label>
            </li>
        }
    };
    let (shown, folded): (Vec<(usize, &FacetCount)>, Vec<(usize, &FacetCount)>) =
        values.iter().enumerate().partition(|(i, value)| *i < FACET_PREVIEW || chosen.contains(&value.value));
    let shown = shown.into_iter().map(|(_, value)| item(value)).collect_view();
    let more = (!folded.is_empty()).then(|| {
        let folded = folded.into_iter().map(|(_, value)| item(value)).collect_view();
        view! {
            <details id=format!("more-{name}") class="more-values">
                <summary>{t.show_more}</summary>
                <ul>{folded}</ul>
            </details>
        }
    });
    view! {
        <fieldset class="facet" data-facet=name>
            <legend>{title}</legend>
            <ul>{shown}</ul>
            {more}
        </fieldset>
    }
}

/// The years the hits span with how many ran in each, as two menus (each year with its count)
/// and a small histogram under them.
fn year_range(counted: &[(u16, u64)], params: &SearchParams, t: &'static Texts) -> impl IntoView + use<> {
    let mut years = counted.to_vec();
    for chosen in [params.year_from, params.year_to].into_iter().flatten() {
        if !years.iter().any(|(year, _)| *year == chosen) {
            years.push((chosen, 0));
        }
    }
    years.sort_unstable();
    let select = |current: Option<u16>, label: &'static str, name: &'static str| {
        let id = name.replace('_', "-");
        let options = years
            .iter()
            .map(|&(year, n)| {
                view! { <option value=year.to_string() selected=current == Some(year)>{format!("{year} ({n})")}</option> }
            })
            .collect_view();
        view! {
            <label for=id.clone()>{label}</label>
            <select id=id name=name form="search">
                <option value="" selected=current.is_none()>{t.any_year}</option>
                {options}
            </select>
        }
    };
    view! {
        <fieldset class="facet years">
            <legend>{t.facet_year}</legend>
            {select(params.year_from, t.year_from, "year_from")}
            {select(params.year_to, t.year_to, "year_to")}
            {year_histogram(counted)}
        </fieldset>
    }
}

/// One bar a year from the first year to the last (a year without cases has none), as high as
/// its share of the busiest year. Decoration: the menus above say the same in words.
fn year_histogram(counted: &[(u16, u64)]) -> Option<impl IntoView + use<>> {
    let first = counted.iter().map(|c| c.0).min()?;
    let last = counted.iter().map(|c| c.0).max()?;
    let most = counted.iter().map(|c| c.1).max().unwrap_or(1).max(1);
    let span = u32::from(last - first) + 1;
    let bars = counted
        .iter()
        .filter(|c| c.1 > 0)
        .map(|&(year, n)| {
            let height = ((n * 30).div_ceil(most)) as u32;
            view! { <rect x=u32::from(year - first) * 10 + 1 y=30 - height width="8" height=height/> }
        })
        .collect_view();
    Some(view! {
        <div class="year-histogram" aria-hidden="true">
            <svg viewBox=format!("0 0 {} 30", span * 10) preserveAspectRatio="none" focusable="false">{bars}</svg>
            <span>{first.to_string()}</span>
            <span>{last.to_string()}</span>
        </div>
    })
}

/// Links to the first, the last, and two pages on each side of the current one.
fn pagination(page: u64, pages: u64, params: &SearchParams, t: &'static Texts) -> impl IntoView + use<> {
    let link = |n: u64, label: String, current: bool| {
        let target = SearchParams { page: n as u32, ..params.clone() }.href();
        view! { <a href=target aria-current=current.then_some("page")>{label}</a> }.into_any()
    };
    let mut shown: Vec<u64> = vec![1, pages];
    shown.extend((page.saturating_sub(2).max(1))..=(page + 2).min(pages));
    shown.sort_unstable();
    shown.dedup();
    let mut items = Vec::new();
    if page > 1 {
        items.push(link(page - 1, format!("‹ {}", t.previous), false));
    }
    let mut last = 0;
    for n in shown {
        if n > last + 1 {
            items.push(view! { <span aria-hidden="true">"…"</span> }.into_any());
        }
        items.push(link(n, n.to_string(), n == page));
        last = n;
    }
    if page < pages {
        items.push(link(page + 1, format!("{} ›", t.next), false));
    }
    view! { <nav class="pagination" aria-label=t.pages>{items}</nav> }
}
