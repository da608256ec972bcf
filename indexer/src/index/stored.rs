//! What the index stores per case for display: the coded facts and, per language, the title,
//! summary and rendered HTML body.

use model::{CaseMeta, Lang, Translation};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredCase {
    pub slug: String,
    pub meta: CaseMeta,
    /// In [`Lang::ALL`] order.
    pub texts: Vec<StoredText>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredText {
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub translation: Translation,
    /// Sanitised HTML (its text, for snippets: [`crate::render::html_to_text`]).
    pub body_html: String,
}

impl StoredCase {
    /// The text in `lang` if the case has it, else in its original language.
    pub fn text_for(&self, lang: Option<Lang>) -> &StoredText {
        lang.and_then(|lang| self.texts.iter().find(|text| text.lang == lang))
            .or_else(|| self.texts.iter().find(|text| text.lang == self.meta.original_language))
            .unwrap_or(&self.texts[0])
    }
}
