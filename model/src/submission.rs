//! A case study as a contributor submits it through the form: the essentials (title, summary,
//! country, lead organisation, start, themes, the story in sections, a contact) and any of the
//! other coded facts. It becomes a pending case in the content format; the contact stays private.
//!
//! [`Submission::check`] runs the same rules as `indexer check`, in the browser and in the server.

use crate::case::{Case, CaseMeta, CaseText, FrontMatter, Translation};
use crate::lang::Lang;
use crate::validate::{Problem, check_case, limits};
use crate::vocabulary::Vocabulary;
use serde::{Deserialize, Serialize};

/// What problems in a submission are reported against.
pub const FILE: &str = "submission";
/// Largest accepted request body for a submission, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Characters in one story section.
pub const SECTION_CHARS: usize = 20_000;

/// The section headings of a story, in each language (the order of [`Sections`]).
pub fn section_headings(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => ["Context", "What was done", "Results", "Lessons learned", "How to replicate"],
        Lang::Ro => ["Context", "Ce s-a făcut", "Rezultate", "Lecții învățate", "Cum se poate replica"],
        Lang::Uk => ["Контекст", "Що було зроблено", "Результати", "Отримані уроки", "Як повторити"],
        Lang::Ru => ["Контекст", "Что было сделано", "Результаты", "Извлечённые уроки", "Как повторить"],
        Lang::El => ["Πλαίσιο", "Τι έγινε", "Αποτελέσματα", "Διδάγματα", "Πώς να το επαναλάβετε"],
    }
}

/// The story, one text per section; context and what was done are required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sections {
    pub context: String,
    pub what_was_done: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub lessons: String,
    #[serde(default)]
    pub replicate: String,
}

impl Sections {
    /// (field name, text) in heading order.
    pub fn all(&self) -> [(&'static str, &str); 5] {
        [
            ("sections.context", &self.context),
            ("sections.what_was_done", &self.what_was_done),
            ("sections.results", &self.results),
            ("sections.lessons", &self.lessons),
            ("sections.replicate", &self.replicate),
        ]
    }

    /// Splits a story written by [`Sections::to_markdown`] back into sections. Text under a
    /// heading the form does not know stays in the section before it (or in the context).
    pub fn from_markdown(lang: Lang, body: &str) -> Sections {
        let headings = section_headings(lang);
        let mut parts: [String; 5] = Default::default();
        let mut current = 0;
        for line in body.lines() {
            if let Some(heading) = line.strip_prefix("## ")
                && let Some(i) = headings.iter().position(|h| h.eq_ignore_ascii_case(heading.trim()))
            {
                current = i;
                continue;
            }
            parts[current].push_str(line);
            parts[current].push('\n');
        }
        let [context, what_was_done, results, lessons, replicate] = parts.map(|p| p.trim().to_owned());
        Sections { context, what_was_done, results, lessons, replicate }
    }

    /// The story as Markdown with headings in `lang`; empty sections are left out.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let mut body = String::new();
        for ((_, text), heading) in self.all().into_iter().zip(section_headings(lang)) {
            let text = text.trim();
            if !text.is_empty() {
                body.push_str(&format!("\n## {heading}\n\n{}\n", text.replace("\r\n", "\n")));
            }
        }
        body
    }
}

/// Who to contact about a submission; never published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub name: String,
    pub email: String,
}

/// A submission as the form sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submission {
    /// The language the story is written in.
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub sections: Sections,
    pub meta: CaseMeta,
    pub contact: Contact,
}

/// Whether `email` looks like an address: one `@`, something before it, a dotted domain after.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';'))
}

impl Submission {
    /// The submission as a case with one language (`slug` is a placeholder until approval).
    pub fn to_case(&self, slug: &str) -> Case {
        let mut meta = self.meta.clone();
        meta.original_language = self.lang;
        Case {
            slug: slug.to_owned(),
            meta,
            texts: vec![CaseText {
                lang: self.lang,
                front: FrontMatter {
                    title: self.title.clone(),
                    summary: self.summary.clone(),
                    translation: Translation::Original,
                },
                body: self.sections.to_markdown(self.lang),
            }],
        }
    }

