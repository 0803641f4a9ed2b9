"""The scrapes that run on the clock (ET), each for the game date it concerns."""

from datetime import timedelta

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from nba_assets.automation.jobs import box_scores_job, morning_job, odds_job
from resources.clock import ET

ET_NAME = "America/New_York"


def et_date(context: ScheduleEvaluationContext):
    return context.scheduled_execution_time.astimezone(ET).date()


@schedule(job=morning_job, cron_schedule="0 9 * * *", execution_timezone=ET_NAME, default_status=DefaultScheduleStatus.RUNNING,
          description="09:00 ET: today's schedule, rosters and injury report.")
def morning_scrape_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    day = et_date(context).isoformat()
    return RunRequest(run_key=f"morning-{day}", partition_key=day)


@schedule(job=odds_job, cron_schedule="0 8-22/2 * * *", execution_timezone=ET_NAME, default_status=DefaultScheduleStatus.RUNNING,
          description="Every two hours from 08:00 to 22:00 ET: a new odds snapshot of today's games (the lines sensor does the rest).")
def odds_snapshot_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    day = et_date(context).isoformat()
    return RunRequest(run_key=f"odds-{context.scheduled_execution_time.isoformat()}", partition_key=day)


@schedule(job=box_scores_job, cron_schedule=["30 1 * * *", "30 2 * * *", "30 6 * * *"], execution_timezone=ET_NAME, default_status=DefaultScheduleStatus.RUNNING,
          description="01:30 and 02:30 ET, before the 03:00 deadline (the last games end about 01:00), and 06:30 for late corrections: "
          "yesterday's final box scores.")
def box_scores_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    day = (et_date(context) - timedelta(days=1)).isoformat()
    return RunRequest(run_key=f"box-scores-{context.scheduled_execution_time.isoformat()}", partition_key=day)


SCHEDULES = [morning_scrape_schedule, odds_snapshot_schedule, box_scores_schedule]
