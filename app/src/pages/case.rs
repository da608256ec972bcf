//! The case page: the story in one language, a switch among its translations (links, each with
//! its translation status), the facts, related cases, and a QR code back to the case on the
//! printed sheet. Its head carries what makes a shared link preview well: the description, the
//! canonical address and its translations, OpenGraph tags and schema.org JSON-LD.
//!
//! Printing, copying the link and saving for offline are the [`CaseActions`] island.

use super::document::{Head, document};
use crate::i18n::{Texts, texts};
use crate::islands::reader::{CaseActionTexts, CaseActions};
use crate::site::{Islands, Visit};
use leptos::prelude::*;
use model::api::CaseView;
use model::{Lang, Translation};

/// A case and its printed QR code.
pub struct CasePage {
    pub case: CaseView,
    /// An SVG of the case's address, drawn by the server.
    pub qr_svg: String,
    /// The reader asked for the photos although saving data (`?photos=show`).
    pub show_photos: bool,
}

fn translation_status(t: &Texts, translation: Translation) -> &'static str {
    match translation {
        Translation::Original => t.original,
        Translation::Human => t.human_translation,
        Translation::Machine => t.machine_translation,
    }
}

/// The address of the case in `lang` (the original language needs no parameter).
fn case_url(base: &str, case: &CaseView, lang: Lang) -> String {
    let url = format!("{base}/case/{}", case.slug);
    if lang == case.meta.original_language { url } else { format!("{url}?lang={lang}") }
}

pub fn page(visit: &Visit, page: &CasePage) -> impl IntoView + use<> {
    let case = &page.case;
    let head = Head { title: case.title.clone(), description: case.summary.clone(), noindex: false };
    document(visit, Islands::Reader, head, share_tags(visit, case), body(visit, page))
}

fn og_locale(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en_GB",
        Lang::Ro => "ro_RO",
        Lang::Uk => "uk_UA",
        Lang::Ru => "ru_RU",
        Lang::El => "el_GR",
    }
}

const LICENCES: &[(&str, &str)] = &[
    ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
];

/// An OpenGraph `<meta property=… content=…>` (the view macro knows no `property` attribute).
fn og(property: &'static str, content: impl Into<String>) -> impl IntoView {
    leptos::html::meta().attr("property", property).attr("content", content.into())
}

/// The head elements that make a shared link preview: canonical address and translations,
/// OpenGraph and schema.org JSON-LD.
fn share_tags(visit: &Visit, case: &CaseView) -> impl IntoView + use<> {
    let page_url = case_url(&visit.base_url, case, case.lang);
    let alternates = case
        .translations
        .iter()
        .map(|other| {
            view! { <link rel="alternate" hreflang=other.lang.code() href=case_url(&visit.base_url, case, other.lang)/> }
        })
        .collect_view();
    view! {
        <link rel="canonical" href=page_url.clone()/>
        {alternates}
        {og("og:type", "article")}
        {og("og:site_name", texts(visit.ui).site_name)}
        {og("og:title", case.title.clone())}
        {og("og:description", case.summary.clone())}
        {og("og:url", page_url.clone())}
        {og("og:locale", og_locale(case.lang))}
        <meta name="twitter:card" content="summary"/>
        <script type="application/ld+json" inner_html=json_ld(case, &page_url)></script>
    }
}

