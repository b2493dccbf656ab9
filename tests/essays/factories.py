"""Plain helpers that build reading-site data through the ORM."""

import itertools

from django.utils import timezone

from essays.models import Author, Collection, Essay, Status

_sequence = itertools.count(1)

BODY = (
    "我们要坚持学习，不断提高干部队伍的理论水平。\n在实践中锤炼党性，做到知行合一。\n以实际行动践行初心使命。"
)


def make_collection(title="学习心得体会汇编", **fields):
    n = next(_sequence)
    fields.setdefault("key", f"collection-{n}-{title}")
    return Collection.objects.create(title=title, **fields)


def make_author(name="张静", organization="办公室"):
    return Author.objects.for_byline(name, organization)


def make_essay(
    collection=None,
    title="学习心得",
    body=BODY,
    status=Status.PUBLISHED,
    author=None,
    themes=(),
    position=None,
    **fields,
):
    """An essay, published unless told otherwise, at the end of its collection by default."""
    if collection is None:
        collection = make_collection()
    if position is None:
        position = collection.essays.count() + 1
    if status == Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    essay = Essay.objects.create(
        collection=collection,
        title=title,
        body=body,
        status=status,
        author=author,
        position=position,
        **fields,
    )
    if themes:
        essay.themes.add(*themes)
    return essay


def make_essays(count, collection=None, themes=("党的建设",), with_authors=True, **fields):
    """`count` published essays in one collection, each with its own author and the given themes."""
    if collection is None:
        collection = make_collection()
    return [
        make_essay(
            collection=collection,
            title=f"第{i}篇心得",
            author=make_author(f"作者{i}", "机关党委") if with_authors else None,
            themes=themes,
            position=i,
            **fields,
        )
        for i in range(1, count + 1)
    ]
