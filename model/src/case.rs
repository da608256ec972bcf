//! A case: coded facts shared across languages ([`CaseMeta`], from `case.toml`) and its text per
//! language ([`CaseText`], from `<lang>.md`).
//!
//! The structs mirror the files one to one. They are read through [`crate::strict`], which
//! reports every unknown key, so a typo such as `tittle` is an error rather than a silently
//! missing field. Codes (countries, currencies, vocabulary
//! ids, dates) are kept as the strings the author wrote and checked by [`crate::validate`].

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// The coded data of a case, written once for all languages (`case.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseMeta {
    /// The language the case was first written in; its `<lang>.md` has `translation = "original"`.
    pub original_language: Lang,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    pub period: Period,
    pub lead_organisation: Organisation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funders: Vec<Funder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// Theme ids from the vocabulary, most fitting first.
    pub themes: Vec<String>,
    /// Audience ids from the vocabulary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    /// UN Sustainable Development Goals, 1 to 17.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdgs: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<Reach>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default = "default_licence")]
    pub licence: String,
    #[serde(default)]
    pub status: Status,
    /// Set by maintainers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// Set by maintainers.
    #[serde(default, skip_serializing_if = "is_false")]
    pub featured: bool,
    /// Photos of the work, in the order they are shown; at most [`crate::limits::PHOTOS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<Photo>,
}

/// A photo of the case. Its files sit beside `case.toml` as `<name>-<width>.jpg`, one per width
/// in `sizes`, re-encoded by the server from the contributor's upload (so they carry no
/// metadata); `width` and `height` are those of the largest, so a page can keep its place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    /// `photo-1` to `photo-8`: the stem of its files. (This and the sizes are the server's to
    /// set: a contributor sends only what the photo shows, its credit and licence.)
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub width: u32,
    #[serde(default)]
    pub height: u32,
    /// The widths of its files, smallest first.
    #[serde(default)]
    pub sizes: Vec<u32>,
    /// What the photo shows, for those who cannot see it, by language code (`ro`, `uk`, …); the
    /// case's original language is required and stands in for the others.
    pub alt: std::collections::BTreeMap<String, String>,
    /// Who took it.
    pub credit: String,
    /// Under which terms it may be reused, such as `CC-BY-4.0`.
    #[serde(default = "default_licence")]
    pub licence: String,
}

impl Photo {
    /// The stem a photo at `index` (from 0) is stored under.
    pub fn name_at(index: usize) -> String {
        format!("photo-{}", index + 1)
    }

    /// Whether `name` is such a stem.
    pub fn is_name(name: &str) -> bool {
        name.strip_prefix("photo-")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| (1..=crate::limits::PHOTOS).contains(&n) && name == Self::name_at(n - 1))
    }

    /// The file of size `width`.
    pub fn file(&self, width: u32) -> String {
        format!("{}-{width}.jpg", self.name)
    }

    /// Every file of the photo.
    pub fn files(&self) -> Vec<String> {
        self.sizes.iter().map(|&w| self.file(w)).collect()
    }

    /// The alt text in `lang`, else in `original`, else any.
    pub fn alt_in(&self, lang: Lang, original: Lang) -> &str {
        self.alt
            .get(lang.code())
            .or_else(|| self.alt.get(original.code()))
            .or_else(|| self.alt.values().next())
            .map_or("", String::as_str)
    }

    /// The height of the file `width` wide, keeping the photo's proportions.
    pub fn height_at(&self, width: u32) -> u32 {
        if self.width == 0 {
            return 0;
        }
        ((u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2) / u64::from(self.width)) as u32
    }
}

pub const DEFAULT_LICENCE: &str = "CC-BY-4.0";

fn default_licence() -> String {
    DEFAULT_LICENCE.to_owned()
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Rural,
    SmallTown,
    Urban,
}

/// When the case ran: `start` and `end` are `YYYY` or `YYYY-MM`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub ongoing: bool,
}

