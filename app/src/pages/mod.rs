//! One page per module.

pub mod case;
pub mod search;

use crate::i18n::use_ui;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let ui = use_ui();
    view! {
        <section class="empty">
            <h1>{move || ui.t().not_found_title}</h1>
            <p>{move || ui.t().not_found_text} " " <a href="/">{move || ui.t().back_to_search}</a></p>
        </section>
    }
}
