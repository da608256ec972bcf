//! The typed client of the server's JSON API. Error responses carry `{"error": "..."}`; it is
//! decoded and returned as the message.

#[cfg(feature = "reader")]
use gloo_net::http::Request;
#[cfg(feature = "reader")]
use model::Lang;
#[cfg(feature = "reader")]
use model::api::{ApiError, CaseView, SearchParams, SearchResponse};
#[cfg(feature = "reader")]
use serde::de::DeserializeOwned;

/// A failed request, as a message for the reader.
#[cfg(feature = "reader")]
pub type ApiResult<T> = Result<T, String>;

/// GETs `path` with the query string `query` (given to gloo-net as pairs: a query written into the
/// URL gets a stray `&` appended, which breaks exact cache matches offline).
#[cfg(feature = "reader")]
async fn get<T: DeserializeOwned>(path: &str, query: &str) -> ApiResult<Option<T>> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let request = Request::get(path).query(pairs.iter().map(|(name, value)| (name.as_str(), value)));
    let response = request.send().await.map_err(|_| "the server cannot be reached; check the connection".to_owned())?;
    if response.status() == 404 {
        return Ok(None);
    }
    let status = response.status();
    let text = response.text().await.map_err(|_| "the server's answer was cut off; check the connection".to_owned())?;
    if !response.ok() {
        return Err(crate::json::from_str::<ApiError>(&text)
            .map_or_else(|_| format!("the server answered {status}"), |error| error.error));
    }
    crate::json::from_str::<T>(&text).map(Some).map_err(|e| format!("the server's answer could not be read: {e}"))
}

#[cfg(feature = "reader")]
pub async fn search(params: &SearchParams) -> ApiResult<SearchResponse> {
    get("/api/search", &params.to_query()).await?.ok_or_else(|| "search is not available".to_owned())
}

/// The case, or `None` if there is no such case.
#[cfg(feature = "reader")]
pub async fn case(slug: &str, lang: Option<Lang>, ui: Option<Lang>) -> ApiResult<Option<CaseView>> {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(lang) = lang {
        query.append_pair("lang", lang.code());
    }
    if let Some(ui) = ui {
        query.append_pair("ui", ui.code());
    }
    get(&format!("/api/cases/{slug}"), &query.finish()).await
}

/// A refused request: the message and, for invalid content, the problems per field.
#[cfg(feature = "studio")]
#[derive(Clone, Debug)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
    pub problems: Vec<model::Problem>,
}

#[cfg(feature = "studio")]
mod studio {
    use super::Refusal;
    use gloo_net::http::{Request, RequestBuilder};
    use model::Lang;
    use model::api::{ApiError, VocabularyView};
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    async fn send<T: DeserializeOwned>(
        request: Result<gloo_net::http::Request, gloo_net::Error>,
    ) -> Result<T, Refusal> {
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

    pub async fn post<T: DeserializeOwned>(
        url: &str,
        body: &impl Serialize,
        token: Option<&str>,
    ) -> Result<T, Refusal> {
        let mut builder = Request::post(url);
        if let Some(token) = token {
            builder = with_token(builder, token);
        }
        send(builder.json(body)).await
    }

    pub async fn put<T: DeserializeOwned>(url: &str, body: &impl Serialize, token: &str) -> Result<T, Refusal> {
        send(with_token(Request::put(url), token).json(body)).await
    }

    pub async fn get<T: DeserializeOwned>(url: &str, token: &str) -> Result<T, Refusal> {
        send(with_token(Request::get(url), token).build()).await
    }
}

#[cfg(feature = "studio")]
pub use studio::{get as admin_get, post, put as admin_put, vocabulary};
