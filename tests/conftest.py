from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seed_paths():
    return sorted(SEEDS.glob("*.txt"))


def seed_bytes(prefix: str) -> bytes:
    """The bytes of the seed whose file name starts with `prefix` (e.g. "001")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_bytes()


@pytest.fixture(autouse=True)
def _empty_search_index_for_transactional_tests(request, django_db_blocker):
    """A transactional test ends with a flush, which empties the model tables but not the
    search index (tables outside the ORM): the next one starts from an empty index too."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from essays.search.backends import get_backend

        with django_db_blocker.unblock():
            get_backend().clear()
    yield


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test's database starts at the same page generation: pages cached by an earlier
    test (in Redis, by an earlier run) must not answer for it."""
    from essays import pagecache

    pagecache.clear()  # this process's pages and the shared cache's
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """On PostgreSQL a process keeps a connection listening for page generations
    (essays.pagecache): closed before the test database is dropped."""
    yield
    from essays.pagecache import generation

    generation.stop()
