//! The maintainers' review: sign in with the token (kept for the browser session only), see the
//! queue, open a submission with its facts and a sanitised preview of the story as the case
//! page will show them, its contact and its problems, edit it, approve it under a slug (it is
//! searchable at once) or reject it with a reason, each confirmed before it is done.
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

/// What the server's refusal means to a maintainer: in the interface language where it is about
/// the token, else as the server said it.
fn refusal_text(s: &StudioTexts, refusal: &Refusal) -> String {
    match refusal.status {
        401 => s.token_wrong.to_owned(),
        429 => s.too_many_tries.to_owned(),
        _ => refusal.message.clone(),
    }
}

/// A pending submission's photos as the case page will show them: fetched with the token (an
/// `<img>` cannot send it) and shown from the page's memory.
fn pending_photos(id: String, token: String, submission: &Submission) -> Option<impl IntoView + use<>> {
    let photos = submission.meta.photos.clone();
    if photos.is_empty() {
        return None;
    }
    let lang = submission.lang;
    let figures = photos
        .into_iter()
        .map(|photo| {
            let src = RwSignal::new(None::<String>);
            let width = photo.sizes.iter().copied().find(|&w| w >= 960).unwrap_or(photo.width);
            let url = format!("/api/admin/submissions/{id}/photos/{}", photo.file(width));
            let token = token.clone();
            spawn_local(async move { src.set(api::admin_blob_url(&url, &token).await) });
            let alt = photo.alt_in(lang, lang).to_owned();
            view! {
                <figure>
                    {move || src.get().map(|src| view! { <img src=src alt=alt.clone() width=photo.width height=photo.height/> })}
                    <figcaption>{format!("{} · {}", photo.credit, photo.licence)}</figcaption>
                </figure>
            }
        })
        .collect_view();
    Some(view! { <section class="photos">{figures}</section> })
}

/// A decision waiting for its confirmation.
#[derive(Clone, Copy, PartialEq)]
enum Decision {
    Approve,
    Reject,
}

fn status_label(s: &StudioTexts, status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Pending => s.status_pending,
        ReviewStatus::Approved => s.status_approved,
        ReviewStatus::Rejected => s.status_rejected,
    }
}

#[island]
pub fn AdminPage(ui: Lang, enabled: bool) -> impl IntoView {
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
        let value = input_value("token");
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
                if !enabled {
                    view! { <p class="notice" role="status">{s.admin_off}</p> }.into_any()
                } else if !signed_in.get() {
                    let message = move || match queue.get() {
                        Some(Err(refusal)) => Some(refusal_text(ui.s(), &refusal)),
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
            Some(Err(refusal)) => view! { <p class="error" role="alert">{refusal_text(s, &refusal)}</p> }.into_any(),
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

    let confirming = RwSignal::new(None::<Decision>);
    let slug_typed = RwSignal::new(String::new());
    let ask = move |decision: Decision| {
        slug_typed.set(input_value("slug").trim().to_owned());
        confirming.set(Some(decision));
    };
    let approve = move || {
        let slug = slug_typed.get_untracked();
        let (id, token) = (id.get_value(), token.get_value());
        spawn_local(async move {
            match api::post::<Approved>(
                &format!("/api/admin/submissions/{id}/approve"),
                &model::api::Approval { slug },
                Some(&token),
            )
            .await
            {
                Ok(approved) => {
                    outcome.set(Some(format!("{} /case/{}", ui.s().published, approved.slug)));
                    reload();
                    load();
                }
                Err(refusal) => outcome.set(Some(refusal_text(ui.s(), &refusal))),
            }
        });
    };
    let reject = move || {
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
                Err(refusal) => outcome.set(Some(refusal_text(ui.s(), &refusal))),
            }
        });
    };
    let decide = move |_| {
        match confirming.get_untracked() {
            Some(Decision::Approve) => approve(),
            Some(Decision::Reject) => reject(),
            None => {}
        }
        confirming.set(None);
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
                    outcome.set(Some(refusal_text(ui.s(), &refusal)));
                    problems.set(refusal.problems);
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
                                    <ul>{found.problems.iter().map(|p| view! { <li><code>{p.field.clone()}</code> ": " {model::messages::say(p, ui.get())}</li> }).collect_view()}</ul>
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
                                let labels = vocabulary.get();
                                let label = move |id: &str| labels.as_ref().map_or_else(|| id.to_owned(), |v| v.label(id));
                                let contact = found.submission.contact.clone();
                                Some(view! {
                                    <h3>{ui.s().preview}</h3>
                                    <article class="preview case" lang=found.summary.lang.code()>
                                        <p class="lead">{found.submission.summary.clone()}</p>
                                        {crate::facts::facts(&found.submission.meta, ui.get(), &label)}
                                        <div class="body" inner_html=found.preview_html.clone()></div>
                                        {pending_photos(id.get_value(), token.get_value(), &found.submission)}
                                    </article>
                                    <h3>{ui.s().contact}</h3>
                                    <p class="contact">{contact.name} " · " <a href=format!("mailto:{}", contact.email)>{contact.email.clone()}</a></p>
                                }.into_any())
                            }}
                            {pending.then(|| view! {
                                <div class="decide">
                                    <button type="button" on:click=move |_| editing.update(|e| *e = !*e)>{s.edit}</button>
                                    <div class="field">
                                        <label for="slug">{s.slug}</label>
                                        <input id="slug" type="text" value=found.suggested_slug.clone() pattern="[a-z0-9]+(-[a-z0-9]+)*"/>
                                        <button type="button" class="primary" on:click=move |_| ask(Decision::Approve)>{s.approve}</button>
                                    </div>
                                    <div class="field">
                                        <label for="reason">{s.reason}</label>
                                        <textarea id="reason" rows="2"></textarea>
                                        <button type="button" on:click=move |_| ask(Decision::Reject)>{s.reject}</button>
                                    </div>
                                    {move || confirming.get().map(|decision| {
                                        let (question, yes) = match decision {
                                            Decision::Approve => (s.confirm_approve.replace("{slug}", &slug_typed.get()), s.yes_approve),
                                            Decision::Reject => (s.confirm_reject.to_owned(), s.yes_reject),
                                        };
                                        view! {
                                            <div class="confirm" role="alertdialog" aria-labelledby="confirm-question">
                                                <p id="confirm-question">{question}</p>
                                                <button type="button" class="primary" on:click=decide>{yes}</button>
                                                " "
                                                <button type="button" on:click=move |_| confirming.set(None)>{s.cancel}</button>
                                            </div>
                                        }
                                    })}
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

/// The value of the text input `id` in the page.
fn input_value(id: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
        .map(|input| input.value())
        .unwrap_or_default()
}
