"""The import pipeline is plain Python: importing it never drags Django in."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "essays.ingest",
    "essays.ingest.decode",
    "essays.ingest.formats",
    "essays.ingest.normalize",
    "essays.ingest.pinyin",
    "essays.ingest.mojibake",
]


def test_the_ingest_stages_import_without_django_in_a_fresh_interpreter():
    program = (
        f"import {', '.join(MODULES)}; import sys; assert 'django' not in sys.modules, 'django imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
