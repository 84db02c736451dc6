from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from portal.accounts.models import Profile


def test_it_needs_sign_in(client: Client) -> None:
    response = client.get("/account/")

    assert response["Location"] == "/accounts/login/?next=/account/"


def test_it_offers_every_iana_time_zone(learner_client: Client) -> None:
    response = learner_client.get("/account/")

    html = response.content.decode()
    assert '<label for="id_time_zone">' in html
    assert '<option value="Europe/Berlin">' in html
    assert '<option value="UTC" selected>' in html


def test_it_saves_display_name_and_time_zone(
    learner_client: Client, learner: User
) -> None:
    response = learner_client.post(
        "/account/", {"display_name": "Alice L.", "time_zone": "America/Chicago"}
    )

    assert response["Location"] == "/account/"
    profile = Profile.objects.get(user=learner)
    assert (profile.display_name, profile.time_zone) == ("Alice L.", "America/Chicago")


def test_it_rejects_an_unknown_time_zone(learner_client: Client, learner: User) -> None:
    response = learner_client.post("/account/", {"time_zone": "Mars/Olympus"})

    assert response.status_code == 200
    assert Profile.objects.get(user=learner).time_zone == "UTC"


def test_an_account_without_profile_gets_one(client: Client, db: None) -> None:
    user = User.objects.create_user("frank", password="x")
    client.force_login(user)

    response = client.get("/account/")

    assert response.status_code == 200
    assert Profile.objects.filter(user=user).exists()
