"""Sign-in throttling, through the sign-in form."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from tests.conftest import PASSWORD

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def _sign_in(client: Client, username: str, password: str, **extra: str) -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, **extra
    )
    return response.status_code


def _fail(
    client: Client, username: str = "alice", times: int = 1, **extra: str
) -> None:
    for _ in range(times):
        assert _sign_in(client, username, "wrong-password", **extra) == 200


@time_machine.travel(NOW, tick=False)
def test_it_refuses_sign_in_after_five_failures(client: Client, learner: User) -> None:
    _fail(client, times=5)

    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}
    )

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert b"Too many failed sign-in attempts" in response.content
    assert b"try again in 15 minutes" in response.content
    assert b'value="alice"' in response.content
    assert "_auth_user_id" not in client.session


def test_four_failures_still_let_the_right_password_in(
    client: Client, learner: User
) -> None:
    _fail(client, times=4)

    assert _sign_in(client, "alice", PASSWORD) == 302


def test_a_successful_sign_in_clears_the_username_counter(
    client: Client, learner: User
) -> None:
    _fail(client, times=4)
    assert _sign_in(client, "alice", PASSWORD) == 302
    client.post("/accounts/logout/")

    _fail(client, times=4)

    assert _sign_in(client, "alice", PASSWORD) == 302


def test_the_lockout_ends_after_fifteen_minutes(client: Client, learner: User) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        _fail(client, times=5)
        traveller.shift(dt.timedelta(minutes=14))
        assert _sign_in(client, "alice", PASSWORD) == 429

        traveller.shift(dt.timedelta(minutes=1, seconds=1))

        assert _sign_in(client, "alice", PASSWORD) == 302


def test_failures_spread_beyond_the_window_do_not_lock(
    client: Client, learner: User
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        _fail(client, times=4)
        traveller.shift(dt.timedelta(minutes=16))

        _fail(client, times=4)

        assert _sign_in(client, "alice", PASSWORD) == 302


def test_usernames_are_counted_regardless_of_case(
    client: Client, learner: User
) -> None:
    _fail(client, "ALICE", times=3)
    _fail(client, "Alice", times=2)

    assert _sign_in(client, "alice", PASSWORD) == 429


@pytest.mark.parametrize(
    "variant", ["alice ", " alice", "\talice\n", "ａｌｉｃｅ", " ALICE "]
)
def test_a_locked_username_stays_locked_however_it_is_spelled(
    client: Client, learner: User, variant: str
) -> None:
    """The form strips and NFKC-normalises the username before signing in, so every
    spelling it accepts as alice must meet alice's lock."""
    _fail(client, times=5)

    assert _sign_in(client, variant, PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_any_spelling_count_toward_one_lock(
    client: Client, learner: User
) -> None:
    for variant in ["alice ", " alice", "ALICE", "ａｌｉｃｅ", "alice"]:
        _fail(client, variant)

    assert _sign_in(client, "alice", PASSWORD) == 429


def test_a_locked_username_does_not_lock_others(
    client: Client, learner: User, other_learner: User
) -> None:
    _fail(client, "alice", times=5)

    assert _sign_in(client, "bob", PASSWORD) == 302


def test_one_address_is_refused_after_twenty_failures(
    client: Client, learner: User
) -> None:
    for number in range(20):
        _fail(client, f"guess-{number}")

    assert _sign_in(client, "alice", PASSWORD) == 429
    assert _sign_in(client, "alice", PASSWORD, REMOTE_ADDR="192.0.2.7") == 302


@pytest.mark.parametrize(("proxies", "locked"), [(0, True), (1, False)])
def test_the_address_is_read_through_trusted_proxies_only(
    client: Client, learner: User, settings: Settings, proxies: int, locked: bool
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    for number in range(20):
        _fail(client, f"guess-{number}", HTTP_X_FORWARDED_FOR="198.51.100.1")

    status = _sign_in(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert status == (429 if locked else 302)


def test_the_admin_sign_in_is_throttled_too(client: Client, learner: User) -> None:
    _fail(client, times=5)

    response = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429


def test_the_sign_in_page_itself_still_opens(client: Client, learner: User) -> None:
    _fail(client, times=5)

    assert client.get("/accounts/login/").status_code == 200
