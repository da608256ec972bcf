//! Working with a poor or no connection, in the browser: the service worker that keeps the pages
//! read available offline (registered a few seconds after the page has shown, so it never
//! competes with the first load), and the list of cases saved for offline reading.

#[cfg(any(feature = "ssr", feature = "reader"))]
use {crate::browser::storage, wasm_bindgen::JsCast, wasm_bindgen_futures::JsFuture};

#[cfg(any(feature = "ssr", feature = "reader"))]
const SAVED_KEY: &str = "saved-cases";
/// The cache the service worker serves saved cases from.
#[cfg(any(feature = "ssr", feature = "reader"))]
const SAVED_CACHE: &str = "cases-saved";

/// Registers the service worker a few seconds after start, so it is not part of the first load.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn register_later() {
    leptos::task::spawn_local(async {
        gloo_timers::future::TimeoutFuture::new(3000).await;
        let Some(window) = web_sys::window() else { return };
        let has_worker = js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false);
        if has_worker {
            let _ = window.navigator().service_worker().register("/sw.js");
        }
    });
}

/// A case saved for offline reading.
#[cfg(any(feature = "ssr", feature = "reader"))]
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedCase {
    pub slug: String,
    pub title: String,
}

#[cfg(any(feature = "ssr", feature = "reader"))]
pub fn saved_cases() -> Vec<SavedCase> {
    storage()
        .and_then(|s| s.get_item(SAVED_KEY).ok().flatten())
        .and_then(|json| crate::json::from_str(&json).ok())
        .unwrap_or_default()
}

#[cfg(any(feature = "ssr", feature = "reader"))]
/// Puts the case's pages into the saved cache (served by the service worker offline) and
/// remembers it.
pub async fn save_case(case: SavedCase, urls: Vec<String>) -> Result<(), ()> {
    let window = web_sys::window().ok_or(())?;
    let caches = window.caches().map_err(|_| ())?;
    let cache: web_sys::Cache =
        JsFuture::from(caches.open(SAVED_CACHE)).await.map_err(|_| ())?.dyn_into().map_err(|_| ())?;
    let list = js_sys::Array::new();
    for url in &urls {
        list.push(&url.into());
    }
    JsFuture::from(cache.add_all_with_str_sequence(&list)).await.map_err(|_| ())?;
    let mut saved = saved_cases();
    saved.retain(|c| c.slug != case.slug);
    saved.push(case);
    if let (Some(s), Some(json)) = (storage(), crate::json::to_string(&saved)) {
        let _ = s.set_item(SAVED_KEY, &json);
    }
    Ok(())
}
