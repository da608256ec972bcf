//! Markdown to what a page shows: sanitised HTML for reading, plain text for indexing and
//! snippets. Rendering happens once, at index time.
//!
//! Raw HTML in the Markdown (`<script>`, `<div>`) is neither shown nor indexed: the tags are
//! dropped and the text between inline tags kept. Containers nested deeper than [`MAX_DEPTH`]
//! are flattened into their parent, keeping their text: html5ever, under ammonia, takes time
//! quadratic in nesting depth (a 256 KB file of `1. 1. 1. …` took minutes). ammonia then removes
//! everything not on its allow-list (`javascript:` links, event handlers). No HTML from content
//! reaches a page without going through [`markdown_to_html`].

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .rm_tags(["img"]);
    builder
});

/// How deeply elements may nest in rendered HTML; deeper ones are flattened into their parent.
pub const MAX_DEPTH: usize = 24;

/// Renders Markdown to HTML that is safe to insert into a page.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    // Whether each open element was written, so that its end is written or skipped alike.
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0;
    let events = Parser::new_ext(markdown, options()).filter(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) => false,
        Event::Start(_) => {
            let written = depth < MAX_DEPTH;
            depth += usize::from(written);
            open.push(written);
            written
        }
        Event::End(_) => {
            let written = open.pop().unwrap_or(false);
            depth -= usize::from(written);
            written
        }
        _ => true,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

/// Sanitises an HTML fragment with the project's allow-list.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// The words of a Markdown text without its markup or section headings, blocks separated by
/// newlines.
pub fn markdown_to_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    // Section headings ("Context", "Results") are the same in every case: leave them out.
    let mut in_heading = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(_) | Event::Code(_) if in_heading => {}
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_) | TagEnd::CodeBlock,
            ) if !text.ends_with('\n') => {
                text.push('\n');
            }
            Event::Start(Tag::Item) if !text.is_empty() && !text.ends_with('\n') => text.push('\n'),
            // Raw HTML is neither shown as text nor indexed.
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

/// The text of HTML made by [`markdown_to_html`], as [`markdown_to_text`] gives it for the
/// Markdown: no tags, no section headings, entities decoded, blocks on lines of their own. For
/// snippets, which are cut from the stored HTML rather than from a second stored copy.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    let mut in_heading = false;
    while let Some(at) = rest.find(['<', '&']) {
        if !in_heading {
            text.push_str(&rest[..at]);
        }
        rest = &rest[at..];
        if rest.starts_with('&') {
            let (decoded, len) = entity(rest);
            if !in_heading {
                text.push_str(decoded);
            }
            rest = &rest[len..];
            continue;
        }
        // A tag: its name, then past its closing `>` (attribute values may hold `>` in quotes).
        let end = tag_end(rest);
        let tag = &rest[1..end];
        rest = &rest[(end + 1).min(rest.len())..];
        let closing = tag.starts_with('/');
        // The tag's name, lowercased on the stack (the names that matter are short).
        let bare = tag.trim_start_matches('/').as_bytes();
        let len = bare.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        let mut name = [0u8; 10];
        if len <= name.len() {
            name[..len].copy_from_slice(&bare[..len]);
            name[..len].make_ascii_lowercase();
        }
        let name = if len <= name.len() { std::str::from_utf8(&name[..len]).unwrap_or("") } else { "" };
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => in_heading = !closing,
            "p" | "li" | "td" | "th" | "blockquote" | "pre" | "tr" | "ul" | "ol" | "table" | "div"
                if closing && !text.is_empty() && !text.ends_with('\n') =>
            {
                text.push('\n');
            }
            "li" if !text.is_empty() && !text.ends_with('\n') => text.push('\n'),
            "br" => text.push(' '),
            _ => {}
        }
    }
    if !in_heading {
        text.push_str(rest);
    }
    text.trim_end().to_owned()
}

/// The position of the `>` closing the tag `tag` starts with (or its length if unclosed).
fn tag_end(tag: &str) -> usize {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(open)) if c == open => quote = None,
            ('>', None) => return i,
            _ => {}
        }
    }
    tag.len()
}

/// The character an entity at the start of `text` stands for, and the entity's length; an
/// unknown one stays as it is.
fn entity(text: &str) -> (&str, usize) {
    const NAMED: [(&str, &str); 7] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&nbsp;", "\u{a0}"),
    ];
    NAMED.iter().find(|(name, _)| text.starts_with(name)).map_or(("&", 1), |(name, value)| (value, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_sections_and_lists() {
        let html =
            markdown_to_html("## Context\n\nChildren *code* in [libraries](https://example.org).\n\n- one\n- two\n");
        assert!(html.contains("<h2>Context</h2>"), "{html}");
        assert!(html.contains("<em>code</em>"), "{html}");
        assert!(html.contains("<a href=\"https://example.org\" rel=\"noopener noreferrer nofollow\">"), "{html}");
        assert!(html.contains("<li>two</li>"), "{html}");
    }

    #[test]
    fn removes_script_handlers_and_javascript_links() {
        let hostile = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">y</a> <svg onload=alert(5)></svg> <iframe src=\"https://evil.org\"></iframe>";
        let html = markdown_to_html(hostile);
        for bad in ["<script", "onerror", "javascript:", "onload", "<iframe", "<svg", "<img"] {
            assert!(!html.to_lowercase().contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn text_from_the_html_has_the_words_of_the_text_from_the_markdown() {
        let markdown = "## Context\n\nChildren *code* in [libraries](https://example.org \"a > b\") & \"clubs\" <b>raw</b>.\n\n\
            - one\n- two 5 < 6\n\n| a | b |\n|---|---|\n| c | d |\n\n> quoted\n\n### Results\n\nIt's done.";
        let words = |text: &str| text.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let from_html = html_to_text(&markdown_to_html(markdown));
        assert_eq!(words(&from_html), words(&markdown_to_text(markdown)), "{from_html}");
        assert!(!from_html.contains("Context") && !from_html.contains("Results"), "{from_html}");
    }

    #[test]
    fn deep_nesting_is_flattened_and_keeps_its_text() {
        for piece in ["> ", "1. ", "- ", "* > "] {
            let html = markdown_to_html(&format!("{}deep", piece.repeat(1000)));
            let depth = html.split('<').skip(1).fold((0_usize, 0_usize), |(now, max), tag| {
                if tag.starts_with('/') { (now - 1, max) } else { (now + 1, max.max(now + 1)) }
            });
            assert!(depth.1 <= MAX_DEPTH, "{piece:?}: {} levels", depth.1);
            assert!(html.contains("deep"), "{piece:?}: {html}");
        }
        let emphasis = markdown_to_html(&format!("{}deep{}", "*_".repeat(100), "_*".repeat(100)));
        assert!(emphasis.contains("<em><em>") && emphasis.contains("deep"), "{emphasis}");
    }

    #[test]
    fn raw_html_tags_are_dropped_and_inline_text_kept() {
        let html =
            markdown_to_html("Some <b>bold</b> and <span title=x>spanned</span> words.\n\n<div>\nblock\n</div>\n");
        assert_eq!(html.trim(), "<p>Some bold and spanned words.</p>");
    }

    #[test]
    fn plain_text_drops_markup() {
        let text = markdown_to_text(
            "## Context\n\nChildren *code* in [libraries](https://example.org).\n\n<b>raw</b>\n\n- one\n- two",
        );
        // Text inside inline HTML is content; the tags are not.
        assert_eq!(text, "Children code in libraries.\nraw\none\ntwo");
    }
}
