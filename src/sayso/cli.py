"""The ``sayso`` command. Each subcommand parses its arguments and calls the library.

Exit codes: 0 all fine; 1 some articles failed (each is reported in the
output with ``error`` set, and summarised on stderr); 2 bad usage (a missing
file, an unknown option).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

import sayso

EXIT_OK, EXIT_ARTICLE_ERRORS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except FileNotFoundError as exc:
        print(f"sayso: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # the reader went away (`sayso analyze ... | head`): stop quietly, and
        # keep Python from failing again when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sayso", description="Who said what in the news.")
    parser.add_argument("--version", action="version", version=f"sayso {sayso.__version__}")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    analyze = sub.add_parser("analyze", help="extract attributions from articles (JSON out)")
    analyze.add_argument(
        "input", help="a .txt article, a directory, a .jsonl corpus, or - for stdin"
    )
    analyze.add_argument("--pretty", action="store_true", help="indented JSON (for one article)")
    analyze.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    analyze.add_argument("--quiet", action="store_true", help="no progress bar")
    analyze.set_defaults(run=_analyze)

    evaluate = sub.add_parser("evaluate", help="score against gold attributions (PolNeAR JSONL)")
    evaluate.add_argument("gold", type=Path, help="e.g. ../shared/data/polnear/dev.jsonl")
    evaluate.add_argument("--baseline", choices=["textacy"], help="also score a baseline")
    evaluate.add_argument("--predictions", type=Path, help="write sayso's predictions (JSONL)")
    evaluate.add_argument("--markdown", action="store_true", help="print a Markdown table")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(run=_evaluate)

    parse = sub.add_parser("parse", help="show tokens, tags, heads and entities of a text")
    parse.add_argument("input", help="a text file, or - for stdin")
    parse.set_defaults(run=_parse)

    schema = sub.add_parser("schema", help="print the JSON Schema of the output")
    schema.set_defaults(run=_schema)
    return parser


def _analyze(args: argparse.Namespace) -> int:
    from sayso.analysis import analyze_articles
    from sayso.reading import iter_articles

    articles = iter_articles(args.input)
    failed: list[tuple[str, str]] = []
    with _open_output(args.output) as out:
        results = analyze_articles(_progress(articles, args.quiet, "articles"))
        for result in results:
            if result["error"]:
                failed.append((result["id"], result["error"]))
            json.dump(result, out, ensure_ascii=False, indent=2 if args.pretty else None)
            out.write("\n")
    if failed:
        print(f"sayso: {len(failed)} article(s) failed:", file=sys.stderr)
        for article_id, error in failed:
            print(f"  {article_id}: {error}", file=sys.stderr)
        return EXIT_ARTICLE_ERRORS
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from sayso.analysis import attribution_pipeline
    from sayso.evaluation import evaluate, format_markdown, format_table, read_gold

    gold = list(read_gold(args.gold))
    result = evaluate(
        gold,
        attribution_pipeline(),
        baseline=args.baseline,
        progress=lambda items: _progress(items, False, "articles", total=len(gold)),
    )
    if args.predictions:
        with args.predictions.open("w", encoding="utf8") as f:
            for prediction in result.predictions.values():
                f.write(json.dumps(prediction, ensure_ascii=False) + "\n")
    if args.json:
        scores = {name: r.to_dict() for name, r in result.reports.items()}
        if args.baseline:
            scores[args.baseline]["gave_up"] = result.baseline_gave_up
        print(json.dumps(scores, indent=2))
        return EXIT_OK
    print((format_markdown if args.markdown else format_table)(result.reports))
    if args.baseline:
        print(
            f"{args.baseline} gave up on {result.baseline_gave_up} of {len(gold)} articles"
            " (unbalanced quotes)"
        )
    return EXIT_OK


def _parse(args: argparse.Namespace) -> int:
    from sayso.reading import ReadError, read_text_file

    if args.input == "-":
        text = sys.stdin.read()
    else:
        article = read_text_file(Path(args.input))
        if isinstance(article, ReadError):
            print(f"sayso: {article.message}", file=sys.stderr)
            return EXIT_ARTICLE_ERRORS
        text = article.text
    doc = sayso.load()(text)
    print("i\ttext\ttag\tpos\tlemma\tdep\thead\tent")
    for t in doc:
        if t.is_space:
            continue
        ent = f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O"
        print(f"{t.i}\t{t.text}\t{t.tag_}\t{t.pos_}\t{t.lemma_}\t{t.dep_}\t{t.head.i}\t{ent}")
    print("\nentities:")
    for ent in doc.ents:
        print(f"  {ent.label_}\t{ent.text}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from sayso.output import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


class _open_output:
    """stdout, or a file that is closed afterwards."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.file: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self.path is None:
            return sys.stdout
        self.file = self.path.open("w", encoding="utf8")
        return self.file

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()


def _progress(items, quiet: bool, unit: str, total: int | None = None) -> Iterator:
    """A progress bar on stderr when it is a terminal (or never, with quiet)."""
    return tqdm(items, unit=f" {unit}", total=total, disable=quiet or not sys.stderr.isatty())


if __name__ == "__main__":
    sys.exit(main())
