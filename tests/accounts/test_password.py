from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

NEW_PASSWORD = "a-new-long-passphrase"


def test_reset_mails_a_link_that_sets_a_new_password(
    client: Client, learner: User
) -> None:
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)
    assert link is not None
    form_url = client.get(link.group(1))["Location"]

    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response["Location"] == "/accounts/password/reset/done/"
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def test_change_needs_sign_in(client: Client) -> None:
    response = client.get("/accounts/password/change/")

    assert response["Location"] == "/accounts/login/?next=/accounts/password/change/"


def test_change_sets_the_new_password(learner_client: Client, learner: User) -> None:
    response = learner_client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response["Location"] == "/accounts/password/change/done/"
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
