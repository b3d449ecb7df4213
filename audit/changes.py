"""What changed since a git revision: the files, and in each the lines added or modified.

`--changed-since REF` compares the working tree (committed, staged and unstaged changes) with the
point where the current branch left REF (`git merge-base REF HEAD`), as a pull request shows it:
commits that landed on REF since do not count as changes of this branch. Untracked files (not
ignored by git) count as added in full. git runs without a shell and with a timeout.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

GIT_TIMEOUT = 60
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "\\": "\\"}


class GitError(Exception):
    """git is missing, the directory is not a repository, or the revision is unknown."""


@dataclass(frozen=True)
class Changes:
    """Changed files (absolute paths) and, for each, its added or modified lines (1-based);
    None means the whole file is new."""

    ref: str
    base: str
    top_level: Path
    files: dict[str, frozenset[int] | None] = field(default_factory=dict)

    def changed_file(self, path: str | Path) -> bool:
        return _key(path) in self.files

    def lines(self, path: str | Path) -> frozenset[int] | None:
        """The changed lines of a changed file, None when all of it is new."""
        return self.files.get(_key(path), frozenset())

    def touches(self, path: str | Path, first_line: int, last_line: int) -> bool:
        lines = self.lines(path)
        return lines is None or any(n in lines for n in range(first_line, last_line + 1))


def _key(path: str | Path) -> str:
    return os.path.realpath(os.path.abspath(path))


def git(args: list[str], cwd: Path | str | None = None) -> str:
    """Run git and return its standard output; any failure is a GitError with git's message."""
    import subprocess  # here: every audit imports this module, few run git

    try:
        proc = subprocess.run(["git", "-c", "core.quotepath=false", *args], cwd=cwd, capture_output=True,
                              timeout=GIT_TIMEOUT, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"'git {' '.join(args)}' took longer than {GIT_TIMEOUT} seconds") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"'git {' '.join(args)}' exited {proc.returncode}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def top_level(cwd: Path | str | None = None) -> Path | None:
    """The git work tree containing `cwd`, or None outside one.

    Every audit asks (paths in reports are relative to it), so this looks for the nearest directory
    holding `.git` (a directory, or the file a linked worktree or submodule has) the way git does,
    instead of starting git: that cost 25-40 ms of each run. git answers when GIT_DIR or
    GIT_WORK_TREE says the work tree is elsewhere.
    """
    if "GIT_DIR" in os.environ or "GIT_WORK_TREE" in os.environ:
        try:
            return Path(git(["rev-parse", "--show-toplevel"], cwd).strip())
        except GitError:
            return None
    try:
        start = Path(cwd if cwd is not None else os.getcwd()).resolve()
    except OSError:  # the working directory was deleted under us
        return None
    for folder in (start, *start.parents):
        if os.path.exists(folder / ".git"):
            return folder
    return None


def changed_since(ref: str, cwd: Path | str | None = None) -> Changes:
    """Files and lines added or modified since `ref` (see the module docstring)."""
    try:
        top = Path(git(["rev-parse", "--show-toplevel"], cwd).strip())
    except GitError as exc:
        raise GitError(f"--changed-since needs a git repository: {exc}") from None
    try:
        if ref.startswith("-"):
            raise GitError("not a revision")
        git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except GitError:
        raise GitError(f"--changed-since: unknown git revision {ref!r} (in a shallow CI checkout, fetch it "
                       "first, e.g. actions/checkout with fetch-depth: 0)") from None
    try:
        base = git(["merge-base", ref, "HEAD"], top).strip()
    except GitError as exc:
        raise GitError(f"--changed-since: no common ancestor of {ref!r} and HEAD: {exc}") from None
    diff = git(["diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames",
                "--diff-filter=AMR", "--src-prefix=a/", "--dst-prefix=b/", base, "--"], top)
    files: dict[str, frozenset[int] | None] = {}
    for name, lines in parse_diff(diff).items():
        files[_key(top / name)] = frozenset(lines)
    untracked = git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    for name in filter(None, untracked.split("\0")):
        files[_key(top / name)] = None
    return Changes(ref=ref, base=base, top_level=top, files=files)


def parse_diff(diff: str) -> dict[str, set[int]]:
    """Added or modified line numbers of the new side of each file in a `git diff -U0`."""
    out: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            if target == "/dev/null":
                current = None
                continue
            target = _unquote(target)
            current = out.setdefault(target[2:] if target.startswith("b/") else target, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) if match.group(2) is not None else 1)
                current.update(range(start, start + count))
    return out


def _unquote(name: str) -> str:
    """git's C-style quoting of unusual file names ("a\\tb", octal bytes)."""
    if not (len(name) >= 2 and name[0] == '"' and name[-1] == '"'):
        return name.rstrip("\t")  # git appends a tab to names with spaces in some versions
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            following = body[i + 1]
            if following in "01234567" and re.match(r"[0-7]{3}", body[i + 1:i + 4]):
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.extend(_ESCAPES.get(following, following).encode("utf-8"))
            i += 2
            continue
        out.extend(char.encode("utf-8", "surrogateescape"))
        i += 1
    return out.decode("utf-8", "surrogateescape")
