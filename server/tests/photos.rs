//! Photos through the router: a submission sent with a photo (multipart), re-encoded without
//! its metadata, shown in the review, published with the case, shown on its page with `srcset`
//! (and not while saving data), listed in the exports and the JSON-LD; hostile files refused
//! with a 422 naming the photo, and nothing written.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use indexer::index::generation;
use model::api::{Approved, SubmissionDetail, SubmissionReceipt};
use model::case::Photo;
use model::submission::{Contact, Sections, Submission};
use server::state::AppState;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;

const TOKEN: &str = "photo-maintainer-token";
const BOUNDARY: &str = "photo-test-boundary-1b2c";

fn setup() -> (Arc<AppState>, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    bench::files::copy_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content"), &content)
        .unwrap();
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
    let state = AppState::open(&dir.path().join("index"), &content, None)
        .unwrap()
        .with_admin_token(Some(TOKEN.into()))
        .with_submissions_per_hour(0);
    (Arc::new(state), content, dir)
}

fn submission(photos: usize) -> Submission {
    let mut submission = Submission {
        lang: model::Lang::Ro,
        title: "Atelier de fotografie la bibliotecă".into(),
        summary: "Adolescenții învață să fotografieze satul lor, iar biblioteca expune lucrările.".into(),
        sections: Sections {
            context: "În sat nu exista niciun club pentru adolescenți.".into(),
            what_was_done: "Biblioteca a organizat un atelier săptămânal.".into(),
            ..Sections::default()
        },
        contact: Contact { name: "Ana".into(), email: "ana@biblioteca.ro".into() },
        ..Submission::default()
    };
    submission.meta.countries = vec!["RO".into()];
    submission.meta.period.start = "2024-03".into();
    submission.meta.lead_organisation =
        model::case::Organisation { name: "Biblioteca comunală".into(), kind: "public-library".into() };
    submission.meta.themes = vec!["coding".into()];
    submission.meta.photos = (0..photos)
        .map(|i| Photo {
            alt: [("ro".to_owned(), format!("Adolescenți cu aparate foto în fața bibliotecii ({})", i + 1))].into(),
            credit: "Ana Popescu".into(),
            licence: "CC-BY-4.0".into(),
            ..Photo::default()
        })
        .collect();
    submission
}

/// A 1200 × 800 PNG with a gradient, made here.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

