//! Working with a poor or no connection: whether the browser is online, the service worker that
//! keeps the app and read cases available offline (registered after the first page has shown, so
//! it never competes with the first load), the list of cases saved for offline reading, and the
//! low-data preference.

use leptos::prelude::*;
#[cfg(feature = "reader")]
use wasm_bindgen::JsCast;
#[cfg(feature = "reader")]
use wasm_bindgen_futures::JsFuture;

/// Whether the browser says it is online.
#[derive(Clone, Copy)]
pub struct Online(pub RwSignal<bool>);

/// The reader's "save data" choice: no images, fewer results per page.
#[derive(Clone, Copy)]
pub struct LowData(pub RwSignal<bool>);

const LOW_DATA_KEY: &str = "low-data";
#[cfg_attr(not(feature = "reader"), allow(dead_code))]
const SAVED_KEY: &str = "saved-cases";
/// The cache the service worker serves saved cases from.
#[cfg_attr(not(feature = "reader"), allow(dead_code))]
const SAVED_CACHE: &str = "cases-saved";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Provides [`Online`] and [`LowData`], and follows the browser's online and offline events.
pub fn provide() {
    let online = Online(RwSignal::new(web_sys::window().is_none_or(|w| w.navigator().on_line())));
    let _ = window_event_listener(leptos::ev::online, move |_| online.0.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.0.set(false));
    provide_context(online);

    // The stored choice, else the browser's own "save data" setting.
    let stored = storage().and_then(|s| s.get_item(LOW_DATA_KEY).ok().flatten()).map(|v| v == "on");
    let save_data = || -> Option<bool> {
        let navigator = web_sys::window()?.navigator();
        let connection = js_sys::Reflect::get(&navigator, &"connection".into()).ok()?;
        js_sys::Reflect::get(&connection, &"saveData".into()).ok()?.as_bool()
    };
    let low = LowData(RwSignal::new(stored.or_else(save_data).unwrap_or(false)));
    provide_context(low);
}

pub fn set_low_data(low: LowData, on: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item(LOW_DATA_KEY, if on { "on" } else { "off" });
    }
    low.0.set(on);
}

/// Registers the service worker and links the web app manifest, a few seconds after start so
/// neither is part of the first load.
pub fn register_later() {
    leptos::task::spawn_local(async {
        gloo_timers::future::TimeoutFuture::new(3000).await;
        let Some(window) = web_sys::window() else { return };
        if let Some(document) = window.document()
            && let Ok(link) = document.create_element("link")
        {
            let _ = link.set_attribute("rel", "manifest");
            let _ = link.set_attribute("href", "/manifest.webmanifest");
            if let Some(head) = document.head() {
                let _ = head.append_child(&link);
            }
        }
        let has_worker = js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false);
        if has_worker {
            let _ = window.navigator().service_worker().register("/sw.js");
        }
    });
}

/// A case saved for offline reading.
#[cfg(feature = "reader")]
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedCase {
    pub slug: String,
    pub title: String,
}

#[cfg(feature = "reader")]
pub fn saved_cases() -> Vec<SavedCase> {
    storage()
        .and_then(|s| s.get_item(SAVED_KEY).ok().flatten())
        .and_then(|json| crate::json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Puts the case's pages into the saved cache (served by the service worker offline) and
/// remembers it.
#[cfg(feature = "reader")]
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
