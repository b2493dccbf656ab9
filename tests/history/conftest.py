import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from essays.models import Essay
from tests.essays.admin_factories import make_author, make_collection, make_essay


@pytest.fixture
def roles(db):
    call_command("setup_roles", stdout=_Null())


@pytest.fixture
def editor(roles):
    user = get_user_model().objects.create_user("编辑小王", password="pw-editor-123")
    call_command("setup_roles", editor=[user.username], stdout=_Null())
    user.refresh_from_db()
    return user


@pytest.fixture
def reader(roles):
    user = get_user_model().objects.create_user("读者小李", password="pw-reader-123")
    call_command("setup_roles", reader=[user.username], stdout=_Null())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def essay(db) -> Essay:
    collection = make_collection("党员学习心得体会汇编（7篇）")
    return make_essay(
        "学习二十大精神心得体会",
        collection=collection,
        author=make_author("张静", "市财政局"),
        body="第一段：学习党的二十大精神。\n第二段：坚定理想信念。\n第三段：立足岗位作贡献。",
        themes=("党的建设", "理想信念"),
    )


class _Null:
    def write(self, *args):
        pass

    def flush(self):
        pass
