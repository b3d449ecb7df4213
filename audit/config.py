"""Project configuration: `source-audit.toml`, or `[tool.source-audit]` in `pyproject.toml`.

Found from the working directory upward, like ruff and Vale. Paths in it are relative to the file.
Unknown keys are errors that name the file and the key, so a typo never silently changes an audit.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FILE_NAME = "source-audit.toml"
FAIL_ON = ("contradicted", "unverified", "flag", "never")
LANGUAGES = ("en", "fr")
KEYS = {
    "registries": "registry directories layered over the bundled one, in order (later ones override)",
    "fail-on": "the level that makes the exit code 1: " + ", ".join(FAIL_ON),
    "as-of": "judge every claim at this date (YYYY-MM-DD)",
    "language": "the articles' language: en or fr (default: detected per article)",
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
    origins: dict[str, str] = field(default_factory=dict)


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
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"{path}: {prefix}'fail-on' must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
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
                      as_of=as_of, language=language, origins=origins)


def discover(explicit: Path | None = None, disabled: bool = False) -> FileConfig:
    """The configuration to use: an explicit file, the nearest one found, or none."""
    if disabled:
        return FileConfig()
    path = explicit or find_config()
    return load_config(path) if path else FileConfig()
