//! The case form, shared by the submission page and the maintainers' edit: the essentials first,
//! everything else folded under "More details". Every change updates the draft signal (which the
//! page saves); problems found by the model's validation, in the browser or by the server, are
//! shown at their fields.
//!
//! Every control is named by its field (`title`, `partners[0].name`: what
//! [`Submission::from_form`] reads), so the form also works as a plain form without script; its
//! "add" and "remove" row buttons then send the form to get the row added or removed.

use crate::i18n::use_ui;
use leptos::prelude::*;
use model::Lang;
use model::Problem;
use model::api::VocabularyView;
use model::case::{Budget, Reach, parse_year_month};
use model::submission::{RowEdit, Submission, year_month};

/// The id of the control for a problem's field: `partners[1].name` → `f-partners-1-name`.
pub fn field_id(field: &str) -> String {
    let mut id = String::from("f-");
    for c in field.chars() {
        match c {
            '.' | '[' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// The problems reported for `key` or anything inside it (`themes` covers `themes[2]`).
fn problems_for(problems: &[Problem], key: &str) -> Vec<Problem> {
    problems
        .iter()
        .filter(|p| {
            p.field == key
                || p.field.strip_prefix(key).is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
        })
        .cloned()
        .collect()
}

/// Fields in the order the form shows them, to find the first problem a reader meets.
const FORM_ORDER: &[&str] = &[
    "title",
    "summary",
    "countries",
    "lead_organisation",
    "period",
    "themes",
    "sections.context",
    "sections.what_was_done",
    "sections.results",
    "sections.lessons",
    "sections.replicate",
    "contact.name",
    "contact.email",
    "audiences",
    "partners",
    "funders",
    "budget",
    "reach",
    "links",
];

/// The control that edits a problem's field.
fn control_id(field: &str) -> String {
    match field {
        "countries" => "f-countries-0".to_owned(),
        "budget" => "f-budget-amount".to_owned(),
        field => field_id(field),
    }
}

/// Moves the focus to the first field, in form order, that has a problem.
pub fn focus_first(problems: &[Problem]) {
    let rank = |p: &Problem| FORM_ORDER.iter().position(|key| p.field.starts_with(key)).unwrap_or(FORM_ORDER.len());
    let Some(first) = problems.iter().min_by_key(|p| rank(p)) else { return };
    let document = web_sys::window().and_then(|w| w.document());
    // A list's problem may name one entry; fall back to the list's own control.
    let ids = [control_id(&first.field), control_id(first.field.split('[').next().unwrap_or(&first.field))];
    for id in ids {
        if let Some(element) = document.as_ref().and_then(|d| d.get_element_by_id(&id)) {
            use wasm_bindgen::JsCast;
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
                return;
            }
        }
    }
}

fn split_period(value: &str) -> (String, String) {
    match parse_year_month(value) {
        Some((year, Some(month))) => (year.to_string(), format!("{month:02}")),
        Some((year, None)) => (year.to_string(), String::new()),
        None => (value.split('-').next().unwrap_or("").to_owned(), String::new()),
    }
}

#[component]
pub fn CaseForm(
    draft: RwSignal<Submission>,
    vocabulary: VocabularyView,
    problems: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let ui = use_ui();
    let s = ui.s();
    let initial = draft.get_untracked();

    // The error text under a field, and whether it has one.
    let error = move |key: &'static str| {
        view! {
            <p class="field-error" id=format!("{}-error", field_id(key)) aria-live="polite">
                {move || problems.with(|all| problems_for(all, key).iter().map(|p| model::messages::say(p, ui.get())).collect::<Vec<_>>().join(" "))}
            </p>
        }
    };
    let invalid =
        move |key: &'static str| move || problems.with(|all| (!problems_for(all, key).is_empty()).to_string());

    // A one-line or multi-line text control bound to one field.
    let text = move |key: &'static str,
                     label: &'static str,
                     value: String,
                     set: fn(&mut Submission, String),
                     rows: u32| {
        let id = field_id(key);
        let described = format!("{id}-error");
        let control = if rows == 0 {
            view! {
                    <input id=id.clone() name=key type="text" value=value aria-describedby=described aria-invalid=invalid(key)
                        on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
                }
                .into_any()
        } else {
            view! {
                <textarea id=id.clone() name=key rows=rows aria-describedby=described aria-invalid=invalid(key)
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))>{value}</textarea>
            }
            .into_any()
        };
        view! { <div class="field"><label for=id>{label}</label>{control}{error(key)}</div> }
    };

    let options = |items: &[model::api::Labelled], chosen: &str| {
        items
            .iter()
            .map(
                |item| view! { <option value=item.id.clone() selected=item.id == chosen>{item.label.clone()}</option> },
            )
            .collect_view()
    };

    // Checkbox groups for vocabulary lists.
    let checkboxes = move |key: &'static str,
                           legend: &'static str,
                           items: Vec<model::api::Labelled>,
                           chosen: Vec<String>,
                           list: fn(&mut Submission) -> &mut Vec<String>| {
        view! {
            <fieldset class="checks" id=field_id(key) tabindex="-1" aria-describedby=format!("{}-error", field_id(key))>
                <legend>{legend}</legend>
                {items.into_iter().map(|item| {
                    let id = format!("{}-{}", field_id(key), item.id);
                    let label_for = id.clone();
                    let checked = chosen.contains(&item.id);
                    let value = item.id.clone();
                    view! {
                        <label for=label_for class="check">
                            <input type="checkbox" id=id name=key value=item.id.clone() checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
                                    let list = list(d);
                                    list.retain(|v| *v != value);
                                    if on {
                                        list.push(value.clone());
                                    }
                                });
                            }/>
                            {item.label}
                        </label>
                    }
                }).collect_view()}
                {error(key)}
            </fieldset>
        }
    };

    let (start_year, start_month) = split_period(&initial.meta.period.start);
    let (end_year, end_month) = split_period(initial.meta.period.end.as_deref().unwrap_or(""));
    let months = |chosen: String| {
        let mut options = vec![view! { <option value="" selected=chosen.is_empty()>"—"</option> }.into_any()];
        for m in 1..=12 {
            let value = format!("{m:02}");
            let selected = value == chosen;
            let shown = value.clone();
            options.push(view! { <option value=value selected=selected>{shown}</option> }.into_any());
        }
        options
    };
    let set_start_year = move |year: String| {
        draft.update(|d| d.meta.period.start = year_month(&year, &split_period(&d.meta.period.start).1))
    };
    let set_start_month = move |month: String| {
        draft.update(|d| d.meta.period.start = year_month(&split_period(&d.meta.period.start).0, &month))
    };
    let set_end_year = move |year: String| {
        draft.update(|d| {
            let month = split_period(d.meta.period.end.as_deref().unwrap_or("")).1;
            d.meta.period.end = (!year.trim().is_empty()).then(|| year_month(&year, &month));
        })
    };
    let set_end_month = move |month: String| {
        draft.update(|d| {
            let year = split_period(d.meta.period.end.as_deref().unwrap_or("")).0;
            d.meta.period.end = (!year.is_empty()).then(|| year_month(&year, &month));
        })
    };

    // Repeated rows (partners, funders, links) are rebuilt when one is added or removed.
    let rows_version = RwSignal::new(0u32);
    let org_types = StoredValue::new(vocabulary.org_types.clone());
    let partner_rows = move || {
        rows_version.get();
        draft.with_untracked(|d| d.meta.partners.clone()).into_iter().enumerate().map(|(i, partner)| {
            let kind = partner.kind.clone().unwrap_or_default();
            view! {
                <div class="row">
                    <label>{s.name}<input id=field_id(&format!("partners[{i}].name")) name=format!("partners[{i}].name") type="text" value=partner.name
                        on:input=move |ev| draft.update(|d| { if let Some(p) = d.meta.partners.get_mut(i) { p.name = event_target_value(&ev) } })/></label>
                    <label>{s.lead_type.trim_end_matches(" *")}
                        <select name=format!("partners[{i}].type") on:change=move |ev| draft.update(|d| { if let Some(p) = d.meta.partners.get_mut(i) { p.kind = Some(event_target_value(&ev)).filter(|k| !k.is_empty()) } })>
                            <option value="">"—"</option>
                            {org_types.with_value(|types| options(types, &kind))}
                        </select>
                    </label>
                    <label>{s.role}<input name=format!("partners[{i}].role") type="text" list="roles" value=partner.role.unwrap_or_default()
                        on:input=move |ev| draft.update(|d| { if let Some(p) = d.meta.partners.get_mut(i) { p.role = Some(event_target_value(&ev)).filter(|r| !r.trim().is_empty()) } })/></label>
                    <button type="submit" name="remove" value=format!("partners[{i}]") class="link" on:click=move |ev| { ev.prevent_default(); draft.update(|d| { d.meta.partners.remove(i); }); rows_version.update(|v| *v += 1); }>{s.remove}</button>
                </div>
            }
        }).collect_view()
    };
    let funder_rows = move || {
        rows_version.get();
        draft.with_untracked(|d| d.meta.funders.clone()).into_iter().enumerate().map(|(i, funder)| {
            view! {
                <div class="row">
                    <label>{s.name}<input id=field_id(&format!("funders[{i}].name")) name=format!("funders[{i}].name") type="text" value=funder.name
                        on:input=move |ev| draft.update(|d| { if let Some(f) = d.meta.funders.get_mut(i) { f.name = event_target_value(&ev) } })/></label>
                    <label>{s.programme}<input name=format!("funders[{i}].programme") type="text" value=funder.programme.unwrap_or_default()
                        on:input=move |ev| draft.update(|d| { if let Some(f) = d.meta.funders.get_mut(i) { f.programme = Some(event_target_value(&ev)).filter(|r| !r.trim().is_empty()) } })/></label>
                    <button type="submit" name="remove" value=format!("funders[{i}]") class="link" on:click=move |ev| { ev.prevent_default(); draft.update(|d| { d.meta.funders.remove(i); }); rows_version.update(|v| *v += 1); }>{s.remove}</button>
                </div>
            }
        }).collect_view()
    };
    let link_rows = move || {
        rows_version.get();
        draft.with_untracked(|d| d.meta.links.clone()).into_iter().enumerate().map(|(i, link)| {
            view! {
                <div class="row">
                    <label>{s.link_url}<input id=field_id(&format!("links[{i}].url")) name=format!("links[{i}].url") type="url" value=link.url
                        on:input=move |ev| draft.update(|d| { if let Some(l) = d.meta.links.get_mut(i) { l.url = event_target_value(&ev) } })/></label>
                    <label>{s.name}<input id=field_id(&format!("links[{i}].title")) name=format!("links[{i}].title") type="text" value=link.title
                        on:input=move |ev| draft.update(|d| { if let Some(l) = d.meta.links.get_mut(i) { l.title = event_target_value(&ev) } })/></label>
                    <button type="submit" name="remove" value=format!("links[{i}]") class="link" on:click=move |ev| { ev.prevent_default(); draft.update(|d| { d.meta.links.remove(i); }); rows_version.update(|v| *v += 1); }>{s.remove}</button>
                </div>
            }
        }).collect_view()
    };

    let budget = initial.meta.budget.clone().unwrap_or_default();
    let reach = initial.meta.reach.clone().unwrap_or_default();
    let set_budget = move |change: Box<dyn FnOnce(&mut Budget)>| {
        draft.update(|d| {
            let mut budget = d.meta.budget.take().unwrap_or_default();
            change(&mut budget);
            d.meta.budget = (budget != Budget::default()).then_some(budget);
        })
    };
    let set_reach = move |change: Box<dyn FnOnce(&mut Reach)>| {
        draft.update(|d| {
            let mut reach = d.meta.reach.take().unwrap_or_default();
            change(&mut reach);
            d.meta.reach = (reach != Reach::default()).then_some(reach);
        })
    };
    let number = |value: String| value.trim().parse::<u32>().ok();
    let country = |i: usize| initial.meta.countries.get(i).cloned().unwrap_or_default();
    let set_country = move |i: usize, value: String| {
        draft.update(|d| {
            while d.meta.countries.len() <= i {
                d.meta.countries.push(String::new());
            }
            d.meta.countries[i] = value;
            d.meta.countries.retain(|c| !c.is_empty());
        })
    };
    let lang = initial.lang;

    view! {
        <div class="case-form">
            // The first submit button is the one Enter uses: sending, not adding a row.
            <button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">{s.send}</button>
            <div class="field">
                <label for="f-lang">{s.text_language}</label>
                <select id="f-lang" name="lang" on:change=move |ev| { if let Ok(lang) = event_target_value(&ev).parse::<Lang>() { draft.update(|d| d.lang = lang) } }>
                    {Lang::ALL.into_iter().map(|l| view! { <option value=l.code() selected=l == lang>{l.native_name()}</option> }).collect_view()}
                </select>
            </div>
            {text("title", s.title, initial.title.clone(), |d, v| d.title = v, 0)}
            {text("summary", s.summary, initial.summary.clone(), |d, v| d.summary = v, 3)}
            <p class="hint">{move || s.chars_left.replace("{n}", &(300i64 - draft.with(|d| d.summary.chars().count() as i64)).max(0).to_string())}</p>

            <div class="field-pair">
                <div class="field">
                    <label for="f-countries-0">{s.country}</label>
                    <select id="f-countries-0" name="countries" aria-describedby="f-countries-error" aria-invalid=invalid("countries") on:change=move |ev| set_country(0, event_target_value(&ev))>
                        <option value="">{s.choose}</option>
                        {options(&vocabulary.countries, &country(0))}
                    </select>
                    {error("countries")}
                </div>
                <div class="field">
                    <label for="f-countries-1">{s.other_country}</label>
                    <select id="f-countries-1" name="countries" on:change=move |ev| set_country(1, event_target_value(&ev))>
                        <option value="">"—"</option>
                        {options(&vocabulary.countries, &country(1))}
                    </select>
                </div>
            </div>

            <div class="field-pair">
                {text("lead_organisation.name", s.lead_name, initial.meta.lead_organisation.name.clone(), |d, v| d.meta.lead_organisation.name = v, 0)}
                <div class="field">
                    <label for="f-lead_organisation-type">{s.lead_type}</label>
                    <select id="f-lead_organisation-type" name="lead_organisation.type" aria-describedby="f-lead_organisation-type-error" aria-invalid=invalid("lead_organisation.type")
                        on:change=move |ev| draft.update(|d| d.meta.lead_organisation.kind = event_target_value(&ev))>
                        <option value="">{s.choose}</option>
                        {options(&vocabulary.org_types, &initial.meta.lead_organisation.kind)}
                    </select>
                    {error("lead_organisation.type")}
                </div>
            </div>

            <div class="field-pair">
                <div class="field">
                    <label for="f-period-start">{s.started}</label>
                    <input id="f-period-start" name="period.start.year" type="text" inputmode="numeric" maxlength="4" value=start_year aria-describedby="f-period-start-error" aria-invalid=invalid("period.start")
                        on:input=move |ev| set_start_year(event_target_value(&ev))/>
                    <label for="f-period-start-month" class="small">{s.month}</label>
                    <select id="f-period-start-month" name="period.start.month" on:change=move |ev| set_start_month(event_target_value(&ev))>{months(start_month)}</select>
                    {error("period.start")}
                </div>
                <div class="field">
                    <label for="f-period-end">{s.ended}</label>
                    <input id="f-period-end" name="period.end.year" type="text" inputmode="numeric" maxlength="4" value=end_year aria-describedby="f-period-end-error" aria-invalid=invalid("period.end")
                        on:input=move |ev| set_end_year(event_target_value(&ev))/>
                    <label for="f-period-end-month" class="small">{s.month}</label>
                    <select id="f-period-end-month" name="period.end.month" on:change=move |ev| set_end_month(event_target_value(&ev))>{months(end_month)}</select>
                    <label class="check"><input type="checkbox" name="period.ongoing" value="on" checked=initial.meta.period.ongoing on:change=move |ev| draft.update(|d| d.meta.period.ongoing = event_target_checked(&ev))/>{s.ongoing}</label>
                    {error("period.end")}
                </div>
            </div>

            {checkboxes("themes", s.themes_legend, vocabulary.themes.clone(), initial.meta.themes.clone(), |d| &mut d.meta.themes)}

            <fieldset class="story">
                <legend>{s.story}</legend>
                {text("sections.context", s.context, initial.sections.context.clone(), |d, v| d.sections.context = v, 5)}
                {text("sections.what_was_done", s.what_was_done, initial.sections.what_was_done.clone(), |d, v| d.sections.what_was_done = v, 6)}
                {text("sections.results", s.results, initial.sections.results.clone(), |d, v| d.sections.results = v, 4)}
                {text("sections.lessons", s.lessons, initial.sections.lessons.clone(), |d, v| d.sections.lessons = v, 3)}
                {text("sections.replicate", s.replicate, initial.sections.replicate.clone(), |d, v| d.sections.replicate = v, 3)}
            </fieldset>

            <fieldset class="contact">
                <legend>{s.contact}</legend>
                {text("contact.name", s.contact_name, initial.contact.name.clone(), |d, v| d.contact.name = v, 0)}
                {text("contact.email", s.contact_email, initial.contact.email.clone(), |d, v| d.contact.email = v, 0)}
            </fieldset>

            <details class="more" open=!initial.meta.partners.is_empty() || initial.meta.budget.is_some()>
                <summary>{s.more_details}</summary>
                {checkboxes("audiences", s.audiences_legend, vocabulary.audiences.clone(), initial.meta.audiences.clone(), |d| &mut d.meta.audiences)}
                <fieldset class="rows">
                    <legend>{s.partners}</legend>
                    {partner_rows}
                    // The common roles in the interface language; any other role can be typed.
                    <datalist id="roles">
                        {move || crate::i18n::role_names(ui.get()).map(|role| view! { <option value=role></option> }).collect_view()}
                    </datalist>
                    {error("partners")}
                    <button type="submit" name="add" value="partners" on:click=move |ev| { ev.prevent_default(); draft.update(|d| d.edit_rows(&RowEdit::Add("partners"))); rows_version.update(|v| *v += 1); }>{s.add_partner}</button>
                </fieldset>
                <fieldset class="rows">
                    <legend>{s.funders}</legend>
                    {funder_rows}
                    {error("funders")}
                    <button type="submit" name="add" value="funders" on:click=move |ev| { ev.prevent_default(); draft.update(|d| d.edit_rows(&RowEdit::Add("funders"))); rows_version.update(|v| *v += 1); }>{s.add_funder}</button>
                </fieldset>
                <fieldset class="rows">
                    <legend>{s.budget}</legend>
                    <div class="row">
                        <label>{s.amount}<input id="f-budget-amount" name="budget.amount" type="text" inputmode="decimal" value=budget.amount.map(|a| a.to_string()).unwrap_or_default()
                            on:input=move |ev| { let value = event_target_value(&ev); set_budget(Box::new(move |b| b.amount = value.trim().replace(',', ".").parse().ok())) }/></label>
                        <label>{s.currency}<input id="f-budget-currency" name="budget.currency" type="text" maxlength="3" value=budget.currency.unwrap_or_default()
                            on:input=move |ev| { let value = event_target_value(&ev).trim().to_uppercase(); set_budget(Box::new(move |b| b.currency = (!value.is_empty()).then_some(value))) }/></label>
                    </div>
                    {error("budget")}
                </fieldset>
                <fieldset class="rows">
                    <legend>{s.participants} " · " {s.libraries}</legend>
                    <div class="row">
                        <label>{s.participants}<input name="reach.participants" type="text" inputmode="numeric" value=reach.participants.map(|n| n.to_string()).unwrap_or_default()
                            on:input=move |ev| { let n = number(event_target_value(&ev)); set_reach(Box::new(move |r| r.participants = n)) }/></label>
                        <label>{s.libraries}<input name="reach.libraries" type="text" inputmode="numeric" value=reach.libraries.map(|n| n.to_string()).unwrap_or_default()
                            on:input=move |ev| { let n = number(event_target_value(&ev)); set_reach(Box::new(move |r| r.libraries = n)) }/></label>
                    </div>
                </fieldset>
                <fieldset class="rows">
                    <legend>{s.links}</legend>
                    {link_rows}
                    {error("links")}
                    <button type="submit" name="add" value="links" on:click=move |ev| { ev.prevent_default(); draft.update(|d| d.edit_rows(&RowEdit::Add("links"))); rows_version.update(|v| *v += 1); }>{s.add_link}</button>
                </fieldset>
            </details>
        </div>
    }
}
