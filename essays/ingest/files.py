"""Finding and reading the files an import is given: every file gets a name relative to what
was imported and either its bytes or the reason it cannot be read (in Chinese, for a one-line
message). Symbolic links are followed only where they stay inside the folder given; nothing
is read past a size limit, and nothing that is not a regular file is opened.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

SOURCE_SUFFIXES = {".txt", ".text", ".docx", ".html", ".htm"}
# A source past this is refused before it is read: parsing costs some 40-65 times the file
# in memory, and the genre's largest real pages are well under 5 MB.
MAX_SOURCE_BYTES = 50 * 1024 * 1024


def source_name(name: str) -> str:
    """A source's stable name: relative to what was imported, never a server path. A name
    given absolute or with parent steps keeps only its file name."""
    path = Path(str(name).replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        return path.name[:500]
    return path.as_posix().removeprefix("./")[:500] or str(name)[:500]


def display(name: str) -> str:
    """A file name fit for a one-line message: control characters (a newline in a file
    name) shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


class SourceFile(NamedTuple):
    name: str  # relative to the folder given, or the file's own name (source_name)
    path: Path | None
    problem: str | None  # why it cannot be read, in Chinese


def iter_source_files(paths: Iterable[str]) -> Iterator[SourceFile]:
    """Every source file under these paths, folders walked in name order; each file or
    folder that cannot be read comes with the reason, so every one is reported."""
    for given in paths:
        path = Path(given)
        try:
            if path.is_dir():  # a symlink named on the command line is followed: it was asked for
                yield from _walk(path)
            elif path.is_file():
                yield SourceFile(path.name, path, None)
            else:
                yield SourceFile(given, None, _missing_reason(path))
        except OSError as exc:
            yield SourceFile(given, None, os_reason(exc))


def _walk(root: Path) -> Iterator[SourceFile]:
    """The files under a folder. Symbolic links are followed only where they stay inside
    it: a link out of the tree (to /etc/passwd) is reported, never read."""
    inside = root.resolve()
    errors: list[OSError] = []

    def unreadable() -> Iterator[SourceFile]:
        while errors:
            exc = errors.pop(0)
            where = Path(exc.filename) if exc.filename else root
            yield SourceFile(_relative(where, root) + "/", None, "文件夹" + os_reason(exc))

    for folder, dirs, files in os.walk(root, onerror=errors.append):
        yield from unreadable()
        here = Path(folder)
        for d in list(dirs):
            if d.startswith("."):
                dirs.remove(d)
            elif (here / d).is_symlink() and (problem := _link_problem(here / d, inside)):
                dirs.remove(d)
                yield SourceFile(_relative(here / d, root) + "/", None, problem)
        dirs.sort()
        for filename in sorted(files):
            child = here / filename
            if filename.startswith(".") or child.suffix.lower() not in SOURCE_SUFFIXES:
                continue
            problem = _link_problem(child, inside) if child.is_symlink() else None
            yield SourceFile(_relative(child, root), None if problem else child, problem)
    yield from unreadable()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _link_problem(link: Path, inside: Path | None = None) -> str | None:
    """Why a symbolic link is not followed: a loop, a missing target, or (given `inside`) a
    target out of that folder; None when it may be."""
    try:
        target = link.resolve(strict=True)
    except RuntimeError:  # Python 3.11-3.12 raise this for a loop, 3.13 an OSError (ELOOP)
        return "符号链接循环"
    except OSError as exc:
        return os_reason(exc)
    if inside is not None and not target.is_relative_to(inside):
        return "符号链接指向导入文件夹之外，未跟随"
    return None


def _missing_reason(path: Path) -> str:
    if path.is_symlink():
        return _link_problem(path) or "不是普通文件"
    return "没有这个文件或文件夹" if not path.exists() else "不是普通文件"


_OS_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接循环",
    errno.ENOENT: "文件已不存在",
    errno.EISDIR: "是文件夹而非文件",
    errno.EIO: "读取出错（输入/输出错误）",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese, for a one-line message."""
    return _OS_REASONS.get(exc.errno) or f"无法读取（{exc.strerror or exc}）"


def read_source(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> tuple[bytes | None, str | None]:
    """A file's bytes, or why not: never more than `max_bytes` read, never a FIFO or a
    device opened (reading one would block or never end)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, "不是普通文件"
        if info.st_size > max_bytes:
            return None, _too_big(info.st_size, max_bytes)
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as exc:
        return None, os_reason(exc)
    if len(data) > max_bytes:  # grew while being read
        return None, _too_big(len(data), max_bytes)
    return data, None


def _too_big(size: int, limit: int) -> str:
    return f"文件大小 {size / 2**20:.1f} MB，超过上限 {limit / 2**20:.0f} MB，未导入"
