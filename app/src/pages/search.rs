//! The search page: a search box with results as you type. The query lives in the URL; typing
//! updates it after a short pause, and a reply that arrives after a newer query was sent is
//! dropped, so results never go back to an older query.

use crate::api;
use crate::i18n::{count, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use model::api::{SearchParams, SearchResponse};

/// Pause after the last keystroke before searching.
const DEBOUNCE_MS: u32 = 120;

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

    // Results for the URL's search; only the newest request may set them.
    let results = RwSignal::new(None::<api::ApiResult<SearchResponse>>);
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let params = SearchParams { ui: Some(ui.get()), ..params.get() };
        let id = latest.get_value() + 1;
        latest.set_value(id);
        spawn_local(async move {
            let response = api::search(&params).await;
            if latest.get_value() == id {
                results.set(Some(response));
            }
        });
    });

    let navigate = use_navigate();
    let keystrokes = StoredValue::new(0u64);
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        text.set(value);
        let stroke = keystrokes.get_value() + 1;
        keystrokes.set_value(stroke);
        let navigate = navigate.clone();
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(DEBOUNCE_MS).await;
            if keystrokes.get_value() != stroke {
                return;
            }
            let current = params.get_untracked();
            let q = text.get_untracked();
            if q == current.q {
                return;
            }
            // The first keystroke of a search adds a history entry; the rest refine it.
            let replace = !current.q.is_empty() && !q.is_empty();
            let next = SearchParams { q: q.clone(), page: 1, ..current };
            sent_q.set_value(q);
            navigate(
                &format!("/?{}", next.to_query()),
                NavigateOptions { replace, scroll: false, ..Default::default() },
            );
        });
    };

    view! {
        <section class="search">
            <h1 class="visually-hidden">{move || ui.t().search_heading}</h1>
            <form role="search" class="search-box" on:submit=|ev| ev.prevent_default()>
                <label for="q">{move || ui.t().search_label}</label>
                <input
                    id="q"
                    type="search"
                    name="q"
                    autocomplete="off"
                    placeholder=move || ui.t().search_placeholder
                    prop:value=move || text.get()
                    on:input=on_input
                />
            </form>
            {move || match results.get() {
                None => view! { <p class="status" role="status">{ui.t().searching}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(response)) => view! { <Results response=response/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Results(response: SearchResponse) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let total = match response.total {
        0 => t.no_results.to_owned(),
        1 => t.one_result.to_owned(),
        n => count(t.many_results, n, ui.get()),
    };
    let empty = response.hits.is_empty();
    view! {
        <p class="count" role="status" aria-live="polite">{total}</p>
        <Show when=move || empty>
            <p class="hint">{t.no_results_hint}</p>
        </Show>
        <ol class="hits">
            {response
                .hits
                .into_iter()
                .map(|hit| {
                    let href = format!("/case/{}", hit.slug);
                    let meta = format!("{} · {}", hit.countries.join(", "), hit.period.display());
                    view! {
                        <li class="hit" lang=hit.lang.map(|l| l.code())>
                            <h2><a href=href>{hit.title}</a></h2>
                            <p class="summary">{hit.summary}</p>
                            <p class="snippet" inner_html=hit.snippet></p>
                            <p class="meta">{meta}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
