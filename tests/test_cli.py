"""The ``sayso`` command, end to end, on good and bad input."""

from __future__ import annotations

import json

import pytest

import sayso
from sayso import analysis
from sayso.cli import main
from sayso.output import json_schema

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(autouse=True)
def _shared_pipeline(monkeypatch, attribution_nlp):
    # every command in this module reuses the session's loaded pipeline
    monkeypatch.setitem(analysis._PIPELINES, False, attribution_nlp)


def _results(capsys):
    out = capsys.readouterr()
    return [json.loads(line) for line in out.out.splitlines() if line.strip()], out.err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert sayso.__version__ in capsys.readouterr().out


def test_analyze_example_matches_schema(capsys, tmp_path, example_text):
    path = tmp_path / "article-2023-12-01.txt"
    path.write_text(example_text, encoding="utf8")
    assert main(["analyze", str(path)]) == 0
    results, _ = _results(capsys)
    assert len(results) == 1
    result = results[0]
    jsonschema.validate(result, json_schema())
    assert result["id"] == "article-2023-12-01"
    assert result["date"] == "2023-12-01"
    assert len(result["attributions"]) >= 5


def test_analyze_pretty_is_one_json_document(capsys, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("The mayor said the bridge would reopen in May.", encoding="utf8")
    assert main(["analyze", str(path), "--pretty"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("{\n")
    assert json.loads(text)["id"] == "short"


def test_analyze_fast_runs_one_role_tagger(capsys, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text('"We will reopen in May," the mayor said on Monday.', encoding="utf8")
    assert main(["analyze", str(path), "--fast"]) == 0
    (result,), _ = _results(capsys)
    (att,) = result["attributions"]
    assert (att["source"]["text"], att["cue"]["text"]) == ("the mayor", "said")
    fast = analysis._PIPELINES[True].get_pipe("sayso_attribution")
    assert len(fast.taggers) == 1
    assert len(analysis._PIPELINES[False].get_pipe("sayso_attribution").taggers) == 2


def test_batch_goes_on_after_bad_lines(capsys, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "The senator said she would vote against the bill."}),
        "{not json",
        json.dumps({"id": "c", "title": "no text here"}),
        json.dumps({"id": "d", "text": ""}),
        json.dumps({"id": "e", "text": "Weather was mild all week."}),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf8")
    assert main(["analyze", str(corpus)]) == 1
    results, err = _results(capsys)
    assert [r["id"] for r in results] == ["a", f"{corpus}:2", f"{corpus}:3", "d", "e"]
    assert results[0]["error"] is None and results[0]["attributions"]
    assert "not valid JSON" in results[1]["error"]
    assert "text" in results[2]["error"]
    assert results[3]["error"] is None and results[3]["attributions"] == []
    assert results[4]["attributions"] == []
    assert "2 article(s) failed" in err
    for result in results:
        jsonschema.validate(result, json_schema())


@pytest.mark.parametrize(
    "content, message",
    [(b"caf\xe9 said hello", "not valid UTF-8"), (b"\x00\x01\x02binary", "binary")],
)
def test_unreadable_files_are_reported(capsys, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert main(["analyze", str(path)]) == 1
    results, err = _results(capsys)
    assert message in results[0]["error"]
    assert "bad" in err


def test_missing_input_is_a_usage_error(capsys, tmp_path):
    assert main(["analyze", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_long_text_is_analysed_in_pieces(monkeypatch, attribution_nlp, example_text):
    whole = analysis.analyze(example_text, nlp=attribution_nlp)
    monkeypatch.setattr(analysis, "CHUNK_CHARS", 1000)
    assert len(analysis.split_text(example_text, 1000)) > 2
    pieces = analysis.analyze(example_text, nlp=attribution_nlp)
    assert pieces["attributions"], "chunked analysis found nothing"
    for att in pieces["attributions"]:
        start, end = att["cue"]["span"]
        assert example_text[start:end] == att["cue"]["text"]
    whole_cues = {tuple(a["cue"]["span"]) for a in whole["attributions"]}
    piece_cues = {tuple(a["cue"]["span"]) for a in pieces["attributions"]}
    assert len(whole_cues & piece_cues) >= len(whole_cues) // 2


def test_split_text_keeps_every_character():
    text = ("A paragraph of news text. " * 50 + "\n\n") * 2000  # about 10 MB
    pieces = analysis.split_text(text)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert max(len(p) for _, p in pieces) <= analysis.CHUNK_CHARS


def test_evaluate_on_polnear_articles(capsys, tmp_path):
    from conftest import POLNEAR_DEV

    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "".join(POLNEAR_DEV.read_text(encoding="utf8").splitlines(keepends=True)[:3]),
        encoding="utf8",
    )
    predictions = tmp_path / "pred.jsonl"
    args = ["evaluate", str(gold), "--baseline", "textacy", "--predictions", str(predictions)]
    assert main(args + ["--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert 0 <= scores["textacy"]["gave_up"] <= 3
    sayso_f = scores["sayso"]["attribution"]["f1"]
    assert 0.2 < sayso_f <= 1.0, "sayso should find a good share of the gold attributions"
    assert (
        scores["sayso"]["roles"]["cue"]["exact"]["f1"]
        > scores["textacy"]["roles"]["cue"]["exact"]["f1"]
    )
    written = [json.loads(line) for line in predictions.read_text(encoding="utf8").splitlines()]
    assert len(written) == 3
    for result in written:
        jsonschema.validate(result, json_schema())


def test_parse_prints_tokens_and_entities(capsys, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Israeli officials told the Wall Street Journal on Monday.", encoding="utf8")
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    rows = [line.split("\t") for line in out.splitlines()[1:] if line.count("\t") == 7]
    by_text = {row[1]: row for row in rows}
    assert by_text["told"][5] == "ROOT" and by_text["officials"][5] == "nsubj"
    assert "ORG\tWall Street Journal" in out and "DATE\tMonday" in out


def test_parse_reports_unreadable_files(capsys, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"caf\xe9")
    assert main(["parse", str(path)]) == 1
    assert "not valid UTF-8" in capsys.readouterr().err
