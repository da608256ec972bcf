//! The peer a user might pick instead: SQLite FTS5 (bundled with rusqlite) over the same cases,
//! answering the same requests with the same parts: the top 10 by BM25 with a snippet, the exact
//! total, and every facet's counts (each facet ignoring its own filter, as the app shows them).
//!
//! Set up the way its documentation suggests: one FTS5 table with the title, summary and body
//! columns (`unicode61`, diacritics removed), weighted 10 / 4 / 1 like the app's fields, facet
//! values in an indexed side table, `optimize` after loading. FTS5 has no stemming for these
//! languages and no typo tolerance, so it finds fewer cases for some queries; the report shows
//! both engines' hit counts beside the timings.

use anyhow::Result;
use collection::Collection;
use model::api::SearchParams;
use rusqlite::{Connection, params_from_iter};
use std::path::Path;
use std::time::{Duration, Instant};

/// A built FTS5 database.
pub struct Fts5 {
    db: Connection,
}

/// How long the build took, past loading the content.
pub struct Built {
    pub fts5: Fts5,
    /// Rendering the Markdown to text, inserting, committing and optimising.
    pub seconds: f64,
    pub bytes: u64,
}

/// One answer: what the app needs from a search.
#[derive(Debug, Default)]
pub struct Answer {
    pub total: u64,
    /// (slug, title, snippet)
    pub hits: Vec<(String, String, String)>,
    /// (facet, value, count)
    pub facets: Vec<(String, String, u64)>,
}

const SCHEMA: &str = "
    CREATE TABLE cases (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, title TEXT NOT NULL,
                        start_year INTEGER NOT NULL, end_year INTEGER NOT NULL);
    CREATE VIRTUAL TABLE texts USING fts5(title, summary, body, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TABLE facets (facet TEXT NOT NULL, value TEXT NOT NULL, id INTEGER NOT NULL);
";

/// The facets, as the app names them.
const FACETS: [&str; 6] = ["country", "theme", "audience", "org_type", "lang", "year"];

/// Builds a database of `collection` at `path` (replacing one there).
pub fn build(collection: &Collection, path: &Path) -> Result<Built> {
    let _ = std::fs::remove_file(path);
    let started = Instant::now();
    let mut db = Connection::open(path)?;
    db.execute_batch(SCHEMA)?;
    let this_year = indexer::index::document::ongoing_until();
    let transaction = db.transaction()?;
    {
        let mut case_row = transaction.prepare("INSERT INTO cases VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut text_row =
            transaction.prepare("INSERT INTO texts (rowid, title, summary, body) VALUES (?1, ?2, ?3, ?4)")?;
        let mut facet_row = transaction.prepare("INSERT INTO facets VALUES (?1, ?2, ?3)")?;
        for (id, case) in collection.cases.iter().enumerate() {
            let id = id as i64;
            let (start, end) = indexer::index::document::years(case, this_year);
            let title = &case.text_for(case.meta.original_language).front.title;
            case_row.execute(rusqlite::params![id, case.slug, title, start, end])?;
            let join = |part: &dyn Fn(&model::CaseText) -> String| -> String {
                case.texts.iter().map(part).collect::<Vec<_>>().join("\n")
            };
            text_row.execute(rusqlite::params![
                id,
                join(&|text| text.front.title.clone()),
                join(&|text| text.front.summary.clone()),
                join(&|text| indexer::render::markdown_to_text(&text.body)),
            ])?;
            let meta = &case.meta;
            let mut org_types: Vec<&str> = std::iter::once(meta.lead_organisation.kind.as_str())
                .chain(meta.partners.iter().filter_map(|partner| partner.kind.as_deref()))
                .collect();
            org_types.sort_unstable();
            org_types.dedup();
            let langs: Vec<&str> = case.texts.iter().map(|text| text.lang.code()).collect();
            let years: Vec<String> = (start..=end).map(|year| year.to_string()).collect();
            let values = [
                ("country", meta.countries.iter().map(String::as_str).collect::<Vec<_>>()),
                ("theme", meta.themes.iter().map(String::as_str).collect()),
                ("audience", meta.audiences.iter().map(String::as_str).collect()),
                ("org_type", org_types),
                ("lang", langs),
                ("year", years.iter().map(String::as_str).collect()),
            ];
            for (facet, values) in values {
                for value in values {
                    facet_row.execute(rusqlite::params![facet, value, id])?;
                }
            }
        }
    }
    transaction.execute_batch(
        "CREATE INDEX facets_by_value ON facets (facet, value, id);
         CREATE INDEX facets_by_case ON facets (id, facet, value);",
    )?;
    transaction.commit()?;
    db.execute_batch("INSERT INTO texts (texts) VALUES ('optimize'); ANALYZE;")?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(path)?.len();
    Ok(Built { fts5: Fts5 { db }, seconds, bytes })
}

/// The FTS5 query for the app's query text: each word quoted (so no word is read as an
/// operator), all required; a quoted phrase stays a phrase.
pub fn match_expression(q: &str) -> String {
    let mut out = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        let words: Vec<&str> = part.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            out.push(format!("\"{}\"", words.join(" ")));
        } else {
            out.extend(words.iter().map(|word| format!("\"{word}\"")));
        }
    }
    out.join(" ")
}

