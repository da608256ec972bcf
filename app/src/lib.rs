//! The web app: Leptos single-page apps, rendered in the browser (wasm32), built as two bundles
//! from this crate: `reader` (search and case pages, what every librarian loads) and `studio`
//! (the submission form and the maintainers' review).
//!
//! One router per bundle here, one page per file under [`pages`], one typed API client in
//! [`api`], interface strings in [`i18n`]. All search state lives in the URL (`/?q=…`), which is
//! also the API's query string. Links between the bundles are ordinary page loads.

mod api;
mod i18n;
mod json;
mod offline;
mod pages;

use i18n::{Ui, choose_language, initial_language};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use model::Lang;
use wasm_bindgen::JsCast;
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
    offline::provide();
    offline::register_later();
    let online = expect_context::<offline::Online>();

    // "/" puts the cursor in the search box, wherever the reader is (except while typing).
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if ev.key() == "/"
            && !typing
            && !ev.ctrl_key()
            && !ev.meta_key()
            && !ev.alt_key()
            && let Some(input) =
                document().get_element_by_id("q").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            let _ = input.focus();
        }
    });

    view! {
        <Router>
            <a class="skip" href="#main">{move || ui.t().skip}</a>
            <Header/>
            {move || (!online.0.get()).then(|| view! { <p class="offline-banner" role="status">{ui.t().offline_banner}</p> })}
            <main id="main" tabindex="-1">
                <Pages/>
            </main>
            <Footer/>
        </Router>
    }
}

/// After moving to another page, puts the focus on its heading once it has rendered, so screen
/// readers announce where the reader is. The new page's heading is any `main h1` other than the
/// one on screen when the move started (pages load their data first).
fn focus_heading_on_navigation() {
    let location = leptos_router::hooks::use_location();
    let shown = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let path = location.pathname.get();
        let previous = shown.get_value();
        shown.set_value(Some(path.clone()));
        if previous.is_none_or(|previous| previous == path) {
            return;
        }
        let heading = || document().query_selector("main h1").ok().flatten();
        let old = heading();
        leptos::task::spawn_local(async move {
            for _ in 0..80 {
                gloo_timers::future::TimeoutFuture::new(25).await;
                if let Some(new) = heading().filter(|h| old.as_ref() != Some(h) && h.is_connected())
                    && let Ok(new) = new.dyn_into::<web_sys::HtmlElement>()
                {
                    if !new.has_attribute("tabindex") {
                        let _ = new.set_attribute("tabindex", "-1");
                    }
                    let _ = new.focus();
                    return;
                }
            }
        });
    });
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
    focus_heading_on_navigation();
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
            <LowDataSwitch/>
        </footer>
    }
}

/// The "save data" switch.
#[component]
fn LowDataSwitch() -> impl IntoView {
    let ui = i18n::use_ui();
    let low = expect_context::<offline::LowData>();
    view! {
        <label class="low-data check">
            <input type="checkbox" checked=move || low.0.get() on:change=move |ev| offline::set_low_data(low, event_target_checked(&ev))/>
            {move || ui.t().low_data}
        </label>
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
