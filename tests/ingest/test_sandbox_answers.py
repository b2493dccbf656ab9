"""A worker's answer comes back with its long strings sent apart, a piece at a time (issue 16:
pickled whole, a large document's answer cost its worker some seven times the file)."""

import sys
import threading

import essays.ingest
from essays import prepare
from essays.ingest import IngestError, parse_document, sandbox
from essays.ingest.parallel import parse_many
from essays.ingest.sandbox import LONG_STRING, PIECE_CHARS, SPAWN, _Packed, _receive_answer
from essays.prepare import parse_for_import
from tests.conftest import seed_bytes


def sent_and_received(answer):
    """`answer` through a pipe as a worker sends it, and the number of messages it took."""
    ours, theirs = SPAWN.Pipe()
    received = []
    reader = threading.Thread(target=lambda: received.append(_receive_answer(ours)))
    reader.start()
    packed = _Packed(answer)
    messages = 2 + len(packed.layout)
    packed.send(theirs)
    reader.join(10)
    return received[0], messages


def test_long_strings_arrive_whole_and_in_place_whatever_their_characters():
    long = "长" * LONG_STRING
    huge = "巨" * (PIECE_CHARS + 3)
    odd = "\ud800 a lone surrogate, an emoji 😀 and NUL \x00 " * 20
    answer = ("ok", {"short": "短", "long": long, "huge": huge, "odd": odd, "list": [long + "x", 7, b"b"]})

    received, messages = sent_and_received(answer)

    assert received == answer
    assert messages == 2 + 3  # pieces: the long one; the huge one alone; the odd and the listed one


def test_a_string_met_twice_is_sent_once_and_arrives_as_one_string():
    body = "正文" * LONG_STRING

    (kind, (first, second)), messages = sent_and_received(("ok", (body, {body: "索引"})))

    assert first == body and first is next(iter(second))
    assert messages == 3


def test_an_answer_without_long_strings_is_two_messages():
    assert sent_and_received(("ok", ["短", 1, None])) == (("ok", ["短", 1, None]), 2)


def test_a_parse_for_import_comes_back_as_it_is_made_here():
    data = seed_bytes("004") * 3
    ((_, (parsed, strings)),) = parse_many([(0, data, "004.txt")], 1, parse_for_import)

    assert parsed.as_stored_json() == parse_document(data, "004.txt").as_stored_json()
    assert strings and set(strings) == {e.body for e in parsed.essays}
    assert all(any(key is e.body for e in parsed.essays) for key in strings)


# The bytes of a document are handed to the parse, not kept on the way: once the parse lets
# go of them (decoded), nothing holds them (sandbox.handed_on).


def references(data: bytes, name: str) -> int:
    return sys.getrefcount(data) - 1  # less getrefcount's own


def test_a_worker_keeps_no_reference_to_the_bytes_it_hands_to_the_parse():
    ((_, held),) = parse_many([(0, b"the document's bytes", "x.txt")], 1, references)

    assert held == 1  # the parse's own name for them, nothing else


def test_the_import_hands_the_bytes_on_to_parse_document_without_keeping_them(monkeypatch):
    held = []

    def parse(data, name, **options):
        held.append(sys.getrefcount(data) - 1)  # less getrefcount's own
        return IngestError(name, "counted")

    monkeypatch.setattr(sandbox, "_in_worker", True)
    monkeypatch.setattr(essays.ingest, "parse_document", parse)

    prepare.parse_for_import(bytes(range(50)), "x.txt")
    essays.ingest.parallel.parse_one(bytes(range(50)), "x.txt")

    assert held == [1, 1]
