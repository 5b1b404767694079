"""Build the first-name gender table that pronoun resolution uses.

Usage: python training/build_first_names.py [--min-count 1000] [--max-uncertainty 0.1]

Source: the name data of ``nomquamgender`` (MIT licence; counts of how often
each first name was recorded for women and men in 36 national and
international sources), installed with ``pip install ".[train]"``. A name is
kept when it was seen at least ``--min-count`` times and the share of women
``p`` is within ``--max-uncertainty`` of 0 or 1, so that only names that
almost always go one way decide a pronoun ("Isabel" -> she, "Thomas" -> he;
"Kim" and "Jordan" are left out). The table is written to
``src/sayso/models/first_names.tsv`` (name, ``f`` or ``m``), a few hundred KB,
and shipped in the package: nothing is looked up at run time.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "sayso" / "models" / "first_names.tsv"
# Plain first names only: letters, possibly an inner hyphen or apostrophe.
NAME = re.compile(r"^[a-z]+(?:[-'][a-z]+)?$")


def build(min_count: int, max_uncertainty: float) -> dict[str, str]:
    data_file = importlib.resources.files("nomquamgender") / "name_data.json"
    data = json.loads(data_file.read_text(encoding="utf8"))
    table = {}
    for name, (_sources, count, p_female, *_rest) in data.items():
        if count < min_count or not NAME.match(name):
            continue
        if p_female >= 1 - max_uncertainty:
            table[name] = "f"
        elif p_female <= max_uncertainty:
            table[name] = "m"
    return dict(sorted(table.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=1000)
    parser.add_argument("--max-uncertainty", type=float, default=0.1)
    args = parser.parse_args()
    table = build(args.min_count, args.max_uncertainty)
    lines = [f"{name}\t{gender}\n" for name, gender in table.items()]
    OUT.write_text("".join(lines), encoding="utf8")
    women = sum(g == "f" for g in table.values())
    print(f"{OUT}: {len(table)} names ({women} f, {len(table) - women} m)")


if __name__ == "__main__":
    main()
