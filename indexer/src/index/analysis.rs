//! Text analysis: how text becomes index terms, the same way for documents and queries.
//!
//! - Every text is first normalised to Unicode NFC ([`normalize`]): decomposed input (NFD) would
//!   otherwise split words at combining marks, as would zero-width characters, which it drops.
//! - Per-language analyzers (`en`, `ro`, `ru`, `el`, `uk`) lowercase and stem. Romanian folds
//!   diacritics *before* stemming, so "invatamant" and "Învățământul" meet. Russian maps ё to е.
//!   Ukrainian uses [`stem_ukrainian`], a light suffix stemmer (no Snowball stemmer exists for it).
//! - The `fold` analyzer ([`fold_word`]) is the cross-language, cross-script path: lowercase, every
//!   diacritic removed (Romanian ş/ș and ţ/ț in both cedilla and comma-below forms), Cyrillic and
//!   Greek transliterated to Latin. "scoala" meets "școală"; "бібліотека" and "библиотека" both
//!   become "biblioteka", one typo away from "biblioteca".

use model::Lang;
use std::borrow::Cow;
use std::collections::HashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark, is_nfc_quick};

/// Tokens longer than this many bytes are dropped (they are never words).
const MAX_TOKEN_BYTES: usize = 60;

/// The name under which a language's analyzer is registered.
pub fn analyzer_name(lang: Lang) -> &'static str {
    lang.code()
}

/// The name of the folding analyzer.
pub const FOLD: &str = "fold";

/// Every analyzer this index uses, by registered name.
pub fn analyzers() -> Vec<(&'static str, TextAnalyzer)> {
    let mut all: Vec<(&'static str, TextAnalyzer)> =
        Lang::ALL.iter().map(|&lang| (analyzer_name(lang), language_analyzer(lang))).collect();
    all.push((FOLD, fold_analyzer()));
    all
}

/// One word, without over-long tokens, lowercased: the start of every word's analysis.
macro_rules! word {
    () => {
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
    };
}

/// The analyzer for text written in `lang`.
pub fn language_analyzer(lang: Lang) -> TextAnalyzer {
    TextAnalyzer::from(MemoTokenizer::new(language_word(lang)))
}

/// What becomes of one word of text written in `lang`: lowercased, then stemmed.
fn language_word(lang: Lang) -> TextAnalyzer {
    match lang {
        Lang::En => word!().filter(Stemmer::new(Language::English)).build(),
        Lang::Ro => word!().filter(AsciiFoldingFilter).filter(Stemmer::new(Language::Romanian)).build(),
        Lang::Ru => word!().filter(MapFilter(russian_yo)).filter(Stemmer::new(Language::Russian)).build(),
        Lang::El => word!().filter(Stemmer::new(Language::Greek)).build(),
        Lang::Uk => word!().filter(MapFilter(stem_ukrainian_into)).build(),
    }
}

/// The cross-language analyzer: see [`fold_word`].
pub fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(MemoTokenizer::new(word!().filter(MapFilter(fold_into)).build()))
}

/// Distinct words a [`MemoTokenizer`] remembers before it starts afresh: word frequencies
/// follow Zipf's law, so a few thousand words are most of any text.
const MEMO_WORDS: usize = 1 << 15;

/// Splits text into words ([`SimpleTokenizer`]) and analyses each distinct word once, with
/// `word`, a chain of one-token filters (lowercasing, folding, stemming) over a
/// [`RawTokenizer`]; the terms are those the chain would give over the whole text, at the same
/// positions and offsets, because each of its filters maps one token to at most one. Stemming is
/// most of the cost of analysis, and the same words come back in every document. Each clone (one
/// per field and indexing thread) keeps its own memory. Searches keep theirs across queries, so
/// the hash is randomly seeded (words in queries are a stranger's) and the memory is bounded.
pub struct MemoTokenizer {
    words: SimpleTokenizer,
    word: TextAnalyzer,
    /// Each word seen, with its term (none for a dropped word).
    memo: HashMap<Box<str>, Option<Box<str>>, foldhash::fast::RandomState>,
}

impl MemoTokenizer {
    fn new(word: TextAnalyzer) -> MemoTokenizer {
        MemoTokenizer { words: SimpleTokenizer::default(), word, memo: Default::default() }
    }
}

impl Clone for MemoTokenizer {
    fn clone(&self) -> MemoTokenizer {
        MemoTokenizer::new(self.word.clone())
    }
}

impl Tokenizer for MemoTokenizer {
    type TokenStream<'a> = MemoTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoTokenStream<'a> {
        MemoTokenStream {
            words: self.words.token_stream(text),
            word: &mut self.word,
            memo: &mut self.memo,
            token: Token::default(),
        }
    }
}

