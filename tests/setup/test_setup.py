"""Set-up as the README tells it: any Python from 3.11, the first login, the browser tests."""

import os
import re
import subprocess
import sys
import tomllib

from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.browser.availability import missing_browser_line
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_any_python_from_3_11_up():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    assert requires == ">=3.11"
    make = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval=show-python: ; @echo $(PYTHON)", "show-python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    python = make.stdout.strip()
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info >= (3, 11))"], capture_output=True, text=True
    )
    assert version.stdout.strip() == "True", python


def test_the_password_file_holds_what_to_type_at_the_first_login(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("ensure_admin", stdout=open(os.devnull, "w"))  # noqa: SIM115
    content = (tmp_path / "admin-password.txt").read_text(encoding="utf-8")
    assert content.count("\n") == 1
    assert get_user_model().objects.get(username="admin").check_password(content.strip())
    # The README says the same: user admin, the password in that file.
    assert re.search(r"`admin`.{0,200}`var/admin-password\.txt`", README, re.S)


def test_the_readme_documents_the_environment_make_reads():
    assert "HOST=" in README and "ANTHOLOGY_CHROMIUM" in README and "ANTHOLOGY_REQUIRE_BROWSER" in README


def test_without_chromium_make_test_ends_saying_the_browser_tests_were_skipped():
    env = {**os.environ, "ANTHOLOGY_CHROMIUM": "/nonexistent/chromium"}
    env.pop("ANTHOLOGY_REQUIRE_BROWSER", None)
    env.pop("PYTEST_VERSION", None)
    run = subprocess.run(
        # -o: the venv is installed already; --co: collect the browser tests without running them.
        [
            "make",
            "-s",
            "-o",
            "install",
            "-o",
            ".venv/.installed",
            "test",
            "PYTEST_ARGS=--co -q -p no:cacheprovider tests/browser/test_search.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith("BROWSER TESTS SKIPPED") and "apt-get install chromium" in last


def test_ci_fails_rather_than_skips():
    assert missing_browser_line({"ANTHOLOGY_CHROMIUM": "/nonexistent"}) is not None
    assert (
        missing_browser_line({"ANTHOLOGY_CHROMIUM": "/nonexistent", "ANTHOLOGY_REQUIRE_BROWSER": "1"}) is None
    )
    assert missing_browser_line({"ANTHOLOGY_CHROMIUM": sys.executable}) is None
    assert "ANTHOLOGY_REQUIRE_BROWSER=1" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
