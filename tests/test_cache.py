"""The on-disk registry cache: a warm start gives exactly what a cold one does, and never breaks an audit."""
from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

import pytest

from audit.engine import Auditor, Config, run
from references import cache
from references.cache import cache_key, load_cached
from references.index import RegistryIndex
from references.lint import conflicting_facts
from references.loader import RegistryError, load_registry
from references.model import PackedEntities
from reports import json_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 21)

TINY = """\
entities:
  - id: org.example
    name: Example Standards Council
    type: council
    aliases: [Council for Example Standards]
    acronyms: [ESC]
    sources: [{url: 'https://example.org/esc'}]
"""


def tiny_registry(directory: Path, text: str = TINY) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tiny.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*" + cache.SUFFIX))


def no_yaml(monkeypatch):
    """Make any load from YAML fail, so a passing call proves the cache was used."""
    def refuse(*args, **kwargs):
        raise AssertionError("the registry was loaded from YAML, not from the cache")
    monkeypatch.setattr(cache, "load_registry", refuse)


def test_warm_load_equals_cold_load_and_audits_identically(tmp_path, monkeypatch):
    config = Config(as_of=AS_OF, cache_dir=str(tmp_path / "cache"))
    cold = Auditor.from_config(config)
    assert len(cache_files(tmp_path / "cache")) == 1
    no_yaml(monkeypatch)
    warm = Auditor.from_config(config)
    # audited first, while the warm registry's entities are still packed: each is unpacked on first use
    reports = [json_report.render(run([EXAMPLES], config, auditor)) for auditor in (cold, warm)]
    assert reports[0] == reports[1]
    assert '"contradicted"' in reports[0]  # the examples do exercise the checks
    assert isinstance(warm.registry.entities, PackedEntities) and isinstance(cold.registry.entities, tuple)

    assert warm.registry == cold.registry
    assert warm.registry.fingerprint == cold.registry.fingerprint == load_registry([]).fingerprint
    assert warm.registry.paths == cold.registry.paths
    assert [e.location for e in warm.registry.entities] == [e.location for e in cold.registry.entities]
    assert warm.index.acronyms == cold.index.acronyms
    assert warm.index.lookup("North Atlantic Treaty Organisation") == cold.index.lookup("North Atlantic Treaty Organisation")
    assert warm.index.registry is warm.registry


FAMILY = """\
entities:
  - id: org.parent
    name: Example Parent Council
    type: council
    parent: org.child
    sources: [{url: 'https://example.org/parent'}]
  - id: org.child
    name: Example Child Office
    type: office
    parent: org.parent
    acronyms: [ECO]
    sources: [{url: 'https://example.org/child'}, {url: 'https://example.org/parent'}]
  - id: org.alone
    name: Example Lone Bureau
    type: bureau
    sources: [{url: 'https://example.org/alone'}]
"""


def test_a_warm_load_unpacks_only_the_entities_it_is_asked_for(tmp_path):
    registry_dir = tiny_registry(tmp_path / "registry", FAMILY)
    folder = tmp_path / "cache"
    cold, _ = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    warm, index = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    packed = warm.entities
    assert isinstance(packed, PackedEntities) and len(packed) == 3 and packed._decoded == {}
    assert warm.parents() == cold.parents() == {"org.parent": "org.child", "org.child": "org.parent"}
    assert warm.source_count() == cold.source_count() == 3
    assert packed._decoded == {}  # neither needed an entity
    assert [h.entity_id for h in index.find_names("The Example Lone Bureau met.")] == ["org.alone"]
    assert warm.get("org.alone") == cold.get("org.alone") and list(packed._decoded) == [2]
    assert conflicting_facts(warm) == conflicting_facts(cold) != []  # the parent loop, located
    assert warm.get("org.missing") is None and warm.entity("org.missing") is None


