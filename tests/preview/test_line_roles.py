"""The import preview's line roles (issue 15, Deliver 4): every line shown with its role, a
role changed by a plain form post, the document parsed again in the bounded worker with the
correction, the essay operations carried over, and the roles kept with the source on confirm."""

import json
import re

import pytest
from django.test import Client

from essays.ingest import parse_document
from essays.models import Essay, PendingImport, SourceDocument, SourceLineRoles
from essays.services import import_document, preview_work
from essays.services.preview_roles import LABELS, rebase
from tests.preview.conftest import make_user
from tests.preview.helpers import post_edit, preview_url, upload, versions

pytestmark = pytest.mark.django_db

LINES = [
    "党员教育心得汇编",  # 0 collection
    "",
    "扫一扫在手机上阅读本页",  # 2 chrome
    "学习党章的体会",  # 3 title
    "县财政局 王明",  # 4 byline
    "今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。",  # 5
    "我们还要加强学习，不断提高自己的本领。",  # 6
    "关于基层工作的几点思考",  # 7 body, to the model
    "这本书的后半部分也写得很好，讲了基层党组织的建设和党员的教育管理。",  # 8
    "我们要把学到的用到工作中去，真正做到学以致用、知行合一。",  # 9
    "本站文章均来自会员投稿",  # 10 body, to the model
]
PAGE = "\n".join(LINES).encode()
NAME = "心得汇编.txt"


@pytest.fixture(autouse=True)
def _work_in_the_request(settings):
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = False


@pytest.fixture
def previewed(editor_client):
    response = upload(editor_client, (NAME, PAGE))
    return preview_url(response), response


def role_of(html: str, pk: str, line: int) -> str:
    """The role class of source line `line` (1-based) in the page's line list."""
    found = re.search(rf'<li id="line-{pk}-{line}" class="role-line role-(\w+)', html)
    assert found, f"line {line} not shown"
    return found.group(1)


def titles(html: str) -> list[str]:
    return re.findall(r'<span class="essay-title">([^<]*)</span>', html)


def set_role(client, url, response, line, role, **fields):
    (pk,) = versions(response)
    return post_edit(client, url, response, action=f"role:{pk}:{line - 1}:{role}", **fields)


def test_every_line_is_shown_with_its_role_in_chinese_and_the_uncertain_ones_marked(previewed):
    url, response = previewed
    page = response.text
    (pk,) = versions(response)
    for number, line in enumerate(LINES, 1):
        if line.strip():
            assert f'id="line-{pk}-{number}"' in page and line in page
    assert [role_of(page, pk, n) for n in (3, 4, 5, 6, 8, 11)] == [
        "chrome",
        "title",
        "byline",
        "body",
        "body",
        "body",
    ]
    for label in LABELS.values():
        assert label in page  # the legend and every line's buttons
    assert '<span class="role-label">标题</span>' in page and '<span class="role-label">署名</span>' in page
    # the model's least certain lines are marked and listed (line 1: the collection title, 0.56)
    assert 'class="uncertain-mark"' in page and "模型最没把握的行" in page
    assert 'src="/static/essays/import_roles.js"' in page


def test_lines_are_escaped(editor_client):
    response = upload(editor_client, ("x.txt", PAGE.replace("本站".encode(), b"<script>alert(1)</script>")))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text


def test_a_role_changed_by_a_plain_form_post_reassembles_the_essays(editor_client, previewed):
    url, response = previewed
    (pk,) = versions(response)
    assert titles(response.text) == ["学习党章的体会"]
    response = set_role(editor_client, url, response, 8, "title")
    page = response.text
    assert titles(page) == ["学习党章的体会", "关于基层工作的几点思考"]
    assert role_of(page, pk, 8) == "title" and 'class="corrected-mark"' in page
    row = PendingImport.objects.get()
    assert row.edits["roles"] == {"7": "title"} and row.stage == PendingImport.Stage.READY
    # stored with the parse: the next view reads it, nothing is parsed for a view
    assert json.loads(row.parse)["essays"][1]["title"] == "关于基层工作的几点思考"
    assert "现分为 2 篇" in page

    # chrome takes a line out of the essay; "reset" gives the model's reading back
    response = set_role(editor_client, url, response, 11, "chrome")
    assert "本站文章均来自会员投稿" not in Essay_bodies(response)
    response = set_role(editor_client, url, response, 8, "reset")
    assert titles(response.text) == ["学习党章的体会"]
    assert PendingImport.objects.get().edits["roles"] == {"10": "chrome"}


def Essay_bodies(response) -> str:  # noqa: N802 - reads as what it returns
    row = PendingImport.objects.get()
    return "".join(e["body"] for e in json.loads(row.parse)["essays"])


