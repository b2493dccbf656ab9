"""Small helpers that create admin test data, in Chinese as editors would see it."""

import hashlib
from itertools import count

from essays.models import Author, Collection, Essay, SourceDocument, Status, Theme

_serial = count(1)

BODY = "学习党的二十大精神，坚定理想信念。\n牢记初心使命，立足岗位作贡献。"


def make_collection(title: str = "党员学习心得体会汇编", **fields) -> Collection:
    fields.setdefault("key", f"{title}#{next(_serial)}")
    return Collection.objects.create(title=title, **fields)


def make_author(name: str = "张静", organization: str = "市财政局") -> Author:
    return Author.objects.for_byline(name, organization)


def make_essay(
    title: str = "学习二十大精神心得体会",
    *,
    collection: Collection | None = None,
    author: Author | None = None,
    body: str = BODY,
    themes: tuple[str, ...] = (),
    **fields,
) -> Essay:
    collection = collection or make_collection()
    fields.setdefault("position", collection.essays.count() + 1)
    essay = Essay.objects.create(collection=collection, title=title, author=author, body=body, **fields)
    if themes:
        essay.themes.add(*themes)
    return essay


def make_published_essay(title: str = "牢记初心使命", **kwargs) -> Essay:
    return make_essay(title, status=Status.PUBLISHED, **kwargs)


def make_theme(name: str = "党的建设") -> Theme:
    (theme,) = Theme.objects.for_names([name])
    return theme


def make_source_document(collection: Collection, name: str = "心得体会汇编.txt", **fields) -> SourceDocument:
    raw = fields.pop("raw", "学习心得体会\n张静".encode("gb18030"))
    fields.setdefault("text", raw.decode("gb18030"))
    fields.setdefault("encoding", "gb18030")
    fields.setdefault("format", "txt")
    fields.setdefault("pipeline_version", "1")
    fields.setdefault("report", {"warnings": ["第3篇疑似被截断"], "repairs": {"mojibake": 1}})
    return SourceDocument.objects.create(
        collection=collection,
        name=name,
        raw=raw,
        sha256=hashlib.sha256(raw + f"{name}#{next(_serial)}".encode()).hexdigest(),
        **fields,
    )
