//! Working with a poor or no connection, in the browser: the service worker that keeps the pages
//! read available offline (registered a few seconds after the page has shown, so it never
//! competes with the first load), and the cases this device keeps for offline reading: those
//! saved with "Save for offline" and those read, which the reader can remove.

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

/// The cache the service worker keeps the pages read in.
#[cfg(any(feature = "ssr", feature = "reader"))]
const READ_CACHE: &str = "pages-read";

/// A case this device can show offline: saved with "Save for offline", or read (the service
/// worker keeps the pages read).
#[cfg(any(feature = "ssr", feature = "reader"))]
#[derive(Clone, Debug, PartialEq)]
pub struct KeptCase {
    pub slug: String,
    pub title: String,
    pub saved: bool,
}

#[cfg(any(feature = "ssr", feature = "reader"))]
async fn open_cache(name: &str) -> Option<web_sys::Cache> {
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(name)).await.ok()?.dyn_into().ok()
}

#[cfg(any(feature = "ssr", feature = "reader"))]
async fn cached_requests(cache: &web_sys::Cache) -> Vec<web_sys::Request> {
    let Ok(keys) = JsFuture::from(cache.keys()).await else { return Vec::new() };
    js_sys::Array::from(&keys).iter().filter_map(|key| key.dyn_into().ok()).collect()
}

/// The case a kept page's address shows, if it is a case page.
#[cfg(any(feature = "ssr", feature = "reader"))]
fn case_slug(address: &str) -> Option<String> {
    let url = web_sys::Url::new(address).ok()?;
    let slug = url.pathname().strip_prefix("/case/")?.to_owned();
    (!slug.is_empty() && !slug.contains('/')).then_some(slug)
}

/// The case a saved photo's address (`/photos/<slug>/<file>`) belongs to.
#[cfg(any(feature = "ssr", feature = "reader"))]
fn photo_slug(address: &str) -> Option<String> {
    let path = web_sys::Url::new(address).ok()?.pathname();
    let (slug, _) = path.strip_prefix("/photos/")?.split_once('/')?;
    (!slug.is_empty()).then(|| slug.to_owned())
}

/// A case page's title: the text of its `<h1>`, as the page's HTML escapes it.
#[cfg(any(feature = "ssr", feature = "reader", test))]
fn page_title(html: &str) -> Option<String> {
    const START: &str = "elementtiming=\"content\">";
    let start = html.find(START)? + START.len();
    let end = start + html[start..].find("</h1>")?;
    let text = html[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    Some(text.trim().to_owned())
}

/// The cases this device can show offline: the saved ones, then those read, most recent first.
#[cfg(any(feature = "ssr", feature = "reader"))]
pub async fn kept_cases() -> Vec<KeptCase> {
    let mut kept: Vec<KeptCase> =
        saved_cases().into_iter().map(|case| KeptCase { slug: case.slug, title: case.title, saved: true }).collect();
    let Some(cache) = open_cache(READ_CACHE).await else { return kept };
    // The service worker puts a page read again at the end.
    for request in cached_requests(&cache).await.into_iter().rev() {
        let Some(slug) = case_slug(&request.url()) else { continue };
        if kept.iter().any(|case| case.slug == slug) {
            continue;
        }
        let Ok(found) = JsFuture::from(cache.match_with_request(&request)).await else { continue };
        let Ok(response) = found.dyn_into::<web_sys::Response>() else { continue };
        let Ok(text) = response.text() else { continue };
        let Some(html) = JsFuture::from(text).await.ok().and_then(|text| text.as_string()) else { continue };
        if let Some(title) = page_title(&html) {
            kept.push(KeptCase { slug, title, saved: false });
        }
    }
    kept
}

/// Removes a case from this device: from the saved list and from both caches, in every language.
#[cfg(any(feature = "ssr", feature = "reader"))]
pub async fn forget_case(slug: &str) {
    let mut saved = saved_cases();
    saved.retain(|case| case.slug != slug);
    if let (Some(s), Some(json)) = (storage(), crate::json::to_string(&saved)) {
        let _ = s.set_item(SAVED_KEY, &json);
    }
    for name in [SAVED_CACHE, READ_CACHE] {
        let Some(cache) = open_cache(name).await else { continue };
        for request in cached_requests(&cache).await {
            let url = request.url();
            if case_slug(&url).as_deref() == Some(slug) || photo_slug(&url).as_deref() == Some(slug) {
                let _ = JsFuture::from(cache.delete_with_request(&request)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_kept_pages_title_is_its_heading_unescaped() {
        let html = r#"<main><article><h1 elementtiming="content">Reading &amp; writing &lt;together&gt;</h1>"#;
        assert_eq!(super::page_title(html).as_deref(), Some("Reading & writing <together>"));
        assert_eq!(super::page_title("<h1>no marker</h1>"), None);
    }
}