fn multipart(submission: &Submission, photos: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"submission\"\r\ncontent-type: application/json\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(serde_json::to_string(submission).unwrap().as_bytes());
    for (name, bytes) in photos {
        body.extend_from_slice(
            format!("\r\n--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\ncontent-type: image/png\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
    }
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send(
    state: &Arc<AppState>,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(uri).header("host", "localhost");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = server::app(state.clone()).oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

async fn upload(state: &Arc<AppState>, submission: &Submission, photos: &[(&str, Vec<u8>)]) -> (StatusCode, Vec<u8>) {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let (status, _, body) = send(
        state,
        "POST",
        "/api/submissions/with-photos",
        &[("content-type", &content_type)],
        multipart(submission, photos),
    )
    .await;
    (status, body)
}

#[tokio::test]
async fn a_photo_goes_from_the_form_through_review_to_the_case_page() {
    let (state, content, _dir) = setup();
    let (status, body) = upload(&state, &submission(1), &[("atelier.png", png(1200, 800))]).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let receipt: SubmissionReceipt = serde_json::from_slice(&body).unwrap();

    // The review sees it, with its sizes as the server wrote them.
    let auth = format!("Bearer {TOKEN}");
    let (status, _, body) =
        send(&state, "GET", &format!("/api/admin/submissions/{}", receipt.id), &[("authorization", &auth)], Vec::new())
            .await;
    assert_eq!(status, StatusCode::OK);
    let detail: SubmissionDetail = serde_json::from_slice(&body).unwrap();
    let photo = &detail.submission.meta.photos[0];
    assert_eq!(
        (photo.name.as_str(), photo.sizes.as_slice(), photo.width, photo.height),
        ("photo-1", &[480, 960][..], 960, 640)
    );
    let file = format!("/api/admin/submissions/{}/photos/photo-1-480.jpg", receipt.id);
    let (status, headers, jpeg) = send(&state, "GET", &file, &[("authorization", &auth)], Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(image::load_from_memory(&jpeg).unwrap().width(), 480);
    let (status, _, _) = send(&state, "GET", &file, &[], Vec::new()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a pending photo needs the token");

    // Approved: the files go with the case.
    let approval = serde_json::to_vec(&serde_json::json!({ "slug": "atelier-foto" })).unwrap();
    let (status, _, body) = send(
        &state,
        "POST",
        &format!("/api/admin/submissions/{}/approve", receipt.id),
        &[("authorization", &auth), ("content-type", "application/json")],
        approval,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let _: Approved = serde_json::from_slice(&body).unwrap();
    for file in ["photo-1-480.jpg", "photo-1-960.jpg"] {
        assert!(content.join("cases/atelier-foto").join(file).is_file(), "{file}");
    }
    collection::load(&content, &|_, _| {}).expect("the published case passes the indexer's check");

    // On its page, lazily and at its size, with the alt text; the file itself is served.
    let (_, _, html) = send(&state, "GET", "/case/atelier-foto", &[], Vec::new()).await;
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains(
            "srcset=\"/photos/atelier-foto/photo-1-480.jpg 480w, /photos/atelier-foto/photo-1-960.jpg 960w\""
        ),
        "{html}"
    );
    assert!(html.contains("width=\"960\" height=\"640\" loading=\"lazy\""), "{html}");
    assert!(html.contains("alt=\"Adolescenți cu aparate foto în fața bibliotecii (1)\""), "{html}");
    assert!(html.contains("\"@type\":\"ImageObject\""), "JSON-LD lists the photo");
    let (status, headers, jpeg) = send(&state, "GET", "/photos/atelier-foto/photo-1-960.jpg", &[], Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(!jpeg.windows(4).any(|w| w == b"Exif"), "no metadata survives");
    let (status, _, _) = send(&state, "GET", "/photos/atelier-foto/case.toml", &[], Vec::new()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Saving data: no image until asked.
    let (_, _, html) = send(&state, "GET", "/case/atelier-foto", &[("cookie", "low_data=on")], Vec::new()).await;
    let html = String::from_utf8(html).unwrap();
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("photos=show"), "{html}");
    let (_, _, html) =
        send(&state, "GET", "/case/atelier-foto?photos=show", &[("cookie", "low_data=on")], Vec::new()).await;
    assert!(String::from_utf8(html).unwrap().contains("<img"));

    // The exports list it.
    let (_, _, json) = send(&state, "GET", "/api/export.json", &[], Vec::new()).await;
    let json = String::from_utf8(json).unwrap();
    assert!(json.contains("/photos/atelier-foto/photo-1-960.jpg"), "{json}");
}

#[tokio::test]
async fn hostile_photos_are_refused_with_a_422_naming_them_and_nothing_is_kept() {
    let (state, content, _dir) = setup();
    // A PNG header claiming 50,000 × 50,000 pixels.
    let mut bomb = png(300, 300);
    bomb[16..20].copy_from_slice(&50_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&50_000u32.to_be_bytes());
    let crc = crc32fast::hash(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let whole = png(400, 300);
    let cut = whole[..whole.len() / 2].to_vec();
    let mut page = png(400, 300);
    page.extend_from_slice(b"<html><script>alert(1)</script></html>");
    for (name, bytes, says) in [
        ("bomb.png", bomb, "pixels"),
        ("cut.png", cut, "cut short"),
        ("page.png", page, "also contains"),
        ("photo.jpg", png(400, 300), "PNG image"),
        ("notes.png", b"just some text, not an image".to_vec(), "not a JPEG, PNG or WebP"),
    ] {
        let (status, body) = upload(&state, &submission(1), &[(name, bytes)]).await;
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        assert!(body.contains("photos[0]") && body.contains(name) && body.contains(says), "{name}: {body}");
    }
    // Said in the contributor's language when the form asks (`ui`).
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let (status, _, body) = send(
        &state,
        "POST",
        "/api/submissions/with-photos?ui=ro",
        &[("content-type", &content_type)],
        multipart(&submission(1), &[("notes.png", b"not an image".to_vec())]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        String::from_utf8_lossy(&body).contains("nu este o fotografie JPEG, PNG sau WebP"),
        "{}",
        String::from_utf8_lossy(&body)
    );
    // Described and not attached, and attached and not described.
    let (status, body) = upload(&state, &submission(2), &[("one.png", png(400, 300))]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", String::from_utf8_lossy(&body));
    let (status, _) = upload(&state, &submission(0), &[("one.png", png(400, 300))]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A photo without alt text.
    let mut no_alt = submission(1);
    no_alt.meta.photos[0].alt.clear();
    let (status, body) = upload(&state, &no_alt, &[("one.png", png(400, 300))]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("photos[0].alt.ro"));
    // More than 8 MB in one part.
    let (status, _) = upload(&state, &submission(1), &[("huge.png", vec![0; photos::MAX_BYTES + 1])]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Not multipart at all.
    let (status, _, _) =
        send(&state, "POST", "/api/submissions/with-photos", &[("content-type", "application/json")], b"{}".to_vec())
            .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let pending = std::fs::read_dir(content.join("submissions")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(pending, 0, "nothing was kept");
}

#[tokio::test]
async fn one_client_may_send_as_many_photos_an_hour_as_its_submissions_hold() {
    let (_, content, dir) = setup();
    // One submission an hour: eight photos, refused ones included.
    let state =
        Arc::new(AppState::open(&dir.path().join("index"), &content, None).unwrap().with_submissions_per_hour(1));
    let refused: Vec<(&str, Vec<u8>)> = (0..8).map(|_| ("notes.png", b"not an image".to_vec())).collect();
    let (status, _) = upload(&state, &submission(8), &refused).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = upload(&state, &submission(1), &[("one.png", png(400, 300))]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("too many photos"));
}
