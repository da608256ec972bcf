//! The submission form: a contributor tells their project's story.
//!
//! Rendered on the server with the vocabulary, what was posted and the server's problems with
//! it, so it works as a plain form. Awake, it checks each field with the model's rules before
//! sending (as JSON), saves the draft in `localStorage` on every change and restores it on
//! return, so a closed tab or a dropped connection loses nothing; the draft is cleared only once
//! the server has confirmed the submission.

use super::form::{CaseForm, focus_first};
use super::photos::{Attached, PhotoPicker, form_data};
use crate::api;
use crate::browser::{online, storage};
use crate::i18n::Ui;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::api::{SubmissionReceipt, VocabularyView};
use model::submission::Submission;
use model::{Lang, Problem};
use serde::{Deserialize, Serialize};

const DRAFT_KEY: &str = "submission-draft";
/// Set while a draft waits for the connection to come back before being sent.
const WAITING_KEY: &str = "submission-waiting";

/// The saved draft, if any. Its photos stayed with the page it was written in (files are not
/// kept), so what was said about them goes too.
fn load_draft() -> Option<Submission> {
    let mut draft: Submission =
        storage()?.get_item(DRAFT_KEY).ok().flatten().and_then(|json| crate::json::from_str(&json).ok())?;
    draft.meta.photos.clear();
    Some(draft)
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

/// What the server renders the form with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmitProps {
    pub ui: Lang,
    pub vocabulary: VocabularyView,
    /// The fields: empty, or as posted.
    pub draft: Submission,
    /// Whether `draft` was posted (a saved draft then does not replace it).
    pub posted: bool,
    /// The server's problems with the posted form.
    pub problems: Vec<Problem>,
    /// Why the posted form was refused.
    pub message: Option<String>,
}

#[derive(Clone, PartialEq)]
enum Stage {
    Editing,
    Sending,
    /// The reference, and the contributor's status link.
    Sent(String, String),
}

#[island]
pub fn SubmitForm(props: SubmitProps) -> impl IntoView {
    let ui = Ui(props.ui);
    provide_context(ui);
    let vocabulary = StoredValue::new(props.vocabulary);
    let draft = RwSignal::new(props.draft);
    // The form is rebuilt (from the draft) when a saved draft is restored or on "start over".
    let form_version = RwSignal::new(0u32);
    let problems = RwSignal::new(props.problems);
    let stage = RwSignal::new(Stage::Editing);
    let failure = RwSignal::new(props.message);
    let restored = RwSignal::new(false);
    // A draft the contributor tried to send offline: offered again, for confirmation, once the
    // connection is back.
    let waiting = RwSignal::new(false);
    let connected = RwSignal::new(true);
    // The attached photos' files, in the order of the draft's photos.
    let files = RwSignal::new_local(Vec::<Attached>::new());
    // Set once hydrated: the photos need the script to be sent.
    let awake = RwSignal::new(false);

    // In the browser only: the saved draft, the connection, and saving on every change.
    let posted = props.posted;
    Effect::new(move |_| {
        if !posted && let Some(saved) = load_draft() {
            draft.set(saved);
            restored.set(true);
            form_version.update(|v| *v += 1);
        }
        waiting.set(is_waiting());
        connected.set(online());
        awake.set(true);
        let up = window_event_listener(leptos::ev::online, move |_| connected.set(true));
        let down = window_event_listener(leptos::ev::offline, move |_| connected.set(false));
        std::mem::forget((up, down));
    });
    Effect::new(move |first: Option<()>| {
        let sent = matches!(stage.get(), Stage::Sent(..));
        draft.track();
        // The first run is the hydration: nothing typed yet.
        if first.is_some() && !sent {
            draft.with_untracked(save_draft);
        }
    });

    let send = move || {
        failure.set(None);
        set_waiting(false);
        waiting.set(false);
        stage.set(Stage::Sending);
        spawn_local(async move {
            let sent = if files.with_untracked(Vec::is_empty) {
                api::post::<SubmissionReceipt>("/api/submissions", &draft.get_untracked(), None).await
            } else {
                let body = draft.with_untracked(|d| files.with_untracked(|f| form_data(d, f)));
                api::post_form::<SubmissionReceipt>("/api/submissions/with-photos", body).await
            };
            match sent {
                Ok(receipt) => {
                    clear_draft();
                    files.set(Vec::new());
                    stage.set(Stage::Sent(receipt.id, receipt.status_url));
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
        let found = vocabulary.with_value(|view| draft.with_untracked(|d| d.check(&view.to_vocabulary())));
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
        draft.set(Submission { lang: ui.get(), ..Submission::default() });
        files.set(Vec::new());
        problems.set(Vec::new());
        failure.set(None);
        restored.set(false);
        stage.set(Stage::Editing);
        form_version.update(|v| *v += 1);
    };

    view! {
        <section class="submit">
            <h1>{ui.s().submit_heading}</h1>
            {move || match stage.get() {
                Stage::Sent(id, status_url) => {
                    let s = ui.s();
                    view! {
                        <div class="confirmation" role="status">
                            <h2>{s.thanks}</h2>
                            <p>{s.thanks_text} " " <strong class="reference">{id}</strong></p>
                            {super::status_link(s, status_url)}
                            <button type="button" on:click=start_over>{s.submit_another}</button>
                        </div>
                    }.into_any()
                }
                _ => {
                    let s = ui.s();
                    view! {
                        <p class="intro">{s.submit_intro}</p>
                        {move || (waiting.get() && connected.get()).then(|| view! {
                            <p class="notice back-online" role="status">{ui.s().back_online} " "
                                <button type="button" class="primary" on:click=move |_| send()>{ui.s().send_now}</button>
                            </p>
                        })}
                        {move || restored.get().then(|| view! {
                            <p class="notice" role="status">{ui.s().draft_restored} " " <button type="button" class="link" on:click=start_over>{ui.s().start_over}</button></p>
                        })}
                        // Sent without script, the answer comes back in the language the form is in.
                        <form method="post" action=format!("/submit?ui={}", ui.get().code()) novalidate on:submit=submit>
                            {move || {
                                form_version.get();
                                view! { <CaseForm draft=draft vocabulary=vocabulary.get_value() problems=problems/> }
                            }}
                            {move || awake.get().then(|| view! { <PhotoPicker draft=draft files=files problems=problems/> })}
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
