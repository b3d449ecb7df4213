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
