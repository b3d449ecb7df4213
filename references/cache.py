"""An on-disk cache of the loaded registry and its compiled index, keyed by the registry's content.

Parsing and validating YAML is the slow part of starting an audit (seconds per 10k entities); a
warm start reads back the `Registry` and `RegistryIndex` an earlier run built from byte-identical
registry files with the same code. The cache is a pickle, and pickle runs code when loaded, so it
is only ever read from the cache directory (`$SOURCE_AUDIT_CACHE_DIR`, else
`$XDG_CACHE_HOME/source-audit`, else `~/.cache/source-audit`), which holds nothing but files this
module wrote there, owned by the current user; `--no-cache` turns the cache off. A cache that cannot
be created, written or read is silently skipped: the cache never fails an audit. A warm load moves
what it loaded to the garbage collector's permanent generation (`gc.freeze`): the registry lives as
long as the process, and the collector would otherwise walk every one of its objects again.

The file is a header, the pickle, then the registry's entities packed one pickle each
(`PackedEntities`, pickled out of band): a warm load maps that part of the file and unpickles an
entity only when it is first used. Cache files are only ever replaced whole (written aside, then
renamed) or deleted, never rewritten in place, so a mapped file cannot shrink under a running audit.
"""
from __future__ import annotations

import copyreg
import dataclasses
import gc
import hashlib
import io
import mmap
import os
import pickle
import struct
import sys
import time
from pathlib import Path
from typing import BinaryIO, Iterable

from . import model
from .index import RegistryIndex, automaton_backend, automaton_module
from .loader import _registry_files, bundled_registry_dir, load_registry
from .model import Registry

FORMAT_VERSION = 2  # bump when the pickled layout changes in a way the code hash would not show
MAGIC = b"SAcache\x02"
_HEADER = struct.Struct("<8sQQ")  # magic, size of the pickle, number of out-of-band buffers
_LENGTH = struct.Struct("<Q")      # then the size of each buffer; the pickle; the buffers
KEEP = 8            # cache files kept; older ones are deleted
SUFFIX = ".pickle"
KEY_SUFFIX = ".key"  # the cache key of registry files as they stood (`_remembered_key`)
SETTLED_SECONDS = 3.0


