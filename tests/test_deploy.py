"""The project is deployable: production checks pass and migrations match the models."""

import os
import secrets
import subprocess
import sys

from tests.conftest import ROOT

PRODUCTION_ENV = {
    "ANTHOLOGY_DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "anthology.example.org",
}


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # Browser tests in the same session allow async-unsafe ORM calls; a deployment never does.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **(env or {})},
        capture_output=True,
        text=True,
    )


def test_deploy_checks_are_clean_with_production_settings():
    """`check --deploy` reports nothing when the environment sets production values."""
    run = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_production_refuses_to_serve_without_a_secret_key():
    """With debug off and no SECRET_KEY the WSGI application (gunicorn's, runserver's) refuses
    to start instead of using a default, and says why."""
    env = {**os.environ, **PRODUCTION_ENV, "SECRET_KEY": ""}
    run = subprocess.run(
        [sys.executable, "-c", "import anthology.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert run.returncode != 0
    assert "SECRET_KEY must be set" in run.stderr


def test_production_refuses_to_serve_without_allowed_hosts():
    """Debug off with no ALLOWED_HOSTS would answer every request 400: refuse at start instead."""
    env = {**os.environ, **PRODUCTION_ENV, "ALLOWED_HOSTS": ""}
    run = subprocess.run(
        [sys.executable, "-c", "import anthology.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert run.returncode != 0
    assert "ALLOWED_HOSTS must name the host names this server answers to" in run.stderr


def test_production_serves_with_a_key_and_hosts():
    env = {**os.environ, **PRODUCTION_ENV}
    run = subprocess.run(
        [sys.executable, "-c", "import anthology.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert run.returncode == 0, run.stderr


def test_migrations_match_the_models():
    """`makemigrations --check` finds nothing to write."""
    run = manage("makemigrations", "--check", "--dry-run")

    assert run.returncode == 0, run.stdout + run.stderr


def test_any_python_from_3_11_up_may_install_it():
    """No upper cap without a measured reason: the suite passes on 3.11, 3.12 and 3.13."""
    import tomllib

    from packaging.specifiers import SpecifierSet

    requires = SpecifierSet(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    )

    assert all(version in requires for version in ("3.11", "3.12", "3.13", "3.14"))
    assert "3.10" not in requires
