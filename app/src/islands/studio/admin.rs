//! The maintainers' review: sign in with the token (kept for the browser session only), see the
//! queue, open a submission with a sanitised preview and its problems, edit it, approve it under
//! a confirmed slug (it is searchable at once) or reject it with a reason.
//!
//! The server renders the island signed out (the token lives in the browser); once awake it
//! signs in again with a token kept for this session.

use super::form::{CaseForm, focus_first};
use crate::api::{self, Refusal};
use crate::i18n::{StudioTexts, Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::api::{Approved, ReviewStatus, SubmissionDetail, SubmissionSummary, VocabularyView};
use model::submission::Submission;
use model::{Lang, Problem};

const TOKEN_KEY: &str = "maintainer-token";

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn status_label(s: &StudioTexts, status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Pending => s.status_pending,
        ReviewStatus::Approved => s.status_approved,
        ReviewStatus::Rejected => s.status_rejected,
    }
}

#[island]
pub fn AdminPage(ui: Lang) -> impl IntoView {
    let ui = Ui(ui);
    provide_context(ui);
    let token = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(saved) = session().and_then(|s| s.get_item(TOKEN_KEY).ok().flatten()) {
            token.set(Some(saved));
        }
    });
    let queue = RwSignal::new(None::<Result<Vec<SubmissionSummary>, Refusal>>);
    let selected = RwSignal::new(None::<String>);
    let reload = move || {
        let Some(token) = token.get_untracked() else { return };
        spawn_local(async move {
            let result = api::admin_get::<Vec<SubmissionSummary>>("/api/admin/submissions", &token).await;
            if let Err(refusal) = &result
                && refusal.status == 401
            {
                if let Some(s) = session() {
                    let _ = s.remove_item(TOKEN_KEY);
                }
            }
            queue.set(Some(result));
        });
    };
    Effect::new(move |_| {
        if token.get().is_some() {
            reload();
        }
    });
    // Whether to show the queue rather than the sign-in form; refreshing the queue must not
    // rebuild the page (and lose the open review), so this changes only when signing in or out.
    let signed_in = Memo::new(move |_| {
        let refused = queue.with(|q| matches!(q, Some(Err(r)) if r.status == 401 || r.status == 503));
        token.with(Option::is_some) && !refused
    });

    let sign_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("token"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
            .map(|input| input.value())
            .unwrap_or_default();
        if let Some(s) = session() {
            let _ = s.set_item(TOKEN_KEY, value.trim());
        }
        token.set(Some(value.trim().to_owned()));
    };
    let sign_out = move |_| {
        if let Some(s) = session() {
            let _ = s.remove_item(TOKEN_KEY);
        }
        token.set(None);
        queue.set(None);
        selected.set(None);
    };

    view! {
        <section class="admin">
            <h1>{ui.s().admin_heading}</h1>
            {move || {
                let s = ui.s();
                if !signed_in.get() {
                    let message = move || match queue.get() {
                        Some(Err(refusal)) => Some(refusal.message),
                        _ => None,
                    };
                    view! {
                        <form class="sign-in" on:submit=sign_in>
                            <label for="token">{s.token}</label>
                            <input id="token" type="password" autocomplete="current-password"/>
                            <button type="submit" class="primary">{s.sign_in}</button>
                            <p class="error" role="alert">{message}</p>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <p><button type="button" class="link" on:click=sign_out>{s.sign_out}</button></p>
                        <Queue queue=queue selected=selected/>
                        {move || selected.get().map(|id| view! { <Review id=id token=token.get().unwrap_or_default() reload=reload selected=selected/> })}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Queue(
    queue: RwSignal<Option<Result<Vec<SubmissionSummary>, Refusal>>>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let ui = use_ui();
    move || {
        let s = ui.s();
        match queue.get() {
            None => view! { <p role="status">{ui.t().loading}</p> }.into_any(),
            Some(Err(refusal)) => view! { <p class="error" role="alert">{refusal.message}</p> }.into_any(),
            Some(Ok(list)) => {
                let (waiting, decided): (Vec<_>, Vec<_>) =
                    list.into_iter().partition(|item| item.status == ReviewStatus::Pending);
                let table = move |items: Vec<SubmissionSummary>| {
                    view! {
                        <table class="queue">
                            <thead><tr><th scope="col">{ui.s().title.trim_end_matches(" *")}</th><th scope="col">{ui.t().facet_lang}</th><th scope="col">{ui.t().countries}</th><th scope="col">{ui.s().received}</th><th scope="col"></th></tr></thead>
                            <tbody>
                                {items.into_iter().map(|item| {
                                    let id = item.id.clone();
                                    let status = status_label(ui.s(), item.status);
                                    view! {
                                        <tr data-id=item.id.clone()>
                                            <td lang=item.lang.code()>{item.title} " " <span class="status">{format!("({status})")}</span></td>
                                            <td>{item.lang.native_name()}</td>
                                            <td>{item.countries.join(", ")}</td>
                                            <td>{item.received_at.replace('T', " ").trim_end_matches('Z').to_owned()}</td>
                                            <td><button type="button" on:click=move |_| selected.set(Some(id.clone()))>{ui.s().review}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                };
                view! {
                    <h2>{s.waiting}</h2>
                    {if waiting.is_empty() { view! { <p>{s.nothing_waiting}</p> }.into_any() } else { table(waiting).into_any() }}
                    {(!decided.is_empty()).then(|| view! { <details><summary>{s.decided}</summary>{table(decided)}</details> })}
                }.into_any()
            }
        }
    }
}

#[component]
fn Review(
    id: String,
    token: String,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let ui = use_ui();
    let detail = RwSignal::new(None::<Result<SubmissionDetail, Refusal>>);
    let vocabulary = RwSignal::new(None::<VocabularyView>);
    let outcome = RwSignal::new(None::<String>);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(Submission::default());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let id = StoredValue::new(id);
    let token = StoredValue::new(token);
    let load = move || {
        let (id, token) = (id.get_value(), token.get_value());
        spawn_local(async move {
            let result = api::admin_get::<SubmissionDetail>(&format!("/api/admin/submissions/{id}"), &token).await;
            if let Ok(found) = &result {
                draft.set(found.submission.clone());
                problems.set(found.problems.clone());
            }
            detail.set(Some(result));
            vocabulary.set(api::vocabulary(ui.get()).await.ok());
        });
    };
    load();

    let approve = move |_| {
        let slug = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("slug"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
            .map(|input| input.value())
            .unwrap_or_default();
        let (id, token) = (id.get_value(), token.get_value());
        spawn_local(async move {
            match api::post::<Approved>(
                &format!("/api/admin/submissions/{id}/approve"),
                &model::api::Approval { slug: slug.trim().to_owned() },
                Some(&token),
            )
            .await
            {
                Ok(approved) => {
                    outcome.set(Some(format!("{} /case/{}", ui.s().published, approved.slug)));
                    reload();
                    load();
                }
                Err(refusal) => outcome.set(Some(refusal.message)),
            }
        });
    };
    let reject = move |_| {
        let reason = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("reason"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlTextAreaElement>(e).ok())
            .map(|input| input.value())
            .unwrap_or_default();
        let (id, token) = (id.get_value(), token.get_value());
        spawn_local(async move {
            match api::post::<SubmissionSummary>(
                &format!("/api/admin/submissions/{id}/reject"),
                &model::api::Rejection { reason },
                Some(&token),
            )
            .await
            {
                Ok(_) => {
                    outcome.set(Some(ui.s().rejected.to_owned()));
                    reload();
                    load();
                }
                Err(refusal) => outcome.set(Some(refusal.message)),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(view) = vocabulary.get_untracked() {
            let found = draft.with_untracked(|d| d.check(&view.to_vocabulary()));
            if !found.is_empty() {
                focus_first(&found);
                problems.set(found);
                return;
            }
        }
        let (id, token) = (id.get_value(), token.get_value());
        spawn_local(async move {
            match api::admin_put::<SubmissionSummary>(
                &format!("/api/admin/submissions/{id}"),
                &draft.get_untracked(),
                &token,
            )
            .await
            {
                Ok(_) => {
                    outcome.set(Some(ui.s().saved.to_owned()));
                    editing.set(false);
                    reload();
                    load();
                }
                Err(refusal) => {
                    focus_first(&refusal.problems);
                    problems.set(refusal.problems);
                    outcome.set(Some(refusal.message));
                }
            }
        });
    };

    view! {
        <section class="review" aria-labelledby="review-heading">
            {move || {
                let s = ui.s();
                match detail.get() {
                    None => view! { <p role="status">{ui.t().loading}</p> }.into_any(),
                    Some(Err(refusal)) => view! { <p class="error" role="alert">{refusal.message}</p> }.into_any(),
                    Some(Ok(found)) => {
                        let pending = found.summary.status == ReviewStatus::Pending;
                        view! {
                            <h2 id="review-heading" lang=found.summary.lang.code()>{found.submission.title.clone()}</h2>
                            <p class="status">{status_label(s, found.summary.status)} {found.reason.clone().map(|r| format!(": {r}"))}
                                {found.slug.clone().map(|slug| view! { " " <a href=format!("/case/{slug}") rel="external">{format!("/case/{slug}")}</a> })}</p>
                            <p role="status" class="outcome">{move || outcome.get()}</p>
                            {(!found.problems.is_empty()).then(|| view! {
                                <div class="problems"><h3>{s.problems}</h3>
                                    <ul>{found.problems.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
                                </div>
                            })}
                            {move || if editing.get() {
                                vocabulary.get().map(|view| view! {
                                    <form novalidate on:submit=save>
                                        <CaseForm draft=draft vocabulary=view problems=problems/>
                                        <button type="submit" class="primary">{ui.s().save}</button>
                                    </form>
                                }.into_any())
                            } else {
                                Some(view! {
                                    <h3>{ui.s().preview}</h3>
                                    <article class="preview" lang=found.summary.lang.code()>
                                        <p class="lead">{found.submission.summary.clone()}</p>
                                        <div class="body" inner_html=found.preview_html.clone()></div>
                                    </article>
                                }.into_any())
                            }}
                            {pending.then(|| view! {
                                <div class="decide">
                                    <button type="button" on:click=move |_| editing.update(|e| *e = !*e)>{s.edit}</button>
                                    <div class="field">
                                        <label for="slug">{s.slug}</label>
                                        <input id="slug" type="text" value=found.suggested_slug.clone() pattern="[a-z0-9]+(-[a-z0-9]+)*"/>
                                        <button type="button" class="primary" on:click=approve>{s.approve}</button>
                                    </div>
                                    <div class="field">
                                        <label for="reason">{s.reason}</label>
                                        <textarea id="reason" rows="2"></textarea>
                                        <button type="button" on:click=reject>{s.reject}</button>
                                    </div>
                                </div>
                            })}
                            <p><button type="button" class="link" on:click=move |_| selected.set(None)>"×"</button></p>
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}
