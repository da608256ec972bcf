//! The submission page: the form (the [`SubmitForm`] island, rendered here with the vocabulary,
//! what was posted and the server's problems with it), or the confirmation once a submission is
//! received.
//!
//! Without any script the form posts to `/submit` as a plain form; the server answers a refused
//! one with this page, the fields as they were sent and each problem at its field, and a
//! received one with a redirect to the confirmation.

use super::document::{Head, document};
use crate::i18n::studio_texts;
use crate::islands::studio::{SubmitForm, SubmitProps};
use crate::site::{Islands, Visit};
use leptos::prelude::*;
use model::Problem;
use model::api::VocabularyView;
use model::submission::Submission;

/// What the submission page shows.
pub struct SubmitPage {
    pub vocabulary: VocabularyView,
    /// The form's fields: empty, or as they were posted.
    pub draft: Submission,
    /// Whether `draft` was posted (then it is shown as sent, not replaced by a saved draft).
    pub posted: bool,
    /// The server's problems with a posted form, each shown at its field.
    pub problems: Vec<Problem>,
    /// Why a posted form was refused.
    pub message: Option<String>,
    /// The reference of a submission just received, and its status link: the page is the
    /// confirmation.
    pub received: Option<(String, Option<String>)>,
}

pub fn page(visit: &Visit, submit: &SubmitPage) -> impl IntoView + use<> {
    let s = studio_texts(visit.ui);
    let head = Head { title: s.submit_heading.into(), description: s.submit_description.into(), noindex: false };
    let main = match &submit.received {
        Some((id, status_url)) => view! {
            <section class="submit">
                <h1>{s.submit_heading}</h1>
                <div class="confirmation" role="status">
                    <h2>{s.thanks}</h2>
                    <p>{s.thanks_text} " " <strong class="reference">{id.clone()}</strong></p>
                    {status_url.clone().map(|url| crate::islands::studio::status_link(s, url))}
                    <p><a href="/submit">{s.submit_another}</a></p>
                </div>
            </section>
        }
        .into_any(),
        None => {
            let props = SubmitProps {
                ui: visit.ui,
                vocabulary: submit.vocabulary.clone(),
                draft: submit.draft.clone(),
                posted: submit.posted,
                problems: submit.problems.clone(),
                message: submit.message.clone(),
            };
            view! { <SubmitForm props=props/> }.into_any()
        }
    };
    document(visit, Islands::Studio, head, (), main)
}
