//! Exports of the whole collection, always fresh because they are read from the serving index
//! at request time: CSV and JSON (streamed in chunks from the document store, so they work at
//! any size without holding the collection in memory), and an Atom feed per language of the
//! newest cases.

use crate::error::AppError;
use crate::share::base_url;
use crate::state::AppState;
use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use indexer::index::stored::StoredCase;
use model::Lang;
use model::api::ApiError;
use std::io::{self, Write};
use std::str::FromStr;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;
/// How long a chunk may wait for a client that reads nothing before the export ends: a stalled
/// reader holds an export slot (and its thread) this long at most.
const WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// Entries in a language's feed.
pub const FEED_ENTRIES: usize = 50;

/// An `io::Write` that sends what it gathers to the response in chunks; writing fails once the
/// client has gone, which ends the export.
struct ChunkWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Result<Bytes, io::Error>>,
    runtime: tokio::runtime::Handle,
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        match self.runtime.block_on(tokio::time::timeout(WRITE_TIMEOUT, self.sender.send(Ok(chunk)))) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(io::Error::new(io::ErrorKind::BrokenPipe, "the client went away")),
            Err(_) => Err(io::Error::new(io::ErrorKind::BrokenPipe, "the client stopped reading")),
        }
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// A response body produced by `produce` on a blocking thread, chunk by chunk, holding one of
/// the server's export slots until it ends (done, the client gone, or stalled past
/// [`WRITE_TIMEOUT`]); with none free, 429 and a time to retry.
fn streamed(
    state: &AppState,
    produce: impl FnOnce(&mut ChunkWriter) -> io::Result<()> + Send + 'static,
) -> Result<Body, AppError> {
    let Ok(slot) = state.exports.clone().try_acquire_owned() else {
        return Err(AppError::TooManyRequests {
            message: "every export slot is busy; try again in a few seconds".into(),
            retry_after: 5,
        });
    };
    let (sender, receiver) = mpsc::channel(4);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let mut writer = ChunkWriter { buffer: Vec::with_capacity(CHUNK), sender: sender.clone(), runtime };
        let result = produce(&mut writer).and_then(|()| writer.flush());
        if let Err(error) = result
            && error.kind() != io::ErrorKind::BrokenPipe
        {
            tracing::error!(%error, "an export failed part way");
            let _ = sender.try_send(Err(error));
        }
    });
    Ok(Body::from_stream(ReceiverStream::new(receiver)))
}

/// Answers `304 Not Modified` when the client already has this version.
fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    matches.then(|| (StatusCode::NOT_MODIFIED, [(header::ETAG, etag.to_owned())]).into_response())
}

fn export_response(content_type: &'static str, filename: &str, etag: String, body: Body) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

const CSV_HEADER: &[&str] = &[
    "slug",
    "url",
    "title",
    "summary",
    "original_language",
    "languages",
    "countries",
    "places",
    "period_start",
    "period_end",
    "ongoing",
    "lead_organisation",
    "lead_organisation_type",
    "partners",
    "funders",
    "budget_amount",
    "budget_currency",
    "budget_note",
    "themes",
    "audiences",
    "sdgs",
    "participants",
    "libraries",
    "places_reached",
    "links",
    "licence",
    "status",
    "evidence",
    "featured",
    "photos",
];

/// A cell a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) made text, as OWASP recommends: a leading apostrophe, which spreadsheets
/// hide. Every cell of the export goes through it; a submitted title or budget note is not code.
fn neutralised(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell }
}

fn csv_row(case: &StoredCase, base: &str) -> Vec<String> {
    csv_cells(case, base).into_iter().map(neutralised).collect()
}

fn csv_cells(case: &StoredCase, base: &str) -> Vec<String> {
    let meta = &case.meta;
    let original = case.text_for(Some(meta.original_language));
    let join = |items: Vec<String>| items.join("; ");
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let reach = meta.reach.clone().unwrap_or_default();
    let budget = meta.budget.clone().unwrap_or_default();
    vec![
        case.slug.clone(),
        format!("{base}/case/{}", case.slug),
        original.title.clone(),
        original.summary.clone(),
        meta.original_language.code().to_owned(),
        join(case.texts.iter().map(|t| t.lang.code().to_owned()).collect()),
        join(meta.countries.clone()),
        join(meta.places.iter().map(|p| p.name.clone()).collect()),
        meta.period.start.clone(),
        meta.period.end.clone().unwrap_or_default(),
        meta.period.ongoing.to_string(),
        meta.lead_organisation.name.clone(),
        meta.lead_organisation.kind.clone(),
        join(meta.partners.iter().map(|p| p.name.clone()).collect()),
        join(meta.funders.iter().map(|f| f.name.clone()).collect()),
        budget.amount.map(|a| a.to_string()).unwrap_or_default(),
        budget.currency.unwrap_or_default(),
        budget.note.unwrap_or_default(),
        join(meta.themes.clone()),
        join(meta.audiences.clone()),
        join(meta.sdgs.iter().map(u8::to_string).collect()),
        number(reach.participants),
        number(reach.libraries),
        number(reach.places),
        join(meta.links.iter().map(|l| l.url.clone()).collect()),
        meta.licence.clone(),
        format!("{:?}", meta.status).to_lowercase(),
        meta.evidence.map(|e| format!("{e:?}").to_lowercase()).unwrap_or_default(),
        meta.featured.to_string(),
        join(meta.photos.iter().map(|photo| photo_url(base, &case.slug, photo)).collect()),
    ]
}

