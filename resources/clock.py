"""The one clock every part of the platform reads.

`NBA_CLOCK` (an ISO timestamp with offset, e.g. `2025-01-20T12:00:00-05:00`) pins it, which replays
and the simulated league use to stand at a chosen moment; unset, it is the wall clock.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from resources.errors import ConfigurationError

ET = ZoneInfo("America/New_York")


def now_utc() -> datetime:
    """The current instant, timezone-aware in UTC."""
    pinned = os.environ.get("NBA_CLOCK", "").strip()
    if not pinned:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigurationError(f"NBA_CLOCK={pinned!r} is not an ISO timestamp such as 2025-01-20T12:00:00-05:00") from None
    if moment.tzinfo is None:
        raise ConfigurationError(f"NBA_CLOCK={pinned!r} has no UTC offset; write e.g. 2025-01-20T12:00:00-05:00")
    return moment.astimezone(timezone.utc)


def today_et() -> date:
    """Today's date in America/New_York: the game date of today's slate."""
    return now_utc().astimezone(ET).date()
