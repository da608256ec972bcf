//! The submission form's photos: each attached file with what it shows (its alt text, in the
//! story's language), who took it and its licence. Shown only once the form is awake, since a
//! plain form cannot send files the way the server takes them; the files stay in this page
//! (a saved draft keeps the text, not the photos) and go with the submission as multipart.

use crate::i18n::use_ui;
use leptos::prelude::*;
use model::Problem;
use model::case::Photo;
use model::submission::Submission;
use wasm_bindgen::JsCast;

/// What the server accepts, checked here first so a contributor learns before sending.
const TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];
const MAX_BYTES: f64 = 8.0 * 1024.0 * 1024.0;
/// The licences offered; the first is the collection's own.
const LICENCES: [&str; 3] = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"];

/// An attached file and the address of its preview.
#[derive(Clone)]
pub struct Attached {
    pub file: web_sys::File,
    preview: String,
}

/// The photos' part of the form; `files` holds the attached files in the order of
/// `draft.meta.photos`.
#[component]
pub fn PhotoPicker(
    draft: RwSignal<Submission>,
    files: RwSignal<Vec<Attached>, LocalStorage>,
    problems: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let ui = use_ui();
    let s = ui.s();
    let refused = RwSignal::new(None::<String>);
    let count = Memo::new(move |_| draft.with(|d| d.meta.photos.len()));

    let add = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        let mut refusals = Vec::new();
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            if count.get_untracked() >= model::limits::PHOTOS {
                refusals.push(s.photos_full.to_owned());
                break;
            }
            if !TYPES.contains(&file.type_().as_str()) || file.size() > MAX_BYTES {
                refusals.push(s.photo_refused.replace("{name}", &file.name()));
                continue;
            }
            let preview = web_sys::Url::create_object_url_with_blob(&file).unwrap_or_default();
            draft.update(|d| {
                d.meta.photos.push(Photo { credit: String::new(), licence: LICENCES[0].to_owned(), ..Photo::default() })
            });
            files.update(|f| f.push(Attached { file, preview }));
        }
        refused.set((!refusals.is_empty()).then(|| refusals.join(" ")));
        // The same file may be chosen again after a removal.
        input.set_value("");
    };

    let row = move |i: usize| {
        let photo = draft.with_untracked(|d| d.meta.photos[i].clone());
        let lang = draft.with_untracked(|d| d.lang);
        let (preview, name) =
            files.with_untracked(|f| f.get(i).map(|a| (a.preview.clone(), a.file.name())).unwrap_or_default());
        let id = |part: &str| format!("f-photos-{i}-{part}");
        let error_id = id("error");
        let key = format!("photos[{i}]");
        let remove = move |_| {
            draft.update(|d| {
                d.meta.photos.remove(i);
            });
            files.update(|f| {
                let gone = f.remove(i);
                let _ = web_sys::Url::revoke_object_url(&gone.preview);
            });
        };
        view! {
            <li class="photo-row">
                <img src=preview alt="" class="preview"/>
                <p class="file-name">{name}</p>
                <div class="field">
                    <label for=id("alt")>{s.photo_alt}</label>
                    <textarea id=id("alt") rows="2" aria-describedby=error_id.clone()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            draft.update(|d| {
                                d.meta.photos[i].alt = [(d.lang.code().to_owned(), text)].into();
                            });
                        }>{photo.alt_in(lang, lang).to_owned()}</textarea>
                </div>
                <div class="field">
                    <label for=id("credit")>{s.photo_credit}</label>
                    <input id=id("credit") type="text" value=photo.credit aria-describedby=error_id.clone()
                        on:input=move |ev| draft.update(|d| d.meta.photos[i].credit = event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=id("licence")>{s.photo_licence}</label>
                    <select id=id("licence") on:change=move |ev| draft.update(|d| d.meta.photos[i].licence = event_target_value(&ev))>
                        {LICENCES.iter().map(|l| view! { <option value=*l selected=photo.licence == *l>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <p class="field-error" id=error_id aria-live="polite">
                    {move || problems.with(|all| all.iter().filter(|p| p.field.starts_with(&key)).map(|p| model::messages::say(p, ui.get())).collect::<Vec<_>>().join(" "))}
                </p>
                <button type="button" class="link remove" on:click=remove>{s.photo_remove}</button>
            </li>
        }
    };

    view! {
        <fieldset class="photos" id="f-photos" tabindex="-1" aria-describedby="f-photos-hint">
            <legend>{s.photos_legend}</legend>
            <p class="hint" id="f-photos-hint">{s.photos_hint}</p>
            <ol class="photo-list">{move || (0..count.get()).map(row).collect_view()}</ol>
            <div class="field">
                <label for="f-photos-file">{s.photo_add}</label>
                <input id="f-photos-file" type="file" accept=TYPES.join(",") multiple=true on:change=add
                    disabled=move || { count.get() >= model::limits::PHOTOS }/>
            </div>
            <p class="field-error" aria-live="polite">
                {move || refused.get().or_else(|| problems.with(|all| {
                    let found: Vec<String> = all.iter().filter(|p| p.field == "photos").map(|p| model::messages::say(p, ui.get())).collect();
                    (!found.is_empty()).then(|| found.join(" "))
                }))}
            </p>
        </fieldset>
    }
}

/// The submission and its files as the multipart body of `POST /api/submissions/with-photos`,
/// each photo's alt text filed under the story's language.
pub fn form_data(draft: &Submission, files: &[Attached]) -> Option<web_sys::FormData> {
    let mut draft = draft.clone();
    let lang = draft.lang.code().to_owned();
    for photo in &mut draft.meta.photos {
        let text = photo.alt.values().next().cloned().unwrap_or_default();
        photo.alt = [(lang.clone(), text)].into();
    }
    let form = web_sys::FormData::new().ok()?;
    form.append_with_str("submission", &crate::json::to_string(&draft)?).ok()?;
    for attached in files {
        form.append_with_blob_and_filename("photo", &attached.file, &attached.file.name()).ok()?;
    }
    Some(form)
}
