"""Shared fixtures: the shipped pipeline (loaded once) and the reference data
in ../shared, read where it lies."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLE = SHARED / "examples" / "article-2023-12-01.txt"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"
TRAINING = Path(__file__).resolve().parents[1] / "training"


def training_module(name: str) -> ModuleType:
    """A recipe module of training/ (not a package: spaCy loads its files by
    path), imported as ``sayso_<name>``."""
    spec = importlib.util.spec_from_file_location(f"sayso_{name}", TRAINING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
