"""How a failed run is told, in one line: by the command line's run report and the alerts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dagster import DagsterEvent

_EXCEPTION_PREFIX = re.compile(r"^[\w.]+(Error|Exception|Failure): ")


def failure_text(step_failures: Iterable[DagsterEvent]) -> str | None:
    """`step: message` of the first failed step: the message of the error our code raised (Dagster's
    own wrappers peeled off, the exception's class name left out), its first line; None without one."""
    for event in step_failures:
        error = event.step_failure_data.error
        while error is not None and error.cause is not None and "dagster._core.errors" in (error.cls_name or "") + error.message:
            error = error.cause
        if error is None:
            continue
        message = error.message.strip().splitlines()[0] if error.message.strip() else error.cls_name
        return f"{event.step_key}: {_EXCEPTION_PREFIX.sub('', message)}"
    return None
