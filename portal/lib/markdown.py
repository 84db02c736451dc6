"""The one place where Markdown becomes HTML.

Lesson and quiz text is Markdown, never HTML: the raw-HTML rules of Python-Markdown are
removed, so `<pod>` in prose shows as the placeholder it is and `<script>` shows as text.
The result is then sanitized with nh3 as a second line of defence, which also removes
`javascript:` links that Markdown's link syntax could otherwise produce.
"""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


@lru_cache(maxsize=2048)
def _render(text: str) -> str:
    html = _converter().convert(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str | None) -> SafeString:
    """Render author Markdown to sanitized HTML that is safe to put in a page."""
    if not text:
        return mark_safe("")
    return mark_safe(_render(text))  # noqa: S308 - sanitized by nh3 just above
