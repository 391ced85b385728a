"""Print the packages whose newest release differs from the version pinned in uv.lock.

Usage: ``python tools/lock_diff.py uv.lock FREEZE.txt`` where FREEZE.txt is the output of
``pip freeze`` (or ``uv pip freeze``) of an environment installed without the lock.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(path: Path) -> dict[str, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        normalise(p["name"]): str(p.get("version", ""))
        for p in data.get("package", [])
        if "version" in p
    }


def frozen_versions(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, version = line.strip().partition("==")
        if sep:
            found[normalise(name)] = version
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    locked = locked_versions(Path(argv[0]))
    latest = frozen_versions(Path(argv[1]))
    changed = sorted(n for n in latest if n in locked and locked[n] != latest[n])
    added = sorted(n for n in latest if n not in locked)
    if not changed and not added:
        print("test-latest: the newest versions are the locked ones")
        return 0
    print("test-latest: versions that differ from uv.lock (locked -> newest):")
    for name in changed:
        print(f"  {name:32} {locked[name]} -> {latest[name]}")
    for name in added:
        print(f"  {name:32} (not locked) -> {latest[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
