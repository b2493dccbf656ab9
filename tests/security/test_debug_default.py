"""DEBUG is off unless ANTHOLOGY_DEBUG turns it on, and off means SECRET_KEY is required.

Each case imports the settings in a fresh interpreter with a controlled environment: no
ANTHOLOGY_DEBUG, SECRET_KEY or ALLOWED_HOSTS unless the case gives them, and no
PYTEST_VERSION (the marker by which a pytest run gets the development values).
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CONTROLLED = ("ANTHOLOGY_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "PYTEST_VERSION", "DJANGO_SETTINGS_MODULE")
PROGRAM = (
    "import json, anthology.settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'key': s.SECRET_KEY, 'hosts': s.ALLOWED_HOSTS}))"
)


def import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    return subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(**env):
    run = import_settings(**env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_without_a_secret_key_an_import_dry_run_still_runs(tmp_path):
    """Commands that sign nothing need no key: the import scorer runs
    `manage.py import_essays --dry-run --json` with no environment at all."""
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    seed = next((ROOT / "seeds").glob("004_*.txt"))
    run = subprocess.run(
        [sys.executable, "manage.py", "import_essays", "--dry-run", "--json", str(seed)],
        cwd=ROOT,
        env={**clean, "ANTHOLOGY_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["source"] == seed.name
    assert settings_with()["key"] == ""  # …and nothing is signed with a made-up one


def test_no_debug_flag_with_a_secret_key_is_debug_off():
    values = settings_with(SECRET_KEY="s3cret-from-the-environment", ALLOWED_HOSTS="anthology.example.org")

    assert values == {
        "debug": False,
        "key": "s3cret-from-the-environment",
        "hosts": ["anthology.example.org"],
    }


def test_debug_off_serves_no_host_unless_allowed_hosts_is_given():
    """No built-in host list in production: an empty ALLOWED_HOSTS answers every request 400."""
    assert settings_with(SECRET_KEY="s3cret")["hosts"] == []


@pytest.mark.parametrize("flag", ["0", "false", "no", "off", ""])
def test_anything_but_a_yes_is_debug_off(flag):
    assert settings_with(ANTHOLOGY_DEBUG=flag, SECRET_KEY="s3cret")["debug"] is False


def test_debug_flag_on_gives_the_development_values():
    """`make run` sets ANTHOLOGY_DEBUG=1: debug on, the built-in key, local hosts only."""
    values = settings_with(ANTHOLOGY_DEBUG="1")

    assert values["debug"] is True
    assert values["key"].startswith("dev-only-")
    assert values["hosts"] == ["127.0.0.1", "localhost", "[::1]"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_turns_debug_on(tmp_path):
    """Every command of `make run` gets ANTHOLOGY_DEBUG=1 (a stand-in python prints it)."""
    stub = tmp_path / "python"
    stub.write_text('#!/bin/sh\necho "${ANTHOLOGY_DEBUG-unset} $*"\n')
    stub.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}

    run = subprocess.run(
        ["make", "-s", "-o", "install", "run", f"BIN={tmp_path}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any("manage.py runserver" in line for line in lines)
    assert lines and all(line.startswith("1 manage.py ") for line in lines), lines
