"""Create or refresh the two roles; safe to run any number of times (`make run` does).

editors  staff who import, edit, publish, merge, split and revert: every permission of the
         essays app except deleting collections and sources (the record of what was
         imported) and writing history rows by hand. Editors must also be staff to enter
         the admin; `--editor NAME` makes the user staff and an editor.
readers  intranet readers (ANTHOLOGY_LOGIN_REQUIRED=1): no permission at all and not staff,
         so the admin turns them away. `--reader NAME` puts a user in the group.

The group's permissions are set to exactly the list below each time, so permissions of models
added later are picked up by re-running the command.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS = "editors"
READERS = "readers"

_EDITOR_EXCLUDED = {"delete_collection", "delete_sourcedocument"}
# History rows are written by the application only (essays.history), never by hand.
_HISTORY_WRITES = ("add_historical", "change_historical", "delete_historical")


def editor_permissions():
    permissions = Permission.objects.filter(content_type__app_label="essays").select_related("content_type")
    return [
        p
        for p in permissions
        if p.codename not in _EDITOR_EXCLUDED and not p.codename.startswith(_HISTORY_WRITES)
    ]


def setup_roles() -> dict[str, Group]:
    with transaction.atomic():
        editors, _ = Group.objects.get_or_create(name=EDITORS)
        editors.permissions.set(editor_permissions())
        readers, _ = Group.objects.get_or_create(name=READERS)
        readers.permissions.clear()
    return {EDITORS: editors, READERS: readers}


class Command(BaseCommand):
    help = "Create or refresh the editors and readers groups; optionally put users in them."

    def add_arguments(self, parser):
        parser.add_argument("--editor", action="append", default=[], metavar="USERNAME")
        parser.add_argument("--reader", action="append", default=[], metavar="USERNAME")

    def handle(self, *args, editor, reader, **options):
        groups = setup_roles()
        User = get_user_model()
        for names, group, staff in ((editor, groups[EDITORS], True), (reader, groups[READERS], False)):
            for name in names:
                user = User.objects.filter(**{User.USERNAME_FIELD: name}).first()
                if user is None:
                    raise CommandError(f"no user named {name!r}")
                user.groups.add(group)
                if staff and not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                self.stdout.write(f"{name}: {group.name}")
        self.stdout.write(
            f"roles: {EDITORS} ({groups[EDITORS].permissions.count()} permissions), {READERS} (none)"
        )
