//! The studio's islands: the submission form and the maintainers' review.

mod admin;
mod form;
mod photos;
mod submit;

pub use admin::AdminPage;
pub use submit::{SubmitForm, SubmitProps};

use crate::i18n::StudioTexts;
use leptos::prelude::*;

/// The confirmation's private link to the submission's status page (`url`).
pub fn status_link(s: &'static StudioTexts, url: String) -> impl IntoView {
    view! { <p class="status-link">{s.status_keep} " " <a href=url>{s.status_open}</a></p> }
}
