"""The corpus store, ingest runs, queries and exports, on real articles: the
example article, a few PolNeAR dev articles, and a short article that
carries one of the example's quotes through the Wall Street Journal."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLE, POLNEAR_DEV

from sayso import analysis
from sayso.analysis import analyze_articles
from sayso.cli import main
from sayso.corpus import query
from sayso.corpus.ingest import ingest
from sayso.corpus.store import SCHEMA_VERSION, Store, StoreError, entity_key
from sayso.output import json_schema
from sayso.reading import Article, iter_articles

jsonschema = pytest.importorskip("jsonschema")

N_DEV = 4
RELAY = {
    "id": "relay-2023-12-02",
    "date": "2023-12-02",
    "outlet": "Example Daily",
    "text": "Israel will hunt Hamas leaders abroad, report says\n\n"
    'Efraim Halevy, a former Mossad director, rejected the plan on Friday. "Pursuing Hamas'
    " on a worldwide scale and trying to systematically remove all of its leaders from this"
    ' world is a desire to exact revenge, not a desire to achieve a strategic aim," Halevy'
    " told the Wall Street Journal.\n\nThe Wall Street Journal reported that Israeli"
    " officials had begun preparing the campaign.\n",
}


def _shortest_dev_lines(n: int) -> list[str]:
    lines = POLNEAR_DEV.read_text(encoding="utf8").splitlines()
    return sorted(lines, key=lambda line: len(json.loads(line)["text"]))[:n]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    dev = folder / "dev.jsonl"
    dev.write_text("\n".join(_shortest_dev_lines(N_DEV)) + "\n", encoding="utf8")
    relay = folder / "relay.jsonl"
    relay.write_text(json.dumps(RELAY) + "\n", encoding="utf8")
    return [EXAMPLE, dev, relay]


def _items(inputs: list[Path]):
    return itertools.chain.from_iterable(iter_articles(path) for path in inputs)


@pytest.fixture(scope="module")
def expected(inputs, attribution_nlp) -> list[dict]:
    """What ``sayso analyze`` gives for the corpus."""
    return list(analyze_articles(_items(inputs), nlp=attribution_nlp))


@pytest.fixture(scope="module")
def db(inputs, attribution_nlp, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "corpus.sqlite"
    with Store(path) as store:
        counts = ingest(_items(inputs), store, nlp=attribution_nlp)
    assert (counts.stored, counts.failed, counts.duplicates) == (N_DEV + 2, 0, 0)
    return path


@pytest.fixture()
def store(db):
    with Store(db, create=False) as opened:
        yield opened


@pytest.fixture()
def _shared_pipeline(monkeypatch, attribution_nlp):
    monkeypatch.setitem(analysis._PIPELINES, False, attribution_nlp)


def _check_whole(path: Path) -> None:
    """Every stored article is whole: as many attribution, entity and caption
    rows as its result says, and the file passes SQLite's integrity check."""
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for pk, sourcing in db.execute("SELECT pk, sourcing FROM articles"):
        rows = db.execute("SELECT count(*) FROM attributions WHERE article_pk = ?", (pk,))
        assert rows.fetchone()[0] == json.loads(sourcing)["attributions"]
    db.close()


# the store


def test_store_gives_back_what_analyze_writes(store, expected):
    results = list(store.results())
    assert results == expected
    for result in results:
        jsonschema.validate(result, json_schema())
    assert sum(len(r["attributions"]) for r in results) > 30


def test_store_schema_version_and_migrations(db, tmp_path, monkeypatch):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(db, copy)
    with Store(copy) as store:
        assert store.version == SCHEMA_VERSION
        articles = store.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    newer = (*store_module().MIGRATIONS, ("ALTER TABLE articles ADD COLUMN language TEXT",))
    monkeypatch.setattr(store_module(), "MIGRATIONS", newer)
    with Store(copy) as store:
        assert store.version == SCHEMA_VERSION + 1
        row = store.db.execute("SELECT count(*), count(language) FROM articles").fetchone()
        assert row == (articles, 0)
    monkeypatch.undo()
    with pytest.raises(StoreError, match="newer"):
        Store(copy)


def store_module():
    from sayso.corpus import store

    return store


