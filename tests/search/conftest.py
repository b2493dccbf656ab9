import pytest
from django.core.management import call_command
from django.db import transaction

from essays.models import Essay
from essays.search.tokens import normalize
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The five seeds imported as published, once per module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_essays", str(SEEDS), "--status", "published", verbosity=0)
        yield
        transaction.set_rollback(True)


def containing(*words, essays=None):
    """Ids of essays whose normalised title or body contains every word: the ground truth."""
    essays = Essay.objects.all() if essays is None else essays
    wanted = [normalize(w) for w in words]
    return {
        e.pk
        for e in essays
        if all(w in normalize(f"{e.title}\n{e.subtitle}") or w in normalize(e.body) for w in wanted)
    }
