//! The rules a case must meet. Every rule reports a [`Problem`] naming the file, the field and
//! the fix, and checking goes on after a problem so that one run reports everything.
//!
//! The checks work on parsed values ([`CaseMeta`], [`FrontMatter`], ...) and never touch the
//! file system, so they run the same in the indexer, the server and the browser.

use crate::case::{Case, CaseMeta, FrontMatter, Translation, parse_year_month};
use crate::codes;
use crate::lang::Lang;
use crate::vocabulary::{Kind, Term, Vocabulary};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// Documented bounds on the size of content (see `content/README.md`).
pub mod limits {
    /// Bytes in a `case.toml`.
    pub const CASE_FILE_BYTES: usize = 64 * 1024;
    /// Bytes in a `<lang>.md`.
    pub const TEXT_FILE_BYTES: usize = 256 * 1024;
    /// Bytes in `vocabulary.toml`.
    pub const VOCABULARY_FILE_BYTES: usize = 1024 * 1024;
    pub const TITLE_CHARS: usize = 200;
    pub const SUMMARY_CHARS: usize = 300;
    pub const BODY_CHARS: usize = 100_000;
    /// Names of organisations and places, roles, programmes, link titles, licences.
    pub const NAME_CHARS: usize = 200;
    pub const NOTE_CHARS: usize = 500;
    pub const URL_CHARS: usize = 2_000;
    pub const SLUG_CHARS: usize = 80;
    pub const COUNTRIES: usize = 30;
    pub const THEMES: usize = 5;
    pub const AUDIENCES: usize = 20;
    pub const PARTNERS: usize = 60;
    pub const FUNDERS: usize = 20;
    pub const PLACES: usize = 100;
    pub const LINKS: usize = 20;
    /// Photos of one case.
    pub const PHOTOS: usize = 8;
    /// Characters of a photo's alt text.
    pub const ALT_CHARS: usize = 300;
    /// The widest file of a photo, in pixels.
    pub const PHOTO_WIDTH: u32 = 1600;
}

/// Which rule a problem breaks, so that an interface can say it in its reader's language
/// ([`crate::messages`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A rule only content files can break (syntax, files, slugs): its message says it.
    #[default]
    Other,
    /// Required and empty.
    Empty,
    TooLong {
        max: usize,
    },
    /// A line break or control character in a one-line text.
    LineBreak,
    TooFew {
        min: usize,
    },
    TooMany {
        max: usize,
    },
    /// Not one of the choices (vocabulary, country or currency codes).
    Unknown,
    Repeated,
    NotDate,
    EndBeforeStart,
    NotAmount,
    /// An amount without its currency.
    NoCurrency,
    /// A budget with neither an amount nor a note.
    NoBudget,
    NotEmail,
    NotUrl,
    /// A field maintainers set after review.
    Reserved,
    /// An uploaded photo the server would not take in.
    Photo(PhotoRule),
    /// The photos described and the files attached do not match.
    PhotosUnmatched,
}

/// Why an uploaded photo was refused (what the `photos` crate found), for a message in the
/// reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhotoRule {
    /// Over 8 MB.
    TooLarge,
    /// Empty, or not a JPEG, PNG or WebP.
    NotAPhoto,
    /// Named as another format than it is.
    WrongExtension,
    /// More pixels than allowed (or a decompression bomb).
    TooManyPixels,
    /// Too small to show.
    TooSmall,
    /// Cut short.
    Truncated,
    /// A decoder could not read it.
    Damaged,
    /// Something else besides a photo is in the file.
    NotOnlyAPhoto,
    /// An animation of too many frames.
    Animated,
}

/// One thing wrong with the content, and how to put it right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// The file, relative to the content folder (or `submission` for a form).
    pub file: String,
    /// The field's path, e.g. `partners[2].name`; empty when the whole file is at fault.
    pub field: String,
    /// The maintainers' words: what is wrong, and (in `fix`) how to put it right.
    pub message: String,
    pub fix: String,
    /// The rule broken, for a message in the reader's language.
    #[serde(default)]
    pub rule: Rule,
}

impl Problem {
    pub fn new(file: &str, field: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem {
            file: file.to_owned(),
            field: field.to_owned(),
            message: message.into(),
            fix: fix.into(),
            rule: Rule::Other,
        }
    }

    /// The problem, as breaking `rule`.
    pub fn breaking(self, rule: Rule) -> Self {
        Problem { rule, ..self }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}; fix: {}", self.file, self.message, self.fix)
        } else {
            write!(f, "{}: `{}`: {}; fix: {}", self.file, self.field, self.message, self.fix)
        }
    }
}

