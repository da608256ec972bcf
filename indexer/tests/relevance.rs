//! Relevance over the real collection: queries a librarian would type, in English, Romanian
//! (with and without diacritics), Ukrainian, Russian and Greek, each with the case it must find
//! in the top 3. Typos, cross-script and cross-language queries included.

use indexer::Engine;
use indexer::index::generation;
use model::Lang;
use model::api::SearchParams;
use std::path::Path;

/// (query, reader's language, the case expected in the top 3, what the query exercises)
const QUERIES: &[(&str, Lang, &str, &str)] = &[
    // English
    ("coding", Lang::En, "code-kids", "one word"),
    ("coding clubs for children", Lang::En, "code-kids", "several words with a stop word"),
    ("digital storytelling seniors", Lang::En, "digitales", "three words"),
    ("active citizenship libraries", Lang::En, "public-libraries-hubs-active-citizenship", "theme words"),
    ("\"nests of democracy\"", Lang::En, "third-space-of-the-community", "a phrase"),
    ("webinar allies", Lang::En, "building-networks-of-allies-webinar", "title words"),
    ("community caterers Transylvania", Lang::En, "socacitele-community-caterers", "rare words"),
    ("selfies map", Lang::En, "bistrita-mea-secretul-meu", "body words"),
    ("integrity audits", Lang::En, "third-place-for-active-citizenship", "body phrase words"),
    ("tutoring mathematics", Lang::En, "scholar-performance-no-matter-social-level", "stemming (tutoring)"),
    ("learning circles", Lang::En, "learning-circles-in-libraries", "title"),
    ("children -coding", Lang::En, "ora-sa-stim", "an exclusion"),
    // English typos
    ("storytteling", Lang::En, "digitales", "one typo"),
    ("confrence", Lang::En, "occupy-library-2020-conference", "a missing letter"),
    ("libary coding", Lang::En, "code-kids", "a typo beside an exact word"),
    ("codin", Lang::En, "code-kids", "a prefix while typing"),
    ("co\u{200b}ding clu\u{00ad}bs", Lang::En, "code-kids", "a zero-width space and a soft hyphen inside words"),
    // Romanian, with and without diacritics
    ("club de programare copii", Lang::Ro, "code-kids", "Romanian words, one a stop word"),
    ("școală reporteri", Lang::Ro, "scoala-de-reporteri-sdg", "diacritics"),
    ("scoala reporteri", Lang::Ro, "scoala-de-reporteri-sdg", "no diacritics"),
    ("știință", Lang::Ro, "ora-sa-stim", "ș and ț"),
    ("stiinta", Lang::Ro, "ora-sa-stim", "ș and ț left out"),
    ("ştiinţă", Lang::Ro, "ora-sa-stim", "cedilla forms ş and ţ"),
    ("cetățenie activă", Lang::Ro, "public-libraries-hubs-active-citizenship", "Romanian theme"),
    ("cetatenie activa", Lang::Ro, "public-libraries-hubs-active-citizenship", "Romanian theme without diacritics"),
    ("povești digitale vârstnici", Lang::Ro, "digitales", "Romanian plural forms"),
    ("socacitele", Lang::Ro, "socacitele-community-caterers", "a name without diacritics"),
    ("cercuri de învățare", Lang::Ro, "learning-circles-in-libraries", "Romanian title"),
    ("bibliotecile judetene", Lang::Ro, "silver-stories", "Romanian stemming without diacritics"),
    // Ukrainian
    ("гнізда демократії", Lang::Uk, "third-space-of-the-community", "Ukrainian inflected forms"),
    ("бібліотеки громадянство", Lang::Uk, "public-libraries-hubs-active-citizenship", "Ukrainian stemming"),
    ("конференція", Lang::Uk, "occupy-library-2020-conference", "Ukrainian one word"),
    ("вебінар", Lang::Uk, "building-networks-of-allies-webinar", "Ukrainian title word"),
    ("сільські бібліотеки", Lang::Uk, "ora-sa-stim", "Ukrainian adjective and noun"),
    // Russian
    ("гнезда демократии", Lang::Ru, "third-space-of-the-community", "Russian with е for ё"),
    ("конференция библиотеки", Lang::Ru, "occupy-library-2020-conference", "Russian stemming"),
    ("сельских библиотеках", Lang::Ru, "ora-sa-stim", "Russian inflected forms"),
    ("общинные поварихи Трансильвании", Lang::Ru, "socacitele-community-caterers", "Russian rare words"),
    ("школа репортеров", Lang::Ru, "scoala-de-reporteri-sdg", "Russian with е for ё"),
    ("дети программируют в библиотеках", Lang::Ru, "code-kids", "Russian words and a stop word"),
    ("цифровой сторителлинг для пожилых", Lang::Ru, "digitales", "Russian inflected adjective"),
    ("учебные кружки", Lang::Ru, "learning-circles-in-libraries", "Russian title words"),
    ("конференцыя", Lang::Ru, "occupy-library-2020-conference", "a Russian typo"),
    // Greek
    ("διαδικτυακό σεμινάριο", Lang::El, "building-networks-of-allies-webinar", "Greek"),
    ("μαγείρισσες της κοινότητας", Lang::El, "socacitele-community-caterers", "Greek with a stop word"),
    ("μαγειρισσες κοινοτητας", Lang::El, "socacitele-community-caterers", "Greek without accents"),
    ("σχολή ρεπόρτερ", Lang::El, "scoala-de-reporteri-sdg", "Greek title words"),
    ("κύκλοι μάθησης", Lang::El, "learning-circles-in-libraries", "Greek inflected title"),
    ("ψηφιακή αφήγηση ηλικιωμένους", Lang::El, "digitales", "Greek three words"),
    ("διαδικτυακο συνεδριο βιβλιοθηκες", Lang::El, "occupy-library-2020-conference", "Greek without accents, plural"),
    ("συνέδρειο", Lang::El, "occupy-library-2020-conference", "a Greek typo"),
    // Across scripts and languages
    ("vebinar", Lang::En, "building-networks-of-allies-webinar", "Latin letters for Cyrillic"),
    ("biblioteka demokratii", Lang::En, "third-space-of-the-community", "transliterated Ukrainian/Russian"),
    ("програмування", Lang::Uk, "code-kids", "a Ukrainian vocabulary synonym finds an English/Romanian case"),
    ("программирование", Lang::Ru, "code-kids", "a Russian vocabulary synonym"),
    ("δημοκρατία", Lang::El, "third-space-of-the-community", "a Greek vocabulary word"),
    ("programare", Lang::En, "code-kids", "a Romanian word for an English reader"),
    ("αγροτικές βιβλιοθήκες", Lang::El, "ora-sa-stim", "a Greek synonym of a Romanian-Moldovan case's audience"),
    ("πειράματα STEM για παιδιά στις βιβλιοθήκες", Lang::El, "ora-sa-stim", "Greek words, a stop word"),
    ("Румунія цифрові історії", Lang::Uk, "digitales", "a country named in Ukrainian"),
];