def default_cache_dir() -> Path:
    explicit = os.environ.get("SOURCE_AUDIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "source-audit"


def load_cached(directories: Iterable[Path | str], include_bundled: bool = True,
                cache_dir: Path | str | None = None) -> tuple[Registry, RegistryIndex]:
    """The registry of `directories` (as `load_registry` loads it) and its index, from the cache if possible.

    Raises RegistryError exactly like `load_registry`; a broken registry is never cached.
    """
    directories = [Path(d) for d in directories]
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        path = folder / (_remembered_key(directories, include_bundled, folder) + SUFFIX)
    except OSError:  # a registry file vanished or is unreadable: let the loader report it
        path = None
    if path is not None:
        cached = _read(path)
        if cached is not None:
            return cached
    registry = load_registry(directories, include_bundled=include_bundled)
    index = RegistryIndex(registry)
    if path is not None:
        _write(path, registry, index)
    return registry, index


def cache_key(directories: Iterable[Path | str], include_bundled: bool = True) -> str:
    """sha256 of what the loaded registry depends on: code, and every registry file's path and bytes.

    Each layer's directory is part of the key because the registry records the paths it was loaded
    from (error messages and reports show them).
    """
    return _content_key(_code_version(), _layers(directories, include_bundled))


def _content_key(code: str, layers: list[tuple[int, Path, list[Path] | None]]) -> str:
    digest = hashlib.sha256()
    digest.update(f"source-audit cache {FORMAT_VERSION}\0{code}\0".encode())
    for layer, directory, files in layers:
        digest.update(f"layer {layer}\0{directory}\0".encode())
        if files is None:
            digest.update(b"missing\0")
            continue
        for file in files:
            data = file.read_bytes()
            digest.update(f"{file.relative_to(directory).as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _layers(directories: Iterable[Path | str], include_bundled: bool) -> list[tuple[int, Path, list[Path] | None]]:
    """(number, directory, its registry files or None when it is missing) for every layer."""
    layers = ([bundled_registry_dir()] if include_bundled else []) + [Path(d) for d in directories]
    return [(layer, directory, _registry_files(directory) if directory.is_dir() else None)
            for layer, directory in enumerate(layers)]


def _remembered_key(directories: list[Path], include_bundled: bool, folder: Path) -> str:
    """`cache_key`, without reading the registry files when none has changed since a run that did.

    Hashing every file at every start cost 0.2 s at 1M aliases (170 MB). A run that reads them
    records the key under a hash of every file's size, modification and change times, inode and
    device (`<hash>.key` in the cache folder), as git's index does: writing a file changes its
    change time, which no tool can set back. A file changed less than SETTLED_SECONDS before the
    run is not recorded (its next change could fall in the same clock tick), nor is anything on a
    system whose change time is not that (Windows reports the creation time there).
    """
    if os.name != "posix":
        return cache_key(directories, include_bundled)
    code, layers = _code_version(), _layers(directories, include_bundled)
    digest = hashlib.sha256(f"source-audit stat {FORMAT_VERSION}\0{code}\0".encode())
    settled = time.time() - SETTLED_SECONDS
    recordable = True
    for layer, directory, files in layers:
        digest.update(f"layer {layer}\0{directory}\0".encode())
        for file in files if files is not None else ():
            status = file.stat()
            digest.update(f"{file.relative_to(directory).as_posix()}\0{status.st_size} {status.st_mtime_ns} "
                          f"{status.st_ctime_ns} {status.st_ino} {status.st_dev}\0".encode())
            recordable = recordable and max(status.st_mtime, status.st_ctime) < settled
    memo = folder / (digest.hexdigest() + KEY_SUFFIX)
    known = _read_key(memo)
    if known is not None:
        return known
    key = _content_key(code, layers)
    if recordable:
        _write_key(memo, key)
    return key


def _read_key(memo: Path) -> str | None:
    try:
        with memo.open("rb") as stream:
            if hasattr(os, "getuid") and os.fstat(stream.fileno()).st_uid != os.getuid():
                return None
            text = stream.read(65).decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None
    return text if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else None


def _write_key(memo: Path, key: str) -> None:
    temporary = memo.with_name(f".tmp-{os.getpid()}-{memo.name}")
    try:
        memo.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary.write_text(key, encoding="ascii")
        os.replace(temporary, memo)
    except OSError:  # the key is only a shortcut
        _unlink(temporary)


def _code_version() -> str:
    """Everything whose change would change the pickled objects: the Python version, the library
    and build that made the automata (its compiled module's size and modification time: reading
    package versions with importlib.metadata cost 30 ms of every start-up), rapidfuzz's version (it
    folds the keys), and the source of this package, which defines every pickled class."""
    import rapidfuzz

    backend = automaton_backend()
    automata = Path(automaton_module(backend)).stat()
    parts = [f"python {sys.version_info[0]}.{sys.version_info[1]}",
             f"{backend} {automata.st_size} {automata.st_mtime_ns}", f"rapidfuzz {rapidfuzz.__version__}"]
    package = Path(__file__).resolve().parent
    code = hashlib.sha256()
    for source in sorted([*package.glob("*.py"), *package.glob("schema/*.json")]):
        code.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    parts.append(code.hexdigest())
    return "\0".join(parts)


def to_bytes(registry: Registry, index: RegistryIndex) -> bytes:
    """The cache file's bytes (see `_serialise`)."""
    return b"".join(_serialise(registry, index))


def _serialise(registry: Registry, index: RegistryIndex) -> list[bytes | memoryview]:
    """The cache file in parts: a header, the pickled registry and index, then the buffers pickled
    out of band (the packed entities: one pickle each, which a warm load maps instead of reading).

    Records are pickled sparsely (`_sparse_record`)."""
    packed = registry.with_packed_entities(_dump_record)
    buffers: list[pickle.PickleBuffer] = []
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=5, buffer_callback=buffers.append)
    pickler.dispatch_table = _DISPATCH
    pickler.dump((FORMAT_VERSION, packed, index.with_registry(packed)))
    payload = stream.getvalue()
    raws = [buffer.raw() for buffer in buffers]
    header = _HEADER.pack(MAGIC, len(payload), len(raws)) + b"".join(_LENGTH.pack(raw.nbytes) for raw in raws)
    return [header, payload, *raws]


def _dump_record(record: object) -> bytes:
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=5)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(record)
    return stream.getvalue()


def _field_defaults() -> dict[type, dict[str, object]]:
    out = {}
    for cls in vars(model).values():
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls is not Registry:
            out[cls] = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    return out


_DEFAULTS = _field_defaults()