/// Collects problems for one file.
struct Checker<'a> {
    file: &'a str,
    out: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, field: &str, rule: Rule, message: impl Into<String>, fix: impl Into<String>) {
        self.out.push(Problem::new(self.file, field, message, fix).breaking(rule));
    }

    /// A required single-line text of at most `max` characters.
    fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.report(field, Rule::Empty, "is empty", format!("write the {}", human(field)));
        } else {
            self.optional_text(field, value, max);
        }
    }

    fn optional_text(&mut self, field: &str, value: &str, max: usize) {
        let chars = value.chars().count();
        if chars > max {
            self.report(
                field,
                Rule::TooLong { max },
                format!("is {chars} characters long, more than the {max} allowed"),
                format!("shorten it to at most {max} characters"),
            );
        }
        if value.chars().any(|c| c.is_control()) {
            self.report(field, Rule::LineBreak, "contains a line break or control character", "keep it on one line");
        }
    }

    fn count(&mut self, field: &str, len: usize, min: usize, max: usize) {
        if len < min {
            self.report(
                field,
                Rule::TooFew { min },
                format!("needs at least {min} entr{}", if min == 1 { "y" } else { "ies" }),
                format!("add at least {min}"),
            );
        } else if len > max {
            self.report(
                field,
                Rule::TooMany { max },
                format!("has {len} entries, more than the {max} allowed"),
                format!("keep at most {max}"),
            );
        }
    }

    fn vocabulary_ids(&mut self, field: &str, ids: &[String], kind: Kind, vocabulary: &Vocabulary) {
        let mut seen = HashSet::new();
        for (i, id) in ids.iter().enumerate() {
            let path = format!("{field}[{i}]");
            if !vocabulary.contains(kind, id) {
                self.report(
                    &path,
                    Rule::Unknown,
                    format!("`{id}` is not {} id in vocabulary.toml", singular(kind)),
                    format!("use one of: {}", ids_of(vocabulary.terms(kind))),
                );
            } else if !seen.insert(id.as_str()) {
                self.report(&path, Rule::Repeated, format!("`{id}` is listed twice"), "remove the repeat");
            }
        }
    }

    fn optional_kind(&mut self, field: &str, kind: &Option<String>, vocabulary: &Vocabulary) {
        if let Some(id) = kind {
            self.kind(field, id, vocabulary);
        }
    }

    fn kind(&mut self, field: &str, id: &str, vocabulary: &Vocabulary) {
        if id.trim().is_empty() {
            self.report(
                field,
                Rule::Empty,
                "is empty",
                format!("choose an organisation type: {}", ids_of(&vocabulary.org_types)),
            );
        } else if !vocabulary.contains(Kind::OrgType, id) {
            self.report(
                field,
                Rule::Unknown,
                format!("`{id}` is not an organisation type in vocabulary.toml"),
                format!("use one of: {}", ids_of(&vocabulary.org_types)),
            );
        }
    }
}

fn singular(kind: Kind) -> &'static str {
    match kind {
        Kind::Theme => "a theme",
        Kind::Audience => "an audience",
        Kind::OrgType => "an organisation type",
    }
}

fn ids_of(terms: &[Term]) -> String {
    terms.iter().map(|term| term.id.as_str()).collect::<Vec<_>>().join(", ")
}

fn human(field: &str) -> String {
    field.rsplit('.').next().unwrap_or(field).replace('_', " ")
}

/// The Levenshtein distance between two short strings (in characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Whether `slug` is 1 to 80 lowercase ASCII letters, digits and inner hyphens.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= limits::SLUG_CHARS
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// Checks a slug (a case's folder name and address).
pub fn check_slug(file: &str, field: &str, slug: &str, out: &mut Vec<Problem>) {
    if !is_slug(slug) {
        out.push(Problem::new(
            file,
            field,
            format!("`{}` is not a valid slug", slug.chars().take(100).collect::<String>()),
            "use 1 to 80 lowercase letters a-z, digits and single hyphens inside, e.g. `code-kids`",
        ));
    }
}