pub struct MemoTokenStream<'a> {
    words: <SimpleTokenizer as Tokenizer>::TokenStream<'a>,
    word: &'a mut TextAnalyzer,
    memo: &'a mut HashMap<Box<str>, Option<Box<str>>, foldhash::fast::RandomState>,
    token: Token,
}

impl TokenStream for MemoTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let raw = self.words.token();
            let term = match self.memo.get(raw.text.as_str()) {
                Some(term) => term.as_deref(),
                None => {
                    let mut analysed = self.word.token_stream(&raw.text);
                    let term = analysed.advance().then(|| Box::<str>::from(analysed.token().text.as_str()));
                    if self.memo.len() >= MEMO_WORDS {
                        self.memo.clear();
                    }
                    self.memo.entry(raw.text.as_str().into()).or_insert(term).as_deref()
                }
            };
            let Some(term) = term else { continue };
            self.token.text.clear();
            self.token.text.push_str(term);
            self.token.offset_from = raw.offset_from;
            self.token.offset_to = raw.offset_to;
            self.token.position = raw.position;
            self.token.position_length = raw.position_length;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// NFC-normalises `text` and drops the invisible characters that would split a word (a
/// zero-width space or joiner, a soft hyphen, a byte-order mark pasted from a web page or a
/// PDF), borrowing when there is nothing to do (the common case).
pub fn normalize(text: &str) -> Cow<'_, str> {
    if !text.contains(is_invisible) && is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).nfc().collect())
    }
}

/// Characters with no width inside a word.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Runs `analyzer` over `text` and returns the terms.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let text = normalize(text);
    let mut stream = analyzer.token_stream(&text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Lowercase, strip every diacritic and transliterate Cyrillic and Greek to Latin.
pub fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(&word.to_lowercase(), &mut out);
    out
}

/// [`fold_word`] appending to `out`, lowercasing as it goes (no allocation for the lowercase).
pub fn fold_into_lowercase(word: &str, out: &mut String) {
    let start = out.len();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            let mut buffer = [0u8; 4];
            for lower in c.to_lowercase() {
                transliterate_into(lower.encode_utf8(&mut buffer), out);
            }
        }
    }
    loosen(out, start);
}

/// [`fold_word`] for text already lowercased, appending to `out`.
fn fold_into(word: &str, out: &mut String) {
    let start = out.len();
    transliterate_into(word, out);
    loosen(out, start);
}

/// Lowercase Latin letters for a word: diacritics removed, Cyrillic and Greek transliterated, with
/// no further evening-out (for readable slugs).
pub fn transliterate_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    transliterate_into(&word.to_lowercase(), &mut out);
    out
}

fn transliterate_into(word: &str, out: &mut String) {
    // Plain ASCII has nothing to decompose or transliterate (the commonest case by far).
    if word.is_ascii() {
        out.push_str(word);
        return;
    }
    for c in word.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match transliterate(c) {
            Some(latin) => out.push_str(latin),
            None if c.is_ascii() => out.push(c),
            None => match c {
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ø' => out.push('o'),
                'đ' => out.push('d'),
                'ł' => out.push('l'),
                'ı' => out.push('i'),
                'ʼ' | '’' | '\'' => {}
                other => out.push(other),
            },
        }
    }
}

/// Evens out the commonest spelling differences between Latin-script words and transliterated
/// Cyrillic or Greek ones, in `out[start..]`: c and k, y and i, w and v are the same letter, and
/// a doubled letter counts once. "biblioteca" and "бібліотека" both fold to "biblioteka";
/// "proiect" and "проєкт" to "proiekt".
fn loosen(out: &mut String, start: usize) {
    if out[start..].bytes().all(|b| !matches!(b, b'c' | b'y' | b'w')) && !has_double(&out[start..]) {
        return;
    }
    let mut loose = String::with_capacity(out.len() - start);
    for c in out[start..].chars() {
        let c = match c {
            'c' => 'k',
            'y' => 'i',
            'w' => 'v',
            c => c,
        };
        if loose.ends_with(c) && c.is_ascii_alphabetic() {
            continue;
        }
        loose.push(c);
    }
    out.truncate(start);
    out.push_str(&loose);
}

fn has_double(text: &str) -> bool {
    text.as_bytes().windows(2).any(|pair| pair[0] == pair[1] && pair[0].is_ascii_alphabetic())
}

/// Latin for one lowercase, accent-free Cyrillic or Greek letter.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        // Cyrillic (Ukrainian and Russian).
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' => "i",
        'ї' => "i",
        'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ь' => "",
        'ъ' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'ё' => "e",
        // Greek.
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

fn russian_yo(word: &str, out: &mut String) {
    out.extend(word.chars().map(|c| if c == 'ё' { 'е' } else { c }));
}

