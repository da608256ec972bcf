//! The web app: a Leptos single-page app, rendered in the browser (wasm32).
//!
//! One router here, one page per file under [`pages`], one typed API client in [`api`],
//! interface strings in [`i18n`]. All search state lives in the URL (`/?q=…&country=…`), which
//! is also the API's query string.

mod api;
mod i18n;
mod pages;

use i18n::{Ui, choose_language, initial_language};
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use model::Lang;
use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app; runs when the wasm module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let ui = Ui(RwSignal::new(initial_language()));
    provide_context(ui);
    choose_language(ui, ui.0.get_untracked());

    view! {
        <Router>
            <a class="skip" href="#main">"↓"</a>
            <header class="site">
                <A href="/" attr:class="brand">{move || ui.t().site_name}</A>
                <nav aria-label="Main">
                    <A href="/">{move || ui.t().nav_search}</A>
                </nav>
                <LanguageSwitch/>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::search::SearchPage/>
                    <Route path=path!("/case/:slug") view=pages::case::CasePage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Links to the exports: always the serving index's cases.
#[component]
fn Footer() -> impl IntoView {
    let ui = i18n::use_ui();
    view! {
        <footer class="site">
            {move || {
                let t = ui.t();
                let feed = format!("/feed/{}.xml", ui.get());
                view! {
                    <span>{t.downloads} ": "</span>
                    <a href="/api/export.csv" download>"CSV"</a>
                    " · "
                    <a href="/api/export.json" download>"JSON"</a>
                    " · "
                    <a href=feed type="application/atom+xml">{t.feed}</a>
                }
            }}
        </footer>
    }
}

/// The interface language menu.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let ui = i18n::use_ui();
    view! {
        <label class="language">
            <span>{move || ui.t().language}</span>
            <select on:change=move |ev| {
                if let Ok(lang) = event_target_value(&ev).parse::<Lang>() {
                    choose_language(ui, lang);
                }
            }>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| view! {
                        <option value=lang.code() lang=lang.code() selected=move || ui.get() == lang>{lang.native_name()}</option>
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
