//! One page per module.

pub mod case;
pub mod search;

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="empty">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. " <a href="/">"Search the case studies"</a></p>
        </section>
    }
}