/// Noun, adjective, pronoun and verb endings, longest first within each length.
/// Reflexive `-ся`/`-сь` is removed first; then the longest ending that leaves a stem of at least
/// [`UK_MIN_STEM`] characters; then a final soft sign.
const UK_ENDINGS: &[&str] = &[
    // 4 letters
    "ість", "ості", "ному", "ньої", "ньою", // 3 letters
    "ами", "ями", "ьми", "ові", "еві", "єві", "ого", "ому", "ими", "іми", "ших", "ший", "ища", "ище", "ати", "яти",
    "ити", "іти", "ути", "ють", "ять", "уть", "ить", "ать", "емо", "ємо", "имо", "ете", "єте", "ите", "ала", "ало",
    "али", "ила", "ило", "или", "ною", // 2 letters
    "ах", "ях", "ам", "ям", "ом", "ем", "єм", "ою", "ею", "єю", "ів", "їв", "ей", "ій", "ий", "їй", "ої", "ая", "яя",
    "ую", "юю", "их", "іх", "им", "ім", // 1 letter
    "а", "я", "о", "е", "є", "и", "і", "ї", "у", "ю", "й", "ь",
];

/// A stem is never cut shorter than this many letters.
const UK_MIN_STEM: usize = 3;

/// Light Ukrainian stemmer: removes one inflectional ending so that the forms of a word meet
/// (бібліотека, бібліотеки, бібліотеках, бібліотекою → бібліотек). It does not undo consonant
/// alternations (бібліотеці keeps its ц); typo tolerance on the folded field covers those.
pub fn stem_ukrainian(word: &str) -> String {
    let mut out = String::new();
    stem_ukrainian_into(word, &mut out);
    out
}

