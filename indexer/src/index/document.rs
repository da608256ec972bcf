//! How a case becomes a tantivy document (see [`super::schema`] for the fields).

use super::analysis::normalize;
use super::schema::Fields;
use super::stored::{StoredCase, StoredText};
use crate::render;
use model::Case;
use std::collections::BTreeSet;
use tantivy::TantivyDocument;

/// The last year an ongoing case without an end date counts as running in.
pub fn ongoing_until() -> u16 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Close enough to the calendar year for a facet: 365.2425-day years since 1970.
    (1970 + secs / 31_556_952) as u16
}

/// The case's first and last year.
pub fn years(case: &Case, ongoing_until: u16) -> (u16, u16) {
    let period = &case.meta.period;
    let start = period.start_year().unwrap_or(1900);
    let end = match period.end_year() {
        Some(end) => end,
        None if period.ongoing => ongoing_until.max(start),
        None => start,
    };
    (start, end.max(start))
}

/// Renders the case's text and builds its document.
pub fn to_document(fields: &Fields, case: &Case, ongoing_until: u16) -> TantivyDocument {
    let stored = StoredCase {
        slug: case.slug.clone(),
        meta: case.meta.clone(),
        texts: case
            .texts
            .iter()
            .map(|text| StoredText {
                lang: text.lang,
                title: text.front.title.clone(),
                summary: text.front.summary.clone(),
                translation: text.front.translation,
                body_html: render::markdown_to_html(&text.body),
            })
            .collect(),
    };

    let mut doc = TantivyDocument::new();
    doc.add_text(fields.slug, &case.slug);
    for (text, source) in stored.texts.iter().zip(&case.texts) {
        let i = text.lang.index();
        let body = render::markdown_to_text(&source.body);
        let (title, summary, body) = (normalize(&text.title), normalize(&text.summary), normalize(&body));
        doc.add_text(fields.title[i], &title);
        doc.add_text(fields.summary[i], &summary);
        doc.add_text(fields.body[i], &body);
        doc.add_text(fields.fold_title, &title);
        doc.add_text(fields.fold_text, &summary);
        doc.add_text(fields.fold_text, &body);
        doc.add_text(fields.lang, text.lang.code());
    }
    let meta = &case.meta;
    for country in &meta.countries {
        doc.add_text(fields.country, country);
    }
    for theme in &meta.themes {
        doc.add_text(fields.theme, theme);
    }
    for audience in &meta.audiences {
        doc.add_text(fields.audience, audience);
    }
    let org_types: BTreeSet<&str> = std::iter::once(meta.lead_organisation.kind.as_str())
        .chain(meta.partners.iter().filter_map(|partner| partner.kind.as_deref()))
        .collect();
    for org_type in org_types {
        doc.add_text(fields.org_type, org_type);
    }
    let (start, end) = years(case, ongoing_until);
    doc.add_u64(fields.start_year, u64::from(start));
    doc.add_u64(fields.end_year, u64::from(end));
    doc.add_u64(fields.start_key, u64::from(meta.period.start_key().unwrap_or(0)));
    doc.add_text(fields.data, serde_json::to_string(&stored).expect("stored cases serialise"));
    doc
}
