"""Reading pages are cached per script and never stale: every write a reader could see
bumps the generation the cached pages are stored under (essays.pagecache)."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from essays import pagecache
from essays.models import Essay, Status, Theme
from essays.pagecache import LocalPages, Page, bump_generation, current_generation
from essays.services import merge_themes, publish_essays, unpublish_essays
from essays.services.structure import merge_essays

from .admin_factories import make_source_document
from .factories import make_collection, make_essay

pytestmark = pytest.mark.django_db
HOME = reverse("essays:home")


@pytest.fixture
def page_cache(settings):
    settings.ANTHOLOGY_PAGE_CACHE = True
    return settings


def served_from_cache(client, url, django_assert_num_queries, **extra):
    """The page, asserting it was answered by one query: the generation's."""
    with django_assert_num_queries(1):
        response = client.get(url, **extra)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    return response.content.decode()


def test_a_published_essay_is_on_the_home_page_at_once(client, page_cache, django_assert_num_queries):
    collection = make_collection()
    make_essay(collection, "已在首页")
    draft = make_essay(collection, "刚刚发布的文章", status=Status.DRAFT)
    assert "刚刚发布的文章" not in client.get(HOME).content.decode()
    assert "刚刚发布的文章" not in served_from_cache(client, HOME, django_assert_num_queries)

    publish_essays(Essay.objects.filter(pk=draft.pk))

    assert "刚刚发布的文章" in client.get(HOME).content.decode()
    unpublish_essays(Essay.objects.filter(pk=draft.pk))
    assert "刚刚发布的文章" not in client.get(HOME).content.decode()


@pytest.mark.parametrize(
    "change, before, after",
    [
        ("edit", "旧标题", "新标题"),
        ("merge_themes", "主题甲", "主题乙"),
        ("rename_theme", "主题甲", "改名主题"),
        ("merge_essays", "第二篇", None),
    ],
)
def test_every_kind_of_write_is_seen_at_once(client, page_cache, change, before, after):
    collection = make_collection()
    first = make_essay(collection, "旧标题", themes=["主题甲"])
    make_essay(collection, "第二篇", themes=["主题乙"])
    url = collection.get_absolute_url()
    assert before in client.get(url).content.decode()
    generation = current_generation()

    if change == "edit":
        first.title = "新标题"
        first.save()
    elif change == "merge_themes":
        merge_themes(Theme.objects.get(name="主题乙"), [Theme.objects.get(name="主题甲")])
    elif change == "rename_theme":
        theme = Theme.objects.get(name="主题甲")
        theme.name = "改名主题"
        theme.save()
    else:
        merge_essays(list(collection.essays.order_by("position")))

    assert current_generation() > generation
    page = client.get(url).content.decode()
    assert before not in page
    if after:
        assert after in page


def test_simplified_and_traditional_are_cached_apart(client, page_cache, django_assert_num_queries):
    essay = make_essay(title="学习心得", body="学习党的理论，提高干部素质。")
    url = essay.get_absolute_url()
    simplified = client.get(url).content.decode()
    client.cookies["anthology_script"] = "hant"
    traditional = client.get(url).content.decode()
    assert "學習心得" in traditional and "學習心得" not in simplified
    assert "學習心得" in served_from_cache(client, url, django_assert_num_queries)
    client.cookies["anthology_script"] = "hans"
    assert "学习心得" in served_from_cache(client, url, django_assert_num_queries)


def test_a_cached_page_carries_each_readers_own_csrf_token(page_cache, django_assert_num_queries):
    essay = make_essay()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(essay.get_absolute_url())
    page = served_from_cache(second, essay.get_absolute_url(), django_assert_num_queries)
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert "\x00" not in page and len(token) == 64
    switched = second.post(
        reverse("essays:set_script", args=["hant"]), {"csrfmiddlewaretoken": token, "next": "/"}
    )
    assert switched.status_code == 302  # the token the cached page carried is accepted

    # A reader who has the cookie keeps its secret: the next cached page's token is another
    # mask of it, and is accepted too.
    cookie = second.cookies["csrftoken"].value
    second.cookies["anthology_script"] = "hans"  # the page cached above
    again = served_from_cache(second, essay.get_absolute_url(), django_assert_num_queries)
    token = again.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert second.cookies["csrftoken"].value == cookie
    switched = second.post(
        reverse("essays:set_script", args=["hans"]), {"csrfmiddlewaretoken": token, "next": "/"}
    )
    assert switched.status_code == 302


