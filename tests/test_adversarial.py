"""Hostile and broken inputs through the real command: each gets a clear error naming its path, or a
correct result, and every other file is still audited (docs/robustness.md lists the promises).

Big inputs are generated here, in tmp_path, never committed. Speed is measured in bench/, not here.
"""
from __future__ import annotations

import errno
import json
import os
import random
from pathlib import Path

import pytest

import audit.engine
from audit.cli import cli

GOOD = "NATO has 32 members.\n"
AS_OF = "2026-11-21"


def check(runner, *args: str):
    """`check ... --format json` in this process; returns the result and the documents by file name."""
    result = runner.invoke(cli, ["check", *args, "--format", "json", "--as-of", AS_OF, "--jobs", "1",
                                 "--fail-on", "never", "--no-config"])
    assert "Traceback" not in result.output
    report = json.loads(result.stdout, parse_constant=_no_constant)
    return result, {Path(d["path"]).name: d for d in report["documents"]}


def _no_constant(name: str):
    raise AssertionError(f"the JSON report holds {name}, which is not JSON")


def verdicts(document: dict) -> dict[str, str]:
    return {f["text"]: f["verdict"] for f in document["findings"]}


def with_good_file(directory: Path) -> Path:
    path = directory / "good.md"
    path.write_text(GOOD, encoding="utf-8")
    return path


def assert_good_file_audited(documents: dict) -> None:
    assert documents["good.md"]["error"] is None
    assert verdicts(documents["good.md"])["32 members"] == "verified"


