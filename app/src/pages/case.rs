//! The case page: title, summary, the story and the facts.

use crate::api;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::api::CaseView;

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let case = LocalResource::new(move || {
        let slug = slug();
        async move { api::case(&slug, None, None).await }
    });

    view! {
        <Suspense fallback=|| view! { <p class="status" role="status">"Loading…"</p> }>
            {move || case.get().map(|result| match result {
                Ok(Some(case)) => view! { <Case case=case/> }.into_any(),
                Ok(None) => view! { <super::NotFound/> }.into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Case(case: CaseView) -> impl IntoView {
    let meta = case.meta.clone();
    let countries: Vec<String> = meta.countries.iter().map(|code| case.label(code).to_owned()).collect();
    let themes: Vec<String> = meta.themes.iter().map(|id| case.label(id).to_owned()).collect();
    let budget = meta.budget.as_ref().map(|budget| match (budget.amount, &budget.currency) {
        (Some(amount), Some(currency)) => format!("{} {currency}", group_thousands(amount)),
        _ => budget.note.clone().unwrap_or_default(),
    });
    view! {
        <article class="case" lang=case.lang.code()>
            <h1>{case.title.clone()}</h1>
            <p class="lead">{case.summary.clone()}</p>
            <dl class="facts">
                <dt>"Period"</dt><dd>{meta.period.display()}</dd>
                <dt>"Countries"</dt><dd>{countries.join(", ")}</dd>
                <dt>"Lead organisation"</dt><dd>{meta.lead_organisation.name.clone()}</dd>
                {budget.map(|budget| view! { <dt>"Budget"</dt><dd>{budget}</dd> })}
                <dt>"Themes"</dt><dd>{themes.join(", ")}</dd>
            </dl>
            <div class="body" inner_html=case.body_html.clone()></div>
        </article>
    }
}

/// 885000 → "885,000"; 340266.08 → "340,266.08".
fn group_thousands(amount: f64) -> String {
    let whole = amount.trunc() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let cents = ((amount - amount.trunc()) * 100.0).round() as u64;
    if cents > 0 {
        out.push_str(&format!(".{cents:02}"));
    }
    out
}
