"""HTML pages -> text lines with hints: the page's main content, without the site's chrome.

Every walk of the tree is one pass over its elements, linear in their number; a page with
more start tags than essays.ingest.limits.HTML_TAGS is refused before it is parsed.
"""

from __future__ import annotations

import codecs
import re
from itertools import islice

from . import limits
from .blocks import Extraction, from_blocks
from .decode import decode_bytes, plausibility
from .model import IngestError

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5",
    "utf8": "utf-8",
    "utf-8": "utf-8",
}
MISLABELLED_MARGIN = 20  # plausibility points (10 per nat of character frequency)
DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "iframe")
CHROME_NAME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|share|sharing|comments?|related|sidebar|footer)",
    re.I,
)
KEEP_TAGS = {"html", "body", "article", "main"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "tr", "td", "th", "thead", "tbody", "figure", "figcaption", "address", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
HEADING_HINTS = {
    "h1": "title",
    "h2": "title",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
}
START_TAG = re.compile(r"<[A-Za-z]")
ARROW_LINK = re.compile(r"^\s*[←→«»‹›<>]|[←→«»‹›]\s*$")  # a link that only leads elsewhere
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SPACE_RUN = re.compile(r"\s+")
CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)


def extract_html(data: bytes, name: str) -> Extraction:
    text, encoding = _decode_html(data, name)
    if _too_many_tags(text):
        raise IngestError(name, f"网页过大（标签超过 {limits.HTML_TAGS:,} 个），请只保存正文部分再导入")
    try:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "lxml")
    except Exception as error:
        raise IngestError(name, f"is a damaged HTML page ({error})") from None
    _drop_chrome(soup)
    root = _main_content(soup)
    blocks = _outside_title(soup, root) + _html_blocks(root)
    return from_blocks(blocks, encoding=encoding, format="html")


def _outside_title(soup, root) -> list[tuple[str, str]]:
    """Pages often put the <h1> title above the <article>: keep it when the content has no
    heading, or when the page's <title> opens with it (the content's <h2>s are then the
    titles of the essays it collects; an <h1> that is the site's logo ends the <title>)."""
    if root is soup or root.find("h1") is not None:
        return []
    title = soup.find("h1")
    if title is None:
        above = _line_above(root)
        return [(above, None)] if above else []  # clean and segment judge it like any line
    if any(parent is root for parent in title.parents):  # `in` compares whole subtrees
        return []
    text = _collapse_html_space(title.get_text())
    if not text:
        return []
    if root.find("h2") is not None:
        page_title = _collapse_html_space(soup.title.get_text()) if soup.title else ""
        if not (len(text) >= 4 and page_title.startswith(text)):
            return []
    return [(text, "title")]


def _line_above(root) -> str | None:
    """With no <h1>: a short line of text just above the content, such as the title of
    pages built of <div>s (<div class="tit">标题</div> over <div class="con">…)."""
    above = root.find_previous_sibling(True)
    if above is None or above.find(["div", "p", "table", "ul", "ol"]) is not None:
        return None
    text = _collapse_html_space(above.get_text())
    return text if 4 <= len(text) <= 60 and "。" not in text else None


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """A byte-order mark or a <meta charset> decides; without them, the plain-text detector."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, name)
    match = META_CHARSET.search(data[:4096])
    declared = _decode_declared(data, match.group(1)) if match else None
    if declared is None:
        return decode_bytes(data, name)
    try:
        detected = decode_bytes(data, name)
    except IngestError:
        return declared
    # Pages often declare gb2312 while serving Big5 or the reverse; when the detector's
    # reading is far more plausible than the declared one, the declaration is wrong.
    if plausibility(detected[0]) > plausibility(declared[0]) + MISLABELLED_MARGIN:
        return detected
    return declared


def _decode_declared(data: bytes, charset: bytes) -> tuple[str, str] | None:
    name = charset.decode("ascii", "replace").lower()
    codec = CHARSET_ALIASES.get(name, name)
    try:
        text = data.decode(codec)
        label = codecs.lookup(codec).name
    except (LookupError, UnicodeDecodeError):
        return None
    return text, "big5" if label.startswith("big5") else label


def _too_many_tags(text: str) -> bool:
    """More than limits.HTML_TAGS start tags, counted before parsing (in at most that many
    steps): BeautifulSoup's tree costs ~25 µs and ~1 KB an element."""
    if text.count("<") <= limits.HTML_TAGS:
        return False
    return sum(1 for _ in islice(START_TAG.finditer(text), limits.HTML_TAGS + 1)) > limits.HTML_TAGS


