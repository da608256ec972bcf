//! Snippets: the best short window of a text, HTML-escaped, with the words the query matched in
//! `<mark>`. Matching uses the same analysis as the index, so a stemmed, folded, typo or prefix
//! match is highlighted exactly when it could have matched.

use super::analysis::{self, fold_word};
use super::query::Highlight;
use model::Lang;
use std::collections::{HashMap, HashSet};
use tantivy::tokenizer::TextAnalyzer;

/// Longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 200;
/// Characters of a text searched for the best window when its opening has a match.
const SCAN_CHARS: usize = 4000;

/// Highlights `text` (written in `lang`) for `highlight`; returns the best window.
pub fn snippet(text: &str, lang: Lang, highlight: &Highlight, analyzer: &mut TextAnalyzer) -> String {
    // Look for matches in the text's opening first (its words that start within SCAN_CHARS);
    // only a text without any there is read to its end. Long texts cost no more than needed,
    // and a match anywhere is still shown.
    let mut read = opening_end(text);
    let mut words = words(&text[..read]);
    let mut matcher = Matcher::new(lang, highlight);
    let mut matched: Vec<bool> =
        words.iter().map(|word| matcher.is_match(&text[word.start..word.end], analyzer)).collect();
    if !matched.contains(&true) && read < text.len() {
        read = text.len();
        words = self::words(text);
        matched
            .extend(words[matched.len()..].iter().map(|word| matcher.is_match(&text[word.start..word.end], analyzer)));
    }
    if words.is_empty() {
        return escape(&text.chars().take(SNIPPET_CHARS).collect::<String>());
    }

    // Slide a window of at most SNIPPET_CHARS characters over the words; keep the one with the
    // most matches (the earliest on ties).
    let span = |first: usize, last: usize| words[last].end_char - words[first].start_char;
    let (mut best_start, mut best_count) = (0, 0);
    let (mut end, mut count) = (0, 0);
    for start in 0..words.len() {
        while end < words.len() && (end <= start || span(start, end) <= SNIPPET_CHARS) {
            count += usize::from(matched[end]);
            end += 1;
        }
        if count > best_count {
            (best_start, best_count) = (start, count);
        }
        count -= usize::from(matched[start]);
    }

    // Start at the window's first match, then a few words earlier for context.
    let mut first = best_start;
    if best_count > 0 {
        let anchor = (best_start..words.len()).find(|&w| matched[w]).unwrap_or(best_start);
        first = anchor;
        while first > 0
            && anchor - first < 6
            && words[anchor].start_char - words[first - 1].start_char <= SNIPPET_CHARS / 4
        {
            first -= 1;
        }
    }
    let window_start = if first == 0 { 0 } else { words[first].start };
    let mut out = String::with_capacity(SNIPPET_CHARS + 64);
    if window_start > 0 {
        out.push('…');
    }
    let mut cursor = window_start;
    let mut last = first;
    for (w, word) in words.iter().enumerate().skip(first) {
        if w > first && span(first, w) > SNIPPET_CHARS {
            break;
        }
        out.push_str(&escape(&text[cursor..word.start]));
        let shown = escape(&text[word.start..word.end]);
        if matched[w] {
            out.push_str("<mark>");
            out.push_str(&shown);
            out.push_str("</mark>");
        } else {
            out.push_str(&shown);
        }
        cursor = word.end;
        last = w;
    }
    // Past the last word shown come more words, or text that was not read.
    if last + 1 < words.len() || read < text.len() {
        out.push('…');
    } else {
        out.push_str(&escape(&text[cursor..]));
    }
    collapse_whitespace(&out)
}

/// Where the text's opening ends: after the word under its [`SCAN_CHARS`]th character, or the
/// text's end.
fn opening_end(text: &str) -> usize {
    let Some((at, _)) = text.char_indices().nth(SCAN_CHARS) else { return text.len() };
    text[at..].char_indices().find(|&(_, c)| !is_word_char(c)).map_or(text.len(), |(i, _)| at + i)
}

/// Runs of whitespace as one space, none at either end.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Decides which words of a text match the query, stemming only the words that could.
struct Matcher<'a> {
    lang: Lang,
    highlight: &'a Highlight,
    /// The first two folded letters of every stem, folded term and prefix: a word starting
    /// otherwise cannot match, which rules out most words without stemming them.
    starts: HashSet<[char; 2]>,
    /// Their first letters alone, checked before a word is folded at all.
    firsts: Vec<char>,
    /// Whether a word starting with a given letter (as written) can match: most words of a text
    /// are ruled out by this one look-up, without folding anything.
    first_letters: HashMap<char, bool>,
    folded: String,
    /// Words already decided in this text.
    seen: HashMap<String, bool>,
}

fn start_of(word: &str) -> [char; 2] {
    let mut chars = word.chars();
    [chars.next().unwrap_or(' '), chars.next().unwrap_or(' ')]
}

impl<'a> Matcher<'a> {
    fn new(lang: Lang, highlight: &'a Highlight) -> Self {
        let stems = highlight.stems[lang.index()].iter().map(|stem| fold_word(stem));
        let starts: HashSet<[char; 2]> = stems
            .chain(highlight.folded.iter().cloned())
            .chain(highlight.prefixes.iter().cloned())
            .map(|word| start_of(&word))
            .collect();
        let mut firsts: Vec<char> = starts.iter().map(|[first, _]| *first).collect();
        firsts.sort_unstable();
        firsts.dedup();
        Matcher {
            lang,
            highlight,
            starts,
            firsts,
            first_letters: HashMap::new(),
            folded: String::new(),
            seen: HashMap::new(),
        }
    }

