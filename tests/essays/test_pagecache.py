"""Reading pages are cached per script and never stale: every write a reader could see
bumps the generation the cached pages are stored under (essays.pagecache)."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from essays.models import Essay, Status, Theme
from essays.pagecache import current_generation
from essays.services import merge_themes, publish_essays, unpublish_essays
from essays.services.structure import merge_essays

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
    assert response.status_code == 200
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
    keys = backend._cache.get_client().keys(backend.make_key("page:*"))
    assert keys  # the page is in the shared server, where every worker finds it
