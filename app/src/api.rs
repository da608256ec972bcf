//! The typed client of the server's JSON API. Error responses carry `{"error": "..."}`; it is
//! decoded and returned as the message.

use gloo_net::http::Request;
use model::Lang;
use model::api::{ApiError, CaseView, SearchParams, SearchResponse};
use serde::de::DeserializeOwned;

/// A failed request, as a message for the reader.
pub type ApiResult<T> = Result<T, String>;

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<Option<T>> {
    let response =
        Request::get(url).send().await.map_err(|_| "the server cannot be reached; check the connection".to_owned())?;
    if response.status() == 404 {
        return Ok(None);
    }
    if !response.ok() {
        let message = match response.json::<ApiError>().await {
            Ok(error) => error.error,
            Err(_) => format!("the server answered {}", response.status()),
        };
        return Err(message);
    }
    response.json::<T>().await.map(Some).map_err(|e| format!("the server's answer could not be read: {e}"))
}

pub async fn search(params: &SearchParams) -> ApiResult<SearchResponse> {
    get(&format!("/api/search?{}", params.to_query())).await?.ok_or_else(|| "search is not available".to_owned())
}

/// The case, or `None` if there is no such case.
pub async fn case(slug: &str, lang: Option<Lang>, ui: Option<Lang>) -> ApiResult<Option<CaseView>> {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(lang) = lang {
        query.append_pair("lang", lang.code());
    }
    if let Some(ui) = ui {
        query.append_pair("ui", ui.code());
    }
    get(&format!("/api/cases/{slug}?{}", query.finish())).await
}