def test_etag_revalidates_and_staff_are_never_served_from_the_cache(client, page_cache, admin_user):
    essay = make_essay(source_document=None)
    url = essay.get_absolute_url()
    response = client.get(url)
    etag = response["ETag"]
    assert "must-revalidate" in response["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    essay.title = "改过的标题"
    essay.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200

    staff = Client()
    staff.force_login(admin_user)
    staff_page = staff.get(url)
    assert "no-store" in staff_page["Cache-Control"] and "ETag" not in staff_page


def test_intranet_mode_never_answers_a_stranger_from_the_cache(client, page_cache, settings):
    reader = get_user_model().objects.create_user("reader", password="x")
    client.force_login(reader)
    assert client.get(HOME).status_code == 200  # cached by a signed-in reader
    settings.ANTHOLOGY_LOGIN_REQUIRED = True
    assert Client().get(HOME).status_code == 302


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_pages_are_shared_through_redis_when_redis_url_is_set(client, page_cache):
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    make_essay(title="存进 Redis")
    client.get(HOME)
    keys = backend._cache.get_client().keys(backend.make_key("page2:*"))
    assert keys  # the page is in the shared server, where every worker finds it

    pagecache.local_pages.clear()  # as another worker: nothing of its own yet
    page = client.get(HOME).content.decode()
    assert "存进 Redis" in page and len(pagecache.local_pages) == 1


def test_staff_never_see_a_cached_page_nor_leave_theirs_for_readers(client, page_cache, admin_user):
    collection = make_collection()
    essay = make_essay(collection, "有来源的文章", source_document=make_source_document(collection))
    url = essay.get_absolute_url()
    staff = Client()
    staff.force_login(admin_user)

    staff_page = staff.get(url)  # rendered for staff first: the 来源 link only they see
    assert "来源</a>" in staff_page.content.decode() and "ETag" not in staff_page
    reader_page = client.get(url)
    assert "来源</a>" not in reader_page.content.decode() and reader_page.has_header("ETag")
    assert client.get(url, HTTP_IF_NONE_MATCH=reader_page["ETag"]).status_code == 304  # cached now

    again = staff.get(url)  # the reader's cached page is never what staff get
    assert "来源</a>" in again.content.decode()
    assert "no-store" in again["Cache-Control"] and "ETag" not in again


# Other processes -----------------------------------------------------------------------------
# The import command and every gunicorn worker are processes of their own: what one of them
# commits is on the next page any of the others serves.

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="PostgreSQL's notices (DATABASE_URL=postgres://…)"
)


