"""The near-duplicates list is reached from the admin's index and the essay list."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

DUPLICATES = reverse("admin:essays_essay_duplicates")


def link(page: str) -> bool:
    return f'href="{DUPLICATES}"' in page


def test_the_index_and_the_essay_list_link_to_the_near_duplicates(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert link(index) and "导入文档" in index  # the import module is still there
    essays = admin_client.get(reverse("admin:essays_essay_changelist")).content.decode()
    assert link(essays) and "导入文档" in essays
    assert admin_client.get(DUPLICATES).status_code == 200


def test_staff_who_may_not_view_essays_get_no_link(client):
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_author"))
    client.force_login(user)
    assert not link(client.get(reverse("admin:index")).content.decode())