def test_a_warm_load_maps_the_packed_strings_instead_of_decoding_them(tmp_path):
    registry_dir = tiny_registry(tmp_path / "registry", FAMILY)
    folder = tmp_path / "cache"
    cold, cold_index = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    warm, index = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    packed = [warm.entities.ids, index._choice_ids, index._choice_names, index._choice_words,
              index._names._values]
    assert all(isinstance(strings._blob, memoryview) for strings in packed)  # views of the mapped file
    assert list(warm.entities.ids) == [e.id for e in cold.entities]
    assert index.lookup("Example Lone Bureaux") == cold_index.lookup("Example Lone Bureaux") != []


def test_a_warm_load_looks_a_short_text_up_without_building_the_automata(tmp_path, monkeypatch):
    """The automata stay mapped bytes until the texts looked up in the key tables have cost about
    what building them does; before and after, the same names and terms are found."""
    from references import index as index_module

    monkeypatch.setattr(index_module, "BYTES_PER_PROBE", 1)  # so that a tiny registry allows an article
    registry_dir = tiny_registry(tmp_path / "registry", FAMILY)
    folder = tmp_path / "cache"
    _, cold = load_cached([registry_dir], include_bundled=True, cache_dir=folder)
    _, warm = load_cached([registry_dir], include_bundled=True, cache_dir=folder)
    automata = (warm._names, warm._events)
    assert all(a._automaton is None and isinstance(a._serialized, memoryview) for a in automata)
    article = (EXAMPLES / "en-nato-partnerships.md").read_text(encoding="utf-8") + "\nThe Example Lone Bureau (ECO)."
    assert len(warm.find_names(article)) > 10
    assert warm.find_names(article) == cold.find_names(article)
    assert warm.find_event_terms(article) == cold.find_event_terms(article) != []
    assert all(a._automaton is None for a in automata)  # answered from the key tables
    corpus = article * 200
    assert warm.find_names(corpus) == cold.find_names(corpus)
    assert warm.find_event_terms(corpus) == cold.find_event_terms(corpus)
    assert all(a._automaton is not None and a._serialized is None for a in automata)  # built, once


def test_packed_entities_behave_like_the_tuple_they_pack():
    import pickle
    registry = load_registry([])
    entities = registry.entities
    packed = PackedEntities.pack(entities, cache._dump_record)
    assert len(packed) == len(entities) > 100
    assert packed == entities and entities == packed and packed[-1] == entities[-1]
    assert packed[3:9] == entities[3:9] and packed[::50] == entities[::50]
    with pytest.raises(IndexError):
        packed[len(entities)]
    assert all(packed.get(e.id) == e for e in entities) and packed.get("nope") is None
    assert packed.get("") is None and packed.get("\U0010ffff") is None  # before the first id, after the last
    twice = PackedEntities.pack(entities[:3] + entities[:1], cache._dump_record)  # as a dict of them would
    assert twice.get(entities[0].id) is twice[3]
    assert packed.parents == {e.id: e.parent for e in entities if e.parent}
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):  # workers and Dask get the bytes in band
        assert pickle.loads(pickle.dumps(packed, protocol=protocol)) == entities
    buffers: list = []  # out of band, handed back as the PickleBuffers themselves (not views)
    out_of_band = pickle.dumps(registry.with_packed_entities(cache._dump_record), protocol=5,
                               buffer_callback=buffers.append)
    assert buffers and all(isinstance(b, pickle.PickleBuffer) for b in buffers)
    assert pickle.loads(out_of_band, buffers=buffers) == registry
    repacked = registry.with_packed_entities(cache._dump_record)
    assert repacked == registry and repacked.source_count() == registry.source_count()
    assert all(repacked.get(e.id) == registry.get(e.id) for e in (*entities[:20], *registry.events))


def test_use_cache_false_writes_nothing(tmp_path):
    auditor = Auditor.from_config(Config(cache_dir=str(tmp_path), use_cache=False))
    assert auditor.registry.entities and not list(tmp_path.iterdir())