impl Fts5 {
    /// Answers `params` (query text, country and theme filters, a first year).
    pub fn search(&self, params: &SearchParams) -> Result<Answer> {
        let expression = match_expression(&params.q);
        if expression.is_empty() {
            return Ok(Answer::default());
        }
        // The conditions on a matching case, each with the facet it filters.
        let mut conditions: Vec<(&str, String, Vec<String>)> = Vec::new();
        for (facet, values) in [("country", &params.country), ("theme", &params.theme)] {
            if !values.is_empty() {
                let marks = vec!["?"; values.len()].join(", ");
                conditions.push((
                    facet,
                    format!("texts.rowid IN (SELECT id FROM facets WHERE facet = '{facet}' AND value IN ({marks}))"),
                    values.clone(),
                ));
            }
        }
        if let Some(year) = params.year_from {
            conditions.push((
                "year",
                "texts.rowid IN (SELECT id FROM cases WHERE end_year >= ?)".into(),
                vec![year.to_string()],
            ));
        }
        // The WHERE clause of the matching cases, leaving out one facet's filter.
        let matching = |except: Option<&str>| -> (String, Vec<String>) {
            let mut sql = String::from("texts MATCH ?");
            let mut values = vec![expression.clone()];
            for (facet, condition, bound) in &conditions {
                if except != Some(*facet) {
                    sql.push_str(" AND ");
                    sql.push_str(condition);
                    values.extend(bound.iter().cloned());
                }
            }
            (sql, values)
        };

        let mut answer = Answer::default();
        let (all, values) = matching(None);
        answer.total = self
            .db
            .prepare_cached(&format!("SELECT count(*) FROM texts WHERE {all}"))?
            .query_row(params_from_iter(&values), |row| row.get::<_, i64>(0))? as u64;
        let mut top = self.db.prepare_cached(&format!(
            "SELECT cases.slug, cases.title, snippet(texts, -1, '<mark>', '</mark>', '…', 24)
             FROM texts JOIN cases ON cases.id = texts.rowid
             WHERE {all} ORDER BY bm25(texts, 10.0, 4.0, 1.0) LIMIT 10"
        ))?;
        answer.hits = top
            .query_map(params_from_iter(&values), |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;

        // Facets no filter touches share one query over all matching cases; each filtered facet
        // gets its own, without its filter.
        let filtered: Vec<&str> = conditions.iter().map(|(facet, _, _)| *facet).collect();
        let shared: Vec<&str> = FACETS.iter().copied().filter(|facet| !filtered.contains(facet)).collect();
        let mut groups: Vec<(Vec<&str>, Option<&str>)> = vec![(shared, None)];
        groups.extend(filtered.iter().map(|facet| (vec![*facet], Some(*facet))));
        for (facets, except) in groups {
            let (cases, values) = matching(except);
            let names = facets.iter().map(|facet| format!("'{facet}'")).collect::<Vec<_>>().join(", ");
            let mut counts = self.db.prepare_cached(&format!(
                "SELECT facet, value, count(*) FROM facets
                 WHERE facet IN ({names}) AND id IN (SELECT texts.rowid FROM texts WHERE {cases})
                 GROUP BY facet, value"
            ))?;
            let rows = counts.query_map(params_from_iter(&values), |row| {
                Ok((row.get(0)?, row.get(1)?, row.get::<_, i64>(2)? as u64))
            })?;
            for row in rows {
                answer.facets.push(row?);
            }
        }
        Ok(answer)
    }
}

/// Times `queries` one after the other: the latencies, and the hits each found in total.
pub fn time(fts5: &Fts5, queries: &[SearchParams], budget: Duration) -> Result<(Vec<Duration>, u64)> {
    for params in queries.iter().take(10) {
        fts5.search(params)?;
    }
    // Filtered queries with facet counts take seconds each at 100k cases: stop once the budget
    // is spent (after at least 20 queries) and report how many were timed.
    let started = Instant::now();
    let mut times = Vec::with_capacity(queries.len());
    let mut totals = 0;
    for params in queries {
        if times.len() >= 20 && started.elapsed() > budget {
            break;
        }
        let begun = Instant::now();
        let answer = fts5.search(params)?;
        times.push(begun.elapsed());
        totals += answer.total;
    }
    Ok((times, totals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_text_becomes_quoted_words_and_phrases() {
        assert_eq!(match_expression("library coding"), "\"library\" \"coding\"");
        assert_eq!(match_expression("\"reading club\" teens"), "\"reading club\" \"teens\"");
        assert_eq!(match_expression("NOT * -x"), "\"NOT\" \"x\"");
        assert_eq!(match_expression("  "), "");
    }
}
