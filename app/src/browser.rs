//! Small helpers over the browser's APIs, for the islands. They compile natively too (the server
//! renders the islands) but are only called in event handlers and effects, in the browser.

#[cfg(any(feature = "ssr", feature = "reader"))]
pub fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

#[cfg(any(feature = "ssr", feature = "reader"))]
/// The element with `id`, as a `T`.
pub fn by_id<T: wasm_bindgen::JsCast>(id: &str) -> Option<T> {
    use wasm_bindgen::JsCast;
    document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// `localStorage`, where the browser allows it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether the browser says it is online.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

#[cfg(any(feature = "ssr", feature = "reader"))]
/// GETs `url` and reads the answer as text, whatever its status (an error page is an answer).
/// `Err` when no answer came: offline, or the connection broke.
pub async fn fetch_text(url: &str) -> Result<String, ()> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or(())?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| ())?.dyn_into().map_err(|_| ())?;
    let text = JsFuture::from(response.text().map_err(|_| ())?).await.map_err(|_| ())?;
    text.as_string().ok_or(())
}
