"""python -m essays.ingest FILE... : print the parse of each file as JSON (no Django needed).

The output is the same list `manage.py import_essays --dry-run --json` prints. A file that
cannot be imported is reported as `FILE: reason` on stderr and makes the exit status 1.
"""

import json
import sys
from pathlib import Path

from . import IngestError, parse_document


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m essays.ingest FILE...", file=sys.stderr)
        return 2
    results, status = [], 0
    for arg in argv:
        path = Path(arg)
        try:
            parsed = parse_document(path.read_bytes(), str(path))
        except IngestError as err:
            print(f"{arg}: {err.reason}", file=sys.stderr)
            status = 1
            continue
        except OSError as err:
            print(f"{arg}: {err.strerror or err}", file=sys.stderr)
            status = 1
            continue
        results.append(parsed.as_json() | {"source": str(path)})
    json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
