//! The reader's islands: the live search ([`SearchUi`]), a case's print, copy-link and
//! save-for-offline buttons ([`CaseActions`]), the cases saved on this device ([`SavedCases`])
//! and the offline notice ([`OfflineBanner`]).

mod search;

pub use search::{SearchTexts, SearchUi};

use crate::offline::{KeptCase, SavedCase, forget_case, kept_cases, save_case, saved_cases};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The case actions' words, in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseActionTexts {
    pub print: String,
    pub share: String,
    pub copied: String,
    pub save: String,
    pub saved: String,
    pub save_failed: String,
}

/// Print, copy the link, save for offline. They need a script, so until the island wakes they
/// keep their place on the page but are not shown (no layout shift when they appear; nothing
/// that does nothing without a script).
#[island]
pub fn CaseActions(
    slug: String,
    title: String,
    address: String,
    /// What "save for offline" keeps: the case's pages in every language.
    urls: Vec<String>,
    texts: CaseActionTexts,
) -> impl IntoView {
    let ready = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let saved = RwSignal::new(None::<bool>);
    Effect::new({
        let slug = slug.clone();
        move |_| {
            ready.set(true);
            if saved_cases().iter().any(|c| c.slug == slug) {
                saved.set(Some(true));
            }
        }
    });
    let save = move |_| {
        let (case, urls) = (SavedCase { slug: slug.clone(), title: title.clone() }, urls.clone());
        leptos::task::spawn_local(async move {
            saved.set(Some(save_case(case, urls).await.is_ok()));
        });
    };
    let copy_link = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&address);
            copied.set(true);
        }
    };
    let print = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let CaseActionTexts {
        print: print_text,
        share,
        copied: copied_text,
        save: save_text,
        saved: saved_text,
        save_failed,
    } = texts;
    view! {
        <div class="actions" class:pending=move || !ready.get()>
            <button type="button" on:click=print>{print_text}</button>
            <button type="button" on:click=copy_link>{share}</button>
            <button type="button" class="save" on:click=save disabled=move || saved.get() == Some(true)>{save_text}</button>
            <span role="status" class="copied">
                {move || copied.get().then(|| copied_text.clone())}
                {move || saved.get().map(|ok| if ok { saved_text.clone() } else { save_failed.clone() })}
            </span>
        </div>
    }
}

/// The cases this device keeps (saved, then read), each a link with a button that removes it
/// from the device (read from the browser's storage and caches once awake).
#[island]
pub fn SavedCases(heading: String, remove: String) -> impl IntoView {
    let kept = RwSignal::new(Vec::<KeptCase>::new());
    let load = move || leptos::task::spawn_local(async move { kept.set(kept_cases().await) });
    Effect::new(move |_| load());
    view! {
        <div class="saved-cases">
            {move || (!kept.get().is_empty()).then(|| view! {
                <h2>{heading.clone()}</h2>
                <ul class="saved">
                    {kept.get().into_iter().map(|case| {
                        let slug = case.slug.clone();
                        let forget = move |_| {
                            let slug = slug.clone();
                            leptos::task::spawn_local(async move {
                                forget_case(&slug).await;
                                load();
                            });
                        };
                        view! {
                            <li data-slug=case.slug.clone()>
                                <a href=format!("/case/{}", case.slug)>{case.title}</a> " "
                                <button type="button" class="link remove" on:click=forget>{remove.clone()}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// A notice while the browser is offline, over the bottom of the page (so it moves nothing).
#[island]
pub fn OfflineBanner(text: String) -> impl IntoView {
    let online = RwSignal::new(true);
    Effect::new(move |_| {
        online.set(crate::browser::online());
        let up = window_event_listener(leptos::ev::online, move |_| online.set(true));
        let down = window_event_listener(leptos::ev::offline, move |_| online.set(false));
        std::mem::forget((up, down));
    });
    view! { <p class="offline-banner" role="status" hidden=move || online.get()>{text}</p> }
}