fn stem_ukrainian_into(word: &str, out: &mut String) {
    let word = word.trim_matches(|c| matches!(c, '\'' | '’' | 'ʼ'));
    if !word.chars().all(is_cyrillic) {
        out.push_str(word);
        return;
    }
    // Every letter from U+0400 to U+04FF is two bytes of UTF-8, so a word's letters are half its
    // bytes, and an ending (Cyrillic too) is cut off by its byte length.
    let letters = |text: &str| text.len() / 2;
    let mut stem = word;
    // Reflexive particle.
    if letters(stem) > UK_MIN_STEM + 2 && (stem.ends_with("ся") || stem.ends_with("сь")) {
        stem = &stem[..stem.len() - "ся".len()];
    }
    if let Some(ending) =
        UK_ENDINGS.iter().find(|ending| letters(stem) >= UK_MIN_STEM + letters(ending) && stem.ends_with(*ending))
    {
        stem = &stem[..stem.len() - ending.len()];
    }
    if letters(stem) > UK_MIN_STEM && stem.ends_with('ь') {
        stem = &stem[..stem.len() - 'ь'.len_utf8()];
    }
    out.push_str(stem);
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// A token filter that rewrites each token's text with a function.
#[derive(Clone, Copy)]
pub struct MapFilter(pub fn(&str, &mut String));

impl TokenFilter for MapFilter {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokenizer<T> {
        MapTokenizer { map: self.0, inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct MapTokenizer<T> {
    map: fn(&str, &mut String),
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MapTokenizer<T> {
    type TokenStream<'a> = MapTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream { map: self.map, tail: self.inner.token_stream(text), buffer: String::new() }
    }
}

pub struct MapTokenStream<T> {
    map: fn(&str, &mut String),
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for MapTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.buffer.clear();
        (self.map)(&token.text, &mut self.buffer);
        std::mem::swap(&mut token.text, &mut self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(lang: Lang, text: &str) -> Vec<String> {
        terms(&mut language_analyzer(lang), text)
    }

    fn fold(text: &str) -> Vec<String> {
        terms(&mut fold_analyzer(), text)
    }

    #[test]
    fn folding_meets_across_diacritics_and_scripts() {
        // Comma-below and cedilla forms of ș and ț, precomposed and decomposed.
        assert_eq!(fold("școală ştiinţă"), fold("scoala stiinta"));
        assert_eq!(fold("știință"), fold("stiinta"));
        assert_eq!(fold("scoala"), fold("școală"));
        assert_eq!(fold("s\u{0326}coala\u{0306}"), ["skoala"]);
        assert_eq!(fold("Învățământul"), ["invatamantul"]);
        assert_eq!(fold("бібліотека"), ["biblioteka"]);
        assert_eq!(fold("библиотека"), ["biblioteka"]);
        assert_eq!(fold("biblioteca"), ["biblioteka"], "Latin c and Cyrillic к meet");
        assert_eq!(fold("proiect проєкт"), ["proiekt", "proiekt"]);
        assert_eq!(fold("Βιβλιοθήκη"), ["vivliothiki"]);
        assert_eq!(fold("Їжак йде"), ["izhak", "ide"]);
    }

    #[test]
    fn the_quick_fold_equals_the_analyzer() {
        for word in ["Școală", "COMMUNITY", "biblioteca", "Бібліотека", "ŞTIINŢĂ", "programme", "Βιβλιοθήκη"]
        {
            let mut quick = String::new();
            fold_into_lowercase(word, &mut quick);
            assert_eq!(vec![quick], fold(word), "{word}");
        }
    }

    #[test]
    fn romanian_folds_before_stemming() {
        assert_eq!(analyze(Lang::Ro, "invatamant"), analyze(Lang::Ro, "Învățământ"));
        assert_eq!(analyze(Lang::Ro, "bibliotecile"), analyze(Lang::Ro, "bibliotecilor"));
        assert_eq!(analyze(Lang::Ro, "școli"), analyze(Lang::Ro, "scoli"));
    }

    #[test]
    fn english_and_russian_stem() {
        assert_eq!(analyze(Lang::En, "libraries coding"), ["librari", "code"]);
        assert_eq!(analyze(Lang::Ru, "библиотеки"), analyze(Lang::Ru, "библиотека"));
        assert_eq!(analyze(Lang::Ru, "ёлка"), analyze(Lang::Ru, "елка"));
    }

    #[test]
    fn ukrainian_light_stemmer_joins_word_forms() {
        for forms in [
            &["бібліотека", "бібліотеки", "бібліотеку", "бібліотекою", "бібліотеках", "бібліотекам"][..],
            &["громадянська", "громадянської", "громадянську", "громадянських"],
            &["школа", "школи", "школу", "школою", "школах"],
            &["програмування", "програмуванням", "програмуванню"],
            &["діти", "дітей", "дітям", "дітьми"],
        ] {
            let stems: Vec<String> = forms.iter().map(|form| stem_ukrainian(form)).collect();
            assert!(stems.iter().all(|stem| *stem == stems[0]), "{forms:?} -> {stems:?}");
        }
        // Short words are left whole; the reflexive particle goes.
        assert_eq!(stem_ukrainian("він"), "він");
        assert_eq!(stem_ukrainian("навчаються"), stem_ukrainian("навчають"));
        // Latin tokens pass through.
        assert_eq!(stem_ukrainian("code"), "code");
        // The stemmer counts letters as two bytes each: every ending must be Cyrillic.
        assert!(UK_ENDINGS.iter().all(|ending| ending.chars().all(is_cyrillic)));
    }

    /// The analyzers as they were before the memory: a filter chain over all the text.
    macro_rules! base_words {
        () => {
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        };
    }

    /// Every token of `analyzer` over `text`: term, position and byte offsets.
    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            out.push((token.text.clone(), token.position, token.offset_from, token.offset_to));
        }
        out
    }

    #[test]
    fn the_memo_gives_what_the_filters_give_over_the_whole_text() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let text = format!(
            "Bibliotecile publice, bibliotecile! Школа школи {long} Βιβλιοθήκη ёлка libraries Libraries coding, \
             Învățământul școală ştiinţă бібліотеками навчаються"
        );
        for lang in Lang::ALL {
            let plain = base_words!().filter(LowerCaser);
            let mut plain = match lang {
                Lang::En => plain.filter(Stemmer::new(Language::English)).build(),
                Lang::Ro => plain.filter(AsciiFoldingFilter).filter(Stemmer::new(Language::Romanian)).build(),
                Lang::Ru => plain.filter(MapFilter(russian_yo)).filter(Stemmer::new(Language::Russian)).build(),
                Lang::El => plain.filter(Stemmer::new(Language::Greek)).build(),
                Lang::Uk => plain.filter(MapFilter(stem_ukrainian_into)).build(),
            };
            let mut memo = language_analyzer(lang);
            // Twice: the second pass answers from the memory.
            for _ in 0..2 {
                assert_eq!(tokens(&mut memo, &text), tokens(&mut plain, &text), "{lang}");
            }
        }
        let mut plain = base_words!().filter(LowerCaser).filter(MapFilter(fold_into)).build();
        let mut memo = fold_analyzer();
        for _ in 0..2 {
            assert_eq!(tokens(&mut memo, &text), tokens(&mut plain, &text));
        }
        // The dropped long word leaves its position empty, as the filter does.
        assert_eq!(tokens(&mut fold_analyzer(), &format!("a {long} b"))[1].1, 2);
    }

    #[test]
    fn nfd_input_is_normalised() {
        let decomposed: String = "școală".nfd().collect();
        assert_eq!(analyze(Lang::Ro, &decomposed), analyze(Lang::Ro, "școală"));
    }
}