/// The case as a schema.org `Article`, as JSON that is safe inside a `<script>` element.
fn json_ld(case: &CaseView, page_url: &str) -> String {
    let meta = &case.meta;
    let licence = LICENCES.iter().find(|(id, _)| *id == meta.licence).map_or(meta.licence.as_str(), |(_, url)| url);
    let organisation = |name: &str| serde_json::json!({ "@type": "Organization", "name": name });
    let mut json = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "description": case.summary,
        "inLanguage": case.lang.code(),
        "url": page_url,
        "license": licence,
        "author": organisation(&meta.lead_organisation.name),
        "about": meta.themes.iter().map(|id| case.label(id)).collect::<Vec<_>>(),
        "keywords": meta.themes.iter().chain(&meta.audiences).map(|id| case.label(id)).collect::<Vec<_>>().join(", "),
        "spatialCoverage": meta.countries.iter().map(|code| serde_json::json!({ "@type": "Country", "name": case.label(code), "identifier": code })).collect::<Vec<_>>(),
        "temporalCoverage": match (&meta.period.end, meta.period.ongoing) {
            (Some(end), _) => format!("{}/{end}", meta.period.start),
            (None, true) => format!("{}/..", meta.period.start),
            (None, false) => meta.period.start.clone(),
        },
    });
    if !meta.funders.is_empty() {
        json["funder"] = meta.funders.iter().map(|f| organisation(&f.name)).collect();
    }
    if !meta.partners.is_empty() {
        json["contributor"] = meta.partners.iter().map(|p| organisation(&p.name)).collect();
    }
    if !meta.photos.is_empty() {
        let base = page_url.split("/case/").next().unwrap_or("");
        json["image"] = meta
            .photos
            .iter()
            .map(|photo| {
                let largest = photo.sizes.last().copied().unwrap_or(photo.width);
                let licence =
                    LICENCES.iter().find(|(id, _)| *id == photo.licence).map_or(photo.licence.as_str(), |(_, url)| url);
                serde_json::json!({
                    "@type": "ImageObject",
                    "contentUrl": format!("{base}/photos/{}/{}", case.slug, photo.file(largest)),
                    "width": photo.width,
                    "height": photo.height,
                    "caption": photo.alt_in(case.lang, meta.original_language),
                    "creditText": photo.credit,
                    "license": licence,
                })
            })
            .collect();
    }
    if case.translations.len() > 1 {
        json["workTranslation"] = case
            .translations
            .iter()
            .filter(|t| t.lang != case.lang)
            .map(|t| serde_json::json!({ "@type": "Article", "inLanguage": t.lang.code(), "headline": t.title }))
            .collect();
    }
    json.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The case's photos, each as large as the screen needs (`srcset`), loaded as the reader scrolls
/// to them, with their size given so that nothing moves when they arrive. Saving data, only a
/// link that shows them.
fn photos(visit: &Visit, case: &CaseView, show: bool) -> Option<impl IntoView + use<>> {
    let list = &case.meta.photos;
    if list.is_empty() {
        return None;
    }
    let t = texts(visit.ui);
    let heading = view! { <h2 id="photos-heading">{t.photos}</h2> };
    if visit.low_data && !show {
        let join = if visit.here.contains('?') { '&' } else { '?' };
        let href = format!("{}{join}photos=show#photos-heading", visit.here);
        let hidden = t.photos_hidden.replace("{n}", &list.len().to_string());
        return Some(
            view! {
                <section class="photos" aria-labelledby="photos-heading" lang=visit.ui.code()>
                    {heading}
                    <p>{hidden} " " <a href=href>{t.show_photos}</a></p>
                </section>
            }
            .into_any(),
        );
    }
    let original = case.meta.original_language;
    let figures = list
        .iter()
        .map(|photo| {
            let url = |width: u32| format!("/photos/{}/{}", case.slug, photo.file(width));
            let srcset = photo.sizes.iter().map(|&w| format!("{} {w}w", url(w))).collect::<Vec<_>>().join(", ");
            // A phone's screen takes the middle size; the largest is for wide, dense screens.
            let fallback = photo.sizes.iter().copied().find(|&w| w >= 960).unwrap_or(photo.width);
            let alt_lang = if photo.alt.contains_key(case.lang.code()) { case.lang } else { original };
            let credit = t.photo_credit.replace("{credit}", &photo.credit).replace("{licence}", &photo.licence);
            // An upright photo as wide as the text would be taller than the screen.
            let (class, sizes) = if photo.height > photo.width {
                ("portrait", "(min-width: 28rem) 26rem, 100vw")
            } else {
                ("landscape", "(min-width: 60rem) 58rem, 100vw")
            };
            view! {
                <figure class=class>
                    <img src=url(fallback) srcset=srcset sizes=sizes
                        width=photo.width height=photo.height loading="lazy" decoding="async"
                        alt=photo.alt_in(case.lang, original).to_owned() lang=alt_lang.code()/>
                    <figcaption lang=visit.ui.code()>{credit}</figcaption>
                </figure>
            }
        })
        .collect_view();
    Some(
        view! {
            <section class="photos" aria-labelledby="photos-heading" lang=visit.ui.code()>
                {heading}
                {figures}
            </section>
        }
        .into_any(),
    )
}

