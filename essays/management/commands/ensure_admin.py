"""Make sure an admin account exists; a new one gets a random password, shown once."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin superuser with a random password if no superuser exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ANTHOLOGY_ADMIN_USER", "admin"))

    def handle(self, *args, username, **options):
        User = get_user_model()
        password_file = Path(settings.VAR_DIR) / "admin-password.txt"
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(f"管理员账号已存在（若由本命令生成，密码在 {password_file}）。")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        # The password alone, as the README says: what is in the file is what to type.
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{password}\n")
        self.stdout.write(
            self.style.SUCCESS(f"已创建管理员账号「{username}」，密码：{password}")
            + f"\n（密码也写在 {password_file}；请以「{username}」登录 /admin/ 后修改）"
        )