/// Whether `url` is a well-formed absolute http or https URL with a host.
pub fn is_url(url: &str) -> bool {
    let rest = match url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) {
        Some(rest) => rest,
        None => return false,
    };
    if url.len() > limits::URL_CHARS
        || url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\' | '`' | '{' | '}' | '|' | '^')
        })
    {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return false;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port
        && (port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && (labels.len() >= 2 || host == "localhost")
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Checks the coded data of a case (`case.toml`).
pub fn check_meta(file: &str, meta: &CaseMeta, vocabulary: &Vocabulary, out: &mut Vec<Problem>) {
    let mut c = Checker { file, out };

    c.count("countries", meta.countries.len(), 1, limits::COUNTRIES);
    let mut seen = HashSet::new();
    for (i, code) in meta.countries.iter().enumerate() {
        let field = format!("countries[{i}]");
        if !codes::is_country(code) {
            let fix = if codes::is_country(&code.to_ascii_uppercase()) {
                format!("write it in capitals: `{}`", code.to_ascii_uppercase())
            } else {
                "use an ISO 3166-1 alpha-2 code such as RO, MD, UA, GR (UK is GB)".to_owned()
            };
            c.report(&field, Rule::Unknown, format!("`{code}` is not an ISO 3166-1 alpha-2 country code"), fix);
        } else if !seen.insert(code.as_str()) {
            c.report(&field, Rule::Repeated, format!("`{code}` is listed twice"), "remove the repeat");
        }
    }

    c.count("places", meta.places.len(), 0, limits::PLACES);
    for (i, place) in meta.places.iter().enumerate() {
        c.text(&format!("places[{i}].name"), &place.name, limits::NAME_CHARS);
    }

    let start = parse_year_month(&meta.period.start);
    if start.is_none() {
        c.report(
            "period.start",
            Rule::NotDate,
            format!("`{}` is not a date of the form YYYY or YYYY-MM", meta.period.start),
            "write the year, or the year and month, e.g. `2018` or `2018-01`",
        );
    }
    if let Some(end_text) = &meta.period.end {
        match parse_year_month(end_text) {
            None => c.report(
                "period.end",
                Rule::NotDate,
                format!("`{end_text}` is not a date of the form YYYY or YYYY-MM"),
                "write the year, or the year and month, e.g. `2023` or `2023-12`",
            ),
            Some(end) => {
                if let Some(start) = start {
                    // A bare year covers the whole year: compare the start's first month with the end's last.
                    let first = (start.0, start.1.unwrap_or(1));
                    let last = (end.0, end.1.unwrap_or(12));
                    if last < first {
                        c.report(
                            "period.end",
                            Rule::EndBeforeStart,
                            format!("`{end_text}` is before the start `{}`", meta.period.start),
                            "make the end the same as or later than the start",
                        );
                    }
                }
            }
        }
    }

    c.text("lead_organisation.name", &meta.lead_organisation.name, limits::NAME_CHARS);
    c.kind("lead_organisation.type", &meta.lead_organisation.kind, vocabulary);

    c.count("partners", meta.partners.len(), 0, limits::PARTNERS);
    for (i, partner) in meta.partners.iter().enumerate() {
        c.text(&format!("partners[{i}].name"), &partner.name, limits::NAME_CHARS);
        c.optional_kind(&format!("partners[{i}].type"), &partner.kind, vocabulary);
        if let Some(role) = &partner.role {
            c.text(&format!("partners[{i}].role"), role, limits::NAME_CHARS);
        }
    }

    c.count("funders", meta.funders.len(), 0, limits::FUNDERS);
    for (i, funder) in meta.funders.iter().enumerate() {
        c.text(&format!("funders[{i}].name"), &funder.name, limits::NAME_CHARS);
        c.optional_kind(&format!("funders[{i}].type"), &funder.kind, vocabulary);
        if let Some(programme) = &funder.programme {
            c.text(&format!("funders[{i}].programme"), programme, limits::NAME_CHARS);
        }
    }

    if let Some(budget) = &meta.budget {
        match budget.amount {
            Some(amount) if !amount.is_finite() || amount < 0.0 => {
                c.report(
                    "budget.amount",
                    Rule::NotAmount,
                    "is negative or not a number",
                    "write the amount as a plain number, e.g. 77400",
                );
            }
            Some(_) if budget.currency.is_none() => {
                c.report(
                    "budget.currency",
                    Rule::NoCurrency,
                    "is missing although an amount is given",
                    "add the ISO 4217 code, e.g. `EUR`, `USD` or `RON`",
                );
            }
            None if budget.note.as_deref().is_none_or(|note| note.trim().is_empty()) => {
                c.report(
                    "budget",
                    Rule::NoBudget,
                    "has neither an amount nor a note",
                    "give `amount` and `currency`, or a `note` with what the source says",
                );
            }
            _ => {}
        }
        if let Some(currency) = &budget.currency
            && !codes::is_currency(currency)
        {
            let fix = match currency.to_ascii_uppercase().as_str() {
                "LEI" | "LEU" => "Romanian lei are `RON`; Moldovan lei are `MDL`".to_owned(),
                upper if codes::is_currency(upper) => format!("write it in capitals: `{upper}`"),
                _ => "use an ISO 4217 code such as EUR, USD, RON, MDL or UAH".to_owned(),
            };
            c.report("budget.currency", Rule::Unknown, format!("`{currency}` is not an ISO 4217 currency code"), fix);
        }
        if let Some(note) = &budget.note {
            c.optional_text("budget.note", note, limits::NOTE_CHARS);
        }
    }

    c.count("themes", meta.themes.len(), 1, limits::THEMES);
    c.vocabulary_ids("themes", &meta.themes, Kind::Theme, vocabulary);
    c.count("audiences", meta.audiences.len(), 0, limits::AUDIENCES);
    c.vocabulary_ids("audiences", &meta.audiences, Kind::Audience, vocabulary);

    let mut seen = HashSet::new();
    for (i, goal) in meta.sdgs.iter().enumerate() {
        if !(1..=17).contains(goal) {
            c.report(
                &format!("sdgs[{i}]"),
                Rule::Unknown,
                format!("{goal} is not a Sustainable Development Goal"),
                "use numbers from 1 to 17",
            );
        } else if !seen.insert(*goal) {
            c.report(&format!("sdgs[{i}]"), Rule::Repeated, format!("{goal} is listed twice"), "remove the repeat");
        }
    }

    c.count("links", meta.links.len(), 0, limits::LINKS);
    for (i, link) in meta.links.iter().enumerate() {
        if !is_url(&link.url) {
            c.report(
                &format!("links[{i}].url"),
                Rule::NotUrl,
                format!(
                    "`{}` is not a well-formed http or https address",
                    link.url.chars().take(100).collect::<String>()
                ),
                "write the full address, e.g. `https://www.codekids.ro`",
            );
        }
        c.text(&format!("links[{i}].title"), &link.title, limits::NAME_CHARS);
    }

    c.text("licence", &meta.licence, limits::NAME_CHARS);

    c.count("photos", meta.photos.len(), 0, limits::PHOTOS);
    for (i, photo) in meta.photos.iter().enumerate() {
        let at = format!("photos[{i}]");
        if photo.name != crate::case::Photo::name_at(i) {
            c.report(
                &format!("{at}.name"),
                Rule::Other,
                format!("is `{}` but the photo is number {} in the list", photo.name, i + 1),
                format!("name it `{}` (and its files after it)", crate::case::Photo::name_at(i)),
            );
        }
        let sizes_ok = !photo.sizes.is_empty()
            && photo.sizes.windows(2).all(|w| w[0] < w[1])
            && photo.sizes.iter().all(|&w| (1..=limits::PHOTO_WIDTH).contains(&w))
            && photo.sizes.last() == Some(&photo.width);
        if !sizes_ok || photo.height == 0 {
            c.report(
                &format!("{at}.sizes"),
                Rule::Other,
                "does not match the photo's files",
                "add photos through the submission form, which writes its sizes",
            );
        }
        let original = meta.original_language.code();
        match photo.alt.get(original) {
            Some(alt) => c.text(&format!("{at}.alt.{original}"), alt, limits::ALT_CHARS),
            None => c.report(
                &format!("{at}.alt.{original}"),
                Rule::Empty,
                "is missing",
                "say in a sentence what the photo shows, for readers who cannot see it",
            ),
        }
        for (code, alt) in &photo.alt {
            if code.parse::<crate::lang::Lang>().is_err() {
                c.report(
                    &format!("{at}.alt.{code}"),
                    Rule::Unknown,
                    format!("`{code}` is not one of the collection's languages"),
                    "use en, ro, uk, ru or el",
                );
            } else if code != original {
                c.text(&format!("{at}.alt.{code}"), alt, limits::ALT_CHARS);
            }
        }
        c.text(&format!("{at}.credit"), &photo.credit, limits::NAME_CHARS);
        c.text(&format!("{at}.licence"), &photo.licence, limits::NAME_CHARS);
    }
}