def run_elsewhere(code: str) -> None:
    """Run `code` (Django set up) as another process would: a process of its own on
    PostgreSQL; on SQLite's in-memory test database, which no other process can open, a
    thread with its own connection (a SQLite page reads the generation every time anyway)."""
    if not ON_POSTGRESQL:
        failed = []

        def work():
            try:
                exec(code, {})
            except Exception as error:  # pragma: no cover - shown by the assert below
                failed.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert not failed, failed
        return
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "anthology.settings",
        "ANTHOLOGY_DEBUG": "1",
    }
    subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_an_essay_another_process_publishes_is_on_the_home_page_at_once(client, page_cache):
    collection = make_collection()
    make_essay(collection, "已在首页")
    draft = make_essay(collection, "另一个进程发布的文章", status=Status.DRAFT)
    client.get(HOME)
    assert "另一个进程发布的文章" not in client.get(HOME).content.decode()  # from the cache

    run_elsewhere(
        "from essays.models import Essay\nfrom essays.services import publish_essays\n"
        f"publish_essays(Essay.objects.filter(pk={draft.pk}))"
    )

    page = client.get(HOME)
    assert "另一个进程发布的文章" in page.content.decode() and page["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_a_write_of_this_process_is_on_its_next_page_at_once(client, page_cache):
    essay = make_essay(title="旧标题")
    url = essay.get_absolute_url()
    assert "旧标题" in client.get(url).content.decode()
    assert "旧标题" in client.get(url).content.decode()  # from the cache
    essay.title = "新标题"
    essay.save()
    assert "新标题" in client.get(url).content.decode()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_cached_page_runs_no_query_while_the_process_listens(
    client, page_cache, django_assert_num_queries
):
    make_essay(title="首页上的文章")
    client.get(HOME)  # rendered and cached; the process starts listening for bumps
    assert pagecache.generation.listening
    with django_assert_num_queries(0):
        assert "首页上的文章" in client.get(HOME).content.decode()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_notice_of_another_process_carries_the_number(
    client, page_cache, django_assert_num_queries
):
    make_essay()
    client.get(HOME)  # the process listens, and knows the number
    before = current_generation()
    run_elsewhere("from essays.pagecache import bump_generation\nbump_generation()")
    with django_assert_num_queries(0):
        assert current_generation() == before + 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_without_listening_a_cached_page_reads_the_generation(client, page_cache, django_assert_num_queries):
    page_cache.ANTHOLOGY_PAGE_CACHE_LISTEN = False  # e.g. behind a pooler that cannot LISTEN
    make_essay(title="首页上的文章")
    client.get(HOME)
    assert "首页上的文章" in served_from_cache(client, HOME, django_assert_num_queries)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_writer_returns_once_its_notice_has_come_back(django_assert_num_queries):
    bump_generation()  # a writer that has served no page listens from its first bump
    before = current_generation()
    bump_generation()
    with django_assert_num_queries(0):  # known from the notice, waited for by the bump
        assert current_generation() == before + 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_lost_listening_connection_means_reading_the_database_never_a_stale_page(client, page_cache):
    collection = make_collection()
    draft = make_essay(collection, "断线时发布的文章", status=Status.DRAFT)
    client.get(HOME)
    lost = pagecache.generation._listener.pgconn.backend_pid
    with connection.cursor() as cursor:  # as a database restart or a network fault would
        cursor.execute("SELECT pg_terminate_backend(%s)", [lost])
    run_elsewhere(
        "from essays.models import Essay\nfrom essays.services import publish_essays\n"
        f"publish_essays(Essay.objects.filter(pk={draft.pk}))"
    )
    assert "断线时发布的文章" in client.get(HOME).content.decode()
    listener = pagecache.generation._listener  # none, or a new one: the lost one was noticed
    assert listener is None or listener.pgconn.backend_pid != lost


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_bump_without_a_notice_is_seen_within_the_resync_interval(client, page_cache, monkeypatch):
    """A notice can only be missed if the network loses it silently: the number is read
    from the database again every RESYNC_SECONDS whatever happens."""
    monkeypatch.setattr(pagecache, "RESYNC_SECONDS", 0.2)
    essay = make_essay(title="旧标题")
    url = essay.get_absolute_url()
    client.get(url)
    Essay.objects.filter(pk=essay.pk).update(title="新标题")  # no signal
    with connection.cursor() as cursor:  # no notice either
        cursor.execute("UPDATE essays_pagegeneration SET value = value + 1")
    time.sleep(0.3)
    assert "新标题" in client.get(url).content.decode()


# This process's pages --------------------------------------------------------------------------


def test_local_pages_keep_one_generation_within_their_size():
    pages = LocalPages(max_bytes=1000)
    small = Page((b"x" * 100,), "text/html", "e")
    pages.put(1, "a", small)
    pages.put(1, "b", small)
    assert pages.get(1, "a") == small and pages.get(2, "a") is None
    pages.put(2, "c", small)  # a new generation: the old one's pages go
    assert pages.get(1, "a") is None and len(pages) == 1
    for key in "defghijk":
        pages.put(2, key, small)
    assert len(pages) == 3 and pages.get(2, "k") == small  # the least recently used went
    pages.put(2, "huge", Page((b"x" * 2000,), "text/html", "e"))
    assert pages.get(2, "huge") is None
