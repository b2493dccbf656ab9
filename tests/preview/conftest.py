import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

PASSWORD = "correct-horse-battery-staple"


def make_user(username, *, staff=True, perms=()):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=staff)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="essays", codename__in=perms))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", perms=["add_essay", "change_essay", "view_essay", "add_sourcedocument"])


@pytest.fixture
def client_for():
    def login(user):
        client = Client()
        # force_login: client.login() authenticates without a request, which django-axes
        # (login lockout) refuses; the password check itself is tested in tests/security.
        client.force_login(user)
        return client

    return login


@pytest.fixture
def editor_client(editor, client_for):
    return client_for(editor)
