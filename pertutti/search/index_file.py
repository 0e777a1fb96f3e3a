"""The search index of a territory as one read-only, memory-mapped file per index token.

Every gunicorn worker used to build and hold its own copy of the index (hundreds of MB at
a national size, times the workers). Now the indexer writes the arrays once to a file
named after the territory's SearchIndexState token and each worker maps it: the pages live
once in the kernel's page cache and are shared by every process that maps them.

Layout: 8 bytes of magic, the length of a JSON header, the header (format, token, plain
metadata, and each array's dtype, shape and offset), then the arrays, each aligned to 64
bytes. A file is written under a temporary name and renamed into place (`os.replace`), so
a reader sees a whole file or none; a new format gets a new name, never a misread file.
"""

import contextlib
import fcntl
import json
import mmap
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

FORMAT = 1
MAGIC = b"PTSIDX01"
ALIGN = 64
STALE_TEMPORARY_SECONDS = 3600  # a temporary file this old was left by a crashed build


class IndexFileError(Exception):
    """The file is not a whole index of this format (truncated, foreign, damaged)."""


def index_dir() -> Path:
    return Path(settings.PERTUTTI_SEARCH_INDEX_DIR)


def index_file_path(territory_id: int, token: str) -> Path:
    """Where the index of the territory's documents as of `token` lives."""
    return index_dir() / f"territory-{territory_id}-{token}.v{FORMAT}.idx"


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


def index_file_write(path: Path, *, token: str, meta: dict[str, Any], arrays: dict) -> int:
    """Write the arrays and metadata to `path` atomically; returns the file's size."""
    arrays = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    sections, offset = {}, 0
    for name, a in arrays.items():
        sections[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset}
        offset = _aligned(offset + a.nbytes)
    header = json.dumps(
        {"format": FORMAT, "token": token, "meta": meta, "sections": sections},
        ensure_ascii=False,
    ).encode()
    start = _aligned(len(MAGIC) + 8 + len(header))  # arrays' offsets count from here
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as file:
            file.write(MAGIC + len(header).to_bytes(8, "little") + header)
            for name, a in arrays.items():
                file.seek(start + sections[name]["offset"])
                file.write(a.data.cast("B") if a.nbytes else b"")
            file.truncate(start + offset)
            file.flush()
            os.fsync(file.fileno())  # renamed only once its content is on disk
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return start + offset


def index_file_read(path: Path) -> tuple[str, dict[str, Any], dict[str, np.ndarray]]:
    """The token, metadata and arrays of an index file; the arrays are read-only views of
    one shared mapping of the file (no copy: the kernel shares the pages between
    processes). FileNotFoundError when it does not exist, IndexFileError when damaged."""
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size < len(MAGIC) + 8:
            raise IndexFileError(f"{path.name}: too short")
        # MAP_POPULATE: page tables filled now (the pages are usually in the page cache
        # already, just written), not one fault at a time during the first searches.
        flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
        mapped = mmap.mmap(file.fileno(), size, flags=flags, prot=mmap.PROT_READ)
    if mapped[: len(MAGIC)] != MAGIC:
        raise IndexFileError(f"{path.name}: not a search index file")
    length = int.from_bytes(mapped[len(MAGIC) : len(MAGIC) + 8], "little")
    try:
        header = json.loads(mapped[len(MAGIC) + 8 : len(MAGIC) + 8 + length])
    except ValueError as error:
        raise IndexFileError(f"{path.name}: damaged header") from error
    if header.get("format") != FORMAT:
        raise IndexFileError(f"{path.name}: format {header.get('format')}, expected {FORMAT}")
    start = _aligned(len(MAGIC) + 8 + length)
    arrays = {}
    for name, section in header["sections"].items():
        dtype, shape = np.dtype(section["dtype"]), tuple(section["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        offset = start + section["offset"]
        if offset + count * dtype.itemsize > size:
            raise IndexFileError(f"{path.name}: truncated at {name}")
        if count == 0:
            arrays[name] = np.zeros(shape, dtype=dtype)
            continue
        array = np.frombuffer(mapped, dtype=dtype, count=count, offset=offset).reshape(shape)
        arrays[name] = array  # read-only: the mapping is PROT_READ
    return header["token"], header["meta"], arrays


@contextlib.contextmanager
def index_file_lock(territory_id: int) -> Iterator[None]:
    """One builder at a time per territory on this machine (processes and threads alike):
    a second worker waits for the first's file instead of building it again."""
    directory = index_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"territory-{territory_id}.lock").open("a") as file:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file.fileno(), fcntl.LOCK_UN)


def index_files_prune(territory_id: int, *, keep: Path) -> list[Path]:
    """Remove the territory's other index files (older tokens or formats). A worker still
    answering from one keeps its mapping: on Linux a removed file's pages stay until the
    last process unmaps them, and disk space is freed then. Returns what was removed."""
    removed = []
    for path in index_dir().glob(f"territory-{territory_id}-*.idx"):
        if path != keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    for path in index_dir().glob(f".territory-{territory_id}-*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            if time.time() - path.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def smaps_rollup(pid: int | str = "self") -> dict[str, int]:
    """Memory of a process in kB from /proc/<pid>/smaps_rollup (Linux): Rss counts shared
    pages in every process that maps them, Pss splits them between those processes, and
    Uss (private pages) is what the process alone holds. Empty where unavailable."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            values[name] = int(rest.split()[0])
    values["Uss"] = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values
