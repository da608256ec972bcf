//! One page per module; each bundle compiles its own.

#[cfg(feature = "studio")]
pub mod admin;
#[cfg(feature = "reader")]
pub mod case;
#[cfg(feature = "studio")]
pub mod form;
#[cfg(feature = "reader")]
pub mod search;
#[cfg(feature = "studio")]
pub mod submit;

use crate::i18n::use_ui;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let ui = use_ui();
    view! {
        <section class="empty">
            <h1>{move || ui.t().not_found_title}</h1>
            <p>{move || ui.t().not_found_text} " " <a href="/" rel=crate::rel_for("/")>{move || ui.t().back_to_search}</a></p>
        </section>
    }
}