fn body(visit: &Visit, page: &CasePage) -> impl IntoView + use<> {
    let case = &page.case;
    let t = texts(visit.ui);
    let lang = visit.ui;
    let meta = &case.meta;
    let label = |id: &str| case.label(id).to_owned();

    let slug = case.slug.clone();
    let address = format!("{}/case/{slug}", visit.base_url);
    // "Save for offline" keeps the case's page in every language, as this reader sees it.
    // Its photos too, every size (the screen picks one), unless the reader is saving data.
    let photo_files = meta.photos.iter().filter(|_| !visit.low_data).flat_map(|photo| photo.files());
    let save_urls: Vec<String> = std::iter::once(format!("/case/{slug}"))
        .chain(case.translations.iter().map(|tr| format!("/case/{slug}?lang={}", tr.lang)))
        .chain(photo_files.map(|file| format!("/photos/{slug}/{file}")))
        .collect();
    let action_texts = CaseActionTexts {
        print: t.print.into(),
        share: t.share.into(),
        copied: t.copied.into(),
        save: t.save_offline.into(),
        saved: t.saved_offline.into(),
        save_failed: t.save_failed.into(),
    };
    let translations = case
        .translations
        .iter()
        .map(|tr| {
            let status = translation_status(t, tr.translation);
            let text = format!("{} ({status})", tr.lang.native_name());
            if tr.lang == case.lang {
                view! { <strong aria-current="page" lang=tr.lang.code()>{text}</strong> }.into_any()
            } else {
                let href = format!("/case/{slug}?lang={}", tr.lang);
                view! { <a href=href lang=tr.lang.code() hreflang=tr.lang.code()>{text}</a> }.into_any()
            }
        })
        .collect_view();

    view! {
        <article class="case" lang=case.lang.code()>
            // What the reader came for, as the bench times its paint (Element Timing).
            {leptos::html::h1().attr("elementtiming", "content").child(case.title.clone())}
            <nav class="translations" aria-label=t.read_in lang=lang.code()>
                <span>{t.read_in} ": "</span>
                {translations}
            </nav>
            <p class="lead">{case.summary.clone()}</p>
            <CaseActions slug=slug.clone() title=case.title.clone() address=address.clone() urls=save_urls texts=action_texts/>
            // Drawn inline, so the screen never fetches it and the printed sheet always has it.
            <figure class="qr print-only" lang=lang.code()>
                <div class="qr-code" role="img" aria-label=t.qr_alt inner_html=page.qr_svg.clone()></div>
                <figcaption>{address}</figcaption>
            </figure>
            {crate::facts::facts(meta, lang, &label)}
            <div class="body" inner_html=case.body_html.clone()></div>
            {photos(visit, case, page.show_photos)}
            {(!case.related.is_empty()).then(|| view! {
                <section class="related" aria-labelledby="related-heading" lang=lang.code()>
                    <h2 id="related-heading">{t.related}</h2>
                    <ul>
                        {case.related.iter().map(|r| view! {
                            <li lang=r.lang.code()>
                                <a href=format!("/case/{}", r.slug)>{r.title.clone()}</a>
                                <p>{r.summary.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}
