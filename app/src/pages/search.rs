//! The search page: a search box with results as you type, facets with counts, active filter
//! chips, sort and pagination. The whole state lives in the URL, so a search can be shared and
//! the back button restores it. Typing updates the URL after a short pause, and a reply that
//! arrives after a newer request was sent is dropped, so results never go back to an older query.

use crate::api;
use crate::i18n::{Texts, count, format_number, format_period, use_ui};
use crate::offline::{LowData, Online, saved_cases};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use model::Lang;
use model::api::{FacetCount, SearchParams, SearchResponse, Sort};

/// Pause after the last keystroke before searching.
const DEBOUNCE_MS: u32 = 120;
/// Facet values shown before "show more".
const FACET_PREVIEW: usize = 8;
/// Results per page in low-data mode.
const LOW_DATA_PER_PAGE: u32 = 5;

/// The facets, in display order: (URL parameter, title).
fn facet_names(t: &'static Texts) -> [(&'static str, &'static str); 5] {
    [
        ("country", t.facet_country),
        ("theme", t.facet_theme),
        ("audience", t.facet_audience),
        ("org_type", t.facet_org_type),
        ("lang", t.facet_lang),
    ]
}

/// The values chosen for one facet parameter.
fn selected(params: &SearchParams, name: &str) -> Vec<String> {
    match name {
        "country" => params.country.clone(),
        "theme" => params.theme.clone(),
        "audience" => params.audience.clone(),
        "org_type" => params.org_type.clone(),
        "lang" => params.lang.iter().map(|l| l.code().to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// `params` with `value` added to or removed from facet `name`, back on the first page.
fn toggled(mut params: SearchParams, name: &str, value: &str) -> SearchParams {
    fn toggle(values: &mut Vec<String>, value: &str) {
        match values.iter().position(|v| v == value) {
            Some(i) => {
                values.remove(i);
            }
            None => values.push(value.to_owned()),
        }
    }
    match name {
        "country" => toggle(&mut params.country, value),
        "theme" => toggle(&mut params.theme, value),
        "audience" => toggle(&mut params.audience, value),
        "org_type" => toggle(&mut params.org_type, value),
        "lang" => {
            if let Ok(lang) = value.parse::<Lang>() {
                match params.lang.iter().position(|l| *l == lang) {
                    Some(i) => {
                        params.lang.remove(i);
                    }
                    None => params.lang.push(lang),
                }
            }
        }
        _ => {}
    }
    params.page = 1;
    params
}

fn facet_values<'a>(response: &'a SearchResponse, name: &str) -> &'a [FacetCount] {
    match name {
        "country" => &response.facets.country,
        "theme" => &response.facets.theme,
        "audience" => &response.facets.audience,
        "org_type" => &response.facets.org_type,
        "lang" => &response.facets.lang,
        _ => &[],
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let ui = use_ui();
    let location = use_location();
    let params = Memo::new(move |_| SearchParams::from_query(&location.search.get()).unwrap_or_default());

    // The text in the box. It follows the URL only when the URL changes from outside (back,
    // forward, a link), never while the reader types.
    let text = RwSignal::new(params.get_untracked().q);
    let sent_q = StoredValue::new(params.get_untracked().q);
    Effect::new(move |_| {
        let q = params.get().q;
        if q != sent_q.get_value() {
            sent_q.set_value(q.clone());
            text.set(q);
        }
    });

    // Results for the URL's search; only the newest request may set them. The previous results
    // stay on screen while the next ones load.
    // Each response is kept with the parameters it answers, so the filters, chips and hits on
    // screen always belong together.
    let results = RwSignal::new(None::<(SearchParams, api::ApiResult<SearchResponse>)>);
    let loading = RwSignal::new(true);
    let latest = StoredValue::new(0u64);
    let low_data = expect_context::<LowData>();
    let online = expect_context::<Online>();
    Effect::new(move |_| {
        let asked = params.get();
        let per_page = if low_data.0.get() && asked.per_page == 0 { LOW_DATA_PER_PAGE } else { asked.per_page };
        let request = SearchParams { ui: Some(ui.get()), per_page, ..asked.clone() };
        let id = latest.get_value() + 1;
        latest.set_value(id);
        loading.set(true);
        spawn_local(async move {
            let response = api::search(&request).await;
            if latest.get_value() == id {
                results.set(Some((asked, response)));
                loading.set(false);
            }
        });
    });

    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |next: SearchParams, replace: bool| {
            sent_q.set_value(next.q.clone());
            navigate(
                &format!("/?{}", next.to_query()),
                NavigateOptions { replace, scroll: false, ..Default::default() },
            );
        }
    };
    let go = StoredValue::new_local(go);

    let keystrokes = StoredValue::new(0u64);
    let on_input = move |ev| {
        text.set(event_target_value(&ev));
        let stroke = keystrokes.get_value() + 1;
        keystrokes.set_value(stroke);
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(DEBOUNCE_MS).await;
            let current = params.get_untracked();
            let q = text.get_untracked();
            if keystrokes.get_value() != stroke || q == current.q {
                return;
            }
            // The first keystroke of a search adds a history entry; the rest refine it.
            let replace = !current.q.is_empty() && !q.is_empty();
            go.with_value(|go| go(SearchParams { q, page: 1, ..current }, replace));
        });
    };
    // Filters, sort and pages change what is on screen; the words are always the latest typed.
    let navigate_to =
        move |next: SearchParams| go.with_value(|go| go(SearchParams { q: params.get_untracked().q, ..next }, false));

    view! {
        <section class="search">
            <h1 class="visually-hidden" tabindex="-1">{move || ui.t().search_heading}</h1>
            <form role="search" class="search-box" on:submit=|ev| ev.prevent_default()>
                <label for="q">{move || ui.t().search_label}</label>
                <input
                    id="q"
                    type="search"
                    name="q"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder=move || ui.t().search_placeholder
                    prop:value=move || text.get()
                    on:input=on_input
                />
            </form>
            // One live region for the whole page, so screen readers hear each new result count.
            <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
                {move || results.with(|r| match r {
                    Some((_, Ok(response))) => Some(total_text(response.total, ui)),
                    _ => None,
                })}
            </p>
            {move || match results.get() {
                None => view! { <p class="status">{ui.t().searching}</p> }.into_any(),
                Some((_, Err(_))) if !online.0.get() => view! { <SavedList/> }.into_any(),
                Some((_, Err(message))) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some((answered, Ok(response))) => {
                    view! { <Results response=response params=answered loading=loading navigate_to=navigate_to/> }.into_any()
                }
            }}
        </section>
    }
}