/// The real collection, indexed into a temporary folder (kept as long as the engine is used).
fn real_collection() -> (tempfile::TempDir, collection::Collection, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    generation::build(&collection, dir.path(), &|_, _| {}).unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    (dir, collection, engine)
}

#[test]
fn each_query_finds_its_case_in_the_top_3() {
    let (_dir, _, engine) = real_collection();

    let mut failures = Vec::new();
    for (query, ui, expected, what) in QUERIES {
        let params = SearchParams { q: (*query).to_owned(), ui: Some(*ui), per_page: 3, ..SearchParams::default() };
        let response = engine.search(&params).unwrap();
        let top: Vec<&str> = response.hits.iter().map(|hit| hit.slug.as_str()).collect();
        if !top.contains(expected) {
            failures.push(format!(
                "{query:?} ({what}): expected {expected} in the top 3, got {top:?} of {}",
                response.total
            ));
        }
    }
    assert!(QUERIES.len() >= 25);

    // Exclusions remove what they name; phrases need their words together.
    let slugs = |q: &str| -> Vec<String> {
        engine
            .search(&SearchParams { q: q.to_owned(), per_page: 50, ..SearchParams::default() })
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.slug)
            .collect()
    };
    assert!(slugs("children").contains(&"code-kids".to_owned()));
    assert!(!slugs("children -coding").contains(&"code-kids".to_owned()));
    assert!(!slugs("children -\"coding and STEM\"").contains(&"code-kids".to_owned()));
    assert_eq!(slugs("\"democracy nests of\""), Vec::<String>::new(), "a phrase in the wrong order matches nothing");
    assert!(failures.is_empty(), "{} of {} queries failed:\n{}", failures.len(), QUERIES.len(), failures.join("\n"));
}

