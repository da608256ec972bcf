//! The case page: the story in the chosen language, a switch among its translations with their
//! status, the facts, and related cases.

use crate::api;
use crate::i18n::{Texts, format_number, format_period, use_ui};
use crate::offline::{LowData, SavedCase, save_case, saved_cases};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::api::{CaseView, SearchParams};
use model::case::Settlement;
use model::{Lang, Translation};

#[component]
pub fn CasePage() -> impl IntoView {
    let ui = use_ui();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let lang = move || query.read().get("lang").and_then(|code| code.parse::<Lang>().ok());
    let case = LocalResource::new(move || {
        let (slug, lang, ui) = (slug(), lang(), ui.get());
        async move { api::case(&slug, lang, Some(ui)).await }
    });

    view! {
        <Transition fallback=move || view! { <p class="status" role="status">{ui.t().loading}</p> }>
            {move || case.get().map(|result| match result {
                Ok(Some(case)) => view! { <Case case=case/> }.into_any(),
                Ok(None) => view! { <super::NotFound/> }.into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn translation_status(t: &Texts, translation: Translation) -> &'static str {
    match translation {
        Translation::Original => t.original,
        Translation::Human => t.human_translation,
        Translation::Machine => t.machine_translation,
    }
}

#[component]
fn Case(case: CaseView) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let lang = ui.get();
    let meta = &case.meta;
    let label = |id: &str| case.label(id).to_owned();

    let period = format_period(&meta.period, lang);
    let countries: Vec<String> = meta.countries.iter().map(|c| label(c)).collect();
    let places: Vec<String> = meta
        .places
        .iter()
        .map(|place| match place.settlement {
            Some(settlement) => format!(
                "{} ({})",
                place.name,
                match settlement {
                    Settlement::Rural => t.rural,
                    Settlement::SmallTown => t.small_town,
                    Settlement::Urban => t.urban,
                }
            ),
            None => place.name.clone(),
        })
        .collect();
    let lead = format!("{} ({})", meta.lead_organisation.name, label(&meta.lead_organisation.kind));
    let partners: Vec<String> = meta
        .partners
        .iter()
        .map(|p| {
            let mut text = p.name.clone();
            let details: Vec<String> = p.role.iter().cloned().chain(p.kind.as_deref().map(&label)).collect();
            if !details.is_empty() {
                text.push_str(&format!(" — {}", details.join(", ")));
            }
            text
        })
        .collect();
    let funders: Vec<String> = meta
        .funders
        .iter()
        .map(|f| match &f.programme {
            Some(programme) => format!("{} — {programme}", f.name),
            None => f.name.clone(),
        })
        .collect();
    let budget = meta.budget.as_ref().map(|budget| {
        let amount = match (budget.amount, &budget.currency) {
            (Some(amount), Some(currency)) => Some(format!("{} {currency}", format_number(amount, lang))),
            _ => None,
        };
        [amount, budget.note.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    });
    let audiences: Vec<String> = meta.audiences.iter().map(|a| label(a)).collect();
    let themes: Vec<(String, String)> = meta
        .themes
        .iter()
        .map(|id| {
            (format!("/?{}", SearchParams { theme: vec![id.clone()], ..SearchParams::default() }.to_query()), label(id))
        })
        .collect();
    let reach = meta.reach.as_ref().map(|reach| {
        [(reach.participants, t.participants), (reach.libraries, t.libraries), (reach.places, t.reach_places)]
            .into_iter()
            .filter_map(|(n, what)| n.map(|n| format!("{} {what}", format_number(f64::from(n), lang))))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let sdgs =
        (!meta.sdgs.is_empty()).then(|| meta.sdgs.iter().map(|n| format!("SDG {n}")).collect::<Vec<_>>().join(", "));
    let list = |items: Vec<String>| items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view();
    let slug = case.slug.clone();
    let address = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .map(|origin| format!("{origin}/case/{slug}"))
        .unwrap_or_default();
    let copied = RwSignal::new(false);
    let low_data = expect_context::<LowData>();
    // "Save for offline": every language of the case, for this reader's language, and its QR code.
    let saved = RwSignal::new(saved_cases().iter().any(|c| c.slug == slug).then_some(true));
    let save_urls: Vec<String> = std::iter::once(format!("/api/cases/{slug}?ui={lang}"))
        .chain(case.translations.iter().map(|tr| format!("/api/cases/{slug}?lang={}&ui={lang}", tr.lang)))
        .chain(std::iter::once(format!("/case/{slug}/qr.svg")))
        .collect();
    let to_save = SavedCase { slug: slug.clone(), title: case.title.clone() };
    let save = move |_| {
        let (case, urls) = (to_save.clone(), save_urls.clone());
        leptos::task::spawn_local(async move {
            saved.set(Some(save_case(case, urls).await.is_ok()));
        });
    };
    let copy_link = {
        let address = address.clone();
        move |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&address);
                copied.set(true);
            }
        }
    };

    view! {
        <article class="case" lang=case.lang.code()>
            <h1 tabindex="-1">{case.title.clone()}</h1>
            <nav class="translations" aria-label=t.read_in>
                <span>{t.read_in} ": "</span>
                {case
                    .translations
                    .iter()
                    .map(|tr| {
                        let status = translation_status(t, tr.translation);
                        let text = format!("{} ({status})", tr.lang.native_name());
                        if tr.lang == case.lang {
                            view! { <strong aria-current="page" lang=tr.lang.code()>{text}</strong> }.into_any()
                        } else {
                            let href = format!("/case/{slug}?lang={}", tr.lang);
                            view! { <a href=href lang=tr.lang.code() hreflang=tr.lang.code()>{text}</a> }.into_any()
                        }
                    })
                    .collect_view()}
            </nav>
            <p class="lead">{case.summary.clone()}</p>
            <div class="actions">
                <button type="button" on:click=|_| { if let Some(window) = web_sys::window() { let _ = window.print(); } }>{t.print}</button>
                <button type="button" on:click=copy_link>{t.share}</button>
                <button type="button" class="save" on:click=save disabled=move || saved.get() == Some(true)>{t.save_offline}</button>
                <span role="status" class="copied">
                    {move || copied.get().then_some(t.copied)}
                    {move || saved.get().map(|ok| if ok { t.saved_offline } else { t.save_failed })}
                </span>
            </div>
            {move || (!low_data.0.get()).then(|| view! {
                <figure class="qr print-only">
                    <img src=format!("/case/{}/qr.svg", case.slug) alt=t.qr_alt width="96" height="96"/>
                    <figcaption>{address.clone()}</figcaption>
                </figure>
            })}
            <section class="facts" aria-labelledby="facts-heading" lang=lang.code()>
                <h2 id="facts-heading">{t.facts}</h2>
                <dl>
                    <dt>{t.period}</dt><dd>{period}</dd>
                    <dt>{t.countries}</dt><dd>{countries.join(", ")}</dd>
                    {(!places.is_empty()).then(|| view! { <dt>{t.places}</dt><dd>{places.join(", ")}</dd> })}
                    <dt>{t.lead_organisation}</dt><dd>{lead}</dd>
                    {(!partners.is_empty()).then(|| view! { <dt>{t.partners}</dt><dd><ul>{list(partners)}</ul></dd> })}
                    {(!funders.is_empty()).then(|| view! { <dt>{t.funders}</dt><dd><ul>{list(funders)}</ul></dd> })}
                    {budget.map(|budget| view! { <dt>{t.budget}</dt><dd>{budget}</dd> })}
                    {(!audiences.is_empty()).then(|| view! { <dt>{t.audiences}</dt><dd>{audiences.join(", ")}</dd> })}
                    <dt>{t.themes}</dt>
                    <dd class="themes">
                        {themes.into_iter().map(|(href, name)| view! { <a class="chip" href=href>{name}</a> }).collect_view()}
                    </dd>
                    {sdgs.map(|sdgs| view! { <dt>{t.sdgs}</dt><dd>{sdgs}</dd> })}
                    {reach.filter(|r| !r.is_empty()).map(|reach| view! { <dt>{t.reach}</dt><dd>{reach}</dd> })}
                    {(!meta.links.is_empty()).then(|| view! {
                        <dt>{t.links}</dt>
                        <dd><ul>
                            {meta.links.iter().map(|link| view! {
                                <li><a href=link.url.clone() rel="noopener noreferrer external">{link.title.clone()}</a></li>
                            }).collect_view()}
                        </ul></dd>
                    })}
                    <dt>{t.licence}</dt><dd>{meta.licence.clone()}</dd>
                </dl>
            </section>
            <div class="body" inner_html=case.body_html.clone()></div>
            {(!case.related.is_empty()).then(|| view! {
                <section class="related" aria-labelledby="related-heading" lang=lang.code()>
                    <h2 id="related-heading">{t.related}</h2>
                    <ul>
                        {case.related.iter().map(|r| view! {
                            <li lang=r.lang.code()>
                                <a href=format!("/case/{}", r.slug)>{r.title.clone()}</a>
                                <p>{r.summary.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}
