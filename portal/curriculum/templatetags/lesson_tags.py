"""Template helpers for lesson pages: Markdown, commands with placeholders, and the
CSRF token in the parts rendered ahead."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from portal.curriculum.body import CSRF_SLOT
from portal.lib.markdown import render_markdown

register = template.Library()

PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9_.-]*>")


@register.filter
def markdown(text: str | None) -> SafeString:
    return render_markdown(text)


@register.filter
def with_csrf(html: SafeString, token: object) -> SafeString:
    """A part of the lesson page rendered ahead, with the request's CSRF token in it."""
    return mark_safe(html.replace(CSRF_SLOT, escape(token)))  # noqa: S308 - html is safe


@register.filter
def command_html(command: str) -> SafeString:
    """Escape a command and mark each `<placeholder>` so the learner sees what to fill in."""
    parts: list[tuple[str, str]] = []
    position = 0
    for match in PLACEHOLDER.finditer(command):
        parts.append(("text", command[position : match.start()]))
        parts.append(("placeholder", match.group()))
        position = match.end()
    parts.append(("text", command[position:]))
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<var class="placeholder" title="Replace with your own value">'
                    "{}</var>",
                    text,
                )
                if kind == "placeholder"
                else text,
            )
            for kind, text in parts
            if text
        ),
    )
