"""Game clock: real time to period, clock and status."""

from __future__ import annotations

from resources.simulated.live import clock_at

TIP = 1_700_000_000


def test_regulation_game_timeline():
    assert clock_at(TIP, 4, TIP - 1).phase == "scheduled"
    start = clock_at(TIP, 4, TIP)
    assert (start.phase, start.period, start.time_text, start.status_text) == ("live", 1, "12:00", "1st Qtr")
    assert clock_at(TIP, 4, TIP + 75 * 60 - 1).status_text == "Halftime"  # 60 min of play, 15 min break
    third = clock_at(TIP, 4, TIP + 75 * 60 + 150)
    assert (third.period, third.status_text, third.time_text) == (3, "3rd Qtr", "11:00")
    late = clock_at(TIP, 4, TIP + 8100 - 150)
    assert (late.period, late.time_text) == (4, "1:00")
    final = clock_at(TIP, 4, TIP + 8100)
    assert (final.phase, final.status_text, final.time_text, final.fraction) == ("final", "Final", "Final", 1.0)


def test_overtime_fits_in_the_same_two_hours_fifteen():
    seconds_per_minute = 7200 / 53
    ot = clock_at(TIP, 5, TIP + 900 + int(50 * seconds_per_minute))
    assert (ot.period, ot.status_text) == (5, "OT")
    assert clock_at(TIP, 5, TIP + 8100).phase == "final"
    fractions = [clock_at(TIP, 5, TIP + s).fraction for s in range(0, 8101, 300)]
    assert fractions == sorted(fractions)
