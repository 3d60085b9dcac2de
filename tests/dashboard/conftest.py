"""Fixtures over the fake public release of `tests.fakes.release`, written into tmp_path."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.release import release_docs, three_level_docs, write_release


@pytest.fixture
def release_dir(tmp_path: Path) -> Path:
    """``tmp_path/ws/release`` holding a complete fake release."""
    return write_release(tmp_path / "ws" / "release", release_docs())


@pytest.fixture
def rewrite_release():
    """``rewrite_release(root, passed=False)`` rewrites a complete fake release, e.g. with a failed check."""
    return lambda root, passed=True: write_release(root, release_docs(), passed=passed)


@pytest.fixture
def release(release_dir: Path):
    from dashboard.data import load_release

    return load_release(release_dir)


@pytest.fixture
def three_level_release(tmp_path: Path):
    from dashboard.data import load_release

    return load_release(write_release(tmp_path / "ws3" / "release", three_level_docs()))


@pytest.fixture
def app(release_dir: Path):
    from dashboard.app import create_app

    return create_app(release_dir)
