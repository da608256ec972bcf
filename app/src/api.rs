//! The typed client of the server's JSON API, for the studio's islands (the reader's islands
//! fetch server-rendered HTML instead). Error responses carry `{"error": "...", "problems":
//! [...]}`; they are decoded into a [`Refusal`].

use gloo_net::http::{Request, RequestBuilder};
use model::Lang;
use model::api::{ApiError, VocabularyView};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A refused request: the message and, for invalid content, the problems per field.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
    pub problems: Vec<model::Problem>,
}

async fn send<T: DeserializeOwned>(request: Result<gloo_net::http::Request, gloo_net::Error>) -> Result<T, Refusal> {
    let unreachable = |_| Refusal {
        status: 0,
        message: "the server cannot be reached; check the connection".into(),
        problems: Vec::new(),
    };
    let response = request.map_err(unreachable)?.send().await.map_err(unreachable)?;
    if response.ok() {
        return response.json::<T>().await.map_err(|e| Refusal {
            status: response.status(),
            message: format!("the server's answer could not be read: {e}"),
            problems: Vec::new(),
        });
    }
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(error) => Err(Refusal { status, message: error.error, problems: error.problems }),
        Err(_) => Err(Refusal { status, message: format!("the server answered {status}"), problems: Vec::new() }),
    }
}

fn with_token(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

pub async fn vocabulary(ui: Lang) -> Result<VocabularyView, Refusal> {
    send(Request::get("/api/vocabulary").query([("ui", ui.code())]).build()).await
}

pub async fn post<T: DeserializeOwned>(url: &str, body: &impl Serialize, token: Option<&str>) -> Result<T, Refusal> {
    let mut builder = Request::post(url);
    if let Some(token) = token {
        builder = with_token(builder, token);
    }
    send(builder.json(body)).await
}

/// Posts a multipart form (files with it); `None` is a form the browser could not make.
pub async fn post_form<T: DeserializeOwned>(url: &str, form: Option<web_sys::FormData>) -> Result<T, Refusal> {
    let Some(form) = form else {
        return Err(Refusal { status: 0, message: "the photos could not be read".into(), problems: Vec::new() });
    };
    send(Request::post(url).body(form)).await
}

/// The bytes of a file the maintainers' token opens, as an address this page can show
/// (`blob:`), for the review's photos.
pub async fn admin_blob_url(url: &str, token: &str) -> Option<String> {
    let response = with_token(Request::get(url), token).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    let bytes = response.binary().await.ok()?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

pub async fn admin_put<T: DeserializeOwned>(url: &str, body: &impl Serialize, token: &str) -> Result<T, Refusal> {
    send(with_token(Request::put(url), token).json(body)).await
}

pub async fn admin_get<T: DeserializeOwned>(url: &str, token: &str) -> Result<T, Refusal> {
    send(with_token(Request::get(url), token).build()).await
}
