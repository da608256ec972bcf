//! Results as you type, and filters, sort and pages without a reload.
//!
//! The island wraps the server-rendered search form and results and listens to them: typing in
//! the box (after a short pause, and never in the middle of an IME composition), a filter
//! changed, the form sent, a link to another search followed. Each of these puts the form's
//! search in the address bar and fetches `/fragment/results?…`, the results region rendered by
//! the server, to swap in. The box is never written to, so what the reader typed stays exactly
//! as typed; only the back and forward buttons put an earlier search back into it.
//!
//! A reply that arrives after a newer request was sent is dropped, so results never go back to
//! an older search; without a connection the region says so and lists the saved cases.

use crate::browser::{by_id, document, fetch_text};
use crate::offline::kept_cases;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

/// Pause after the last keystroke before searching.
const DEBOUNCE_MS: u32 = 150;

/// What the island says itself, in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchTexts {
    /// Search needs a connection; saved cases are below.
    pub offline: String,
    /// The heading over the cases kept on this device.
    pub saved: String,
}

/// How a search enters the browser's history.
#[derive(Clone, Copy, PartialEq)]
enum Entry {
    /// A new entry (the back button returns to the search before).
    Push,
    /// Refines the current entry (typing on).
    Replace,
    /// The browser is already there (back, forward).
    Keep,
}

/// The island's state: the newest request, the newest keystroke, and whether the current
/// history entry was made by typing (so typing on refines it instead of adding one per pause).
#[derive(Clone, Copy)]
struct Live {
    latest: StoredValue<u64>,
    keystrokes: StoredValue<u64>,
    typed_entry: StoredValue<bool>,
    texts: StoredValue<SearchTexts>,
}

#[island]
pub fn SearchUi(texts: SearchTexts, children: Children) -> impl IntoView {
    let live = Live {
        latest: StoredValue::new(0),
        keystrokes: StoredValue::new(0),
        typed_entry: StoredValue::new(false),
        texts: StoredValue::new(texts),
    };
    // Window-wide: the back and forward buttons, and "/" to reach the search box.
    Effect::new(move |_| {
        let popstate = window_event_listener(leptos::ev::popstate, move |_| {
            let query = current_query();
            if let Some(input) = by_id::<web_sys::HtmlInputElement>("q") {
                let q = form_urlencoded::parse(query.as_bytes())
                    .find(|(name, _)| name == "q")
                    .map(|(_, value)| value.into_owned())
                    .unwrap_or_default();
                input.set_value(&q);
            }
            live.typed_entry.set_value(false);
            go(live, query, Entry::Keep);
        });
        let slash = window_event_listener(leptos::ev::keydown, move |ev| {
            let typing = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if ev.key() == "/"
                && !typing
                && !ev.ctrl_key()
                && !ev.meta_key()
                && !ev.alt_key()
                && let Some(input) = by_id::<web_sys::HtmlElement>("q")
            {
                ev.prevent_default();
                let _ = input.focus();
            }
        });
        // The listeners live as long as the page.
        std::mem::forget((popstate, slash));
    });

    let on_input = move |ev: web_sys::Event| {
        let composing = ev.dyn_ref::<web_sys::InputEvent>().is_some_and(web_sys::InputEvent::is_composing);
        if target_id(&ev).as_deref() == Some("q") && !composing {
            after_pause(live);
        }
    };
    let on_composition_end = move |ev: web_sys::CompositionEvent| {
        if target_id(&ev).as_deref() == Some("q") {
            after_pause(live);
        }
    };
    let on_change = move |ev: web_sys::Event| {
        // The box reports a change when it loses focus; its words are searched as typed.
        if target_id(&ev).as_deref() != Some("q") {
            search_now(live);
        }
    };
    let on_submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        search_now(live);
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        let query = match href.as_str() {
            "/" => "",
            href => match href.strip_prefix("/?") {
                Some(query) => query,
                None => return,
            },
        };
        ev.prevent_default();
        live.keystrokes.update_value(|k| *k += 1);
        live.typed_entry.set_value(false);
        go(live, query.to_owned(), Entry::Push);
        if link.closest(".pagination").ok().flatten().is_some()
            && let Some(results) = by_id::<web_sys::Element>("results")
        {
            results.scroll_into_view();
        }
    };

    view! {
        <div class="search-ui" on:input=on_input on:compositionend=on_composition_end on:change=on_change
            on:submit=on_submit on:click=on_click>
            {children()}
        </div>
    }
}

fn target_id(ev: &web_sys::Event) -> Option<String> {
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.id())
}

/// The address bar's query string, without `?`.
fn current_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_owned())
        .unwrap_or_default()
}

/// The search the form would send now, as a query string: empty fields and the default order
/// left out, the words exactly as typed.
fn form_query() -> String {
    let Some(form) = by_id::<web_sys::HtmlFormElement>("search") else { return String::new() };
    let Ok(data) = web_sys::FormData::new_with_form(&form) else { return String::new() };
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Ok(Some(entries)) = js_sys::try_iter(&data) {
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) else { continue };
            if value.trim().is_empty() || (name == "sort" && value == "relevance") {
                continue;
            }
            query.append_pair(&name, &value);
        }
    }
    query.finish()
}