/// Every case a search would find with a filter is found by naming the filter's value in words,
/// in any of the five languages: a country ("Μολδαβία", "Румунія") or an organisation type
/// ("βιβλιοθήκη" for the cases a public library took part in).
#[test]
fn countries_and_organisation_types_named_in_any_language_find_their_cases() {
    let (_dir, collection, engine) = real_collection();
    let slugs = |params: SearchParams| -> std::collections::BTreeSet<String> {
        let response = engine.search(&SearchParams { per_page: 50, ..params }).unwrap();
        assert!(response.total <= 50);
        response.hits.into_iter().map(|hit| hit.slug).collect()
    };

    let countries: std::collections::BTreeSet<&str> =
        collection.cases.iter().flat_map(|case| case.meta.countries.iter().map(String::as_str)).collect();
    assert!(countries.len() >= 4, "{countries:?}");
    let mut checked = 0;
    for code in countries {
        let filtered = slugs(SearchParams { country: vec![code.to_owned()], ..SearchParams::default() });
        for lang in Lang::ALL {
            let Some(name) = model::countries::name(code, lang) else { continue };
            let found = slugs(SearchParams { q: name.to_owned(), ..SearchParams::default() });
            let missing: Vec<&String> = filtered.difference(&found).collect();
            assert!(missing.is_empty(), "{name:?} ({code}, {lang}) misses {missing:?}");
            checked += 1;
        }
    }
    assert!(checked >= 20);

    let libraries = slugs(SearchParams { org_type: vec!["public-library".into()], ..SearchParams::default() });
    assert!(libraries.len() >= 5, "{libraries:?}");
    for word in ["library", "bibliotecă", "biblioteca", "бібліотека", "библиотека", "βιβλιοθήκη"]
    {
        let found = slugs(SearchParams { q: word.to_owned(), ..SearchParams::default() });
        let missing: Vec<&String> = libraries.difference(&found).collect();
        assert!(missing.is_empty(), "{word:?} misses {missing:?}");
    }
}

/// A case written only in Ukrainian is found from Latin letters: "biblioteca" and "бібліотека"
/// fold to the same term.
#[test]
fn latin_spelling_finds_a_text_written_only_in_cyrillic() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let case = content.join("cases/only-ukrainian");
    std::fs::create_dir_all(&case).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content");
    std::fs::copy(fixtures.join("vocabulary.toml"), content.join("vocabulary.toml")).unwrap();
    std::fs::write(case.join("case.toml"), "original_language = \"uk\"\ncountries = [\"UA\"]\nthemes = [\"reading\"]\n[period]\nstart = \"2022\"\n[lead_organisation]\nname = \"Сільська бібліотека\"\ntype = \"public-library\"\n").unwrap();
    std::fs::write(case.join("uk.md"), "+++\ntitle = \"Сільська бібліотека як центр громади\"\nsummary = \"Мешканці села збираються в бібліотека щотижня.\"\ntranslation = \"original\"\n+++\n\n## Контекст\n\nБібліотека стала місцем зустрічей.\n").unwrap();
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
    let engine = Engine::open(&dir.path().join("index")).unwrap();
    for q in ["biblioteca", "biblioteka", "бібліотека", "библиотека"] {
        let response = engine.search(&SearchParams { q: q.into(), ..SearchParams::default() }).unwrap();
        assert_eq!(response.hits.iter().map(|h| h.slug.as_str()).collect::<Vec<_>>(), ["only-ukrainian"], "{q}");
        assert!(response.hits[0].snippet.contains("<mark>"), "{q}: {}", response.hits[0].snippet);
    }
}

/// A misspelt word finds what its right spelling finds, in the same order, in every script: it
/// is searched as the closest spelling the collection has (Xapian's spelling correction).
#[test]
fn a_misspelt_word_finds_what_its_spelling_finds() {
    let (_dir, _collection, engine) = real_collection();
    let top = |q: &str| -> Vec<String> {
        let params = SearchParams { q: format!("{q} "), per_page: 5, ..SearchParams::default() };
        engine.search(&params).unwrap().hits.into_iter().map(|hit| hit.slug).collect()
    };
    let pairs = [
        ("storytelling", "storytteling"),
        ("conference", "confernece"),
        ("programare", "porgramare"),
        ("bibliotecile", "biblitoecile"),
        ("конференція", "конфернеція"),
        ("библиотеках", "билбиотеках"),
        ("σεμινάριο", "σεμνιάριο"),
    ];
    for (right, wrong) in pairs {
        let expected = top(right);
        assert!(!expected.is_empty(), "{right:?} finds nothing");
        assert_eq!(top(wrong), expected, "{wrong:?} against {right:?}");
    }
}
