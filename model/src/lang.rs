//! The languages a case can be written in and the UI can speak.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A content and interface language. The order is the order of [`Lang::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ro,
    Uk,
    Ru,
    El,
}

impl Lang {
    /// How many languages there are: the length of every per-language array.
    pub const COUNT: usize = 5;
    pub const ALL: [Lang; Lang::COUNT] = [Lang::En, Lang::Ro, Lang::Uk, Lang::Ru, Lang::El];

    /// The ISO 639-1 code, as used in file names (`ro.md`) and URLs (`?ui=ro`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ro => "ro",
            Lang::Uk => "uk",
            Lang::Ru => "ru",
            Lang::El => "el",
        }
    }

    /// The language's name in itself, for language switches.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ro => "Română",
            Lang::Uk => "Українська",
            Lang::Ru => "Русский",
            Lang::El => "Ελληνικά",
        }
    }

    /// Position in [`Lang::ALL`], for per-language arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// This language's entry of `per_language`, given in [`Lang::ALL`] order: how each table of
    /// interface strings picks its language.
    pub fn pick<T>(self, per_language: [T; Lang::COUNT]) -> T {
        let [en, ro, uk, ru, el] = per_language;
        match self {
            Lang::En => en,
            Lang::Ro => ro,
            Lang::Uk => uk,
            Lang::Ru => ru,
            Lang::El => el,
        }
    }

    /// The language a browser prefers among ours, from an `Accept-Language` header
    /// (`ro-RO,ro;q=0.9,en;q=0.8`): the highest weighted tag whose primary subtag is one of ours,
    /// the earlier one on a tie. `None` when none is.
    pub fn preferred(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(Lang, u16)> = None;
        for item in accept_language.split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
            let Ok(lang) = primary.parse::<Lang>() else { continue };
            // Weights are 0 to 1 with up to three decimals; kept as thousandths.
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16));
            if let Some(weight) = weight.filter(|w| *w > 0)
                && best.is_none_or(|(_, w)| weight > w)
            {
                best = Some((lang, weight));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL.into_iter().find(|lang| lang.code() == s).ok_or_else(|| UnknownLang(s.to_owned()))
    }
}

/// A language code outside en, ro, uk, ru, el.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown language `{}`, expected one of en, ro, uk, ru, el", self.0)
    }
}

impl std::error::Error for UnknownLang {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
            assert_eq!(Lang::ALL[lang.index()], lang);
        }
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn the_preferred_language_of_a_browser() {
        assert_eq!(Lang::preferred("ro-RO,ro;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Ro));
        assert_eq!(Lang::preferred("de-DE,de;q=0.9,uk;q=0.8,en;q=0.5"), Some(Lang::Uk));
        assert_eq!(Lang::preferred("en;q=0.5, el"), Some(Lang::El));
        assert_eq!(Lang::preferred("RU"), Some(Lang::Ru));
        assert_eq!(Lang::preferred("ro;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::preferred("de, fr;q=0.8"), None);
        assert_eq!(Lang::preferred(""), None);
        assert_eq!(Lang::preferred("ro;q=abc"), None);
    }
}