/// Checks the front matter of one language file.
pub fn check_front(file: &str, front: &FrontMatter, out: &mut Vec<Problem>) {
    let mut c = Checker { file, out };
    c.text("title", &front.title, limits::TITLE_CHARS);
    c.text("summary", &front.summary, limits::SUMMARY_CHARS);
}

/// Checks the Markdown body of one language file.
pub fn check_body(file: &str, body: &str, out: &mut Vec<Problem>) {
    let mut c = Checker { file, out };
    if body.trim().is_empty() {
        c.report(
            "body",
            Rule::Empty,
            "is empty",
            "tell the story below the closing `+++`: context, what was done, results",
        );
    }
    let chars = body.chars().count();
    if chars > limits::BODY_CHARS {
        c.report(
            "body",
            Rule::TooLong { max: limits::BODY_CHARS },
            format!("is {chars} characters long, more than the {} allowed", limits::BODY_CHARS),
            "shorten the story or move detail to a linked document",
        );
    }
    if body.chars().any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')) {
        c.report("body", Rule::Other, "contains control characters", "remove them (save the file as plain UTF-8 text)");
    }
}

/// Checks a whole case: its slug, its coded data, every language file and how they fit together.
/// `dir` names the case's folder as problems should show it (e.g. `cases/code-kids`).
pub fn check_case(dir: &str, case: &Case, vocabulary: &Vocabulary, out: &mut Vec<Problem>) {
    check_slug(dir, "slug", &case.slug, out);
    let meta_file = format!("{dir}/case.toml");
    check_meta(&meta_file, &case.meta, vocabulary, out);

    let original = case.meta.original_language;
    if !case.texts.iter().any(|text| text.lang == original) {
        out.push(Problem::new(
            &meta_file,
            "original_language",
            format!("is `{original}` but there is no {original}.md"),
            format!("add {dir}/{original}.md, or set `original_language` to the language the case was written in"),
        ));
    }
    for text in &case.texts {
        let file = format!("{dir}/{}.md", text.lang);
        check_front(&file, &text.front, out);
        check_body(&file, &text.body, out);
        match (text.lang == original, text.front.translation) {
            (true, Translation::Original) | (false, Translation::Human | Translation::Machine) => {}
            (true, other) => out.push(Problem::new(
                &file,
                "translation",
                format!("is `{}` but this is the original language of the case", other.as_str()),
                "set `translation = \"original\"`, or change `original_language` in case.toml",
            )),
            (false, Translation::Original) => out.push(Problem::new(
                &file,
                "translation",
                format!("is `original` but the case's original language is `{original}`"),
                "set `translation = \"human\"` or `\"machine\"`",
            )),
        }
    }
}

