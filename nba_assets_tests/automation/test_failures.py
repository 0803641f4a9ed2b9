"""One line for a failed run, the same in the command line's report and the alerts."""

from dagster import DagsterInstance, Failure, asset, materialize

from nba_assets.automation.failures import failure_text


@asset
def broken():
    raise ValueError("raw_games 2025-01-25: field 'date' is missing\n(the rest of the story)")


@asset
def refused():
    raise Failure(description="raw_box_scores 2025-01-25 is not final yet", allow_retries=False)


def test_the_first_failed_step_and_our_own_message_first_line_without_its_class():
    with DagsterInstance.ephemeral() as instance:
        for definition, said in ((broken, "broken: raw_games 2025-01-25: field 'date' is missing"),
                                 (refused, "refused: raw_box_scores 2025-01-25 is not final yet")):
            result = materialize([definition], instance=instance, raise_on_error=False)
            assert failure_text(e for e in result.all_events if e.is_step_failure) == said


def test_no_failed_step_no_text():
    assert failure_text([]) is None
