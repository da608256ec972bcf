//! The pages the server renders, one module each; [`render`] turns a [`Page`] into its whole
//! document. The server gathers each page's data (a search, a case, the vocabulary) and its
//! status code; the pages only lay it out.
//!
//! Rendering is Leptos's own server-side rendering in islands mode ([`to_html`]): the page is
//! plain HTML, and each island in it carries its props for the browser to hydrate it. No script
//! is written into the page besides the islands' bundle (leptos_axum's renderer appends inline
//! resource scripts, which islands without resources do not need and the site's content
//! security policy refuses).

pub mod case;
pub mod document;
pub mod overview;
pub mod search;
pub mod status;
pub mod submit;

use crate::i18n::{studio_texts, texts};
use crate::islands::reader::SavedCases;
use crate::site::{Islands, Visit};
use document::{Head, document};
use hydration_context::SsrSharedContext;
use leptos::prelude::*;
use std::sync::Arc;

/// A page and what it shows.
#[derive(Clone)]
pub enum Page {
    /// `/?q=…`: the search box, the results with their facets, or why the search failed.
    Search(Arc<search::SearchPage>),
    /// `/case/{slug}`: one case in one language.
    Case(Arc<case::CasePage>),
    /// `/submit`: the submission form, a refused submission with its problems, or the
    /// confirmation.
    Submit(Arc<submit::SubmitPage>),
    /// `/admin`: the maintainers' review; `enabled` is false on a server started without a
    /// maintainer token.
    Admin { enabled: bool },
    /// `/status/<token>`: a contributor's view of their submission.
    Status(Arc<status::StatusPage>),
    /// `/overview`: the collection at a glance.
    Overview(Arc<overview::OverviewPage>),
    /// `/offline`: what the service worker shows for a page it has not kept.
    Offline,
    /// Any other address.
    NotFound,
}

/// A view as HTML, rendered under a fresh reactive owner whose shared context hydrates only
/// islands.
pub fn to_html(view: impl FnOnce() -> AnyView) -> String {
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new_islands())));
    let html = owner.with(|| view().to_html());
    owner.unset_with_forced_cleanup();
    html
}

/// The whole HTML document of `page` for `visit`.
pub fn render(visit: &Visit, page: &Page) -> String {
    to_html(|| view(visit, page))
}

fn view(visit: &Visit, page: &Page) -> AnyView {
    let visit = visit.clone();
    let t = texts(visit.ui);
    match page {
        Page::Search(search) => search::page(&visit, search).into_any(),
        Page::Case(case) => case::page(&visit, case).into_any(),
        Page::Submit(submit) => submit::page(&visit, submit).into_any(),
        Page::Status(status) => status::page(&visit, status).into_any(),
        Page::Overview(overview) => overview::page(&visit, overview).into_any(),
        &Page::Admin { enabled } => {
            let s = studio_texts(visit.ui);
            let head = Head { title: s.admin_heading.into(), description: s.admin_heading.into(), noindex: true };
            let main = view! {
                <crate::islands::studio::AdminPage ui=visit.ui enabled=enabled/>
                <noscript><p class="notice">{s.needs_script}</p></noscript>
            };
            document(&visit, Islands::Studio, head, (), main).into_any()
        }
        Page::Offline => {
            let head = Head { title: t.offline_title.into(), description: t.offline_banner.into(), noindex: true };
            let main = view! {
                <section class="empty offline">
                    <h1>{t.offline_title}</h1>
                    <p>{t.offline_banner}</p>
                    <SavedCases heading=t.kept_heading.to_owned() remove=t.remove.to_owned()/>
                    <p><a href="/">{t.back_to_search}</a></p>
                </section>
            };
            document(&visit, Islands::Reader, head, (), main).into_any()
        }
        Page::NotFound => {
            let head = Head { title: t.not_found_title.into(), description: t.not_found_text.into(), noindex: true };
            document(&visit, Islands::Reader, head, (), not_found(&visit)).into_any()
        }
    }
}

/// The body of a 404 page (also what an unknown case shows).
pub fn not_found(visit: &Visit) -> impl IntoView + use<> {
    let t = texts(visit.ui);
    view! {
        <section class="empty">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text} " " <a href="/">{t.back_to_search}</a></p>
        </section>
    }
}
