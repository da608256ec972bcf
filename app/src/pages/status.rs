//! `/status/<token>`: a contributor's private page of what became of their submission: waiting
//! for review, published (with its link) or not accepted (with the maintainers' reason). Only
//! the link's holder sees it; it is never indexed or kept by caches.

use super::document::{Head, document};
use crate::i18n::studio_texts;
use crate::site::{Islands, Visit};
use leptos::prelude::*;
use model::Lang;
use model::api::ReviewStatus;

/// One submission, as its contributor may see it.
pub struct StatusPage {
    pub id: String,
    pub title: String,
    pub lang: Lang,
    /// RFC 3339.
    pub received_at: String,
    pub status: ReviewStatus,
    /// The published case's address, once approved.
    pub slug: Option<String>,
    /// Why it was not accepted.
    pub reason: Option<String>,
}

pub fn page(visit: &Visit, status: &StatusPage) -> impl IntoView + use<> {
    let s = studio_texts(visit.ui);
    let head = Head { title: s.status_heading.into(), description: s.status_heading.into(), noindex: true };
    let received = status.received_at.replace('T', " ").trim_end_matches('Z').to_owned();
    let outcome = match status.status {
        ReviewStatus::Pending => view! { <p class="outcome">{s.status_waiting}</p> }.into_any(),
        ReviewStatus::Approved => {
            let href = format!("/case/{}", status.slug.clone().unwrap_or_default());
            let text = href.clone();
            view! { <p class="outcome">{s.status_published} " " <a href=href>{text}</a></p> }.into_any()
        }
        ReviewStatus::Rejected => view! {
            <p class="outcome">{s.status_not_accepted}</p>
            <blockquote class="reason">{status.reason.clone().unwrap_or_default()}</blockquote>
        }
        .into_any(),
    };
    let main = view! {
        <section class="submit status">
            <h1>{s.status_heading}</h1>
            <h2 lang=status.lang.code()>{status.title.clone()}</h2>
            <p>{s.received} ": " {received} " · " <span class="reference">{status.id.clone()}</span></p>
            {outcome}
            <p><a href="/submit">{s.submit_another}</a></p>
        </section>
    };
    document(visit, Islands::Reader, head, (), main)
}
