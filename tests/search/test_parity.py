"""One tokenizer, one behaviour: every backend returns the same hits for the same queries.

The database under test (SQLite in one CI run, PostgreSQL in the other) is compared with a
private SQLite FTS5 index built from the same essays, and both with a plain-Python reading of
what a query means (its tokens, in order, in the title or in the body).
"""

import random

import pytest
from django.db.utils import ConnectionHandler

from essays.models import Essay
from essays.search.backends import Scope, get_backend
from essays.search.backends.sqlite import SCHEMA, SQLiteBackend
from essays.search.index import indexed_essay
from essays.search.tokens import Query, parse_query
from tests.essays.factories import make_essay

pytestmark = pytest.mark.usefixtures("seeded")

TRICKY = [
    ("幹部隊伍建設", "加強幹部隊伍建設，黨建引領。G20峰會與AI。"),
    ("干部队伍建设", "加强干部队伍建设，党建引领。2023年，ＡＩ应用。"),
    ("不忘初心", "不忘初心，牢记使命。初心如磐，使命在肩。党。"),
    ("使命", "初心使命担当。初\n心。𠀀𠀁字。"),
]


def _reference_matches(query: Query, essays) -> set[int]:
    def has(tokens: list[str], term) -> bool:
        n = len(term.tokens)
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            head_ok = window[:-1] == list(term.tokens[:-1])
            last = window[-1]
            if head_ok and (last.startswith(term.tokens[-1]) if term.prefix else last == term.tokens[-1]):
                return True
        return False

    hits = set()
    for e in essays:
        if all(has(e.title.split(), t) or has(e.body.split(), t) for t in query.terms):
            hits.add(e.id)
    return hits


def _queries(essays, count=120) -> list[str]:
    rng = random.Random(5)
    texts = [e.body for e in essays if len(e.body) > 20]
    queries = [
        "初心",
        "幹部",
        "干部",
        "焦裕禄精神",
        "党",
        "黨建",
        "g20",
        "ai",
        "2023",
        "初心 使命",
        '"初心，使命"',
    ]
    queries += ['"不忘初心，牢记使命"', '"初心，使"', "𠀀", "使命 党 干部队伍"]
    while len(queries) < count:
        text = rng.choice(texts)
        length = rng.choice([1, 2, 2, 3, 4, 5])
        start = rng.randrange(len(text) - length)
        word = text[start : start + length]
        if rng.random() < 0.2:
            other = rng.choice(texts)
            s2 = rng.randrange(len(other) - 2)
            word = f"{word} {other[s2 : s2 + 2]}"
        queries.append(word)
    return queries


@pytest.fixture
def reference_backend():
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    connection = handler["default"]  # a private connection, not the test database
    with connection.cursor() as cursor:
        for sql in SCHEMA:
            cursor.execute(sql)
    yield SQLiteBackend(connection)
    connection.close()


def _ids(backend, query) -> set[int]:
    sql, params = backend.matching_sql(query)
    with backend.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def test_database_backend_agrees_with_sqlite_fts5_and_the_plain_reading(db, reference_backend):
    for title, body in TRICKY:
        make_essay(title=title, body=body)
    indexed = [indexed_essay(e) for e in Essay.objects.all()]
    reference_backend.index(indexed)
    backend = get_backend()
    checked = 0
    for text in _queries(indexed):
        query = parse_query(text)
        if not query:
            continue
        expected = _reference_matches(query, indexed)
        assert _ids(reference_backend, query) == expected, text
        assert _ids(backend, query) == expected, (backend.name, text)
        checked += bool(expected)
    assert checked > 80  # most queries find something, so agreement is not vacuous


def test_ranked_pages_hold_the_same_essays_as_the_match(db):
    backend = get_backend()
    for text in ["初心", "干部", "党", "焦裕禄精神", "学习 干部"]:
        query = parse_query(text)
        page = backend.search(query, Scope(published_only=True), offset=0, limit=1000)
        published = set(Essay.objects.published().values_list("pk", flat=True))
        assert sorted(page.ids) == sorted(_ids(backend, query) & published)
        assert page.total == len(page.ids)
