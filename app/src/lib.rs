//! The web app: Leptos single-page apps, rendered in the browser (wasm32), built as two bundles
//! from this crate: `reader` (search and case pages, what every librarian loads) and `studio`
//! (the submission form and the maintainers' review).
//!
//! One router per bundle here, one page per file under [`pages`], one typed API client in
//! [`api`], interface strings in [`i18n`]. All search state lives in the URL (`/?q=…`), which is
//! also the API's query string. Links between the bundles are ordinary page loads.

mod api;
mod i18n;
mod pages;

use i18n::{Ui, choose_language, initial_language};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
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
            <Header/>
            <main id="main" tabindex="-1">
                <Pages/>
            </main>
            <Footer/>
        </Router>
    }
}

/// The reader bundle's pages.
#[cfg(feature = "reader")]
#[component]
fn Pages() -> impl IntoView {
    view! {
        <Routes fallback=pages::NotFound>
            <Route path=path!("/") view=pages::search::SearchPage/>
            <Route path=path!("/case/:slug") view=pages::case::CasePage/>
        </Routes>
    }
}

/// The studio bundle's pages.
#[cfg(all(feature = "studio", not(feature = "reader")))]
#[component]
fn Pages() -> impl IntoView {
    view! {
        <Routes fallback=pages::NotFound>
            <Route path=path!("/submit") view=pages::submit::SubmitPage/>
            <Route path=path!("/admin") view=pages::admin::AdminPage/>
        </Routes>
    }
}

/// Whether `path` belongs to this bundle (else a link to it is an ordinary page load).
fn in_bundle(path: &str) -> bool {
    if cfg!(feature = "reader") {
        path == "/" || path.starts_with("/case/")
    } else {
        path == "/submit" || path == "/admin"
    }
}

/// `rel` for a link: "external" makes the router leave links to the other bundle to the browser.
fn rel_for(path: &str) -> Option<&'static str> {
    (!in_bundle(path)).then_some("external")
}

#[component]
fn Header() -> impl IntoView {
    let ui = i18n::use_ui();
    view! {
        <header class="site">
            {move || {
                let t = ui.t();
                view! {
                    <a href="/" rel=rel_for("/") class="brand">{t.site_name}</a>
                    <nav aria-label=t.main_menu>
                        <a href="/" rel=rel_for("/")>{t.nav_search}</a>
                        <a href="/submit" rel=rel_for("/submit")>{t.nav_submit}</a>
                    </nav>
                }
            }}
            <LanguageSwitch/>
        </header>
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
                    <a href=feed rel="external" type="application/atom+xml">{t.feed}</a>
                    " · "
                    <a href="/admin" rel=rel_for("/admin")>{t.nav_admin}</a>
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
