from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.curriculum.lesson_files import write_curriculum

pytestmark = pytest.mark.django_db

HOSTILE = """\
slug: hostile
title: "<script>alert('title')</script>"
level: beginner
number: 1
sections:
  - kind: simple
    title: <img src=x onerror=alert(1)>
    body: |
      Hello <script>alert(1)</script> and <b onclick="x()">bold</b>.

      [runbook](javascript:alert(2))
  - kind: commands
    title: Commands
    commands:
      - command: kubectl get pods"><script>alert(3)</script>
  - kind: visual
    title: Flow
    steps: ["<svg onload=alert(4)>", Done]
"""


def test_hostile_content_renders_harmless(tmp_path: Path, client: Client) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-hostile": HOSTILE})
    call_command("load_curriculum", lessons_dir=root, verbosity=0)

    html = client.get("/lessons/hostile/").content.decode()

    assert "<script>alert" not in html
    assert "<img" not in html
    assert "<svg" not in html
    assert "onclick=" not in html.replace("&lt;b onclick=", "")
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_callouts_show_on_every_kind_of_section(tmp_path: Path, client: Client) -> None:
    lesson = HOSTILE.replace(
        '      - command: kubectl get pods"><script>alert(3)</script>\n',
        "      - command: kubectl get pods\n    callouts:\n"
        "      - kind: tip\n        text: Add -n to pick a namespace.\n",
    )
    root = write_curriculum(tmp_path / "lessons", {"01-hostile": lesson})
    call_command("load_curriculum", lessons_dir=root, verbosity=0)

    html = client.get("/lessons/hostile/").content.decode()

    assert '<aside class="callout callout-tip" role="note" aria-label="Tip">' in html
    assert "Add -n to pick a namespace." in html
