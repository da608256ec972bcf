//! The document around every page: `<html lang>`, the head (title, description, the manifest,
//! the style and the islands' bundle), the header with the language switch, and the footer with
//! the exports and the save-data switch.
//!
//! The bundle's script is a module with low fetch priority: it runs after the page is parsed,
//! and the wasm it loads never delays the first paint.

use crate::i18n::{Ui, texts};
use crate::islands::reader::OfflineBanner;
use crate::site::{Islands, Visit};
use leptos::prelude::*;
use model::Lang;

/// What a page puts in `<head>` besides what every page has.
pub struct Head {
    pub title: String,
    pub description: String,
    /// Kept out of search engines (the review, errors).
    pub noindex: bool,
}

/// `/settings?…&back=…`: a switch that remembers the reader's choice and comes back here.
pub fn settings_link(name: &str, value: &str, here: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair(name, value);
    query.append_pair("back", here);
    format!("/settings?{}", query.finish())
}

/// The whole HTML document of a page.
pub fn document<H: IntoView + 'static, M: IntoView + 'static>(
    visit: &Visit,
    islands: Islands,
    head: Head,
    extra_head: H,
    main: M,
) -> impl IntoView + use<H, M> {
    provide_context(Ui(visit.ui));
    let t = texts(visit.ui);
    let style = visit.assets.as_ref().map(|assets| format!("/assets/{}", assets.style));
    let script = visit.assets.as_ref().map(|assets| {
        let bundle = match islands {
            Islands::Reader => &assets.reader,
            Islands::Studio => &assets.studio,
        };
        format!("/assets/{}", bundle.script)
    });
    let title = if head.title == t.site_name { head.title } else { format!("{} · {}", head.title, t.site_name) };
    view! {
        <!DOCTYPE html>
        <html lang=visit.ui.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{title}</title>
                <meta name="description" content=head.description/>
                {head.noindex.then(|| view! { <meta name="robots" content="noindex"/> })}
                {extra_head.into_any()}
                <meta name="theme-color" content="#0b5394"/>
                <link rel="icon" href="/icon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                {style.map(|href| view! { <link rel="stylesheet" href=href/> })}
                {script.map(|src| view! { <script type="module" src=src fetchpriority="low"></script> })}
            </head>
            <body>
                <a class="skip" href="#main">{t.skip}</a>
                <Header visit=visit.clone()/>
                <main id="main" tabindex="-1">{main.into_any()}</main>
                <Footer visit=visit.clone()/>
                {(islands == Islands::Reader).then(|| view! { <OfflineBanner text=t.offline_banner.to_owned()/> })}
            </body>
        </html>
    }
}

#[component]
fn Header(visit: Visit) -> impl IntoView {
    let t = texts(visit.ui);
    let languages = Lang::ALL
        .into_iter()
        .map(|lang| {
            if lang == visit.ui {
                view! { <strong lang=lang.code() aria-current="true">{lang.native_name()}</strong> }.into_any()
            } else {
                let href = settings_link("ui", lang.code(), &visit.here);
                view! { <a href=href lang=lang.code() hreflang=lang.code()>{lang.native_name()}</a> }.into_any()
            }
        })
        .collect_view();
    view! {
        <header class="site">
            <a href="/" class="brand">{t.site_name}</a>
            <nav class="menu" aria-label=t.main_menu>
                <a href="/">{t.nav_search}</a>
                <a href="/overview">{super::overview::nav_label(visit.ui)}</a>
                <a href="/submit">{t.nav_submit}</a>
            </nav>
            <nav class="language" aria-label=t.language>{languages}</nav>
        </header>
    }
}

/// Links to the exports (always the serving index's cases) and the save-data switch.
#[component]
fn Footer(visit: Visit) -> impl IntoView {
    let t = texts(visit.ui);
    let feed = format!("/feed/{}.xml", visit.ui);
    let (state, action, next) =
        if visit.low_data { (t.state_on, t.switch_off, "off") } else { (t.state_off, t.switch_on, "on") };
    view! {
        <footer class="site">
            <p>
                <span>{t.downloads} ": "</span>
                <a href="/api/export.csv" download>"CSV"</a>
                " · "
                <a href="/api/export.json" download>"JSON"</a>
                " · "
                <a href=feed type="application/atom+xml">{t.feed}</a>
                " · "
                <a href="/admin">{t.nav_admin}</a>
            </p>
            <p class="low-data">
                {t.low_data} ": " <strong>{state}</strong> " · "
                <a href=settings_link("low_data", next, &visit.here)>{action}</a>
            </p>
        </footer>
    }
}