def _sparse_record(record: object) -> tuple:
    """Pickle a registry record without the fields that hold their default value.

    A dataclass keeps each field's default as a class attribute, so a field missing from an
    instance reads the same value. Most records leave most fields at their defaults: leaving them
    out (and the empty `Names` each would hold) unpickles the registry a third faster (measured on
    100k entities: 0.62 s -> 0.41 s).
    """
    defaults = _DEFAULTS[type(record)]
    state = {name: value for name, value in record.__dict__.items()
             if name not in defaults or type(value) is not type(defaults[name]) or value != defaults[name]}
    return copyreg.__newobj__, (type(record),), state


_DISPATCH = {**copyreg.dispatch_table, **{cls: _sparse_record for cls in _DEFAULTS}}


def from_bytes(data: bytes) -> tuple[Registry, RegistryIndex]:
    """Unpickle a cache file's bytes; raises ValueError when they are not a cache this code wrote."""
    stream = io.BytesIO(data)
    return _unpickle(stream, _buffers(stream, memoryview(data)))


def _buffers(stream: BinaryIO, whole: memoryview) -> list[memoryview]:
    """Read the header from `stream` (left at the pickle) and slice the out-of-band buffers from `whole`."""
    magic, payload_size, count = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    if magic != MAGIC or count > 64:
        raise ValueError("not a source-audit registry cache")
    sizes = [_LENGTH.unpack(_read_exactly(stream, _LENGTH.size))[0] for _ in range(count)]
    start = _HEADER.size + _LENGTH.size * count + payload_size
    if start + sum(sizes) != len(whole):
        raise ValueError("truncated or overlong registry cache")
    views = []
    for size in sizes:
        views.append(whole[start:start + size])
        start += size
    return views


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise ValueError("truncated registry cache")
    return data


def _unpickle(stream: BinaryIO, buffers: list[memoryview]) -> tuple[Registry, RegistryIndex]:
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects: collections during the load would triple its time
    try:
        payload = pickle.Unpickler(stream, buffers=buffers).load()
        # They live as long as the audit and hold no reference cycles: moved to the permanent
        # generation, the collector never walks them (the first collection after the load would
        # otherwise cost another third of the load). Refcounting still frees them when dropped.
        gc.freeze()
    finally:
        if collecting:
            gc.enable()
    if (not isinstance(payload, tuple) or len(payload) != 3 or payload[0] != FORMAT_VERSION
            or not isinstance(payload[1], Registry) or not isinstance(payload[2], RegistryIndex)):
        raise ValueError("not a source-audit registry cache")
    return payload[1], payload[2]


def _read(path: Path) -> tuple[Registry, RegistryIndex] | None:
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            if hasattr(os, "getuid") and status.st_uid != os.getuid():
                return None  # only ever load a pickle we could have written ourselves
            # the pickle is read as it goes (no second copy in memory); the packed entities are
            # mapped, and a page is read only when an entity on it is first used
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
            cached = _unpickle(stream, _buffers(stream, memoryview(mapped)))
    except Exception:  # missing, unreadable, corrupt, truncated, from another build: rebuild it
        return None
    if status.st_mtime < time.time() - 3600:
        # mark it recently used, so _prune keeps it; not on every run: on a file written a moment
        # ago (its data still being flushed) changing the time took a quarter of a second
        try:
            os.utime(path)
        except OSError:
            pass
    return cached


def _write(path: Path, registry: Registry, index: RegistryIndex) -> None:
    import tempfile  # here: a warm start writes nothing

    temporary = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        parts = _serialise(registry, index)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", suffix=SUFFIX, delete=False) as out:
            temporary = Path(out.name)
            for part in parts:
                out.write(part)
        os.replace(temporary, path)
        temporary = None
        _prune(path.parent)
    except Exception:  # a full disk, a read-only directory...: the audit goes on without a cache
        pass
    finally:
        if temporary is not None:
            _unlink(temporary)


def _prune(folder: Path) -> None:
    """Delete all but the KEEP most recently used cache files (and recorded keys), and temporary
    files left by a killed run."""
    for suffix, keep in ((SUFFIX, KEEP), (KEY_SUFFIX, 4 * KEEP)):
        files = []
        for file in folder.glob("*" + suffix):
            try:
                modified = file.stat().st_mtime
            except OSError:
                continue
            if file.name.startswith(".tmp-"):
                if modified < time.time() - 3600:
                    _unlink(file)
            else:
                files.append((modified, file))
        files.sort(reverse=True)
        for _, file in files[keep:]:
            _unlink(file)


def _unlink(file: Path) -> None:
    try:
        file.unlink()
    except OSError:
        pass