/// "No case studies found", "1 case study", "12 case studies" in the reader's language.
fn total_text(total: u64, ui: crate::i18n::Ui) -> String {
    let t = ui.t();
    match total {
        0 => t.no_results.to_owned(),
        1 => t.one_result.to_owned(),
        n => count(t.many_results, n, ui.get()),
    }
}

/// Offline: the cases saved on this device.
#[component]
fn SavedList() -> impl IntoView {
    let ui = use_ui();
    let saved = saved_cases();
    view! {
        <p class="hint">{ui.t().offline_search}</p>
        <ul class="saved">
            {saved.into_iter().map(|case| view! { <li><a href=format!("/case/{}", case.slug)>{case.title}</a></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn Results(
    response: SearchResponse,
    params: SearchParams,
    loading: RwSignal<bool>,
    navigate_to: impl Fn(SearchParams) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let lang = ui.get();
    let total = total_text(response.total, ui);
    let has_filters = params.has_filters();
    let low_data = expect_context::<LowData>();
    let per_page = if low_data.0.get_untracked() && params.per_page == 0 {
        u64::from(LOW_DATA_PER_PAGE)
    } else {
        params.per_page() as u64
    };
    let pages = response.total.div_ceil(per_page).min(u64::from(model::api::MAX_RESULT_DEPTH) / per_page).max(1);
    let page = u64::from(params.page());

    // Chips for the active filters, each removing itself.
    let mut chips: Vec<(String, SearchParams)> = Vec::new();
    for (name, title) in facet_names(t) {
        for value in selected(&params, name) {
            let label = facet_values(&response, name)
                .iter()
                .find(|f| f.value == value)
                .map_or(value.clone(), |f| f.label.clone());
            chips.push((format!("{title}: {label}"), toggled(params.clone(), name, &value)));
        }
    }
    if params.year_from.is_some() || params.year_to.is_some() {
        let range = format!(
            "{}–{}",
            params.year_from.map_or(String::new(), |y| y.to_string()),
            params.year_to.map_or(String::new(), |y| y.to_string())
        );
        chips.push((
            format!("{}: {range}", t.facet_year),
            SearchParams { year_from: None, year_to: None, page: 1, ..params.clone() },
        ));
    }
    let cleared = SearchParams { q: params.q.clone(), sort: params.sort, ..SearchParams::default() };

    let facets = facet_names(t)
        .into_iter()
        .map(|(name, title)| {
            let values = facet_values(&response, name).to_vec();
            let chosen = selected(&params, name);
            view! { <Facet name=name title=title values=values chosen=chosen params=params.clone() navigate_to=navigate_to/> }
        })
        .collect_view();
    let years: Vec<u16> = response.facets.year.iter().filter_map(|f| f.value.parse().ok()).collect();
    // On a phone the results come first and the filters start folded.
    let wide =
        web_sys::window().and_then(|w| w.match_media("(min-width: 48rem)").ok().flatten()).is_none_or(|m| m.matches());

    view! {
        <div class="layout">
            <aside class="filters" aria-label=t.filters>
                <details open=wide>
                    <summary>{t.filters}</summary>
                    {facets}
                    <YearRange years=years params=params.clone() navigate_to=navigate_to/>
                </details>
            </aside>
            <div class="results" data-q=params.q.clone() aria-busy=move || loading.get().to_string()>
                <div class="toolbar">
                    <p class="count">{total}</p>
                    <label class="sort">
                        <span>{t.sort} " "</span>
                        <select on:change={
                            let params = params.clone();
                            move |ev| {
                                let sort = if event_target_value(&ev) == "newest" { Sort::Newest } else { Sort::Relevance };
                                navigate_to(SearchParams { sort, page: 1, ..params.clone() });
                            }
                        }>
                            <option value="relevance" selected=params.sort == Sort::Relevance>{t.sort_relevance}</option>
                            <option value="newest" selected=params.sort == Sort::Newest>{t.sort_newest}</option>
                        </select>
                    </label>
                </div>
                {(!chips.is_empty()).then(|| view! {
                    <ul class="chips" aria-label=t.active_filters>
                        {chips.into_iter().map(|(label, without)| view! {
                            <li>
                                <button type="button" class="chip" title=t.remove_filter on:click=move |_| navigate_to(without.clone())>
                                    {label} <span aria-hidden="true">" ×"</span>
                                    <span class="visually-hidden">{format!(" ({})", t.remove_filter)}</span>
                                </button>
                            </li>
                        }).collect_view()}
                        <li><button type="button" class="link" on:click=move |_| navigate_to(cleared.clone())>{t.clear_filters}</button></li>
                    </ul>
                })}
                {(response.hits.is_empty()).then(|| view! {
                    <div class="empty">
                        <p class="hint">{t.no_results_hint}</p>
                        {has_filters.then(|| {
                            let without = SearchParams { q: params.q.clone(), ..SearchParams::default() };
                            view! { <button type="button" class="link" on:click=move |_| navigate_to(without.clone())>{t.clear_filters}</button> }
                        })}
                    </div>
                })}
                <ol class="hits" start=((page - 1) * per_page + 1).to_string()>
                    {response.hits.into_iter().map(|hit| {
                        let href = format!("/case/{}", hit.slug);
                        let places: Vec<String> = hit.countries.iter().map(|c| model::countries::label(c, lang).to_owned()).collect();
                        let meta = format!("{} · {}", places.join(", "), format_period(&hit.period, lang));
                        view! {
                            <li class="hit" lang=hit.lang.map(|l| l.code())>
                                <h2><a href=href>{hit.title}</a></h2>
                                <p class="summary">{hit.summary}</p>
                                <p class="snippet" inner_html=hit.snippet></p>
                                <p class="meta" lang=lang.code()>{meta}</p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {(pages > 1).then(|| view! { <Pagination page=page pages=pages params=params.clone() navigate_to=navigate_to/> })}
            </div>
        </div>
    }
}

#[component]
fn Facet(
    name: &'static str,
    title: &'static str,
    values: Vec<FacetCount>,
    chosen: Vec<String>,
    params: SearchParams,
    navigate_to: impl Fn(SearchParams) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ui = use_ui();
    let lang = ui.get();
    let expanded = RwSignal::new(false);
    let many = values.len() > FACET_PREVIEW;
    let items = values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let checked = chosen.contains(&value.value);
            let next = toggled(params.clone(), name, &value.value);
            let id = format!("f-{name}-{}", value.value);
            let hidden = move || i >= FACET_PREVIEW && !expanded.get() && !checked;
            view! {
                <li class:hidden=hidden>
                    <input type="checkbox" id=id.clone() checked=checked on:change=move |_| navigate_to(next.clone())/>
                    <label for=id>
                        <span class="value">{value.label}</span>
                        <span class="n">{format_number(value.count as f64, lang)}</span>
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="facet" data-facet=name>
            <legend>{title}</legend>
            <ul>{items}</ul>
            {many.then(|| view! {
                <button type="button" class="link" aria-expanded=move || expanded.get().to_string() on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() { ui.t().show_fewer } else { ui.t().show_more }}
                </button>
            })}
        </fieldset>
    }
}

#[component]
fn YearRange(
    years: Vec<u16>,
    params: SearchParams,
    navigate_to: impl Fn(SearchParams) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let mut years = years;
    for chosen in [params.year_from, params.year_to].into_iter().flatten() {
        if !years.contains(&chosen) {
            years.push(chosen);
        }
    }
    years.sort_unstable();
    let (from, to) = (params.year_from, params.year_to);
    let select = move |current: Option<u16>,
                       label: &'static str,
                       id: &'static str,
                       set: fn(&mut SearchParams, Option<u16>)| {
        let params = params.clone();
        let options = years
            .iter()
            .map(|year| view! { <option value=year.to_string() selected=current == Some(*year)>{year.to_string()}</option> })
            .collect_view();
        view! {
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| {
                let mut next = SearchParams { page: 1, ..params.clone() };
                set(&mut next, event_target_value(&ev).parse().ok());
                if let (Some(from), Some(to)) = (next.year_from, next.year_to) && from > to {
                    (next.year_from, next.year_to) = (Some(to), Some(from));
                }
                navigate_to(next);
            }>
                <option value="" selected=current.is_none()>{t.any_year}</option>
                {options}
            </select>
        }
    };
    view! {
        <fieldset class="facet years">
            <legend>{t.facet_year}</legend>
            {select(from, t.year_from, "year-from", |p, y| p.year_from = y)}
            {select(to, t.year_to, "year-to", |p, y| p.year_to = y)}
        </fieldset>
    }
}

#[component]
fn Pagination(
    page: u64,
    pages: u64,
    params: SearchParams,
    navigate_to: impl Fn(SearchParams) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let to_page = move |n: u64| SearchParams { page: n as u32, ..params.clone() };
    // The first, the last and two on each side of the current page.
    let mut shown: Vec<u64> = vec![1, pages];
    shown.extend((page.saturating_sub(2).max(1))..=(page + 2).min(pages));
    shown.sort_unstable();
    shown.dedup();
    let link = move |n: u64, label: String, current: bool| {
        let next = to_page(n);
        let href = format!("/?{}", next.to_query());
        view! {
            <a href=href aria-current=current.then_some("page") on:click=move |ev| {
                ev.prevent_default();
                navigate_to(next.clone());
                if let Some(window) = web_sys::window() {
                    window.scroll_to_with_x_and_y(0.0, 0.0);
                }
            }>{label}</a>
        }
    };
    let mut items = Vec::new();
    if page > 1 {
        items.push(link(page - 1, format!("‹ {}", t.previous), false).into_any());
    }
    let mut last = 0;
    for n in shown {
        if n > last + 1 {
            items.push(view! { <span aria-hidden="true">"…"</span> }.into_any());
        }
        items.push(link(n, n.to_string(), n == page).into_any());
        last = n;
    }
    if page < pages {
        items.push(link(page + 1, format!("{} ›", t.next), false).into_any());
    }
    view! { <nav class="pagination" aria-label=t.pages>{items}</nav> }
}