impl Period {
    /// The first year, if `start` is well formed.
    pub fn start_year(&self) -> Option<u16> {
        parse_year_month(&self.start).map(|(year, _)| year)
    }

    /// The last year, if `end` is present and well formed.
    pub fn end_year(&self) -> Option<u16> {
        self.end.as_deref().and_then(parse_year_month).map(|(year, _)| year)
    }

    /// A sortable month number (`year * 12 + month - 1`) of the start, for "newest first".
    pub fn start_key(&self) -> Option<u32> {
        parse_year_month(&self.start).map(|(year, month)| u32::from(year) * 12 + u32::from(month.unwrap_or(1)) - 1)
    }

    /// A short human form: `2018-01 – 2023-12`, `2020-10`, `2021 – ongoing`.
    pub fn display(&self) -> String {
        match (&self.end, self.ongoing) {
            (Some(end), _) if *end != self.start => format!("{} – {}", self.start, end),
            (None, true) => format!("{} – …", self.start),
            _ => self.start.clone(),
        }
    }
}

/// Parses `YYYY` or `YYYY-MM` (years 1900 to 2100).
pub fn parse_year_month(text: &str) -> Option<(u16, Option<u8>)> {
    let (year, month) = match text.split_once('-') {
        Some((year, month)) => (year, Some(month)),
        None => (text, None),
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = year.parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let month = match month {
        None => None,
        Some(month) if month.len() == 2 && month.bytes().all(|b| b.is_ascii_digit()) => {
            let month: u8 = month.parse().ok()?;
            if !(1..=12).contains(&month) {
                return None;
            }
            Some(month)
        }
        Some(_) => return None,
    };
    Some((year, month))
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub name: String,
    /// An organisation-type id from the vocabulary.
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Funder {
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Budget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// ISO 4217; required with `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reach {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libraries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    pub url: String,
    pub title: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Published,
    Archived,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    Promising,
    Evaluated,
}

/// The front matter of a `<lang>.md` file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    /// Plain text, at most [`crate::limits::SUMMARY_CHARS`] characters.
    pub summary: String,
    pub translation: Translation,
}

/// How a language version came to be.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Translation {
    /// Written in this language first.
    #[default]
    Original,
    /// Translated by a person.
    Human,
    /// Translated by a machine and not yet reviewed.
    Machine,
}

impl Translation {
    pub fn as_str(self) -> &'static str {
        match self {
            Translation::Original => "original",
            Translation::Human => "human",
            Translation::Machine => "machine",
        }
    }
}

/// One language version of a case: front matter and Markdown body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseText {
    pub lang: Lang,
    #[serde(flatten)]
    pub front: FrontMatter,
    /// Markdown.
    pub body: String,
}

/// A whole case as read from its folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub slug: String,
    pub meta: CaseMeta,
    /// One per language, in [`Lang::ALL`] order.
    pub texts: Vec<CaseText>,
}

impl Case {
    /// The text in `lang` if there is one, else the original, else the first.
    pub fn text_for(&self, lang: Lang) -> &CaseText {
        self.texts
            .iter()
            .find(|text| text.lang == lang)
            .or_else(|| self.texts.iter().find(|text| text.lang == self.meta.original_language))
            .unwrap_or(&self.texts[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_month_forms() {
        assert_eq!(parse_year_month("2018"), Some((2018, None)));
        assert_eq!(parse_year_month("2018-01"), Some((2018, Some(1))));
        for bad in ["18", "2018-1", "2018-13", "2018-00", "1800", "2018-01-05", "abcd", ""] {
            assert_eq!(parse_year_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn period_display_and_keys() {
        let period = Period { start: "2018-01".into(), end: Some("2023-12".into()), ongoing: false };
        assert_eq!(period.display(), "2018-01 – 2023-12");
        assert_eq!(period.start_year(), Some(2018));
        assert_eq!(period.end_year(), Some(2023));
        assert!(period.start_key() < Period { start: "2018-02".into(), ..Period::default() }.start_key());
    }
}