/// The address of a photo's largest file.
fn photo_url(base: &str, slug: &str, photo: &model::case::Photo) -> String {
    format!("{base}/photos/{slug}/{}", photo.file(photo.sizes.last().copied().unwrap_or(photo.width)))
}

/// The whole collection as CSV, one row per case.
///
/// `GET /api/export.csv`: UTF-8 with a byte-order mark so spreadsheets read the letters right.
#[utoipa::path(
    get,
    path = "/api/export.csv",
    operation_id = "export_csv",
    tag = "exports",
    params(("if-none-match" = Option<String>, Header, description = "An ETag from an earlier answer: 304 if the collection has not changed")),
    responses(
        (status = 200, description = "Every case, one per row after a header row", content_type = "text/csv", body = String,
            headers(("etag" = String, description = "The collection's version"))),
        (status = 304, description = "Unchanged since the given ETag"),
    )
)]
pub async fn csv(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let engine = state.engine();
    let etag = format!("\"csv-{}\"", engine.version());
    if let Some(response) = not_modified(&headers, &etag) {
        return response;
    }
    let base = base_url(&state, &headers);
    let body = match streamed(&state, move |out| {
        out.write_all("\u{feff}".as_bytes())?;
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(CSV_HEADER)?;
        let mut failure = None;
        engine
            .for_each_case(|case| match writer.write_record(csv_row(&case, &base)) {
                Ok(()) => true,
                Err(error) => {
                    failure = Some(io::Error::other(error));
                    false
                }
            })
            .map_err(io::Error::other)?;
        writer.flush()?;
        failure.map_or(Ok(()), Err)
    }) {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    export_response("text/csv; charset=utf-8", "case-studies.csv", etag, body)
}

/// The whole collection as JSON.
///
/// `GET /api/export.json`: every case with its coded facts and every language's title, summary
/// and sanitised body, as one JSON array.
#[utoipa::path(
    get,
    path = "/api/export.json",
    operation_id = "export_json",
    tag = "exports",
    params(("if-none-match" = Option<String>, Header, description = "An ETag from an earlier answer: 304 if the collection has not changed")),
    responses(
        (status = 200, description = "Every case", content_type = "application/json", body = Vec<serde_json::Value>,
            headers(("etag" = String, description = "The collection's version"))),
        (status = 304, description = "Unchanged since the given ETag"),
    )
)]
pub async fn json(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let engine = state.engine();
    let etag = format!("\"json-{}\"", engine.version());
    if let Some(response) = not_modified(&headers, &etag) {
        return response;
    }
    let base = base_url(&state, &headers);
    let body = match streamed(&state, move |out| {
        out.write_all(b"[")?;
        let mut first = true;
        let mut failure = None;
        engine
            .for_each_case(|case| {
                let record = serde_json::json!({
                    "slug": case.slug,
                    "url": format!("{base}/case/{}", case.slug),
                    "meta": case.meta,
                    "photos": case.meta.photos.iter().map(|photo| serde_json::json!({
                        "url": photo_url(&base, &case.slug, photo),
                        "sizes": photo.sizes.iter().map(|&w| serde_json::json!({
                            "width": w, "height": photo.height_at(w),
                            "url": format!("{base}/photos/{}/{}", case.slug, photo.file(w)),
                        })).collect::<Vec<_>>(),
                        "alt": photo.alt, "credit": photo.credit, "licence": photo.licence,
                    })).collect::<Vec<_>>(),
                    "texts": case.texts.iter().map(|t| serde_json::json!({
                        "lang": t.lang, "title": t.title, "summary": t.summary,
                        "translation": t.translation, "body_html": t.body_html,
                    })).collect::<Vec<_>>(),
                });
                let result = (if first { Ok(()) } else { out.write_all(b",\n") })
                    .and_then(|()| serde_json::to_writer(&mut *out, &record).map_err(io::Error::other));
                first = false;
                match result {
                    Ok(()) => true,
                    Err(error) => {
                        failure = Some(error);
                        false
                    }
                }
            })
            .map_err(io::Error::other)?;
        if let Some(error) = failure {
            return Err(error);
        }
        out.write_all(b"]\n")
    }) {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    export_response("application/json", "case-studies.json", etag, body)
}

fn rfc3339(year_month: &str) -> FixedDateTime {
    let (year, month) = model::case::parse_year_month(year_month).map_or((1970, 1), |(y, m)| (y, m.unwrap_or(1)));
    FixedDateTime::from_str(&format!("{year:04}-{month:02}-01T00:00:00Z")).unwrap_or_default()
}

/// An Atom feed of the newest cases written in one language.
///
/// `GET /feed/{lang}.xml`
#[utoipa::path(
    get,
    path = "/feed/{file}",
    operation_id = "feed",
    tag = "exports",
    params(
        ("file" = String, Path, description = "`<lang>.xml`: en, ro, uk, ru or el", pattern = "^(en|ro|uk|ru|el)\\.xml$"),
        ("if-none-match" = Option<String>, Header, description = "An ETag from an earlier answer: 304 if the collection has not changed"),
    ),
    responses(
        (status = 200, description = "The feed", content_type = "application/atom+xml", body = String,
            headers(("etag" = String, description = "The feed's version"))),
        (status = 304, description = "Unchanged since the given ETag"),
        (status = 404, description = "No feed of this name", body = ApiError),
    )
)]
pub async fn feed(
    State(state): State<Arc<AppState>>,
    file: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Path(file) = file?;
    let lang: Lang = file.strip_suffix(".xml").and_then(|code| code.parse().ok()).ok_or_else(|| {
        AppError::NotFound(format!(
            "no feed `{}`; feeds are /feed/en.xml, ro, uk, ru and el",
            file.chars().take(40).collect::<String>()
        ))
    })?;
    let engine = state.engine();
    let etag = format!("\"feed-{lang}-{}\"", engine.version());
    if let Some(response) = not_modified(&headers, &etag) {
        return Ok(response);
    }
    let base = base_url(&state, &headers);
    let built_at =
        chrono::DateTime::from_timestamp(engine.info().built_at as i64, 0).unwrap_or_default().fixed_offset();
    let cases = tokio::task::spawn_blocking({
        let engine = engine.clone();
        move || engine.newest(lang, FEED_ENTRIES)
    })
    .await??;
    let vocabulary = engine.vocabulary();
    let entries = cases
        .iter()
        .map(|case| {
            let text = case.text_for(Some(lang));
            let url = format!("{base}/case/{}?lang={lang}", case.slug);
            Entry {
                title: Text::plain(text.title.clone()),
                id: format!("{base}/case/{}", case.slug),
                updated: rfc3339(&case.meta.period.start),
                authors: vec![Person { name: case.meta.lead_organisation.name.clone(), ..Person::default() }],
                categories: case
                    .meta
                    .themes
                    .iter()
                    .map(|id| Category {
                        term: id.clone(),
                        label: Some(vocabulary.label(model::vocabulary::Kind::Theme, id, lang).to_owned()),
                        ..Category::default()
                    })
                    .collect(),
                links: vec![Link {
                    href: url,
                    rel: "alternate".into(),
                    hreflang: Some(lang.code().into()),
                    mime_type: Some("text/html".into()),
                    ..Link::default()
                }],
                summary: Some(Text::plain(text.summary.clone())),
                ..Entry::default()
            }
        })
        .collect();
    let feed = Feed {
        title: Text::plain(format!("Library case studies ({})", lang.native_name())),
        id: format!("{base}/feed/{lang}.xml"),
        updated: built_at,
        links: vec![
            Link {
                href: format!("{base}/feed/{lang}.xml"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: format!("{base}/"),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
        ],
        lang: Some(lang.code().into()),
        entries,
        ..Feed::default()
    };
    let xml = feed.to_string();
    let mut response = (StatusCode::OK, xml).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::neutralised;

    #[test]
    fn cells_a_spreadsheet_would_run_are_text() {
        for formula in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralised(formula.to_owned()), format!("'{formula}"));
        }
        for text in ["CODE Kids", "2019", "", "a=b", "'quoted"] {
            assert_eq!(neutralised(text.to_owned()), text);
        }
    }
}