# Every walk of the tree below is one pass over its elements, with a stack: no recursion, and
# no search of an element's subtree per element (100,000 nested <div>s took >600 s when
# _drop_chrome asked each tag `tag.decomposed`, which bs4 answers by searching its subtree).


def _tags(root) -> list:
    """Every element under `root` in document order (`root` itself not included): one pass
    with a stack, so depth costs neither time nor recursion."""
    from bs4 import Tag

    order, stack = [], [root]
    while stack:
        tag = stack.pop()
        if tag is not root:
            order.append(tag)
        stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
    return order


def _drop_chrome(soup) -> None:
    """Remove scripts, navigation, headers, footers... and every element whose id or class
    names chrome (nav, menu, share, comments...), with everything inside them. One pass: what
    lies inside a dropped element is never looked at."""
    from bs4 import Tag

    dropped, stack = [], [soup]
    while stack:
        for child in stack.pop().contents:
            if isinstance(child, Tag):
                (dropped if _chrome(child) else stack).append(child)
    _remove(dropped)


def _chrome(tag) -> bool:
    if tag.name in DROP_TAGS:
        return True
    if tag.name in KEEP_TAGS:
        return False
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(names.strip() and CHROME_NAME.search(names))


def _remove(tags) -> None:
    """Take `tags` (none inside another) out of the tree. Each parent's list of children is
    rebuilt once: bs4's extract() finds and deletes a child by position, quadratic when a
    page has 100,000 sibling chrome elements."""
    doomed: dict[int, tuple[object, set[int]]] = {}
    for tag in tags:
        doomed.setdefault(id(tag.parent), (tag.parent, set()))[1].add(id(tag))
    for parent, ids in doomed.values():
        parent.contents[:] = [child for child in parent.contents if id(child) not in ids]
    for tag in tags:
        tag.parent = None  # already gone from its parent's children: extract() only relinks
        tag.extract()


def _main_content(soup):
    tags = _tags(soup)
    stats = _text_stats(tags)
    articles = [tag for tag in tags if tag.name == "article"]
    if articles:
        return max(articles, key=lambda tag: stats[id(tag)][0])
    main = next((tag for tag in tags if tag.name == "main"), None)
    if main is not None:
        return main
    best, best_count = None, 0
    for tag in tags:
        count = sum(stats[id(child)][0] for child in tag.contents if _paragraph(child, stats))
        if count > best_count:
            best, best_count = tag, count
    return _posts_around(best, stats) if best is not None else soup.body or soup


POST_TEXT = 50  # Chinese characters in a post beside the biggest one, to count as another post


def _posts_around(best, stats):
    """A page of several posts (a blog's or a school's page of 感言, a forum thread): the block
    holding the most paragraphs is one post of them, and the others lie beside one of its
    containers in containers of the same kind (tag and class). Their parent is the content;
    the biggest post alone would lose the others' text without a word."""
    node = best
    while node.parent is not None and node.parent.name not in ("body", "html", "[document]"):
        kind = (node.name, tuple(node.get("class") or ()))
        if kind[1]:
            twins = [
                sibling
                for sibling in node.parent.find_all(kind[0], recursive=False)
                if sibling is not node
                and tuple(sibling.get("class") or ()) == kind[1]
                and stats[id(sibling)][0] >= POST_TEXT
            ]
            if twins:
                return node.parent
        node = node.parent
    return best


_INNER_BLOCKS = frozenset(["div", "p", "table", "ul", "ol", "section", "article"])