@pytest.mark.parametrize("content", [b"not a database at all" * 100, None])
def test_files_that_are_not_stores(tmp_path, content, capsys):
    path = tmp_path / "other.sqlite"
    if content is None:
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    else:
        path.write_bytes(content)
    with pytest.raises(StoreError, match="sayso store"):
        Store(path)
    assert main(["query", "runs", "--db", str(path)]) == 2
    assert "sayso store" in capsys.readouterr().err
    assert main(["query", "runs", "--db", str(tmp_path / "missing.sqlite")]) == 2


# ingest runs


def test_rerun_stores_nothing_twice(db, inputs, tmp_path, attribution_nlp, expected):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(db, copy)
    with Store(copy) as store:
        counts = ingest(_items(inputs), store, nlp=attribution_nlp)
        assert (counts.stored, counts.skipped, counts.words) == (0, len(expected), 0)
        assert list(store.results()) == expected


def test_duplicate_ids_keep_the_first(tmp_path, attribution_nlp):
    first = Article(id="a1", text="The mayor said the bridge would reopen in May.")
    other = Article(id="a1", text="The governor said the bridge would stay closed.")
    with Store(tmp_path / "s.sqlite") as store:
        counts = ingest([first, first, other], store, nlp=attribution_nlp)
        assert (counts.stored, counts.skipped, counts.duplicates) == (1, 1, 1)
        [(text,)] = store.db.execute("SELECT text FROM articles").fetchall()
        assert text == first.text
        [failure] = store.failures(counts.run_id)
        assert (failure.item, failure.kind) == ("a1", "duplicate")
        again = ingest([other], store, nlp=attribution_nlp)
        assert (again.stored, again.duplicates) == (0, 1)


def test_failed_analysis_is_recorded_and_retried(tmp_path, attribution_nlp, monkeypatch):
    article_result = analysis.article_result

    def fail_on_boom(article, chunks, error=None):
        if article.id == "boom" and chunks:
            raise RuntimeError("the parser broke")
        return article_result(article, chunks, error)

    articles = [
        Article(id="ok", text="The senator said she would vote against the bill."),
        Article(id="boom", text="Officials said the talks would resume on Monday."),
    ]
    monkeypatch.setattr(analysis, "article_result", fail_on_boom)
    with Store(tmp_path / "s.sqlite") as store:
        counts = ingest(articles, store, nlp=attribution_nlp)
        assert (counts.stored, counts.failed) == (1, 1)
        [failure] = store.failures(counts.run_id)
        assert (failure.item, failure.kind) == ("boom", "analysis")
        assert "the parser broke" in failure.error
        monkeypatch.undo()
        again = ingest(articles, store, nlp=attribution_nlp)
        assert (again.stored, again.skipped, again.failed) == (1, 1, 0)


