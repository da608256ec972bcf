//! Markdown to what a page shows: sanitised HTML for reading, plain text for indexing and
//! snippets. Rendering happens once, at index time.
//!
//! pulldown-cmark passes raw HTML (`<script>`, `onerror=`, `javascript:` links) straight through;
//! ammonia then removes everything not on its allow-list. No HTML from content reaches a page
//! without going through [`markdown_to_html`].

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

/// Renders Markdown to HTML that is safe to insert into a page.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
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
            ) => {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
            }
            Event::Start(Tag::Item) if !text.is_empty() && !text.ends_with('\n') => text.push('\n'),
            // Raw HTML is neither shown as text nor indexed.
            _ => {}
        }
    }
    text.trim_end().to_owned()
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
    fn plain_text_drops_markup() {
        let text = markdown_to_text(
            "## Context\n\nChildren *code* in [libraries](https://example.org).\n\n<b>raw</b>\n\n- one\n- two",
        );
        // Text inside inline HTML is content; the tags are not.
        assert_eq!(text, "Children code in libraries.\nraw\none\ntwo");
    }
}
