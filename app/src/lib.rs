//! The collection's pages as Leptos components, rendered to HTML on the server, and the islands
//! that the browser wakes up with WebAssembly.
//!
//! - [`pages`] (server only, feature `ssr`): every page the server answers with, from the
//!   document around it ([`pages::document`]) to the search results, the case, the submission
//!   form and the 404. A page is complete HTML: it reads, searches (a GET form), filters (links
//!   and form fields) and submits (a POST form) without any script.
//! - [`islands`]: the interactive parts, rendered on the server inside their pages and hydrated
//!   in the browser: results as you type, facet toggles without a reload, saving for offline,
//!   the submission form's checks and autosaved draft, the maintainers' review. They are the
//!   only code compiled to wasm, in two bundles: `reader` (search and case pages) and `studio`
//!   (the submission form and the review), so readers never download the form.
//! - [`i18n`]: the interface strings of every language; [`site`]: what every page is rendered
//!   with (the visit and the built assets); [`facts`]: a case's facts, as the case page and the
//!   review before publishing show them.
//!
//! The browser loads the bundle after the page has shown (see `cargo xtask build`), then calls
//! [`hydrate`], which wakes each `<leptos-island>` in the page.

// Whole pages are deeply nested view types.
#![recursion_limit = "256"]

pub mod facts;
pub mod i18n;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod pages;
pub mod site;

#[cfg(any(feature = "ssr", feature = "studio"))]
mod api;
mod browser;
mod json;
mod offline;

/// Starts the islands' reactive system; the loader then hydrates each island in the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    offline::register_later();
}