def test_a_new_essay_starts_at_a_line_without_a_title(editor_client, previewed):
    url, response = previewed
    response = set_role(editor_client, url, response, 9, "start")
    assert len(titles(response.text)) == 2
    assert "自动生成标题" in response.text


def test_the_reparse_goes_through_the_bounded_worker_with_the_corrections(
    editor_client, previewed, monkeypatch
):
    url, response = previewed
    seen = []
    real = preview_work.parse_one

    def watching(data, name, **options):
        seen.append(options)
        return real(data, name, **options)

    monkeypatch.setattr(preview_work, "parse_one", watching)
    set_role(editor_client, url, response, 8, "title")
    assert seen == [{"with_roles": True, "corrections": {7: "title"}}]


def test_a_role_for_no_line_or_no_such_role_is_refused_and_nothing_kept(editor_client, previewed):
    url, response = previewed
    (pk,) = versions(response)
    for action in (f"role:{pk}:1:title", f"role:{pk}:7:heading", f"role:{pk}:99:body"):
        got = post_edit(editor_client, url, response, action=action)
        assert "未能修改" in got.text
    row = PendingImport.objects.get()
    assert "roles" not in row.edits and row.stage == PendingImport.Stage.READY


def test_a_role_change_from_an_older_page_is_refused(editor_client, previewed):
    url, old = previewed
    set_role(editor_client, url, old, 8, "title")
    got = set_role(editor_client, url, old, 11, "chrome")
    assert "已在别的窗口中修改过" in got.text
    assert PendingImport.objects.get().edits["roles"] == {"7": "title"}


def test_role_changes_need_the_import_permission_and_the_csrf_token(editor, client_for, previewed):
    url, response = previewed
    (pk,) = versions(response)
    reader = client_for(make_user("reader", perms=["view_essay"]))
    data = {"action": f"role:{pk}:7:title", f"v-{pk}": "0"}
    assert reader.post(url, data).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(url, data).status_code == 403
    assert "roles" not in PendingImport.objects.get().edits


def test_essay_edits_are_carried_over_a_role_change_and_merges_given_up(editor_client, previewed):
    """Roles first, then the operations, re-targeted to the rebuilt essays."""
    url, response = previewed
    (pk,) = versions(response)
    response = post_edit(editor_client, url, response, **{f"a-{pk}-0": "李四"})
    response = set_role(editor_client, url, response, 8, "title")
    assert 'value="李四"' in response.text  # the first essay still has the name typed
    # merging the two, then making line 4 a title again splits them the editor's way
    response = post_edit(editor_client, url, response, action=f"merge:{pk}:0")
    assert len(titles(response.text)) == 1
    response = set_role(editor_client, url, response, 11, "chrome")
    assert len(titles(response.text)) == 2
    assert "1 处对文章的修改" in response.text  # the merge, given up and said
    row = PendingImport.objects.get()
    assert row.edits["ops"] == [{"op": "set", "index": 0, "field": "author", "value": "李四"}]


def test_rebase_follows_each_essay_to_its_new_place():
    before = parse_document(PAGE, NAME, corrections={7: "title"})
    after = parse_document(PAGE, NAME, corrections={7: "title", 6: "start"})  # a new essay at line 7
    assert len(after.essays) == len(before.essays) + 1 == 3
    ops = [
        {"op": "set", "index": 1, "field": "title", "value": "改过的标题"},
        {"op": "set", "index": 0, "field": "author", "value": "李四"},
        {"op": "drop", "index": 1},
    ]
    kept, lost = rebase(before, ops, after)
    assert lost == 0
    assert kept == [
        {"op": "set", "index": 2, "field": "title", "value": "改过的标题"},
        {"op": "set", "index": 0, "field": "author", "value": "李四"},
        {"op": "drop", "index": 2},
    ]
    split = [
        {"op": "split", "index": 0, "at": 2},
        {"op": "set", "index": 1, "field": "author", "value": "李四"},
    ]
    assert rebase(before, split, after) == ([], 2)  # the split, and the essay it made


def test_collection_fields_themes_and_fragment_are_edited_and_stored(editor_client, previewed):
    url, response = previewed
    (pk,) = versions(response)
    # the parser reads the essay as cut off (its last line has no full stop): a fragment
    assert f'name="f-{pk}-0" checked' in response.text
    response = post_edit(
        editor_client,
        url,
        response,
        **{
            f"ct-{pk}": "党员教育心得（编辑改定）",
            f"cd-{pk}": "本汇编收录两篇心得。",
            f"cs-{pk}": "县委组织部",
            f"th-{pk}-0": "党章、 学习教育,基层",
            f"fp-{pk}-0": "1",  # on the page, its box not ticked: not a fragment
        },
    )
    page = response.text
    assert 'value="党员教育心得（编辑改定）"' in page and "本汇编收录两篇心得。" in page
    assert 'value="党章、学习教育、基层"' in page and f'name="f-{pk}-0" checked' not in page
    post_edit(editor_client, url, response, action="confirm", **{f"fp-{pk}-0": "1"})
    essay = Essay.objects.get()
    collection = essay.collection
    assert (collection.title, collection.description, collection.site) == (
        "党员教育心得（编辑改定）",
        "本汇编收录两篇心得。",
        "县委组织部",
    )
    assert sorted(t.name for t in essay.themes.all()) == sorted(["党章", "学习教育", "基层"])
    assert not essay.is_fragment


