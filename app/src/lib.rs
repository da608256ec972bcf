//! The web app: a Leptos single-page app, rendered in the browser (wasm32).
//!
//! One router here, one page per file under [`pages`], one typed API client in [`api`]. All
//! search state lives in the URL (`/?q=…&country=…`), which is also the API's query string.

mod api;
mod pages;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app; runs when the wasm module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="site">
                <A href="/" attr:class="brand">"Library case studies"</A>
                <nav aria-label="Main">
                    <A href="/">"Search"</A>
                </nav>
            </header>
            <main id="main">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::search::SearchPage/>
                    <Route path=path!("/case/:slug") view=pages::case::CasePage/>
                </Routes>
            </main>
        </Router>
    }
}
