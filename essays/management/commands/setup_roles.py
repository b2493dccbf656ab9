"""Create or refresh the editors and readers groups (essays.roles); safe to repeat.

`--editor NAME` puts a user in editors and makes them staff (the admin is for staff only);
`--reader NAME` puts a user in readers. Re-running picks up permissions of models added since.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...roles import EDITORS, READERS, setup_roles


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
                    raise CommandError(f"没有名为 {name!r} 的用户")
                user.groups.add(group)
                if staff and not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                self.stdout.write(f"{name}：{group.name}")
        self.stdout.write(
            f"角色：{EDITORS}（{groups[EDITORS].permissions.count()} 项权限），{READERS}（无权限）"
        )
