//! A case study as a contributor submits it through the form: the essentials (title, summary,
//! country, lead organisation, start, themes, the story in sections, a contact) and any of the
//! other coded facts. It becomes a pending case in the content format; the contact stays private.
//!
//! [`Submission::check`] runs the same rules as `indexer check`, in the browser and in the server.

use crate::case::{Case, CaseMeta, CaseText, FrontMatter, Translation};
use crate::lang::Lang;
use crate::validate::{Problem, Rule, check_case, limits};
use crate::vocabulary::Vocabulary;
use serde::{Deserialize, Serialize};

/// What problems in a submission are reported against.
pub const FILE: &str = "submission";
/// Largest accepted request body for a submission, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Characters in one story section.
pub const SECTION_CHARS: usize = 20_000;

/// How many sections a story has (the fields of [`Sections`]).
pub const SECTIONS: usize = 5;

/// The section headings of a story, in each language (the order of [`Sections`]).
pub fn section_headings(lang: Lang) -> [&'static str; SECTIONS] {
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
    pub fn all(&self) -> [(&'static str, &str); SECTIONS] {
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
        let mut parts: [String; SECTIONS] = Default::default();
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
                // A heading typed inside a section stays inside it: one level below the
                // sections', so it cannot start (or repeat) a section of the published case.
                let text: Vec<String> = text
                    .replace("\r\n", "\n")
                    .lines()
                    .map(|line| {
                        match line.trim_start().strip_prefix("## ").or_else(|| line.trim_start().strip_prefix("# ")) {
                            Some(title) => format!("### {title}"),
                            None => line.to_owned(),
                        }
                    })
                    .collect();
                body.push_str(&format!("\n## {heading}\n\n{}\n", text.join("\n")));
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
            // A photo's name and sizes are the server's to write once it has the file.
            .filter(|p| {
                !(p.field.starts_with("photos[") && (p.field.ends_with(".name") || p.field.ends_with(".sizes")))
            })
            .map(|mut p| {
                p.file = FILE.to_owned();
                p
            })
            .collect();
        // What maintainers decide after review is not the contributor's to set.
        let reserved = [
            ("featured", self.meta.featured),
            ("evidence", self.meta.evidence.is_some()),
            ("status", self.meta.status != Default::default()),
        ];
        for (field, set) in reserved {
            if set {
                problems.push(
                    Problem::new(
                        FILE,
                        field,
                        "is set by the maintainers after review",
                        format!("leave `{field}` out of the submission"),
                    )
                    .breaking(Rule::Reserved),
                );
            }
        }
        for (field, text) in self.sections.all().into_iter().take(2) {
            if text.trim().is_empty() {
                problems.push(
                    Problem::new(FILE, field, "is empty", "tell this part of the story in a few sentences")
                        .breaking(Rule::Empty),
                );
            }
        }
        for (field, text) in self.sections.all() {
            let chars = text.chars().count();
            if chars > SECTION_CHARS {
                problems.push(
                    Problem::new(
                        FILE,
                        field,
                        format!("is {chars} characters long, more than the {SECTION_CHARS} allowed"),
                        "shorten it",
                    )
                    .breaking(Rule::TooLong { max: SECTION_CHARS }),
                );
            }
        }
        if self.contact.name.trim().is_empty() {
            problems.push(
                Problem::new(FILE, "contact.name", "is empty", "write who maintainers can contact about this case")
                    .breaking(Rule::Empty),
            );
        } else if self.contact.name.chars().count() > limits::NAME_CHARS {
            problems.push(
                Problem::new(
                    FILE,
                    "contact.name",
                    "is too long",
                    format!("shorten it to at most {} characters", limits::NAME_CHARS),
                )
                .breaking(Rule::TooLong { max: limits::NAME_CHARS }),
            );
        }
        if !is_email(self.contact.email.trim()) {
            problems.push(
                Problem::new(
                    FILE,
                    "contact.email",
                    "is not an e-mail address",
                    "write an address such as name@library.ro",
                )
                .breaking(Rule::NotEmail),
            );
        }
        problems
    }
}

/// The repeated rows of the form, which a form without script adds and removes by sending it.
pub const FORM_LISTS: [&str; 3] = ["partners", "funders", "links"];
/// The most rows of one list a form may send.
pub const MAX_FORM_ROWS: usize = 50;

/// What a form sent without script asks for instead of being submitted: another empty row, or
/// one row fewer (`partners`, 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowEdit {
    Add(&'static str),
    Remove(&'static str, usize),
}

/// "YYYY" or "YYYY-MM" from a year and an optional month, as the form has them.
pub fn year_month(year: &str, month: &str) -> String {
    let (year, month) = (year.trim(), month.trim());
    if month.is_empty() { year.to_owned() } else { format!("{year}-{month}") }
}

/// `partners[3].name` → (`partners`, 3, `name`).
fn row_field(name: &str) -> Option<(&'static str, usize, &str)> {
    let (list, rest) = name.split_once('[')?;
    let list = FORM_LISTS.into_iter().find(|l| *l == list)?;
    let (index, field) = rest.split_once("].")?;
    let index: usize = index.parse().ok().filter(|i| *i < MAX_FORM_ROWS)?;
    Some((list, index, field))
}

impl Submission {
    /// Reads the submission form as a browser without script sends it
    /// (`application/x-www-form-urlencoded`, each control named by its field: `title`,
    /// `lead_organisation.type`, `partners[0].name`, `period.start.year` …), and the row it asks
    /// to add or remove, if it was sent for that. Rows left empty are dropped. A name the form
    /// does not have is an error naming it.
    pub fn from_form<'a>(
        pairs: impl IntoIterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
    ) -> Result<(Submission, Option<RowEdit>), String> {
        use crate::case::{Budget, Funder, Link, Partner, Reach};
        use std::collections::BTreeMap;
        let mut form = Submission::default();
        let (mut start, mut end) = ((String::new(), String::new()), (String::new(), String::new()));
        let mut partners: BTreeMap<usize, Partner> = BTreeMap::new();
        let mut funders: BTreeMap<usize, Funder> = BTreeMap::new();
        let mut links: BTreeMap<usize, Link> = BTreeMap::new();
        let (mut budget, mut reach) = (Budget::default(), Reach::default());
        let mut edit = None;
        let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        let number = |value: &str| value.trim().parse::<u32>().ok();
        for (name, value) in pairs {
            let value = value.as_ref();
            match name.as_ref() {
                "lang" => {
                    form.lang = value.parse().map_err(|e: crate::lang::UnknownLang| format!("field `lang`: {e}"))?
                }
                "title" => form.title = value.to_owned(),
                "summary" => form.summary = value.to_owned(),
                "countries" => {
                    if !value.is_empty() && !form.meta.countries.iter().any(|c| c == value) {
                        form.meta.countries.push(value.to_owned());
                    }
                }
                "lead_organisation.name" => form.meta.lead_organisation.name = value.to_owned(),
                "lead_organisation.type" => form.meta.lead_organisation.kind = value.to_owned(),
                "period.start.year" => start.0 = value.to_owned(),
                "period.start.month" => start.1 = value.to_owned(),
                "period.end.year" => end.0 = value.to_owned(),
                "period.end.month" => end.1 = value.to_owned(),
                "period.ongoing" => form.meta.period.ongoing = !value.is_empty(),
                "themes" => form.meta.themes.push(value.to_owned()),
                "audiences" => form.meta.audiences.push(value.to_owned()),
                "sections.context" => form.sections.context = value.to_owned(),
                "sections.what_was_done" => form.sections.what_was_done = value.to_owned(),
                "sections.results" => form.sections.results = value.to_owned(),
                "sections.lessons" => form.sections.lessons = value.to_owned(),
                "sections.replicate" => form.sections.replicate = value.to_owned(),
                "contact.name" => form.contact.name = value.to_owned(),
                "contact.email" => form.contact.email = value.to_owned(),
                "budget.amount" => budget.amount = value.trim().replace(',', ".").parse().ok(),
                "budget.currency" => budget.currency = optional(value).map(|c| c.to_uppercase()),
                "reach.participants" => reach.participants = number(value),
                "reach.libraries" => reach.libraries = number(value),
                "add" => {
                    edit = Some(RowEdit::Add(
                        FORM_LISTS
                            .into_iter()
                            .find(|l| *l == value)
                            .ok_or(format!("`{value}` is not a list of the form"))?,
                    ))
                }
                "remove" => {
                    let (list, index, _) =
                        row_field(&format!("{value}.x")).ok_or(format!("`{value}` is not a row of the form"))?;
                    edit = Some(RowEdit::Remove(list, index));
                }
                other => match row_field(other) {
                    Some(("partners", i, "name")) => partners.entry(i).or_default().name = value.to_owned(),
                    Some(("partners", i, "type")) => partners.entry(i).or_default().kind = optional(value),
                    Some(("partners", i, "role")) => partners.entry(i).or_default().role = optional(value),
                    Some(("funders", i, "name")) => funders.entry(i).or_default().name = value.to_owned(),
                    Some(("funders", i, "programme")) => funders.entry(i).or_default().programme = optional(value),
                    Some(("links", i, "url")) => links.entry(i).or_default().url = value.to_owned(),
                    Some(("links", i, "title")) => links.entry(i).or_default().title = value.to_owned(),
                    _ => {
                        return Err(format!(
                            "`{}` is not a field of the submission form",
                            other.chars().take(60).collect::<String>()
                        ));
                    }
                },
            }
        }
        form.meta.period.start = year_month(&start.0, &start.1);
        form.meta.period.end = (!end.0.trim().is_empty()).then(|| year_month(&end.0, &end.1));
        form.meta.budget = (budget != Budget::default()).then_some(budget);
        form.meta.reach = (reach != Reach::default()).then_some(reach);
        form.meta.partners = partners.into_values().filter(|p| *p != Partner::default()).collect();
        form.meta.funders = funders.into_values().filter(|f| *f != Funder::default()).collect();
        form.meta.links = links.into_values().filter(|l| *l != Link::default()).collect();
        Ok((form, edit))
    }

    /// Applies a row edit the form asked for.
    pub fn edit_rows(&mut self, edit: &RowEdit) {
        use crate::case::{Funder, Link, Partner};
        match *edit {
            RowEdit::Add("partners") => {
                self.meta.partners.push(Partner { role: Some("partner".into()), ..Partner::default() })
            }
            RowEdit::Add("funders") => self.meta.funders.push(Funder::default()),
            RowEdit::Add(_) => self.meta.links.push(Link::default()),
            RowEdit::Remove("partners", i) if i < self.meta.partners.len() => {
                self.meta.partners.remove(i);
            }
            RowEdit::Remove("funders", i) if i < self.meta.funders.len() => {
                self.meta.funders.remove(i);
            }
            RowEdit::Remove("links", i) if i < self.meta.links.len() => {
                self.meta.links.remove(i);
            }
            RowEdit::Remove(..) => {}
        }
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
                photos: Vec::new(),
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
    fn a_heading_typed_in_a_section_stays_in_it() {
        let mut submission = valid();
        submission.sections.what_was_done = "Workshops.\n## Контекст\nMore.\n# Big".into();
        let body = submission.sections.to_markdown(Lang::Uk);
        assert_eq!(body.matches("## Контекст").count() - body.matches("### Контекст").count(), 1, "{body}");
        assert!(body.contains("### Big"), "{body}");
        let back = Sections::from_markdown(Lang::Uk, &body);
        assert_eq!(back.context, submission.sections.context.trim());
        assert!(back.what_was_done.contains("### Контекст\nMore."), "{:?}", back.what_was_done);
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
    fn the_form_without_script_reads_as_the_submission() {
        let sent = "lang=uk&title=%D0%9A%D0%BB%D1%83%D0%B1&summary=S&countries=UA&countries=&countries=MD\
            &lead_organisation.name=B&lead_organisation.type=public-library&period.start.year=2024&period.start.month=09\
            &period.end.year=&period.end.month=&themes=coding&themes=stem&sections.context=C&sections.what_was_done=W\
            &sections.results=&contact.name=O&contact.email=o%40l.ua&budget.amount=1%2C5&budget.currency=eur\
            &reach.participants=&partners[0].name=P&partners[0].type=&partners[0].role=partner&partners[1].name=\
            &funders[0].name=&links[3].url=https%3A%2F%2Fx.ua&links[3].title=X&add=funders";
        let (form, edit) = Submission::from_form(form_urlencoded::parse(sent.as_bytes())).unwrap();
        assert_eq!(edit, Some(RowEdit::Add("funders")));
        assert_eq!(form.lang, Lang::Uk);
        assert_eq!(form.title, "Клуб");
        assert_eq!(form.meta.countries, ["UA", "MD"]);
        assert_eq!(form.meta.period.start, "2024-09");
        assert_eq!(form.meta.period.end, None);
        assert_eq!(form.meta.themes, ["coding", "stem"]);
        assert_eq!(form.contact.email, "o@l.ua");
        assert_eq!(form.meta.budget.as_ref().and_then(|b| b.amount), Some(1.5));
        assert_eq!(form.meta.budget.as_ref().and_then(|b| b.currency.as_deref()), Some("EUR"));
        assert_eq!(form.meta.reach, None);
        assert_eq!(form.meta.partners.len(), 1, "the empty row is dropped");
        assert_eq!(form.meta.partners[0].role.as_deref(), Some("partner"));
        assert!(form.meta.funders.is_empty());
        assert_eq!(form.meta.links.len(), 1);

        let mut edited = form.clone();
        edited.edit_rows(&RowEdit::Add("partners"));
        assert_eq!(edited.meta.partners.len(), 2);
        edited.edit_rows(&RowEdit::Remove("partners", 0));
        assert_eq!(edited.meta.partners[0].name, "");
        edited.edit_rows(&RowEdit::Remove("links", 7));
        assert_eq!(edited.meta.links.len(), 1, "a row that is not there is left alone");
    }

    #[test]
    fn a_form_field_that_is_not_there_is_named() {
        for (sent, named) in [
            ("tittle=x", "tittle"),
            ("partners[0].nmae=x", "partners[0].nmae"),
            ("partners[99].name=x", "partners[99].name"),
            ("add=sponsors", "sponsors"),
            ("lang=de", "de"),
        ] {
            let error = Submission::from_form(form_urlencoded::parse(sent.as_bytes())).unwrap_err();
            assert!(error.contains(named), "{sent}: {error}");
        }
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