/// Checks the vocabulary itself: ids well formed and unique, every label present.
pub fn check_vocabulary(file: &str, vocabulary: &Vocabulary, out: &mut Vec<Problem>) {
    let mut c = Checker { file, out };
    for kind in crate::vocabulary::Kind::ALL {
        let mut seen = HashSet::new();
        let terms = vocabulary.terms(kind);
        if terms.is_empty() {
            c.report(kind.key(), Rule::Other, "is empty", format!("add at least one entry under [[{}]]", kind.key()));
        }
        for (i, term) in terms.iter().enumerate() {
            let at = format!("{}[{i}]", kind.key());
            if !is_slug(&term.id) {
                c.report(
                    &format!("{at}.id"),
                    Rule::Other,
                    format!("`{}` is not a valid id", term.id),
                    "use lowercase letters a-z, digits and hyphens",
                );
            } else if !seen.insert(term.id.as_str()) {
                c.report(
                    &format!("{at}.id"),
                    Rule::Other,
                    format!("`{}` appears twice", term.id),
                    "give each entry its own id",
                );
            }
            for lang in Lang::ALL {
                c.text(&format!("{at}.label.{lang}"), term.label.get(lang), limits::NAME_CHARS);
                for (j, synonym) in term.synonyms.get(lang).iter().enumerate() {
                    c.text(&format!("{at}.synonyms.{lang}[{j}]"), synonym, limits::NAME_CHARS);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for good in ["code-kids", "a", "ora-sa-stim-2", &"a".repeat(80)] {
            assert!(is_slug(good), "{good}");
        }
        for bad in ["", "Code-Kids", "-a", "a-", "a--b", "școala", "a b", "../etc", "a/b", &"a".repeat(81)] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for good in [
            "https://www.codekids.ro",
            "http://occupylibrary.net/",
            "https://example.org:8080/a?b=c#d",
            "http://localhost:3000/x",
        ] {
            assert!(is_url(good), "{good}");
        }
        for bad in [
            "www.codekids.ro",
            "ftp://x.org",
            "https://",
            "https://a b.org",
            "javascript:alert(1)",
            "https://user@evil.org",
            "https://x.org:99999999/",
            "https://-x.org",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn problem_display_names_file_field_and_fix() {
        let problem = Problem::new("cases/x/en.md", "summary", "is empty", "write the summary");
        assert_eq!(problem.to_string(), "cases/x/en.md: `summary`: is empty; fix: write the summary");
    }
}
