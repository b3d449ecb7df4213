"""Configuration files: discovery upward, relative registry paths, unknown keys rejected."""
from __future__ import annotations

import datetime as dt

import pytest

from audit.config import ConfigError, discover, find_config, load_config


def test_found_from_a_subdirectory_and_paths_are_relative_to_the_file(tmp_path):
    (tmp_path / "source-audit.toml").write_text('registries = ["registry"]\nfail-on = "unverified"\n'
                                               'as-of = 2024-05-01\nlanguage = "fr"\n', encoding="utf-8")
    sub = tmp_path / "articles" / "2024"
    sub.mkdir(parents=True)
    path = find_config(sub)
    assert path == tmp_path / "source-audit.toml"
    config = load_config(path)
    assert config.registries == ((tmp_path / "registry").resolve(),)
    assert config.fail_on == "unverified" and config.language == "fr" and config.as_of == dt.date(2024, 5, 1)
    assert config.origins["fail-on"].endswith("source-audit.toml: fail-on")


def test_pyproject_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.source-audit]\nfail-on = "never"\n',
                                            encoding="utf-8")
    assert load_config(find_config(tmp_path)).fail_on == "never"


def test_unknown_key_names_file_and_key(tmp_path):
    path = tmp_path / "source-audit.toml"
    path.write_text('registry = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and "'registry'" in str(info.value)


@pytest.mark.parametrize("text,word", [('fail-on = "sometimes"', "fail-on"), ('language = "de"', "language"),
                                       ('as-of = "yesterday"', "as-of"), ("registries = 3", "registries"),
                                       ("fail-on = ", "TOML")])
def test_bad_values(tmp_path, text, word):
    path = tmp_path / "source-audit.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=word):
        load_config(path)


def test_disabled(tmp_path):
    assert discover(disabled=True).path is None


def test_rule_selection_keys(tmp_path):
    path = tmp_path / "source-audit.toml"
    path.write_text('select = ["SA1", "SA201"]\nignore = ["sa105"]\nfail-on = "unverified,SA3"\n'
                    'include = ["content/**/*.md"]\nexclude = ["drafts"]\n'
                    '[per-file-ignores]\n"archive/**" = ["SA2"]\n', encoding="utf-8")
    config = load_config(path)
    assert config.select == ("SA1", "SA201") and config.ignore == ("SA105",)
    assert config.fail_on == "unverified,SA3"
    assert config.per_file_ignores == (("archive/**", ("SA2",)),)
    assert config.include == ("content/**/*.md",) and config.exclude == ("drafts",)
    assert config.origins["per-file-ignores"].endswith("per-file-ignores")


@pytest.mark.parametrize("text,words", [
    ('select = ["SA999"]', ["select", "SA999"]), ('ignore = ["E501"]', ["ignore", "E501"]),
    ('fail-on = "SA999"', ["fail-on", "SA999"]), ('per-file-ignores = ["x"]', ["per-file-ignores"]),
    ('[per-file-ignores]\n"*.md" = "SA2X"', ['per-file-ignores."*.md"', "SA2X"]),
    ("include = [1]", ["include"]), ('fail-on = "never,SA201"', ["fail-on"]),
])
def test_unknown_rule_codes_name_the_file_and_key(tmp_path, text, words):
    path = tmp_path / "source-audit.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("pattern,path,expected", [
    ("*.html", "a/b.html", True), ("*.html", "a/b.md", False), ("drafts", "content/drafts/x.md", True),
    ("drafts/", "content/drafts/x.md", True), ("/drafts", "content/drafts/x.md", False),
    ("content/**/*.md", "content/a.md", True), ("content/**/*.md", "content/x/y/a.md", True),
    ("content/*.md", "content/x/a.md", False), ("content", "content/x/a.md", True),
    ("[!a]*.md", "b.md", True), ("[!a]*.md", "a.md", False), ("**/draft-*", "x/draft-1.md", True),
])
def test_globs(tmp_path, pattern, path, expected):
    from audit.config import glob_matches
    assert glob_matches(pattern, tmp_path / path, tmp_path) is expected
