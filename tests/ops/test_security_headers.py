from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.ops.conftest import REPO_DIR

TEMPLATES_DIR = REPO_DIR / "templates"

# What a Content Security Policy without 'unsafe-inline' and 'unsafe-eval' blocks:
# inline scripts, style elements and attributes, event handler attributes, javascript:
# URLs, and htmx attributes that htmx evaluates as JavaScript.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>"
    r"|<style\b"
    r"|\sstyle\s*="
    r"|\son[a-z]+\s*="
    r"|javascript:"
    r"|\shx-on[:-]"
    r"|\shx-vars\s*="
    r"|[\"']js:",
    re.IGNORECASE,
)


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_pages_carry_a_policy_without_unsafe_inline(client: Client, db: None) -> None:
    response = client.get("/")

    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_the_htmx_script_carries_the_nonce_of_the_policy(
    client: Client, db: None
) -> None:
    response = client.get("/")

    script_src = _directives(response["Content-Security-Policy"])["script-src"]
    assert script_src[0] == "'self'"
    nonce = re.fullmatch(r"'nonce-([^']+)'", script_src[1])
    assert nonce is not None
    html = response.content.decode()
    assert re.search(
        rf'<script src="/static/django_htmx/htmx-2\.min\.js" defer '
        rf'nonce="{re.escape(nonce[1])}"></script>',
        html,
    )


def test_each_response_gets_a_new_nonce(client: Client, db: None) -> None:
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]

    assert first != second


def test_htmx_is_told_not_to_inline_styles_or_evaluate_code(
    client: Client, db: None
) -> None:
    response = client.get("/")

    assert (
        b'<meta name="htmx-config" content=\''
        b'{"includeIndicatorStyles": false, "allowEval": false}\'>'
    ) in response.content


def test_pages_deny_framing_sniffing_and_cross_site_referrers(
    client: Client, db: None
) -> None:
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "template",
    sorted(TEMPLATES_DIR.rglob("*.html")),
    ids=lambda path: str(path.relative_to(TEMPLATES_DIR)),
)
def test_templates_hold_no_code_the_policy_would_block(template: Path) -> None:
    text = template.read_text(encoding="utf-8")

    found = [match.group(0).strip() for match in INLINE_CODE.finditer(text)]

    assert found == []
