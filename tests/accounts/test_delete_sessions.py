"""Deleting an account ends every session it signed in with."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client

from tests.conftest import PASSWORD


def sessions_of(user_id: int) -> list[str]:
    return [
        session.session_key
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]


def test_deleting_the_account_deletes_all_its_sessions(
    learner: User, other_learner: User
) -> None:
    laptop, phone, bobs = Client(), Client(), Client()
    assert laptop.login(username="alice", password=PASSWORD)
    assert phone.login(username="alice", password=PASSWORD)
    assert bobs.login(username="bob", password=PASSWORD)
    user_id = learner.pk
    assert len(sessions_of(user_id)) == 2

    laptop.post("/account/delete/", {"password": PASSWORD})

    assert not User.objects.filter(pk=user_id).exists()
    assert sessions_of(user_id) == []
    assert phone.get("/dashboard/").status_code == 302
    assert len(sessions_of(other_learner.pk)) == 1


def test_a_session_whose_key_a_password_change_cycled_is_deleted_too(
    learner: User,
) -> None:
    laptop, phone = Client(), Client()
    assert laptop.login(username="alice", password=PASSWORD)
    assert phone.login(username="alice", password=PASSWORD)
    new_password = "another-horse-battery-9"
    phone.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert phone.get("/dashboard/").status_code == 200
    assert laptop.login(username="alice", password=new_password)

    laptop.post("/account/delete/", {"password": new_password})

    assert not User.objects.filter(pk=learner.pk).exists()
    assert sessions_of(learner.pk) == []