def test_the_editors_collection_fields_win_over_a_stored_collections(editor_client):
    first = PAGE.replace("本站文章均来自会员投稿".encode(), "（第1/2页）".encode())
    import_document(first, "第1页.txt")
    collection = Essay.objects.get().collection
    second = PAGE.replace("学习党章".encode(), "研读党章".encode()).replace(
        "本站文章均来自会员投稿".encode(), "（第2/2页）".encode()
    )
    response = upload(editor_client, ("第2页.txt", second))
    url = preview_url(response)
    (pk,) = versions(response)
    response = post_edit(editor_client, url, response, **{f"cd-{pk}": "两页汇编，编辑写的简介。"})
    post_edit(editor_client, url, response, action="confirm")
    collection.refresh_from_db()
    assert Essay.objects.filter(collection=collection).count() == 2
    assert collection.description == "两页汇编，编辑写的简介。"


def test_the_fragment_box_counts_only_for_essays_on_the_page(editor_client, previewed):
    url, response = previewed
    (pk,) = versions(response)
    response = post_edit(editor_client, url, response, **{f"fp-{pk}-0": "1"})
    assert f'name="f-{pk}-0" checked' not in response.text
    response = post_edit(editor_client, url, response)  # neither the box nor its marker sent
    assert f'name="f-{pk}-0" checked' not in response.text
    response = post_edit(editor_client, url, response, **{f"fp-{pk}-0": "1", f"f-{pk}-0": "on"})
    assert f'name="f-{pk}-0" checked' in response.text


def test_a_long_document_shows_its_lines_a_page_at_a_time(editor_client):
    lines = ["党员学习心得体会"] + [f"第{n}段，我们要认真学习，不断提高自己的本领。" for n in range(1, 451)]
    response = upload(editor_client, ("长文.txt", "\n".join(lines).encode()))
    url = preview_url(response)
    (pk,) = versions(response)
    page = response.text
    assert page.count('class="role-line ') == 200 and "行第 1/3 页" in page
    assert f'id="line-{pk}-200"' in page and f'id="line-{pk}-201"' not in page
    last = editor_client.get(url, {"lines": 3}).text
    assert last.count('class="role-line ') == 51 and f'id="line-{pk}-451"' in last
    assert f'id="line-{pk}-1"' not in last


def test_confirm_keeps_the_final_roles_and_the_corrections_with_the_source(editor, editor_client, previewed):
    url, response = previewed
    response = set_role(editor_client, url, response, 8, "title")
    response = set_role(editor_client, url, response, 11, "chrome")
    post_edit(editor_client, url, response, action="confirm")
    source = SourceDocument.objects.get()
    kept = SourceLineRoles.objects.get(document=source)
    assert kept.corrections == {"7": "title", "10": "chrome"}
    roles = {start: role for start, _end, role in kept.roles}
    assert roles[7] == "title" and roles[10] == "chrome" and roles[3] == "title" and roles[4] == "byline"
    assert kept.corrected_by == editor and kept.authors[0] == ["王明", "县财政局"]
    assert Essay.objects.count() == 2


def test_a_confirm_that_stores_nothing_keeps_no_roles(editor_client, previewed):
    url, response = previewed
    response = set_role(editor_client, url, response, 8, "title")
    # meanwhile another file of the same name takes the page: confirming is a conflict
    import_document(
        PAGE.replace("王明".encode(), "张三".encode()).replace("学习".encode(), "研读".encode()), NAME
    )
    before = SourceDocument.objects.get()
    post_edit(editor_client, url, editor_client.get(url), action="confirm")
    assert SourceDocument.objects.get() == before and not SourceLineRoles.objects.exists()
    row = PendingImport.objects.get()
    assert row.stage == PendingImport.Stage.READY and row.outcome["status"] == "conflict"


def test_essays_opening_alike_are_followed_by_their_ends_too():
    from essays.ingest.model import EssayDraft
    from essays.services.preview_roles import _match

    def essay(end):
        return EssayDraft(title=None, body=f"各位领导：\n今天发言的内容。\n{end}")

    old = [essay("谢谢大家。一"), essay("谢谢大家。二"), essay("谢谢大家。三")]
    new = [essay("谢谢大家。二"), essay("谢谢大家。三")]  # the first became page chrome
    assert _match(old, new) == {1: 0, 2: 1}