def test_bad_input_is_reported_per_item(tmp_path, capsys, _shared_pipeline):
    good = [json.loads(line) for line in _shortest_dev_lines(2)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    huge = json.dumps({"id": "huge", "text": "word " * 10_000_000})  # a 50 MB line
    lines = [
        json.dumps(good[0]),
        '{"id": "broken", "text": "The mayor said',
        json.dumps({"id": "no-text"}),
        huge,
        json.dumps({**good[0], "text": good[0]["text"] + " Updated."}),  # same id, new text
        json.dumps(good[1]),
    ]
    (corpus / "a.jsonl").write_bytes(
        "\n".join(lines).encode() + b'\n{"id": "latin", "text": "caf\xe9"}\n'
    )
    (corpus / "b-empty.jsonl").write_bytes(b"")
    (corpus / "c-empty.txt").write_bytes(b"")
    (corpus / "d-latin1.txt").write_bytes(b"The caf\xe9 owner said prices would rise.")
    (corpus / "e.csv").write_text("id,text\ncsv1,The minister said no.\ncsv2,x,y\n")
    db = tmp_path / "s.sqlite"
    args = ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--quiet"]
    assert main(args) == 1
    err = capsys.readouterr().err
    with Store(db) as store:
        ids = {row[0] for row in store.db.execute("SELECT id FROM articles")}
        assert ids == {good[0]["id"], good[1]["id"], "c-empty", "csv1"}
        failures = {(f.item.rsplit("/", 1)[-1], f.kind) for f in store.failures(1)}
    assert failures == {
        ("a.jsonl:2", "read"),
        ("a.jsonl:3", "read"),
        ("a.jsonl:4", "read"),
        (good[0]["id"], "duplicate"),
        ("a.jsonl:7", "read"),
        ("d-latin1", "read"),
        ("e.csv:3", "read"),
    }
    assert "7 item(s) not stored" in err
    assert "text too long" in err and "not valid UTF-8" in err and "duplicate" in err
    _check_whole(db)
    # the same command again: nothing new stored, the same items reported
    assert main(args) == 1
    with Store(db) as store:
        assert store.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
        assert len(store.failures(2)) == 7


# queries


def test_top_sources_count_attributions_by_entity(store, expected):
    counts = Counter()
    for result in expected:
        entities = {e["id"]: e for e in result["entities"]}
        for att in result["attributions"]:
            if att["source"] and att["source"]["entity"]:
                entity = entities[att["source"]["entity"]]
                counts[entity_key(entity["type"], entity["name"])] += 1
    table = query.top_sources(store, limit=None)
    assert table.columns[:4] == ("source", "type", "kind", "attributions")
    got = {entity_key(type_, name): n for name, type_, _, n, *_ in table.rows}
    assert got == dict(counts)
    assert [row[3] for row in table.rows] == sorted(counts.values(), reverse=True)
    by_name = {row[0]: row for row in table.rows}
    assert by_name["Efraim Halevy"][1:3] == ("person", "person")
    assert by_name["Efraim Halevy"][4] == 2  # in the example and in the relay article
    persons = query.top_sources(store, type_="person", limit=3)
    assert len(persons.rows) == 3 and {row[1] for row in persons.rows} == {"person"}


def test_statements_find_a_source_by_any_alias(store, expected):
    example = expected[0]
    [gallant] = [e for e in example["entities"] if "Yoav Galant" in e["aliases"]]
    said = [
        a for a in example["attributions"] if (a["source"] or {}).get("entity") == gallant["id"]
    ]
    assert said, "the example quotes Yoav Gallant"
    # the caption's spelling finds the body's
    table = query.statements(store, "Yoav Galant")
    assert [row[6] for row in table.rows] == [a["content"]["text"] for a in said]
    assert {row[3] for row in table.rows} == {gallant["name"]}
    # a surname alone, and a near spelling, find Efraim Halevy in both articles
    halevy = query.statements(store, "halevy")
    assert {row[0] for row in halevy.rows} == {"article-2023-12-01", RELAY["id"]}
    assert query.statements(store, "Efraim Halevi").rows == halevy.rows
    assert query.statements(store, "Efraim Halevi", similarity=100).rows == []


def test_unnamed_share_per_outlet_and_month(store, expected):
    named, unnamed = Counter(), Counter()
    for result in expected:
        outlet = result["outlet"] or query.NO_VALUE
        named[outlet] += result["sourcing"]["named_sources"]
        unnamed[outlet] += result["sourcing"]["unnamed_sources"]
    table = query.unnamed_share(store, by="outlet")
    for outlet, _, _, n_named, n_unnamed, _, share in table.rows:
        assert (n_named, n_unnamed) == (named[outlet], unnamed[outlet])
        with_source = named[outlet] + unnamed[outlet]
        # an outlet whose statements all lack a source has no share
        assert share == (round(unnamed[outlet] / with_source, 3) if with_source else None)
    months = {row[0] for row in query.unnamed_share(store, by="month").rows}
    assert {"2023-12", "2016-09"} <= months
    both = query.unnamed_share(store, by="outlet-month")
    assert both.columns[:2] == ("outlet", "month")
    assert sum(row[3] for row in both.rows) == sum(r["sourcing"]["attributions"] for r in expected)


def test_relays_follow_the_via_chains(store):
    table = query.relays(store, limit=0)
    pairs = {(relay, relayed): (type_, n) for relay, relayed, type_, n, _ in table.rows}
    assert pairs[("WSJ", "Israeli officials")][1] >= 1  # "Israeli officials told WSJ"
    assert pairs[("Wall Street Journal", "Efraim Halevy")] == ("person", 1)  # "Halevy told WSJ"
    # the article's outlet closes every chain: Halevy's, and the Journal's own report
    assert pairs[("Example Daily", "Wall Street Journal")] == ("organization", 2)
    outlets = query.relays(store, limit=0, relayed_type="organization").rows
    assert ("Example Daily", "Wall Street Journal", "organization", 2, 1) in outlets
    assert {row[2] for row in outlets} == {"organization"}


def test_the_same_quote_in_two_articles_is_one_cluster(store):
    table = query.quotes(store)
    clusters = {}
    for cluster, n_articles, article, _, _, source, quote in table.rows:
        clusters.setdefault(cluster, []).append((article, source, quote, n_articles))
    halevy = [
        members
        for members in clusters.values()
        if any("Pursuing Hamas" in quote for _, _, quote, _ in members)
    ]
    assert len(halevy) == 1
    [members] = halevy
    assert {article for article, *_ in members} == {"article-2023-12-01", RELAY["id"]}
    assert {source for _, source, _, _ in members} == {"Efraim Halevy"}
    assert members[0][3] == 2
    # the two wordings differ ("all its" / "all of its"): an exact match misses them
    assert not any("Pursuing Hamas" in row[6] for row in query.quotes(store, similarity=100).rows)


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_query_formats(store, fmt, capsys, db):
    table = query.top_sources(store, limit=5)
    assert main(["query", "sources", "--db", str(db), "--limit", "5", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert tuple(rows[0]) == table.columns
        assert [r[0] for r in rows[1:]] == [row[0] for row in table.rows]
    elif fmt == "json":
        assert json.loads(out) == [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    else:
        lines = out.splitlines()
        assert lines[0].split()[:2] == ["source", "type"] and len(lines) == 6


# exports


def test_export_jsonl_is_the_analysis(db, expected, tmp_path):
    out = tmp_path / "out.jsonl"
    assert main(["export", "--db", str(db), "--format", "jsonl", "-o", str(out)]) == 0
    assert [json.loads(line) for line in out.read_text(encoding="utf8").splitlines()] == expected


def test_export_csv_tables(db, expected, tmp_path):
    out = tmp_path / "attributions.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf8")))
    flat = [(r["id"], a) for r in expected for a in r["attributions"]]
    assert len(rows) == len(flat)
    for row, (article_id, att) in zip(rows, flat, strict=True):
        assert (row["article"], row["cue"], row["content"]) == (
            article_id,
            att["cue"]["text"],
            att["content"]["text"],
        )
    relayed = [row for row in rows if row["article"] == RELAY["id"] and row["source"] == "Halevy"]
    assert relayed[0]["via"] == "the Wall Street Journal < Example Daily"
    out = tmp_path / "articles.csv"
    args = ["export", "--db", str(db), "--format", "csv", "--table", "articles", "-o", str(out)]
    assert main(args) == 0
    articles = list(csv.DictReader(out.open(encoding="utf8")))
    assert [a["id"] for a in articles] == [r["id"] for r in expected]
    assert [int(a["attributions"]) for a in articles] == [
        r["sourcing"]["attributions"] for r in expected
    ]


def test_export_parquet(db, expected, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "attributions.parquet"
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", str(out)]) == 0
    table = pq.read_table(out)
    assert table.num_rows == sum(len(r["attributions"]) for r in expected)
    assert str(table.schema.field("confidence").type) == "double"
    assert str(table.schema.field("source_named").type) == "bool"
    assert main(["export", "--db", str(db), "--format", "parquet"]) == 2


def test_ingest_csv_with_columns_and_stdin(tmp_path, capsys, monkeypatch, _shared_pipeline):
    records = [json.loads(line) for line in _shortest_dev_lines(3)]
    path = tmp_path / "feed.csv"
    with path.open("w", encoding="utf8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["guid", "site", "body"])
        writer.writerows([r["id"], r["publisher"], r["text"]] for r in records[:2])
    db = tmp_path / "s.sqlite"
    args = ["ingest", str(path), "--db", str(db), "--workers", "1"]
    assert main([*args, "--columns", "id=guid,text=body,outlet=site"]) == 0
    assert "2 article(s) stored" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps(r) + "\n" for r in records)))
    assert main(["ingest", "-", "--db", str(db), "--workers", "1"]) == 0
    assert "1 article(s) stored, 2 already there" in capsys.readouterr().err
    with Store(db) as store:
        outlets = dict(store.db.execute("SELECT id, outlet FROM articles"))
    assert outlets == {r["id"]: r["publisher"] for r in records}
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--columns", "body"])
    assert exit_info.value.code == 2
