"""Shared fixtures: one league with a pinned, settable clock, so seasons are generated once."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from resources.simulated import SIMULATED_BASE_URLS, SimulatedLeague

SEED = 20211019
YEAR = 2024
NOON_JAN_20 = datetime(2025, 1, 20, 17, 0, tzinfo=timezone.utc)


class PinnedClock:
    """A clock that returns `moment` until a test moves it (never the wall clock)."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture(scope="session")
def clock() -> PinnedClock:
    return PinnedClock(NOON_JAN_20)


@pytest.fixture(scope="session")
def league(clock) -> SimulatedLeague:
    return SimulatedLeague(seed=SEED, clock=clock)


@pytest.fixture(scope="session")
def season(league):
    return league.season(YEAR)


@pytest.fixture
def at(clock):
    """Set the league's now for one test: `at(datetime)`; restored afterwards."""
    saved = clock.moment

    def move(moment: datetime) -> None:
        clock.moment = moment

    yield move
    clock.moment = saved


def client_for(league: SimulatedLeague, service: str, **kwargs) -> httpx.Client:
    """An in-process client of one simulated service, exactly as the platform builds it."""
    return httpx.Client(transport=league.transport(), base_url=SIMULATED_BASE_URLS[service], **kwargs)


@pytest.fixture(scope="session")
def bdl(league) -> httpx.Client:
    return client_for(league, "balldontlie")


@pytest.fixture(scope="session")
def espn(league) -> httpx.Client:
    return client_for(league, "espn")


@pytest.fixture(scope="session")
def odds(league) -> httpx.Client:
    return client_for(league, "odds")
