"""Login lockout (django-axes): five wrong passwords lock an account at one address for 15 minutes.

Everything goes through the real admin login page (POST /admin/login/), which is also the
intranet readers' login page (ANTHOLOGY_LOGIN_REQUIRED), with axes switched on.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
LOCKED = "登录失败次数过多"
LIMIT = 5


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """A login test checks many passwords; the production hasher takes ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)


@pytest.fixture
def reader():
    return get_user_model().objects.create_user("reader", password=PASSWORD)


def sign_in(client, username, password, next_url="/admin/"):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": next_url})


def fail(client, username, times):
    return [sign_in(client, username, f"wrong-{n}").status_code for n in range(times)]


def signed_in_as(client):
    """The username the client's session belongs to, or None."""
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id).username if user_id else None


def age_attempts(**delta):
    """Moves every recorded failure into the past, as if that much time had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(**delta))


def test_the_settings_are_five_failures_fifteen_minutes_per_username_and_address():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_four_wrong_passwords_only_show_the_form_again(client, editor):
    """Below the limit a wrong password is the usual form error, and the right one still works."""
    assert fail(client, "editor", LIMIT - 1) == [200] * (LIMIT - 1)

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == "editor"


def test_five_wrong_passwords_then_the_right_one_is_refused(client, editor):
    """The fifth failure locks the account: the right password is then refused (429) with
    the Chinese message, and no session is opened."""
    statuses = fail(client, "editor", LIMIT)

    assert statuses == [200] * (LIMIT - 1) + [429]
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "15 分钟后再试" in page
    assert signed_in_as(client) is None
    assert client.get(reverse("admin:index")).status_code == 302  # back to the login page


def test_the_lockout_answer_echoes_nothing_from_the_request(client, editor):
    """The message is fixed text: a username full of markup does not come back."""
    evil = '<script>alert("x")</script>'
    fail(client, evil, LIMIT)

    response = sign_in(client, evil, PASSWORD)

    assert response.status_code == 429
    assert "<script>" not in response.content.decode()


def test_another_user_at_the_same_address_is_not_locked(client, editor):
    get_user_model().objects.create_user("colleague", password=PASSWORD, is_staff=True)
    fail(client, "editor", LIMIT)

    response = sign_in(client, "colleague", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == "colleague"


def test_the_same_user_at_another_address_is_not_locked(client, editor):
    """Keyed by username and address together: a guesser elsewhere cannot lock the owner out."""
    fail(client, "editor", LIMIT)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")

    response = sign_in(elsewhere, "editor", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(elsewhere) == "editor"


def test_the_lock_lifts_after_the_cool_off(client, editor):
    """Still locked 14 minutes on; after 15 minutes the right password works."""
    fail(client, "editor", LIMIT)
    age_attempts(minutes=14)
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    # That refused attempt counts as a failure too and starts the 15 minutes again.
    age_attempts(minutes=15, seconds=1)

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == "editor"


def test_a_successful_login_resets_the_count(client, editor):
    """Four failures, a success, four more failures: not locked (the count started again)."""
    fail(client, "editor", LIMIT - 1)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()

    assert fail(client, "editor", LIMIT - 1) == [200] * (LIMIT - 1)
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_readers_on_the_intranet_login_are_locked_out_too(client, reader, settings):
    """Intranet mode sends readers to the same login page, so the same lockout applies."""
    settings.ANTHOLOGY_LOGIN_REQUIRED = True
    assert sign_in(client, "reader", "wrong", next_url="/").status_code == 200

    fail(client, "reader", LIMIT - 1)
    response = sign_in(client, "reader", PASSWORD, next_url="/")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.get(reverse("essays:home")).status_code == 302  # still sent to log in


def test_an_administrator_can_lift_a_lock(client, editor):
    """`manage.py axes_reset_username editor` unlocks the account at once."""
    from django.core.management import call_command

    fail(client, "editor", LIMIT)
    call_command("axes_reset_username", "editor", verbosity=0)

    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_the_admin_names_a_recorded_failure_in_chinese(client, editor):
    """axes' own name for an entry ("Attempted Access: …") never reaches the admin's titles."""
    fail(client, "editor", 2)
    attempt = AccessAttempt.objects.get()
    get_user_model().objects.create_superuser("boss", password=PASSWORD)
    boss = Client()
    boss.force_login(get_user_model().objects.get(username="boss"))

    page = boss.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).content.decode()

    assert "Attempted Access" not in page
    assert "editor 的登录失败记录" in page