    fn is_match(&mut self, word: &str, analyzer: &mut TextAnalyzer) -> bool {
        // Most words of a text fail on their first letter: fold that letter alone first, once
        // per letter and text.
        if let Some(first) = word.chars().next() {
            let firsts = &self.firsts;
            let folded = &mut self.folded;
            let possible = *self.first_letters.entry(first).or_insert_with(|| {
                folded.clear();
                analysis::fold_into_lowercase(first.encode_utf8(&mut [0u8; 4]), folded);
                folded.chars().next().is_none_or(|folded_first| firsts.contains(&folded_first))
            });
            if !possible {
                return false;
            }
        }
        self.folded.clear();
        analysis::fold_into_lowercase(word, &mut self.folded);
        if !self.starts.contains(&start_of(&self.folded)) {
            return false;
        }
        if let Some(&known) = self.seen.get(&self.folded) {
            return known;
        }
        let highlight = self.highlight;
        let found = highlight.folded.contains(&self.folded)
            || highlight.prefixes.iter().any(|prefix| self.folded.starts_with(prefix.as_str()))
            || {
                let stems = &highlight.stems[self.lang.index()];
                !stems.is_empty() && analysis::terms(analyzer, word).iter().any(|stem| stems.contains(stem))
            };
        self.seen.insert(self.folded.clone(), found);
        found
    }
}

/// A word of the text: byte and character offsets.
struct Word {
    start: usize,
    end: usize,
    start_char: usize,
    end_char: usize,
}

/// The words (runs of letters and digits) of `text`.
fn words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut chars = 0;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), open) {
            (true, None) => open = Some((i, chars)),
            (false, Some((start, start_char))) => {
                words.push(Word { start, end: i, start_char, end_char: chars });
                open = None;
            }
            _ => {}
        }
        chars += 1;
    }
    if let Some((start, start_char)) = open {
        words.push(Word { start, end: text.len(), start_char, end_char: chars });
    }
    words
}

/// `char::is_alphanumeric` (as the index's tokenizer splits words), answered without a table
/// look-up for the letters of this collection's scripts: Latin with its accents, Greek, Cyrillic.
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        c if c.is_ascii() => false,
        '\u{00C0}'..='\u{00D6}' | '\u{00D8}'..='\u{00F6}' | '\u{00F8}'..='\u{024F}' => true,
        '\u{0391}'..='\u{03A1}' | '\u{03A3}'..='\u{03A9}' | '\u{03B1}'..='\u{03C9}' => true,
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => true,
        c => c.is_alphanumeric(),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight_for(lang: Lang, words: &[&str]) -> Highlight {
        let mut highlight = Highlight::default();
        let mut analyzer = analysis::language_analyzer(lang);
        for word in words {
            highlight.stems[lang.index()].extend(analysis::terms(&mut analyzer, word));
            highlight.folded.insert(fold_word(word));
        }
        highlight
    }

    #[test]
    fn marks_stemmed_and_folded_matches() {
        let text = "Copiii învață programare în bibliotecile publice din școală.";
        let highlight = highlight_for(Lang::Ro, &["biblioteca", "scoala"]);
        let out = snippet(text, Lang::Ro, &highlight, &mut analysis::language_analyzer(Lang::Ro));
        assert!(out.contains("<mark>bibliotecile</mark>"), "{out}");
        assert!(out.contains("<mark>școală</mark>"), "{out}");
    }

    #[test]
    fn escapes_html_in_text() {
        let text = "Code <script>alert(1)</script> & coding clubs";
        let out =
            snippet(text, Lang::En, &highlight_for(Lang::En, &["coding"]), &mut analysis::language_analyzer(Lang::En));
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(out.contains("<mark>coding</mark>"), "{out}");
    }

    #[test]
    fn word_characters_agree_with_the_standard_library() {
        for c in ('\0'..='\u{2FFF}').chain(['\u{1F600}', '\u{4E2D}']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn a_match_past_the_opening_of_a_long_text_is_found() {
        let text = format!("{} coding clubs", "filler words here ".repeat(400));
        let out =
            snippet(&text, Lang::En, &highlight_for(Lang::En, &["coding"]), &mut analysis::language_analyzer(Lang::En));
        assert!(out.contains("<mark>coding</mark>"), "{out}");
        assert!(out.starts_with('…'), "{out}");
    }

    #[test]
    fn a_match_in_the_opening_of_a_long_text_reads_no_further() {
        let text = format!("coding clubs {}", "filler words here ".repeat(400));
        assert!(opening_end(&text) < text.len());
        // Character 4,000 falls inside a "words": the opening ends after it, not inside it.
        assert!(text[..opening_end(&text)].ends_with("filler words"), "{}", &text[opening_end(&text) - 20..]);
        let out =
            snippet(&text, Lang::En, &highlight_for(Lang::En, &["coding"]), &mut analysis::language_analyzer(Lang::En));
        assert!(out.starts_with("<mark>coding</mark> clubs"), "{out}");
        assert!(out.ends_with('…'), "{out}");
        assert_eq!(opening_end("short text"), "short text".len());
    }

    #[test]
    fn long_texts_are_cut_around_the_match() {
        let text = format!("{} coding {}", "filler words here ".repeat(40), "more words after ".repeat(40));
        let out =
            snippet(&text, Lang::En, &highlight_for(Lang::En, &["coding"]), &mut analysis::language_analyzer(Lang::En));
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<mark>coding</mark>"), "{out}");
        assert!(out.chars().count() <= SNIPPET_CHARS + 40, "{}", out.chars().count());
    }
}