def _text_stats(tags) -> dict[int, tuple[int, bool, bool]]:
    """For each element (by id): the Chinese characters of its text, whether its text has a
    。 or ，, and whether a block (_INNER_BLOCKS) lies inside it. Computed children first
    (`tags` in reverse document order), so each string and element is read once; the text
    is what get_text() gives (NavigableString and CData, no comments or scripts)."""
    from bs4 import CData, NavigableString, Tag

    stats: dict[int, tuple[int, bool, bool]] = {}
    for tag in reversed(tags):
        cjk, prose, blocks = 0, False, False
        for child in tag.contents:
            if isinstance(child, Tag):
                child_cjk, child_prose, child_blocks = stats[id(child)]
                cjk += child_cjk
                prose = prose or child_prose
                blocks = blocks or child_blocks or child.name in _INNER_BLOCKS
            elif type(child) in (NavigableString, CData):
                cjk += len(CJK.findall(child))
                prose = prose or "。" in child or "，" in child
        stats[id(tag)] = (cjk, prose, blocks)
    return stats


def _paragraph(node, stats) -> bool:
    """A <p>, or a <div> used as one (pages built of <div>s): no blocks inside, and prose."""
    name = getattr(node, "name", None)
    if name == "p":
        return True
    if name != "div":
        return False
    _, prose, blocks = stats[id(node)]
    return prose and not blocks


def _html_blocks(root):
    """(text, hint) per block element and per <br>-separated line, in reading order."""
    from bs4 import CData, NavigableString

    blocks: list[tuple[str, str | None]] = []
    buffer: list[str] = []
    hint_stack: list[str | None] = [None]
    listed = _listed_links(root)

    def flush() -> None:
        line = _collapse_html_space("".join(buffer))
        buffer.clear()
        if line:
            blocks.append((line, hint_stack[-1]))

    # (children still to read, whether the element is a block) per open element
    stack = [(iter(root.children), False)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                flush()
                hint_stack.pop()
        elif isinstance(child, NavigableString):
            if type(child) in (NavigableString, CData):  # not comments, doctypes...
                buffer.append(str(child))
        elif child.name == "br":
            flush()
        elif id(child) in listed:
            flush()
            text = _collapse_html_space(child.get_text())
            if text:
                blocks.append((text, "link"))
        elif child.name == "pre":
            flush()
            for line in child.get_text().split("\n"):
                if line.strip():
                    blocks.append((line.strip(), hint_stack[-1]))
        elif child.name in BLOCK_TAGS:
            flush()
            hint_stack.append(HEADING_HINTS.get(child.name, hint_stack[-1]))
            stack.append((iter(child.children), True))
        else:
            stack.append((iter(child.children), False))
    flush()
    return blocks


def _listed_links(root) -> set[int]:
    """The links to other pages that stand in a row with nothing but space or line breaks
    between them: a menu or a list of other articles however the page marks it up (their
    texts would run together into one line: 首頁青醬蛤蠣義大利麵紅醬海鮮義大利麵); and a
    link marked with an arrow ("← 回遊戲大廳")."""
    from bs4 import NavigableString

    def linked(tag) -> bool:
        return tag is not None and tag.name == "a" and not (tag.get("href") or "").startswith("#")

    def neighbour(tag, step: str):
        node = getattr(tag, step)
        while node is not None and (
            (isinstance(node, NavigableString) and not node.strip()) or getattr(node, "name", None) == "br"
        ):
            node = getattr(node, step)
        return node

    listed = set()
    for a in root.find_all("a"):
        if not linked(a):
            continue
        if linked(neighbour(a, "previous_sibling")) or linked(neighbour(a, "next_sibling")):
            listed.add(id(a))
        elif ARROW_LINK.match(a.get_text()):  # "← 回遊戲大廳", "上一篇 »"
            listed.add(id(a))
    return listed


def _collapse_html_space(text: str) -> str:
    # A line break in the HTML source between two Chinese characters is not a space.
    text = CJK_BREAK.sub("", text.replace("\r", "\n"))
    return SPACE_RUN.sub(" ", text.replace("\u00a0", " ")).strip()