def test_changing_a_registry_file_changes_the_key_but_its_mtime_does_not(tmp_path):
    registry_dir = tiny_registry(tmp_path / "registry")
    key = cache_key([registry_dir], include_bundled=False)
    file = registry_dir / "tiny.yaml"
    os.utime(file, (1, 1))
    assert cache_key([registry_dir], include_bundled=False) == key

    file.write_text(TINY.replace("Example Standards Council", "Example Standards Board"), encoding="utf-8")
    changed = cache_key([registry_dir], include_bundled=False)
    assert changed != key
    registry, index = load_cached([registry_dir], include_bundled=False, cache_dir=tmp_path / "cache")
    assert registry.entities[0].name == "Example Standards Board"
    assert [h.entity_id for h in index.find_names("The Example Standards Board met.")] == ["org.example"]

    (registry_dir / "more.yaml").write_text("entities: []\n", encoding="utf-8")
    assert cache_key([registry_dir], include_bundled=False) not in (key, changed)
    assert cache_key([registry_dir], include_bundled=True) != cache_key([registry_dir], include_bundled=False)


def _count_reads(monkeypatch) -> list[Path]:
    """The registry files read from now on (the package's own sources are read for the key too)."""
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counting(self):
        if self.suffix == ".yaml":
            reads.append(self)
        return read_bytes(self)
    monkeypatch.setattr(Path, "read_bytes", counting)
    return reads


