"""The two roles: editors (staff who curate in the admin) and readers (intranet only).

Groups are created by `manage.py setup_roles` (run by `make run`). The reading site's login is
the admin's login page (LOGIN_URL); `ReaderLoginForm` lets readers sign in there too, while
the admin itself still admits staff only.
"""

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

EDITORS = "editors"
READERS = "readers"

_EDITOR_EXCLUDED = {
    "delete_collection",
    "delete_sourcedocument",
    "delete_sourceversion",
    "change_sourceversion",
}
# History rows are written by the application only (essays.history), never by hand.
_HISTORY_WRITES = ("add_historical", "change_historical", "delete_historical")


def editor_permissions() -> list[Permission]:
    """Every permission of the essays app except deleting collections and sources (the record
    of what was imported) and writing history: import (add), change, publish, merge, revert."""
    permissions = Permission.objects.filter(content_type__app_label="essays").select_related("content_type")
    return [
        p
        for p in permissions
        if p.codename not in _EDITOR_EXCLUDED and not p.codename.startswith(_HISTORY_WRITES)
    ]


def setup_roles() -> dict[str, Group]:
    """Create both groups and set their permissions to exactly the lists above (idempotent)."""
    with transaction.atomic():
        editors, _ = Group.objects.get_or_create(name=EDITORS)
        editors.permissions.set(editor_permissions())
        readers, _ = Group.objects.get_or_create(name=READERS)
        readers.permissions.clear()
    return {EDITORS: editors, READERS: readers}


def may_sign_in(user) -> bool:
    return user.is_active and (user.is_staff or user.groups.filter(name=READERS).exists())


class ReaderLoginForm(AuthenticationForm):
    """The admin's login form, also open to readers; the admin's own check still keeps
    everyone but staff out of the admin pages."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not may_sign_in(user):
            raise ValidationError("此账号没有阅读或管理权限，请联系管理员。", code="no_role")
