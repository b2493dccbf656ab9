"""bytes -> str. (Stub: replaced by the real detector.)"""

from .model import IngestError


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name). Raise IngestError naming the file and the reason."""
    if not data:
        raise IngestError(name, "the file is empty")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise IngestError(name, "the text is in no supported encoding")
