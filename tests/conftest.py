from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seed_paths():
    return sorted(SEEDS.glob("*.txt"))


def seed_bytes(prefix: str) -> bytes:
    """The bytes of the seed whose file name starts with `prefix` (e.g. "001")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_bytes()
