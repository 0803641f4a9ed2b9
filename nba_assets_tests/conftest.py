"""Shared fixtures: the project's own upstream fixtures and the recorded real responses."""

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACTS = Path(__file__).resolve().parents[2] / "shared" / "contracts"


def fixture_json(name: str):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def contract():
    """Load a recorded real response from ../shared/contracts; skip when that folder is absent."""

    def load(name: str):
        path = CONTRACTS / name
        if not path.exists():
            pytest.skip(f"{path} not present")
        return json.loads(path.read_text())

    return load
