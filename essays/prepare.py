"""What an import's parse workers make of a document besides its parse (pure: no Django, so
a spawned worker can run it): the index strings of its essays, so that the process that
stores spends its time writing.

A large document's strings are left to the storing process, which makes them a few essays
at a time: an index string holds about three characters a character of text, and all of a
50 MB document's at once (with their UTF-8 copies, pickled and sent through a pipe) came to
some five times the file.
"""

from __future__ import annotations

from .ingest.model import ParsedDocument
from .ingest.parallel import parse_one
from .ingest.sandbox import handed_on
from .search.tokens import index_string

# Characters of essay text up to which a worker makes the index strings (a real page has a
# few thousand; a book pasted as one file, millions).
STRINGS_CHARS = 1_000_000


def parse_for_import(data: bytes, name: str):
    """(parse_one(data, name), {essay body: its index string}); the strings are left out
    (an empty dict) for a document of more than STRINGS_CHARS characters of essays."""
    box = handed_on(data)  # the parse lets go of the bytes once decoded: none kept here
    del data
    parsed = parse_one(box.pop(), name)
    if not isinstance(parsed, ParsedDocument) or sum(len(e.body) for e in parsed.essays) > STRINGS_CHARS:
        return parsed, {}
    return parsed, {essay.body: index_string(essay.body) for essay in parsed.essays}
