import pytest

from portal.lib.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Run `kubectl logs <pod>`",
            "<p>Run <code>kubectl logs &lt;pod&gt;</code></p>",
        ),
        ("Replace <pod> with the name", "<p>Replace &lt;pod&gt; with the name</p>"),
        ("*calm* and **clear**", "<p><em>calm</em> and <strong>clear</strong></p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        (
            "[click](javascript:alert(1))",
            '<p><a rel="noopener noreferrer nofollow">click</a></p>',
        ),
        (
            "[runbook](https://example.com/rb)",
            '<p><a href="https://example.com/rb" rel="noopener noreferrer nofollow">'
            "runbook</a></p>",
        ),
        ("", ""),
    ],
)
def test_it_renders_markdown_and_never_html(source: str, expected: str) -> None:
    assert str(render_markdown(source)) == expected


def test_block_html_is_shown_as_text() -> None:
    html = str(render_markdown('<div onclick="steal()">hi</div>\n\nafter'))

    assert "<div" not in html
    assert "&lt;div onclick=" in html
