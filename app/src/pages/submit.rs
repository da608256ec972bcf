//! The submission page: a contributor tells their project's story. The draft is saved in
//! `localStorage` on every change and restored on return, so a closed tab or a dropped
//! connection loses nothing; it is cleared only once the server has confirmed the submission.

use super::form::{CaseForm, focus_first};
use crate::api;
use crate::i18n::use_ui;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Problem;
use model::api::SubmissionReceipt;
use model::submission::Submission;

const DRAFT_KEY: &str = "submission-draft";
/// Set while a draft waits for the connection to come back before being sent.
const WAITING_KEY: &str = "submission-waiting";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved draft, if any.
fn load_draft() -> Option<Submission> {
    storage()?.get_item(DRAFT_KEY).ok().flatten().and_then(|json| crate::json::from_str(&json).ok())
}

fn save_draft(draft: &Submission) {
    if let (Some(storage), Some(json)) = (storage(), crate::json::to_string(draft)) {
        let _ = storage.set_item(DRAFT_KEY, &json);
    }
}

fn clear_draft() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(DRAFT_KEY);
        let _ = storage.remove_item(WAITING_KEY);
    }
}

fn set_waiting(waiting: bool) {
    if let Some(storage) = storage() {
        let _ = if waiting { storage.set_item(WAITING_KEY, "yes") } else { storage.remove_item(WAITING_KEY) };
    }
}

fn is_waiting() -> bool {
    storage().and_then(|s| s.get_item(WAITING_KEY).ok().flatten()).is_some()
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

#[derive(Clone, PartialEq)]
enum Stage {
    Editing,
    Sending,
    Sent(String),
}

#[component]
pub fn SubmitPage() -> impl IntoView {
    let ui = use_ui();
    let vocabulary = LocalResource::new(move || {
        let ui = ui.get();
        async move { api::vocabulary(ui).await }
    });
    let restored = load_draft();
    let was_restored = restored.is_some();
    let draft =
        RwSignal::new(restored.unwrap_or_else(|| Submission { lang: ui.get_untracked(), ..Submission::default() }));
    // The form is rebuilt (from the draft) when the interface language changes or on "start over".
    let form_version = RwSignal::new(0u32);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let stage = RwSignal::new(Stage::Editing);
    let failure = RwSignal::new(None::<String>);
    // A draft the contributor tried to send offline: offered again, for confirmation, once the
    // connection is back.
    let waiting = RwSignal::new(is_waiting());
    let connection = expect_context::<crate::offline::Online>();
    Effect::new(move |_| {
        let sent = matches!(stage.get(), Stage::Sent(_));
        if !sent {
            draft.with(save_draft);
        }
    });

    let send = move || {
        failure.set(None);
        set_waiting(false);
        waiting.set(false);
        stage.set(Stage::Sending);
        spawn_local(async move {
            match api::post::<SubmissionReceipt>("/api/submissions", &draft.get_untracked(), None).await {
                Ok(receipt) => {
                    clear_draft();
                    stage.set(Stage::Sent(receipt.id));
                }
                Err(refusal) => {
                    stage.set(Stage::Editing);
                    if refusal.status == 0 {
                        failure.set(Some(ui.s().offline_draft.to_owned()));
                        set_waiting(true);
                        waiting.set(true);
                    } else {
                        failure.set(Some(refusal.message));
                    }
                    if !refusal.problems.is_empty() {
                        focus_first(&refusal.problems);
                        problems.set(refusal.problems);
                    }
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(Ok(view)) = vocabulary.get_untracked() else { return };
        let found = draft.with_untracked(|d| d.check(&view.to_vocabulary()));
        problems.set(found.clone());
        if !found.is_empty() {
            failure.set(Some(ui.s().fix_problems.to_owned()));
            focus_first(&found);
            return;
        }
        if !online() {
            failure.set(Some(ui.s().offline_draft.to_owned()));
            set_waiting(true);
            waiting.set(true);
            return;
        }
        send();
    };
    let start_over = move |_| {
        clear_draft();
        draft.set(Submission { lang: ui.get_untracked(), ..Submission::default() });
        problems.set(Vec::new());
        failure.set(None);
        stage.set(Stage::Editing);
        form_version.update(|v| *v += 1);
    };

    view! {
        <section class="submit">
            <h1 tabindex="-1">{move || ui.s().submit_heading}</h1>
            {move || match stage.get() {
                Stage::Sent(id) => {
                    let s = ui.s();
                    view! {
                        <div class="confirmation" role="status">
                            <h2>{s.thanks}</h2>
                            <p>{s.thanks_text} " " <strong class="reference">{id}</strong></p>
                            <button type="button" on:click=start_over>{s.submit_another}</button>
                        </div>
                    }.into_any()
                }
                _ => {
                    let s = ui.s();
                    view! {
                        <p class="intro">{s.submit_intro}</p>
                        {move || (waiting.get() && connection.0.get()).then(|| view! {
                            <p class="notice back-online" role="status">{ui.s().back_online} " "
                                <button type="button" class="primary" on:click=move |_| send()>{ui.s().send_now}</button>
                            </p>
                        })}
                        {was_restored.then(|| view! {
                            <p class="notice" role="status">{s.draft_restored} " " <button type="button" class="link" on:click=start_over>{s.start_over}</button></p>
                        })}
                        <form novalidate on:submit=submit>
                            {move || {
                                form_version.get();
                                vocabulary.get().map(|result| match result {
                                    Ok(view) => view! { <CaseForm draft=draft vocabulary=view problems=problems/> }.into_any(),
                                    Err(refusal) => view! { <p class="error" role="alert">{refusal.message}</p> }.into_any(),
                                })
                            }}
                            <p class="error" role="alert">{move || failure.get()}</p>
                            <button type="submit" class="primary" disabled=move || stage.get() == Stage::Sending>
                                {move || if stage.get() == Stage::Sending { ui.s().sending } else { ui.s().send }}
                            </button>
                        </form>
                    }.into_any()
                }
            }}
        </section>
    }
}
