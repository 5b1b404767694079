"""Shared fixtures: the shipped pipeline (loaded once) and the reference data
in ../shared, read where it lies."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLE = SHARED / "examples" / "article-2023-12-01.txt"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"


@pytest.fixture(scope="session")
def nlp():
    import sayso

    return sayso.load()


@pytest.fixture(scope="session")
def attribution_nlp():
    from sayso.analysis import attribution_pipeline

    return attribution_pipeline()


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf8")


@pytest.fixture(scope="session")
def example_doc(nlp, example_text):
    return nlp(example_text)
