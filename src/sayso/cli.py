"""The ``sayso`` command. Each subcommand parses its arguments and calls the library.

Exit codes: 0 all fine; 1 some articles failed (each is reported in the
output with ``error`` set, or for ``ingest`` recorded in the store, and
summarised on stderr); 2 bad usage (a missing file, an unknown option, a file
that is not a sayso store or one made by a newer sayso); 130 interrupted
(``ingest``: run the same command again to finish).
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

EXIT_OK, EXIT_ARTICLE_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
COLUMNS_HELP = (
    "CSV columns of the article fields id, text, date, title, outlet (default: the same"
    " names; outlet also from publisher), e.g. text=body,id=doc_id"
)
# Failures listed on stderr at the end of an ingest run; `sayso query
# failures` lists them all.
FAST_HELP = "one role tagger instead of two: about 1.5x as fast, less accurate (README)"
MAX_FAILURES_LISTED = 50


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    from sayso.corpus.store import StoreError

    try:
        return args.run(args)
    except (FileNotFoundError, StoreError) as exc:
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
        "input", help="a .txt article, a directory, a .jsonl or .csv corpus, or - for stdin"
    )
    analyze.add_argument(
        "--columns", type=_csv_columns, metavar="FIELD=COLUMN,...", help=COLUMNS_HELP
    )
    analyze.add_argument("--pretty", action="store_true", help="indented JSON (for one article)")
    analyze.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    analyze.add_argument("--quiet", action="store_true", help="no progress bar")
    analyze.add_argument("--fast", action="store_true", help=FAST_HELP)
    analyze.set_defaults(run=_analyze)

    evaluate = sub.add_parser("evaluate", help="score against gold attributions (PolNeAR JSONL)")
    evaluate.add_argument("gold", type=Path, help="e.g. ../shared/data/polnear/dev.jsonl")
    evaluate.add_argument("--baseline", choices=["textacy"], help="also score a baseline")
    evaluate.add_argument("--predictions", type=Path, help="write sayso's predictions (JSONL)")
    evaluate.add_argument("--markdown", action="store_true", help="print a Markdown table")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--fast", action="store_true", help=FAST_HELP)
    evaluate.set_defaults(run=_evaluate)

    parse = sub.add_parser("parse", help="show tokens, tags, heads and entities of a text")
    parse.add_argument("input", help="a text file, or - for stdin")
    parse.set_defaults(run=_parse)

    schema = sub.add_parser("schema", help="print the JSON Schema of the output")
    schema.set_defaults(run=_schema)

    _add_corpus_commands(sub)
    return parser


def _add_corpus_commands(sub: argparse._SubParsersAction) -> None:
    """``ingest``, ``query`` and ``export``: sayso over a corpus store."""
    ingest = sub.add_parser(
        "ingest",
        help="analyse a corpus into a SQLite store (parallel, resumable)",
        description="Analyse articles into a store. Run the same command again after an"
        " interruption to finish: articles already stored are skipped.",
    )
    ingest.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a .txt article, a directory, a .jsonl or .csv corpus, or - for stdin",
    )
    ingest.add_argument("--db", type=Path, required=True, help="the store (created if missing)")
    ingest.add_argument(
        "--workers", type=_positive_int, help="worker processes (default: the machine's cores)"
    )
    ingest.add_argument(
        "--columns", type=_csv_columns, metavar="FIELD=COLUMN,...", help=COLUMNS_HELP
    )
    ingest.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    ingest.add_argument("--fast", action="store_true", help=FAST_HELP)
    ingest.set_defaults(run=_ingest)

    query = sub.add_parser("query", help="questions over a store, as a table, CSV or JSON")
    questions = query.add_subparsers(required=True, metavar="QUESTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, required=True, help="the store")
    common.add_argument("--format", choices=["table", "csv", "json"], default="table")
    limited = argparse.ArgumentParser(add_help=False)
    limited.add_argument("--limit", type=int, default=20, help="rows (0: all; default 20)")

    q = questions.add_parser(
        "sources", parents=[common, limited], help="the most-quoted sources, by entity"
    )
    q.add_argument("--type", choices=["person", "organization", "place", "group", "document"])
    q.set_defaults(run=_query, question="sources")
    q = questions.add_parser(
        "statements", parents=[common], help="all statements by a source (any of its aliases)"
    )
    q.add_argument("source", help='a name: "Yoav Gallant", "Gallant", "the officials"')
    q.add_argument("--similarity", type=int, default=None, help="0-100 (default 90; 100: exact)")
    q.add_argument("--limit", type=int, default=0, help="rows (default 0: all)")
    q.set_defaults(run=_query, question="statements")
    q = questions.add_parser(
        "unnamed", parents=[common], help="share of unnamed sources per outlet and/or month"
    )
    q.add_argument("--by", choices=["outlet", "month", "outlet-month"], default="outlet")
    q.set_defaults(run=_query, question="unnamed")
    q = questions.add_parser(
        "relays", parents=[common, limited], help="who relays whom (via counts)"
    )
    q.add_argument(
        "--relayed-type",
        choices=["person", "organization", "place", "group", "document", "outlet"],
        help="only pairs whose relayed one has this type (organization: who relays outlets)",
    )
    q.set_defaults(run=_query, question="relays")
    q = questions.add_parser(
        "quotes", parents=[common], help="the same quote carried by several articles"
    )
    q.add_argument("--limit", type=int, default=20, help="clusters (0: all; default 20)")
    q.add_argument("--similarity", type=int, default=None, help="0-100 (default 90)")
    q.add_argument("--min-words", type=int, default=None, help="shortest quote (default 6)")
    q.add_argument("--min-articles", type=int, default=2, help="articles a cluster spans")
    q.add_argument("--all-types", action="store_true", help="indirect contents too")
    q.set_defaults(run=_query, question="quotes")
    q = questions.add_parser("failures", parents=[common], help="what a run could not store")
    q.add_argument("--run", type=int, help="the run (default: the last)")
    q.set_defaults(run=_query, question="failures")
    q = questions.add_parser("runs", parents=[common], help="the ingest runs")
    q.set_defaults(run=_query, question="runs")

    export = sub.add_parser("export", help="a store out as JSONL, CSV or Parquet")
    export.add_argument("--db", type=Path, required=True, help="the store")
    export.add_argument(
        "--format",
        choices=["jsonl", "csv", "parquet"],
        required=True,
        help="jsonl: sayso/1 results; csv, parquet: a flat table (--table)",
    )
    export.add_argument(
        "--table",
        choices=["attributions", "articles"],
        default="attributions",
        help="csv and parquet: a row per attribution (default) or per article",
    )
    export.add_argument("-o", "--output", type=Path, help="write here (parquet: required)")
    export.set_defaults(run=_export)


def _csv_columns(value: str):
    from sayso.reading import CsvColumns

    try:
        return CsvColumns.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _analyze(args: argparse.Namespace) -> int:
    from sayso.analysis import _shared_pipeline, analyze_articles
    from sayso.reading import iter_articles

    articles = iter_articles(args.input, columns=args.columns)
    failed: list[tuple[str, str]] = []
    with _open_output(args.output) as out:
        results = analyze_articles(
            _progress(articles, args.quiet, "articles"), nlp=_shared_pipeline(args.fast)
        )
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
        attribution_pipeline(fast=args.fast),
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


def _ingest(args: argparse.Namespace) -> int:
    import itertools

    from sayso.corpus.ingest import IngestError, default_workers, ingest
    from sayso.corpus.store import Store
    from sayso.reading import count_articles, iter_articles

    for source in args.inputs:
        if source != "-" and not Path(source).exists():
            raise FileNotFoundError(f"no such file or directory: {source}")
    workers = args.workers or default_workers()
    show = not args.quiet and sys.stderr.isatty()
    total = None
    if show and "-" not in args.inputs:
        total = sum(count_articles(source, args.columns) or 0 for source in args.inputs)
    items = itertools.chain.from_iterable(
        iter_articles(source, columns=args.columns) for source in args.inputs
    )
    with Store(args.db) as store:
        try:
            with _IngestProgress(total, show) as progress:
                counts = ingest(
                    items,
                    store,
                    workers=workers,
                    command=["sayso", *args.argv],
                    on_item=progress.update,
                    fast=args.fast,
                )
        except KeyboardInterrupt:
            print("sayso: interrupted; run the same command again to finish", file=sys.stderr)
            return EXIT_INTERRUPTED
        except IngestError as exc:
            print(f"sayso: {exc}", file=sys.stderr)
            return EXIT_ARTICLE_ERRORS
        failures = store.failures(counts.run_id, limit=MAX_FAILURES_LISTED)
    if not args.quiet:
        print(
            f"sayso: run {counts.run_id}: {counts.stored} article(s) stored,"
            f" {counts.skipped} already there, {counts.failed} failed,"
            f" {counts.duplicates} duplicate id(s); {counts.words:,} words analysed in"
            f" {counts.seconds:,.1f} s ({counts.words_per_second:,.0f} words/s)",
            file=sys.stderr,
        )
    if failures:
        problems = counts.failed + counts.duplicates
        print(f"sayso: {problems} item(s) not stored:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure.item}: {failure.kind}: {failure.error}", file=sys.stderr)
        if problems > len(failures):
            print(
                f"  ... and {problems - len(failures)} more:"
                f" sayso query failures --db {args.db} --run {counts.run_id}",
                file=sys.stderr,
            )
        return EXIT_ARTICLE_ERRORS
    return EXIT_OK


class _IngestProgress:
    """A progress bar of articles done, with words/s and, when the total is
    known, the time left; on stderr when it is a terminal."""

    def __init__(self, total: int | None, show: bool) -> None:
        self.bar = tqdm(total=total, unit=" articles", disable=not show, dynamic_ncols=True)
        self.words = 0

    def __enter__(self) -> _IngestProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.close()

    def update(self, words: int) -> None:
        self.words += words
        self.bar.update(1)
        elapsed = self.bar.format_dict["elapsed"]
        if elapsed:
            self.bar.set_postfix_str(f"{self.words / elapsed:,.0f} words/s", refresh=False)


def _query(args: argparse.Namespace) -> int:
    from sayso.corpus import query
    from sayso.corpus.store import Store

    with Store(args.db, create=False) as store:
        if args.question == "sources":
            table = query.top_sources(store, limit=args.limit, type_=args.type)
        elif args.question == "statements":
            similarity = query.NAME_SIMILARITY if args.similarity is None else args.similarity
            table = query.statements(store, args.source, similarity=similarity, limit=args.limit)
        elif args.question == "unnamed":
            table = query.unnamed_share(store, by=args.by)
        elif args.question == "relays":
            table = query.relays(store, limit=args.limit, relayed_type=args.relayed_type)
        elif args.question == "quotes":
            table = query.quotes(
                store,
                similarity=query.QUOTE_SIMILARITY if args.similarity is None else args.similarity,
                min_words=query.QUOTE_MIN_WORDS if args.min_words is None else args.min_words,
                min_articles=args.min_articles,
                types=("direct", "mixed", "indirect") if args.all_types else query.QUOTE_TYPES,
                limit=args.limit,
            )
        elif args.question == "failures":
            table = query.failures(store, run=args.run)
        else:
            table = query.runs(store)
    query.render(table, args.format, sys.stdout)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from sayso.corpus import export
    from sayso.corpus.store import Store

    if args.format == "parquet":
        if args.output is None:
            print("sayso: --format parquet needs -o FILE", file=sys.stderr)
            return EXIT_USAGE
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            print("sayso: Parquet needs pyarrow: pip install 'sayso[parquet]'", file=sys.stderr)
            return EXIT_USAGE
    with Store(args.db, create=False) as store:
        if args.format == "parquet":
            export.write_parquet(store, args.table, args.output)
            return EXIT_OK
        with _open_output(args.output) as out:
            if args.format == "jsonl":
                export.write_jsonl(store, out)
            else:
                export.write_csv(store, args.table, out)
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
