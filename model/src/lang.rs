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
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Ro, Lang::Uk, Lang::Ru, Lang::El];

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
}
