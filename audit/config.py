"""Project configuration: `source-audit.toml`, or `[tool.source-audit]` in `pyproject.toml`.

Found from the working directory upward, like ruff and Vale. Paths in it are relative to the file.
Unknown keys are errors that name the file and the key, so a typo never silently changes an audit.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .gating import LEVEL_NAMES, parse_fail_on
from .rules import unknown_selectors

FILE_NAME = "source-audit.toml"
FAIL_ON = LEVEL_NAMES
LANGUAGES = ("en", "fr")
KEYS = {
    "registries": "registry directories layered over the bundled one, in order (later ones override)",
    "fail-on": "what makes the exit code 1: a level (" + ", ".join(FAIL_ON) + ") and/or rule codes",
    "as-of": "judge every claim at this date (YYYY-MM-DD)",
    "language": "the articles' language: en or fr (default: detected per article)",
    "select": "rule codes or prefixes to report (default: all)",
    "ignore": "rule codes or prefixes not to report",
    "per-file-ignores": "a table: glob -> rule codes or prefixes not to report in matching files",
    "include": "globs a file found in a directory must match to be audited (default: every article)",
    "exclude": "globs of files and directories never audited, even when named on the command line",
}


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class FileConfig:
    """What a configuration file says, and where each value came from."""

    path: Path | None = None
    registries: tuple[Path, ...] = ()
    fail_on: str | None = None
    as_of: dt.date | None = None
    language: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> Path:
        """The directory globs and registry paths are relative to: the file's, else the working one."""
        return self.path.parent if self.path else Path.cwd()


def find_config(start: Path | None = None) -> Path | None:
    """The nearest source-audit.toml (or pyproject.toml with [tool.source-audit]) at or above `start`."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "source-audit" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def load_config(path: Path) -> FileConfig:
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("source-audit", {})
        prefix = "[tool.source-audit] "
    else:
        prefix = ""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: {prefix}must be a table of settings")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: {prefix}unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    origins = {key: f"{path}: {key}" for key in data}
    registries = data.get("registries", [])
    if not isinstance(registries, list) or not all(isinstance(r, str) for r in registries):
        raise ConfigError(f"{path}: {prefix}'registries' must be a list of directory paths")
    fail_on = data.get("fail-on")
    if fail_on is not None:
        if not isinstance(fail_on, (str, list)):
            raise ConfigError(f"{path}: {prefix}'fail-on' must be a level ({', '.join(FAIL_ON)}) or rule codes")
        try:
            fail_on = str(parse_fail_on(fail_on))
        except ValueError as exc:
            raise ConfigError(f"{path}: {prefix}'fail-on': {exc}") from None
    select = _codes(data, "select", path, prefix)
    ignore = _codes(data, "ignore", path, prefix)
    per_file = data.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: {prefix}'per-file-ignores' must be a table of glob = [rule codes]")
    per_file_ignores = tuple((glob, _codes(per_file, glob, path, prefix, f'per-file-ignores."{glob}"'))
                             for glob in per_file)
    include = _globs(data, "include", path, prefix)
    exclude = _globs(data, "exclude", path, prefix)
    language = data.get("language")
    if language is not None and language not in LANGUAGES:
        raise ConfigError(f"{path}: {prefix}'language' must be en or fr, not {language!r}")
    as_of = data.get("as-of")
    if as_of is not None:
        if isinstance(as_of, str):
            try:
                as_of = dt.date.fromisoformat(as_of)
            except ValueError:
                raise ConfigError(f"{path}: {prefix}'as-of' must be a date YYYY-MM-DD, not {as_of!r}") from None
        elif not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise ConfigError(f"{path}: {prefix}'as-of' must be a date YYYY-MM-DD")
    base = path.parent
    return FileConfig(path=path, registries=tuple((base / r).resolve() for r in registries), fail_on=fail_on,
                      as_of=as_of, language=language, select=select, ignore=ignore,
                      per_file_ignores=per_file_ignores, include=include, exclude=exclude, origins=origins)


def _strings(data: dict, key: str, path: Path, prefix: str, shown: str, what: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{path}: {prefix}'{shown}' must be a list of {what}")
    return tuple(v.strip() for v in value)


def _codes(data: dict, key: str, path: Path, prefix: str, shown: str | None = None) -> tuple[str, ...]:
    shown = shown or key
    codes = tuple(c.upper() for c in _strings(data, key, path, prefix, shown, "rule codes"))
    unknown = unknown_selectors(codes)
    if unknown:
        raise ConfigError(f"{path}: {prefix}{shown}: unknown rule code {unknown[0]!r} "
                          "(see 'source-audit rules')")
    return codes


def _globs(data: dict, key: str, path: Path, prefix: str) -> tuple[str, ...]:
    return _strings(data, key, path, prefix, key, "glob patterns")


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """`**` spans directories, `*` and `?` stay within one, `[...]` is a character class."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body[:1] == "!" else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_matches(pattern: str, path: str | Path, base: Path) -> bool:
    """Whether `path` (or a directory it is in) matches `pattern`, a glob relative to `base`.

    As in .gitignore and ruff: a pattern without a slash also matches a file or directory name
    anywhere (`*.html`, `drafts`); one with a slash is anchored at `base` (`content/**/*.md`).
    """
    try:
        relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()
    except ValueError:
        relative = Path(os.path.abspath(path)).as_posix()
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    anchored = "/" in pattern
    regex = _glob_regex(pattern.lstrip("/"))
    parts = relative.split("/")
    if not anchored:
        return any(regex.match(part) for part in parts)
    return any(regex.match("/".join(parts[:n])) for n in range(1, len(parts) + 1))


def discover(explicit: Path | None = None, disabled: bool = False) -> FileConfig:
    """The configuration to use: an explicit file, the nearest one found, or none."""
    if disabled:
        return FileConfig()
    path = explicit or find_config()
    return load_config(path) if path else FileConfig()
