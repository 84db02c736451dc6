from __future__ import annotations

from django.test import Client

from portal.curriculum.models import Lesson
from tests.conftest import PASSWORD


def test_sign_up_then_sign_in_then_read_to_a_complete_lesson(
    client: Client, basics: Lesson
) -> None:
    client.post(
        "/accounts/signup/",
        {
            "username": "erin",
            "email": "erin@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    client.post("/accounts/logout/")
    signed_in = client.post(
        "/accounts/login/",
        {"username": "erin", "password": PASSWORD, "next": "/lessons/basics/"},
    )
    client.get("/lessons/basics/")
    client.post("/lessons/basics/sections/simple/read/")
    halfway = client.get("/dashboard/")

    client.post(
        "/lessons/basics/sections/questions/read/", headers={"HX-Request": "true"}
    )

    done = client.get("/dashboard/")
    assert signed_in["Location"] == "/lessons/basics/"
    assert b'<progress id="progress-basics" max="100" value="50">' in halfway.content
    assert b'<progress id="progress-basics" max="100" value="100">' in done.content
    assert b"1 of 1 lesson complete" in done.content
    assert b"Completed the lesson" in done.content
