//! The controlled vocabulary (`vocabulary.toml`): themes, audiences and organisation types, each
//! with a stable id, a label in every language and search synonyms per language.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub themes: Vec<Term>,
    pub audiences: Vec<Term>,
    pub org_types: Vec<Term>,
}

/// Which list of the vocabulary a term belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Theme,
    Audience,
    OrgType,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Theme, Kind::Audience, Kind::OrgType];

    /// The list's key in `vocabulary.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Theme => "themes",
            Kind::Audience => "audiences",
            Kind::OrgType => "org_types",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub label: Labels,
    #[serde(default)]
    pub synonyms: Synonyms,
}

/// One text per language; every language is required.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub en: String,
    pub ro: String,
    pub uk: String,
    pub ru: String,
    pub el: String,
}

impl Labels {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ro => &self.ro,
            Lang::Uk => &self.uk,
            Lang::Ru => &self.ru,
            Lang::El => &self.el,
        }
    }
}

/// Search words per language; every language is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Synonyms {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub en: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ro: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uk: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ru: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub el: Vec<String>,
}

impl Synonyms {
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.en,
            Lang::Ro => &self.ro,
            Lang::Uk => &self.uk,
            Lang::Ru => &self.ru,
            Lang::El => &self.el,
        }
    }
}

impl Term {
    /// Every label and synonym in every language: the words that name this term.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        Lang::ALL.into_iter().flat_map(move |lang| {
            std::iter::once(self.label.get(lang)).chain(self.synonyms.get(lang).iter().map(String::as_str))
        })
    }
}

impl Vocabulary {
    pub fn terms(&self, kind: Kind) -> &[Term] {
        match kind {
            Kind::Theme => &self.themes,
            Kind::Audience => &self.audiences,
            Kind::OrgType => &self.org_types,
        }
    }

    pub fn find(&self, kind: Kind, id: &str) -> Option<&Term> {
        self.terms(kind).iter().find(|term| term.id == id)
    }

    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        self.find(kind, id).is_some()
    }

    /// The term's label in `lang`, or the id itself when the id is unknown.
    pub fn label<'a>(&'a self, kind: Kind, id: &'a str, lang: Lang) -> &'a str {
        self.find(kind, id).map_or(id, |term| term.label.get(lang))
    }
}
