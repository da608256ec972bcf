//! What every page is rendered with: the visit (the reader's interface language and data choice,
//! where the page is) and the built assets the page links.

use model::Lang;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The built app's hashed file names under `/assets/`, as `cargo xtask build` writes them to
/// `dist/assets.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assets {
    pub style: String,
    /// The reader's islands: search and case pages.
    pub reader: Bundle,
    /// The studio's islands: the submission form and the review.
    pub studio: Bundle,
}

/// One wasm bundle: wasm-bindgen's glue (which also loads the wasm and hydrates the islands)
/// and the wasm itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    pub script: String,
    pub wasm: String,
}

impl Assets {
    /// The files `dist/assets.json` names (under `dist/assets/`), for the server to check at
    /// start.
    pub fn files(&self) -> [&str; 5] {
        [&self.style, &self.reader.script, &self.reader.wasm, &self.studio.script, &self.studio.wasm]
    }
}

/// Which bundle a page wakes up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Islands {
    Reader,
    Studio,
}

/// One request for a page, as far as the page needs to know.
#[derive(Clone, Debug)]
pub struct Visit {
    /// The interface language.
    pub ui: Lang,
    /// The reader chose to save data (or the browser asks with `Save-Data: on`): no images,
    /// fewer results per page.
    pub low_data: bool,
    /// This page's path and query, for the language and data switches to come back to.
    pub here: String,
    /// The site's address (`https://…`, no trailing slash) for links that leave the page: the
    /// printed QR code, the copied link, share previews.
    pub base_url: String,
    /// The built app; `None` renders pages without scripts or styles (the server without
    /// `dist/`, as in the router tests).
    pub assets: Option<Arc<Assets>>,
}
