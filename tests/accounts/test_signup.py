from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.accounts.models import Profile
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def form(**changes: str) -> dict[str, str]:
    return {
        "username": "erin",
        "email": "erin@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def test_it_shows_a_labelled_form(client: Client) -> None:
    response = client.get("/accounts/signup/?next=/lessons/basics/")

    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_email">' in html
    assert '<input type="hidden" name="next" value="/lessons/basics/">' in html


def test_it_creates_an_account_signs_in_and_returns_to_next(client: Client) -> None:
    response = client.post("/accounts/signup/", form(next="/lessons/basics/"))

    assert response["Location"] == "/lessons/basics/"
    user = User.objects.get(username="erin")
    assert Profile.objects.filter(user=user, time_zone="UTC").exists()
    assert client.get("/dashboard/").status_code == 200


def test_it_ignores_a_next_on_another_site(client: Client) -> None:
    response = client.post("/accounts/signup/", form(next="https://evil.example/"))

    assert response["Location"] == "/dashboard/"


def test_errors_are_announced_and_tied_to_their_field(
    client: Client, learner: User
) -> None:
    response = client.post("/accounts/signup/", form(email="alice@example.com"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "An account with this email address exists." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html


def test_signed_in_users_are_sent_on(learner_client: Client) -> None:
    response = learner_client.get("/accounts/signup/")

    assert response["Location"] == "/dashboard/"
