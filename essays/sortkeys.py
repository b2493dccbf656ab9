"""Keys that put Chinese text in the order a reader expects: by pinyin, not by code point.

Code-point order puts 主题教育 before 乡村振兴 before 初心使命 (U+4E3B, U+4E61, U+521D);
readers look for them as in a dictionary (chu, xiang, zhu). The key is the text's pinyin
with tone numbers, letters and digits only: the tone digit ends each syllable, so "a1"
sorts before "ai1" with any collation that puts digits before letters (SQLite's binary and
PostgreSQL's locale collations both do), and punctuation such as 《 or （ never decides.
"""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

KEY_LENGTH = 190  # Essay.title_key's size: enough to tell titles apart
_NOT_KEY = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)
def pinyin_key(text: str) -> str:
    syllables = lazy_pinyin(text or "", style=Style.TONE3, neutral_tone_with_five=True)
    return _NOT_KEY.sub("", "".join(syllables).lower())[:KEY_LENGTH]