    /// Every problem, reported against `submission` with the form's field names.
    pub fn check(&self, vocabulary: &Vocabulary) -> Vec<Problem> {
        let mut found = Vec::new();
        check_case("submission", &self.to_case("submission"), vocabulary, &mut found);
        let mut problems: Vec<Problem> = found
            .into_iter()
            .filter(|p| {
                p.field != "body" && p.field != "slug" && p.field != "original_language" && p.field != "translation"
            })
            .map(|mut p| {
                p.file = FILE.to_owned();
                p
            })
            .collect();
        for (field, text) in self.sections.all().into_iter().take(2) {
            if text.trim().is_empty() {
                problems.push(Problem::new(FILE, field, "is empty", "tell this part of the story in a few sentences"));
            }
        }
        for (field, text) in self.sections.all() {
            let chars = text.chars().count();
            if chars > SECTION_CHARS {
                problems.push(Problem::new(
                    FILE,
                    field,
                    format!("is {chars} characters long, more than the {SECTION_CHARS} allowed"),
                    "shorten it",
                ));
            }
        }
        if self.contact.name.trim().is_empty() {
            problems.push(Problem::new(
                FILE,
                "contact.name",
                "is empty",
                "write who maintainers can contact about this case",
            ));
        } else if self.contact.name.chars().count() > limits::NAME_CHARS {
            problems.push(Problem::new(
                FILE,
                "contact.name",
                "is too long",
                format!("shorten it to at most {} characters", limits::NAME_CHARS),
            ));
        }
        if !is_email(self.contact.email.trim()) {
            problems.push(Problem::new(
                FILE,
                "contact.email",
                "is not an e-mail address",
                "write an address such as name@library.ro",
            ));
        }
        problems
    }
}

/// An empty submission for a new form.
impl Default for Submission {
    fn default() -> Self {
        Submission {
            lang: Lang::En,
            title: String::new(),
            summary: String::new(),
            sections: Sections::default(),
            meta: CaseMeta {
                original_language: Lang::En,
                countries: Vec::new(),
                places: Vec::new(),
                period: Default::default(),
                lead_organisation: Default::default(),
                partners: Vec::new(),
                funders: Vec::new(),
                budget: None,
                themes: Vec::new(),
                audiences: Vec::new(),
                sdgs: Vec::new(),
                reach: None,
                links: Vec::new(),
                licence: crate::case::DEFAULT_LICENCE.to_owned(),
                status: Default::default(),
                evidence: None,
                featured: false,
            },
            contact: Contact::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::{Labels, Term};

    fn vocabulary() -> Vocabulary {
        let term = |id: &str| Term {
            id: id.into(),
            label: Labels { en: id.into(), ro: id.into(), uk: id.into(), ru: id.into(), el: id.into() },
            ..Term::default()
        };
        Vocabulary {
            themes: vec![term("coding")],
            audiences: vec![term("children-10-14")],
            org_types: vec![term("public-library")],
        }
    }

    fn valid() -> Submission {
        let mut submission = Submission {
            lang: Lang::Uk,
            title: "Клуб програмування".into(),
            summary: "Діти вчаться програмувати в бібліотеці.".into(),
            sections: Sections {
                context: "Контекст.".into(), what_was_done: "Заняття.".into(), ..Sections::default()
            },
            contact: Contact { name: "Олена".into(), email: "olena@library.ua".into() },
            ..Submission::default()
        };
        submission.meta.countries = vec!["UA".into()];
        submission.meta.period.start = "2024-09".into();
        submission.meta.lead_organisation =
            crate::case::Organisation { name: "Бібліотека".into(), kind: "public-library".into() };
        submission.meta.themes = vec!["coding".into()];
        submission
    }

    #[test]
    fn a_complete_quick_submission_is_valid() {
        assert_eq!(valid().check(&vocabulary()), []);
        let case = valid().to_case("x");
        assert!(case.texts[0].body.contains("## Контекст"), "{}", case.texts[0].body);
        assert!(!case.texts[0].body.contains("## Результати"), "empty sections are left out");
    }

    #[test]
    fn each_missing_essential_is_named() {
        let mut empty = Submission::default();
        empty.lang = Lang::Ro;
        let fields: Vec<String> = empty.check(&vocabulary()).into_iter().map(|p| p.field).collect();
        for field in [
            "title",
            "summary",
            "countries",
            "period.start",
            "lead_organisation.name",
            "lead_organisation.type",
            "themes",
            "sections.context",
            "sections.what_was_done",
            "contact.name",
            "contact.email",
        ] {
            assert!(fields.iter().any(|f| f == field), "{field} missing from {fields:?}");
        }
    }

    #[test]
    fn sections_round_trip_through_markdown() {
        let sections = Sections {
            context: "A.\n\nB.".into(),
            what_was_done: "C.".into(),
            lessons: "D.".into(),
            ..Sections::default()
        };
        assert_eq!(Sections::from_markdown(Lang::Ro, &sections.to_markdown(Lang::Ro)), sections);
    }

    #[test]
    fn emails() {
        for good in ["a@b.ro", "olena.k@library.kiev.ua"] {
            assert!(is_email(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@b.ro", "a@b.ro>", "a b@c.ro", "a@@b.ro", "a@.ro"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