@pytest.mark.skipif(os.name != "posix", reason="the key is remembered only where st_ctime is the change time")
def test_a_remembered_key_spares_reading_files_that_have_not_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "SETTLED_SECONDS", -10.0)  # files written by this test count as settled
    registry_dir = tiny_registry(tmp_path / "registry")
    folder = tmp_path / "cache"
    load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    assert len(list(folder.glob("*" + cache.KEY_SUFFIX))) == 1
    reads = _count_reads(monkeypatch)
    no_yaml(monkeypatch)
    registry, _ = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    assert reads == [] and registry.entities[0].name == "Example Standards Council"

    # same size, modification time set back: the change time still moves, so the file is read
    file = registry_dir / "tiny.yaml"
    before = file.stat()
    file.write_text(TINY.replace("Council", "Counsel"), encoding="utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_size == before.st_size
    monkeypatch.undo()
    monkeypatch.setattr(cache, "SETTLED_SECONDS", -10.0)
    reads = _count_reads(monkeypatch)
    registry, _ = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    assert file in reads and registry.entities[0].name == "Example Standards Counsel"


@pytest.mark.skipif(os.name != "posix", reason="the key is remembered only where st_ctime is the change time")
def test_a_key_is_not_remembered_for_a_file_changed_just_before(tmp_path, monkeypatch):
    registry_dir = tiny_registry(tmp_path / "registry")  # written now: not settled
    folder = tmp_path / "cache"
    load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    assert list(folder.glob("*" + cache.KEY_SUFFIX)) == []
    reads = _count_reads(monkeypatch)
    no_yaml(monkeypatch)
    load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    assert registry_dir / "tiny.yaml" in reads


@pytest.mark.skipif(os.name != "posix", reason="the key is remembered only where st_ctime is the change time")
@pytest.mark.parametrize("content", ["", "not a key", "0" * 63, "0" * 65, "Z" * 64])
def test_a_malformed_remembered_key_is_ignored(tmp_path, monkeypatch, content):
    monkeypatch.setattr(cache, "SETTLED_SECONDS", -10.0)
    registry_dir = tiny_registry(tmp_path / "registry")
    folder = tmp_path / "cache"
    load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    (memo,) = folder.glob("*" + cache.KEY_SUFFIX)
    memo.write_text(content, encoding="utf-8")
    no_yaml(monkeypatch)
    registry, _ = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    assert registry.entities[0].name == "Example Standards Council"
    assert memo.read_text(encoding="ascii") == cache_key([registry_dir], include_bundled=False)


def test_corrupt_cache_file_is_ignored_and_rebuilt(tmp_path):
    registry_dir = tiny_registry(tmp_path / "registry")
    folder = tmp_path / "cache"
    expected, _ = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    (path,) = cache_files(folder)
    for garbage in (b"", b"not a pickle at all", path.read_bytes()[:100]):
        path.write_bytes(garbage)
        registry, index = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
        assert registry == expected and isinstance(index, RegistryIndex)
        assert cache.from_bytes(path.read_bytes())[0] == expected  # rewritten whole


def test_a_pickle_that_is_not_a_cache_payload_is_refused(tmp_path):
    import pickle
    with pytest.raises(ValueError):
        cache.from_bytes(pickle.dumps({"registry": None}))


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs to chown a file")
def test_a_cache_file_owned_by_someone_else_is_not_loaded(tmp_path, monkeypatch):
    registry_dir = tiny_registry(tmp_path / "registry")
    folder = tmp_path / "cache"
    load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    (path,) = cache_files(folder)
    os.chown(path, 12345, -1)
    calls = []
    real = cache.load_registry
    monkeypatch.setattr(cache, "load_registry", lambda *a, **k: calls.append(1) or real(*a, **k))
    load_cached([registry_dir], include_bundled=False, cache_dir=folder)
    assert calls == [1]


def test_unwritable_cache_dir_falls_back_to_loading(tmp_path):
    registry_dir = tiny_registry(tmp_path / "registry")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    registry, index = load_cached([registry_dir], include_bundled=False, cache_dir=blocker / "cache")
    assert registry.entities[0].id == "org.example" and index.entities_for_acronym("ESC") == ("org.example",)
    assert not list(tmp_path.glob("**/*" + cache.SUFFIX))


def test_cache_dir_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_AUDIT_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("SOURCE_AUDIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.default_cache_dir() == tmp_path / "xdg" / "source-audit"
    registry_dir = tiny_registry(tmp_path / "registry")
    load_cached([registry_dir], include_bundled=False)
    assert len(cache_files(tmp_path / "xdg" / "source-audit")) == 1


def test_a_broken_registry_raises_and_is_not_cached(tmp_path):
    registry_dir = tiny_registry(tmp_path / "registry", "entities:\n  - id: Bad Id\n")
    with pytest.raises(RegistryError):
        load_cached([registry_dir], include_bundled=False, cache_dir=tmp_path / "cache")
    assert not cache_files(tmp_path / "cache")
    with pytest.raises(RegistryError):
        load_cached([tmp_path / "missing"], include_bundled=False, cache_dir=tmp_path / "cache")


def test_only_the_most_recently_used_files_are_kept(tmp_path):
    folder = tmp_path / "cache"
    for i in range(cache.KEEP + 3):
        registry_dir = tiny_registry(tmp_path / f"registry-{i}", TINY.replace("org.example", f"org.example-{i}"))
        load_cached([registry_dir], include_bundled=False, cache_dir=folder)
        for file in cache_files(folder):  # distinct mtimes whatever the file system's resolution
            os.utime(file, (file.stat().st_mtime - 10, file.stat().st_mtime - 10))
    assert len(cache_files(folder)) == cache.KEEP


def test_a_registry_without_entities_is_cached_and_loaded(tmp_path):
    registry_dir = tiny_registry(tmp_path / "registry", "entities: []\n")
    folder = tmp_path / "cache"
    for _ in range(2):  # cold, then warm: an empty buffer mapped back
        registry, index = load_cached([registry_dir], include_bundled=False, cache_dir=folder)
        assert len(registry.entities) == 0 and registry.get("org.example") is None
        assert index.find_names("NATO met.") == [] and registry.source_count() == 0
    assert isinstance(registry.entities, PackedEntities)