/// Searches once the reader has paused typing: the first pause of a search adds a history
/// entry, later ones refine it.
fn after_pause(live: Live) {
    live.keystrokes.update_value(|k| *k += 1);
    let stroke = live.keystrokes.get_value();
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(DEBOUNCE_MS).await;
        if live.keystrokes.get_value() != stroke {
            return;
        }
        let query = form_query();
        if query == current_query() {
            return;
        }
        let entry = if live.typed_entry.get_value() { Entry::Replace } else { Entry::Push };
        live.typed_entry.set_value(true);
        go(live, query, entry);
    });
}

/// Searches what the form holds now (a filter changed, the form was sent).
fn search_now(live: Live) {
    live.keystrokes.update_value(|k| *k += 1);
    live.typed_entry.set_value(false);
    go(live, form_query(), Entry::Push);
}

/// Shows the search `query`: records it in the history as `entry` says, then fetches its
/// results and swaps them in, unless a newer search has been asked for meanwhile.
fn go(live: Live, query: String, entry: Entry) {
    let url = if query.is_empty() { "/".to_owned() } else { format!("/?{query}") };
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = match entry {
            Entry::Push => history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)),
            Entry::Replace => history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)),
            Entry::Keep => Ok(()),
        };
    }
    live.latest.update_value(|n| *n += 1);
    let request = live.latest.get_value();
    if let Some(results) = document().and_then(|d| d.query_selector("#results .results").ok().flatten()) {
        let _ = results.set_attribute("aria-busy", "true");
    }
    leptos::task::spawn_local(async move {
        let answer = fetch_text(&format!("/fragment/results?{query}")).await;
        if live.latest.get_value() != request {
            return;
        }
        match answer {
            Ok(html) => swap(&html),
            Err(()) => live.texts.with_value(show_offline),
        }
    });
}

/// Replaces the results region with `html`, keeping what the reader had opened and focused.
fn swap(html: &str) {
    let Some(document) = document() else { return };
    let Some(old) = document.get_element_by_id("results") else { return };
    let Ok(template) = document.create_element("template") else { return };
    let template: web_sys::HtmlTemplateElement = template.unchecked_into();
    template.set_inner_html(html);
    let Some(new) = template.content().first_element_child() else { return };
    let open: Vec<String> = old
        .query_selector_all("details[open]")
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok().map(|e| e.id()))
                .collect()
        })
        .unwrap_or_default();
    let focused = document.active_element().map(|e| e.id()).filter(|id| !id.is_empty());
    let _ = old.replace_with_with_node_1(&new);
    for id in open.iter().filter(|id| !id.is_empty()) {
        if let Some(details) = document.get_element_by_id(id) {
            let _ = details.set_attribute("open", "");
        }
    }
    if let Some(element) = focused.and_then(|id| document.get_element_by_id(&id))
        && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = element.focus();
    }
    if let Some(title) = new.get_attribute("data-title") {
        document.set_title(&title);
    }
    if let Some(status) = document.get_element_by_id("search-status") {
        status.set_text_content(new.get_attribute("data-status").as_deref());
    }
}

/// No connection: says so in the results region and lists the cases saved on this device.
fn show_offline(texts: &SearchTexts) {
    let Some(document) = document() else { return };
    let Some(results) = document.query_selector("#results .results").ok().flatten() else { return };
    let _ = results.set_attribute("aria-busy", "false");
    let make = move |tag: &str, class: &str, text: Option<&str>| {
        let element = document.create_element(tag).ok()?;
        if !class.is_empty() {
            element.set_class_name(class);
        }
        element.set_text_content(text);
        Some(element)
    };
    let Some(notice) = make("div", "offline-results", None) else { return };
    if let Some(hint) = make("p", "hint", Some(&texts.offline)) {
        let _ = hint.set_attribute("role", "status");
        let _ = notice.append_child(&hint);
    }
    results.set_inner_html("");
    let _ = results.append_child(&notice);
    // The cases this device can show instead, once the caches have been read.
    let heading_text = texts.saved.clone();
    leptos::task::spawn_local(async move {
        let kept = kept_cases().await;
        if kept.is_empty() {
            return;
        }
        let (Some(heading), Some(list)) = (make("h2", "", Some(&heading_text)), make("ul", "saved", None)) else {
            return;
        };
        for case in kept {
            if let (Some(item), Some(link)) = (make("li", "", None), make("a", "", Some(&case.title))) {
                let _ = link.set_attribute("href", &format!("/case/{}", case.slug));
                let _ = item.append_child(&link);
                let _ = list.append_child(&item);
            }
        }
        let _ = notice.append_child(&heading);
        let _ = notice.append_child(&list);
    });
}
