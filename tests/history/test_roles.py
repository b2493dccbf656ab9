"""Roles: editors work in the admin, readers only read; the admin is for staff only."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from essays.models import Status
from tests.essays.admin_factories import make_essay, make_published_essay

from .conftest import _Null

pytestmark = pytest.mark.django_db


def test_setup_roles_is_idempotent_and_grants_editors_the_editing_permissions(roles):
    call_command("setup_roles", stdout=_Null())

    assert Group.objects.filter(name__in=["editors", "readers"]).count() == 2
    editors = Group.objects.get(name="editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_sourcedocument", "add_essay", "change_essay", "delete_essay", "delete_author"} <= codenames
    assert {"change_collection", "change_author", "add_theme", "delete_theme"} <= codenames
    assert "delete_collection" not in codenames and "delete_sourcedocument" not in codenames
    assert not any(c.startswith(("add_historical", "change_historical")) for c in codenames)
    assert not Group.objects.get(name="readers").permissions.exists()


def test_setup_roles_makes_a_named_editor_staff(editor):
    assert editor.is_staff and not editor.is_superuser
    assert editor.groups.filter(name="editors").exists()


def test_an_editor_can_open_the_import_page_and_publish(editor_client):
    essay = make_essay("待发布的文章")

    assert editor_client.get(reverse("admin:essays_essay_import")).status_code == 200
    editor_client.post(
        reverse("admin:essays_essay_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [essay.pk]},
    )

    essay.refresh_from_db()
    assert essay.status == Status.PUBLISHED


def test_a_reader_is_sent_away_from_the_admin_but_reads_the_intranet(client, reader, settings):
    settings.ANTHOLOGY_LOGIN_REQUIRED = True
    essay = make_published_essay("内网文章")
    client.force_login(reader)

    for url in (reverse("admin:index"), reverse("admin:essays_essay_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    page = client.get(essay.get_absolute_url())
    assert page.status_code == 200
    assert "内网文章" in page.content.decode()


def test_a_reader_signs_in_on_the_login_page_and_reads_but_the_admin_stays_closed(client, reader, settings):
    settings.ANTHOLOGY_LOGIN_REQUIRED = True
    essay = make_published_essay("内网文章")
    assert client.get(essay.get_absolute_url()).status_code == 302

    response = client.post(
        f"{reverse('admin:login')}?next={essay.get_absolute_url()}",
        {"username": reader.username, "password": "pw-reader-123", "next": essay.get_absolute_url()},
    )

    assert response.status_code == 302 and response["Location"] == essay.get_absolute_url()
    assert client.get(essay.get_absolute_url()).status_code == 200
    assert client.get(reverse("admin:essays_essay_changelist")).status_code == 302


def test_an_account_without_a_role_cannot_sign_in(client, roles):
    get_user_model().objects.create_user("无角色", password="pw-none-123")

    response = client.post(reverse("admin:login"), {"username": "无角色", "password": "pw-none-123"})

    assert response.status_code == 200  # the form again, with the reason
    assert "没有阅读或管理权限" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_non_staff_users_are_redirected_from_every_admin_page(client, db):
    user = get_user_model().objects.create_user("普通用户", password="x")
    client.force_login(user)
    essay = make_essay()

    for url in (
        reverse("admin:essays_essay_change", args=[essay.pk]),
        reverse("admin:essays_essay_history", args=[essay.pk]),
        reverse("admin:essays_essay_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_outside_the_editors_group_cannot_import_or_publish(client, db):
    staff = get_user_model().objects.create_user("访客职员", password="x", is_staff=True)
    client.force_login(staff)
    essay = make_essay()

    assert client.get(reverse("admin:essays_essay_import")).status_code == 403
    response = client.post(
        reverse("admin:essays_essay_changelist"), {"action": "publish", ACTION_CHECKBOX_NAME: [essay.pk]}
    )
    assert response.status_code == 403
    essay.refresh_from_db()
    assert essay.status == Status.DRAFT