def test_a_one_megabyte_single_line_is_audited_to_its_end(runner, tmp_path):
    filler = "Officials met in the capital on a grey morning to talk about budgets, roads and the weather. "
    text = GOOD.strip() + " " + filler * (2**20 // len(filler)) + "NATO has 30 members."
    (tmp_path / "line.txt").write_text(text, encoding="utf-8")
    result, documents = check(runner, str(tmp_path / "line.txt"))
    assert result.exit_code == 0, result.output
    findings = documents["line.txt"]["findings"]
    assert [(f["text"], f["verdict"], f["line"]) for f in findings if f["claim_type"] == "quantity"] == \
        [("32 members", "verified", 1), ("30 members", "contradicted", 1)]
    last = next(f for f in findings if f["text"] == "30 members")
    assert last["column"] == len(text) - len("30 members.") + 1


@pytest.mark.parametrize("opening,closing", [("<div>", "</div>"), ("<b>", "")], ids=["closed", "unclosed"])
def test_a_hundred_thousand_nested_tags_are_an_error_not_a_crash(runner, tmp_path, opening, closing):
    page = ("<html><body>" + opening * 100_000 + "<p>NATO has 30 members.</p>" + closing * 100_000
            + "</body></html>")
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    with_good_file(tmp_path)
    result, documents = check(runner, str(tmp_path))
    assert result.exit_code == 2
    assert "nested more than 255 elements deep" in documents["deep.html"]["error"]
    assert f"{tmp_path / 'deep.html'}: HTML nested more than 255" in result.stderr
    assert_good_file_audited(documents)


def test_html_nested_just_within_the_parser_limit_is_audited(runner, tmp_path):
    page = "<html><body>" + "<div>" * 250 + "<p>NATO has 30 members.</p>" + "</div>" * 250 + "</body></html>"
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    result, documents = check(runner, str(tmp_path / "deep.html"))
    assert documents["deep.html"]["error"] is None
    assert verdicts(documents["deep.html"])["30 members"] == "contradicted"


def test_undecodable_nul_and_binary_files_are_errors_and_the_others_are_audited(runner, tmp_path):
    (tmp_path / "invalid-utf8.txt").write_bytes(b"NATO has 32 members.\xff\xfe\xc3\x28 caf\xe9 \x81\x8d\x8f\x90")
    (tmp_path / "records.jsonl").write_bytes(b'{"text": "caf\xe9"}\n{"id": "fine", "text": "NATO has 32 members."}\n')
    (tmp_path / "nul.txt").write_bytes(b"NATO has 32\x00 members.")
    (tmp_path / "binary.txt").write_bytes(random.Random(1).randbytes(4096) + b"\x00")
    (tmp_path / "binary-no-nul.txt").write_bytes(bytes(range(1, 256)) * 16)
    (tmp_path / "nul-records.jsonl").write_bytes(b'{"text": "NATO has 32 members."}\n\x00\x00\n')
    with_good_file(tmp_path)
    result, documents = check(runner, str(tmp_path))
    assert result.exit_code == 2
    undecodable = "not UTF-8, and no Western European encoding"
    expected = {"invalid-utf8.txt": undecodable, "binary-no-nul.txt": undecodable,
                "nul.txt": "binary file (contains NUL bytes); skipped",
                "binary.txt": "binary file (contains NUL bytes); skipped",
                "nul-records.jsonl": "binary file (contains NUL bytes); skipped"}
    for name, message in expected.items():
        assert documents[name]["error"].startswith(message), (name, documents[name]["error"])
        assert f"{tmp_path / name}: {message}" in result.stderr
    assert documents["records.jsonl:1"]["error"] == "not valid UTF-8 (byte 13: invalid continuation byte)"
    assert verdicts(documents["records.jsonl#fine"])["32 members"] == "verified"
    assert_good_file_audited(documents)


def test_empty_files(runner, tmp_path):
    for name in ("empty.txt", "empty.md", "empty.html", "empty.jsonl"):
        (tmp_path / name).write_bytes(b"")
    with_good_file(tmp_path)
    result, documents = check(runner, str(tmp_path))
    assert result.exit_code == 2  # only because an empty page has no article text
    assert documents["empty.txt"] == {**documents["empty.txt"], "error": None, "findings": [], "flags": []}
    assert documents["empty.md"]["error"] is None and documents["empty.md"]["findings"] == []
    assert documents["empty.html"]["error"] == "no article text found"
    assert "empty.jsonl" not in documents  # no lines, no records
    assert_good_file_audited(documents)


def test_a_file_that_vanishes_before_it_is_read(runner, tmp_path, monkeypatch):
    victim = tmp_path / "vanishing.md"
    victim.write_text("NATO has 30 members.\n", encoding="utf-8")
    with_good_file(tmp_path)
    read_path = audit.engine.read_path

    def delete_then_read(path, *args):
        if path == victim:  # found while walking the directory, gone by the time it is read
            victim.unlink()
        return read_path(path, *args)

    monkeypatch.setattr(audit.engine, "read_path", delete_then_read)
    result, documents = check(runner, str(tmp_path))
    assert result.exit_code == 2
    assert documents["vanishing.md"]["error"] == "cannot read: No such file or directory"
    assert f"{victim}: cannot read: No such file or directory" in result.stderr
    assert_good_file_audited(documents)


def test_a_file_that_cannot_be_read_midway(runner, tmp_path, monkeypatch):
    """A read that fails (permissions changed, disk error) is an error for that file alone."""
    victim = tmp_path / "locked.md"
    victim.write_text("NATO has 30 members.\n", encoding="utf-8")
    with_good_file(tmp_path)
    read_bytes = Path.read_bytes

    def failing_read(self):
        if self == victim:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", failing_read)
    result, documents = check(runner, str(tmp_path))
    assert result.exit_code == 2
    assert documents["locked.md"]["error"] == "cannot read: Permission denied"
    assert_good_file_audited(documents)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their mode, so chmod 000 cannot make one unreadable")
def test_an_unreadable_file(runner, tmp_path):
    victim = tmp_path / "locked.md"
    victim.write_text("NATO has 30 members.\n", encoding="utf-8")
    with_good_file(tmp_path)
    victim.chmod(0)
    try:
        result, documents = check(runner, str(tmp_path))
    finally:
        victim.chmod(0o644)
    assert result.exit_code == 2
    assert documents["locked.md"]["error"] == "cannot read: Permission denied"
    assert_good_file_audited(documents)


def test_symlink_loops_are_errors_and_directory_loops_are_not_followed(runner, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    with_good_file(corpus / "sub")
    (corpus / "sub" / "loop").symlink_to(corpus, target_is_directory=True)  # a directory cycle
    (corpus / "a.txt").symlink_to("b.txt")
    (corpus / "b.txt").symlink_to("a.txt")
    (corpus / "dangling.md").symlink_to("nowhere.md")
    result, documents = check(runner, str(corpus))
    assert result.exit_code == 2
    assert sorted(documents) == ["a.txt", "b.txt", "dangling.md", "good.md"]  # the good file once
    assert documents["a.txt"]["error"] == "cannot read: Too many levels of symbolic links"
    assert documents["dangling.md"]["error"] == "cannot read: No such file or directory"
    assert_good_file_audited(documents)


def test_many_tiny_files(runner, tmp_path):
    corpus = tmp_path / "corpus"
    for i in range(30):
        folder = corpus / f"d{i:02d}"
        folder.mkdir(parents=True)
        for j in range(40):
            (folder / f"{j:02d}.txt").write_text("NATO has 32 members." if j % 2 else "x", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(corpus), "--format", "jsonl", "--as-of", AS_OF, "--jobs", "1",
                                 "--no-config"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1200 and not any(r["error"] for r in records)
    assert [r["path"] for r in records] == sorted(r["path"] for r in records)  # sorted walk, each once
    assert sum(1 for r in records if r["findings"]) == 600


def test_invisible_and_right_to_left_characters(runner, tmp_path):
    """Format characters (zero-width, bidi controls) separate words like spaces; inside a word they
    split it. Either way nothing crashes, offsets are into the text as written, and a name broken by
    one is not recognised -- so it is never verified or contradicted by mistake."""
    text = ("\u202eNATO\u202c has 32 members. Islamic State\u200d Khorasan Province claimed it.\n"
            "N\u200bATO has 30 members.\n")
    (tmp_path / "na\u200bme \u202egnp.md").write_text(text, encoding="utf-8")
    result, documents = check(runner, str(tmp_path))
    assert result.exit_code == 0, result.output
    [(name, document)] = documents.items()
    assert name == "na\u200bme \u202egnp.md"  # the path is reported as it is
    found = {f["text"]: f for f in document["findings"]}
    assert found["NATO"]["verdict"] == "verified"
    assert text[found["NATO"]["span"]["start"]:found["NATO"]["span"]["end"]] == "NATO"
    assert found["32 members"]["verdict"] == "verified"
    assert found["Islamic State\u200d Khorasan Province"]["verdict"] == "verified"
    assert found["30 members"]["verdict"] == "unverified"  # 'N\u200bATO' is not NATO


def test_numbers_of_hundreds_of_digits_are_unparseable_not_infinite(runner, tmp_path):
    huge = "9" * 400
    (tmp_path / "digits.md").write_text(f"NATO has {huge} members. The attack killed {'1' * 320} million.\n"
                                        f"NATO has {'3' * 200} members.\n", encoding="utf-8")
    result, documents = check(runner, str(tmp_path))  # parse_constant: no Infinity in the JSON
    findings = documents["digits.md"]["findings"]
    by_code = {}
    for finding in findings:
        by_code.setdefault(finding["code"], []).append(finding)
    assert [f["text"] for f in by_code["SA204"]] == [f"{huge} members", f"killed {'1' * 320} million"]
    assert all(f["verdict"] == "unverified" and f["quantity"]["value"] is None for f in by_code["SA204"])
    # 200 digits still fit a float: an absurd count, but a count, and the registry contradicts it
    [big] = [f for f in findings if f["text"] == f"{'3' * 200} members"]
    assert big["verdict"] == "contradicted"
