from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import PASSWORD


def test_sign_in_returns_to_next(client: Client, learner: User) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "next": "/lessons/basics/"},
    )

    assert response["Location"] == "/lessons/basics/"


def test_sign_in_ignores_a_next_on_another_site(client: Client, learner: User) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "next": "//evil.example/"},
    )

    assert response["Location"] == "/dashboard/"


def test_a_wrong_password_is_announced(client: Client, learner: User) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": "x"})

    assert response.status_code == 200
    assert b'role="alert"' in response.content


def test_the_navigation_offers_sign_in_to_anonymous_users(
    client: Client, db: None
) -> None:
    response = client.get("/")

    assert b'href="/accounts/login/?next=/"' in response.content
    assert b'href="/accounts/signup/?next=/"' in response.content


def test_account_pages_do_not_send_people_back_to_themselves(
    client: Client, db: None
) -> None:
    response = client.get("/accounts/login/")

    assert b'href="/accounts/login/"' in response.content
    assert b"next=/accounts/" not in response.content


def test_the_navigation_offers_dashboard_and_sign_out(learner_client: Client) -> None:
    response = learner_client.get("/")

    html = response.content.decode()
    assert '<a href="/dashboard/">Dashboard</a>' in html
    assert '<form method="post" action="/accounts/logout/"' in html


def test_sign_out_is_a_post(learner_client: Client) -> None:
    assert learner_client.get("/accounts/logout/").status_code == 405

    response = learner_client.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert learner_client.get("/dashboard/").status_code == 302
