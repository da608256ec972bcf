//! The index schema: every field of a case document and its name. No field name is spelled
//! anywhere else in the project; other code reaches fields through [`Fields`].
//!
//! One document per case:
//! - `title_<lang>`, `summary_<lang>`, `body_<lang>`: the text in each language it is written in,
//!   analysed with that language's analyzer, with positions for phrases.
//! - `fold_title`, `fold_text`: every language's title, and summary and body, through the folding
//!   analyzer: the cross-language, cross-script path.
//! - `country`, `theme`, `audience`, `org_type`, `lang`: raw codes, indexed for filters and
//!   vocabulary expansion, and fast (columnar) for facet counts.
//! - `start_year`, `end_year`, `start_key`: fast numbers for the period facet, year filters and
//!   "newest first".
//! - `slug` (stored, indexed raw) and `case_json` (stored, not indexed: the JSON of
//!   [`super::stored::StoredCase`]): what a hit and a case page show. Stored as text rather than
//!   bytes: tantivy reads text back with one copy, bytes one by one.

use super::analysis;
use model::Lang;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Handles to every field of the schema.
#[derive(Clone, Debug)]
pub struct Fields {
    pub schema: Schema,
    pub slug: Field,
    pub title: [Field; Lang::COUNT],
    pub summary: [Field; Lang::COUNT],
    pub body: [Field; Lang::COUNT],
    pub fold_title: Field,
    pub fold_text: Field,
    pub country: Field,
    pub theme: Field,
    pub audience: Field,
    pub org_type: Field,
    pub lang: Field,
    pub start_year: Field,
    pub end_year: Field,
    pub start_key: Field,
    pub data: Field,
}

/// The faceted code fields: each is a fast string field named [`Facet::name`].
pub use model::api::Facet;

impl Fields {
    /// The schema of a new index.
    pub fn new() -> Fields {
        let mut builder = Schema::builder();
        let text = |analyzer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        for lang in Lang::ALL {
            let analyzer = analysis::analyzer_name(lang);
            builder.add_text_field(&format!("title_{lang}"), text(analyzer));
            builder.add_text_field(&format!("summary_{lang}"), text(analyzer));
            builder.add_text_field(&format!("body_{lang}"), text(analyzer));
        }
        builder.add_text_field("fold_title", text(analysis::FOLD));
        builder.add_text_field("fold_text", text(analysis::FOLD));
        builder.add_text_field("slug", STRING | STORED);
        for name in Facet::ALL.map(Facet::name) {
            builder.add_text_field(name, STRING | FAST);
        }
        let number = NumericOptions::default() | FAST | INDEXED;
        builder.add_u64_field("start_year", number.clone());
        builder.add_u64_field("end_year", number.clone());
        builder.add_u64_field("start_key", number);
        builder.add_text_field("case_json", STORED);
        Fields::from_schema(builder.build()).expect("the schema built here has every field")
    }

    /// The fields of an existing index's schema; fails if one is missing (an index built by an
    /// incompatible version).
    pub fn from_schema(schema: Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        let per_lang = |prefix: &str| -> tantivy::Result<[Field; Lang::COUNT]> {
            let mut fields = [Field::from_field_id(0); Lang::COUNT];
            for lang in Lang::ALL {
                fields[lang.index()] = get(&format!("{prefix}_{lang}"))?;
            }
            Ok(fields)
        };
        Ok(Fields {
            slug: get("slug")?,
            title: per_lang("title")?,
            summary: per_lang("summary")?,
            body: per_lang("body")?,
            fold_title: get("fold_title")?,
            fold_text: get("fold_text")?,
            country: get(Facet::Country.name())?,
            theme: get(Facet::Theme.name())?,
            audience: get(Facet::Audience.name())?,
            org_type: get(Facet::OrgType.name())?,
            lang: get(Facet::Lang.name())?,
            start_year: get("start_year")?,
            end_year: get("end_year")?,
            start_key: get("start_key")?,
            data: get("case_json")?,
            schema,
        })
    }

    pub fn facet(&self, facet: Facet) -> Field {
        match facet {
            Facet::Country => self.country,
            Facet::Theme => self.theme,
            Facet::Audience => self.audience,
            Facet::OrgType => self.org_type,
            Facet::Lang => self.lang,
        }
    }

    /// Names of the fast number fields, for opening their columns.
    pub fn start_year_name(&self) -> &'static str {
        "start_year"
    }

    pub fn end_year_name(&self) -> &'static str {
        "end_year"
    }

    pub fn start_key_name(&self) -> &'static str {
        "start_key"
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}
