//! A case's facts (period, places, organisations, funders, budget, themes, reach, links,
//! licence) as one definition list, the same on the case page and in the review before
//! publishing.

use crate::i18n::{format_number, format_period, role_label, texts};
use leptos::prelude::*;
use model::Lang;
use model::api::SearchParams;
use model::case::{CaseMeta, Settlement};

/// A case's facts as readers see them (the case page, and the review before it is published):
/// `label` names an id or code in the page's language.
pub fn facts(meta: &CaseMeta, lang: Lang, label: &dyn Fn(&str) -> String) -> impl IntoView + use<> {
    let t = texts(lang);
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
            let details: Vec<String> =
                p.role.iter().map(|role| role_label(role, lang)).chain(p.kind.as_deref().map(&label)).collect();
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
        .map(|id| (SearchParams { theme: vec![id.clone()], ..SearchParams::default() }.href(), label(id)))
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
    view! {
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
    }
}
