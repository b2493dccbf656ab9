"""Whether the browser tests can run here, said in one line at the end of `make test`.

pytest lists skips only in its -ra summary, among other lines, and then prints a green
total: someone without Chromium would not notice that no page was tried in a browser. The
Makefile runs this after the suite (`python -m tests.browser.availability`). CI sets
ANTHOLOGY_REQUIRE_BROWSER=1, where the browser tests fail instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_CHROMIUM = "/usr/bin/chromium"


def chromium_path(environ=os.environ) -> Path:
    return Path(environ.get("ANTHOLOGY_CHROMIUM") or DEFAULT_CHROMIUM)


def missing_browser_line(environ=os.environ) -> str | None:
    path = chromium_path(environ)
    if path.exists() or environ.get("ANTHOLOGY_REQUIRE_BROWSER") == "1":
        return None  # ran, or failed (CI): nothing was skipped
    return (
        f"BROWSER TESTS SKIPPED: no Chromium at {path}. Install it (Debian/Ubuntu: sudo apt-get install "
        "chromium; Fedora: sudo dnf install chromium) or set ANTHOLOGY_CHROMIUM=/path/to/chromium, "
        "then run make test again."
    )


if __name__ == "__main__":
    line = missing_browser_line()
    if line:
        print(line)
