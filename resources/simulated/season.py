"""One generated regular season: schedule, rosters, injuries and every box score, as ground truth."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..teams import BY_TRICODE
from .games import EXPECTED_MINUTES, STATS, simulate
from .injuries import build_injuries
from .live import GameEvents
from .odds import SeasonMarkets, consensus_lines
from .schedule import build_schedule
from .seeding import rng
from .universe import TRICODES, Universe

_STYLE = ("three_share", "p2", "p3", "ft_rate", "ft_pct", "reb", "ast", "stl", "blk", "tov", "pf")


class SimSeason:
    """Ground truth of the simulated regular season starting in `year` (no playoffs exist).

    DataFrames (all times are aware UTC timestamps, all dates ET):
    - `schedule`: one row per game in tip order: game_idx, bdl_game_id, odds_event_id, season,
      game_date, tip_utc, end_utc (tip + 2h15m), home, away (tricodes), home_score, away_score,
      periods (4, or 5+ after overtime).
    - `box_scores`: one row per rostered player per game, DNPs included: game_idx, bdl_game_id,
      game_date, tip_utc, team, opponent, is_home, uid, bdl_player_id, espn_athlete_id,
      player_name (ESPN spelling), depth (0 = best on the roster), status at tip ("", "Out",
      "Day-To-Day"), dnp, dnp_reason ("", "injury", "coach"), min, fgm, fga, fg3m, fg3a, ftm, fta,
      oreb, dreb, reb, ast, stl, blk, turnover, pf, pts, plus_minus, exp_min, exp_pts (the
      player's true expected points given who was available), last5_pts (mean points of his last
      five games played before this one, NaN if none).
    - `players`: one row per player rostered during the season: uid, bdl_player_id,
      espn_athlete_id, bdl_first_name, bdl_last_name, espn_first_name, espn_last_name,
      espn_full_name, odds_name, odds_variant, birth_date, team (opening day), final_team (after
      trades), position_bdl, position_espn, height_in, weight, jersey.
    - `injuries`: report entries: uid, status, start_utc, end_utc, return_date, description.
    - `trades`: uid, from_team, to_team, effective (ET date from which he plays for to_team).

    Also: `games_by_date` (ET date -> game_idx list), `game_rows(g)`, `team_on(uid, day)`,
    `consensus_lines()` (the market's closing consensus per player-game), `first_day`, `last_day`.
    """

    def __init__(self, seed: int, year: int, universe: Universe, schedule: pd.DataFrame | None = None):
        self.seed, self.year, self.universe = seed, year, universe
        sched = build_schedule(seed, year) if schedule is None else schedule
        players = universe.players
        trades = universe.trades(year)
        rosters = {team: list(uids) for team, uids in universe.opening(year).items()}
        quality = {}
        rows: dict[str, list] = {"game_idx": [], "side": [], "team": [], "uid": [], "depth": []}
        pending = list(trades)
        last_played: dict[str, date] = {}
        rest = np.zeros((len(sched), 2))
        for g, day, home, away in zip(sched["game_idx"], sched["game_date"], sched["home"], sched["away"]):
            while pending and pending[0].effective <= day:
                trade = pending.pop(0)
                rosters[trade.from_team].remove(trade.uid)
                rosters[trade.to_team].append(trade.uid)
            for side, team in enumerate((home, away)):
                uids = sorted(rosters[team], key=lambda u: (-quality.setdefault(u, players[u].quality(year)), u))
                rows["game_idx"] += [g] * len(uids)
                rows["side"] += [side] * len(uids)
                rows["team"] += [team] * len(uids)
                rows["uid"] += uids
                rows["depth"] += list(range(len(uids)))
                rest[g, side] = (day - last_played[team]).days if team in last_played else 5
                last_played[team] = day
        self._build(sched, {k: np.array(v) for k, v in rows.items()}, rest, trades)

    def _build(self, sched: pd.DataFrame, rows: dict[str, np.ndarray], rest: np.ndarray, trades) -> None:
        seed, year, players = self.seed, self.year, self.universe.players
        g, side, uid = rows["game_idx"], rows["side"], rows["uid"]
        tip = sched["tip_utc"].to_numpy()
        tip_ts = (sched["tip_utc"].astype("int64") // 10**9).to_numpy()
        end_ts = tip_ts + 8100
        game_dates = list(sched["game_date"])
        opponent_team = np.where(side == 0, sched["away"].to_numpy()[g], sched["home"].to_numpy()[g])
        r_team = rng(seed, "teams", year)
        pace_of = dict(zip(TRICODES, r_team.normal(1.0, 0.025, 30)))
        defence_of = dict(zip(TRICODES, r_team.normal(1.0, 0.035, 30)))
        pace = np.array([(pace_of[h] + pace_of[a]) / 2 for h, a in zip(sched["home"], sched["away"])])[g]
        rest_days = rest[g, side]
        ctx = (pace * np.array([defence_of[t] for t in opponent_team]) * np.where(side == 0, 1.015, 0.985)
               * np.where(rest_days <= 1, 0.96, np.where(rest_days >= 3, 1.015, 1.0)))
        ppm = self._scoring_rates(r_team)[uid]
        style = {k: np.array([getattr(p, k) for p in players])[uid] for k in _STYLE}
        injuries = build_injuries(
            seed, year, uid, np.array([players[u].age_on(date(year, 11, 1)) for u in uid]), tip_ts[g], end_ts[g],
            [game_dates[x] for x in g], [BY_TRICODE[t].name for t in opponent_team],
            {int(u): players[u].espn_last for u in np.unique(uid)}, int(end_ts.max()))
        box, overtime = simulate(rng(seed, "games", year), g * 2 + side, side, g, injuries.unavailable,
                                 ppm, ctx, pace, style)
        frame = pd.DataFrame({
            "game_idx": g, "bdl_game_id": sched["bdl_game_id"].to_numpy()[g], "game_date": [game_dates[x] for x in g],
            "tip_utc": tip[g], "team": rows["team"], "opponent": opponent_team, "is_home": side == 0, "uid": uid,
            "bdl_player_id": [players[u].bdl_id for u in uid], "espn_athlete_id": [players[u].espn_id for u in uid],
            "player_name": [players[u].espn_full for u in uid], "depth": rows["depth"], "status": injuries.status,
            "dnp": box["min"] == 0, "dnp_reason": np.where(injuries.unavailable, "injury",
                                                            np.where(box["coach_dnp"], "coach", "")),
            "min": box["min"], **{k: box[k] for k in STATS if k != "pts"},
        })
        frame.insert(frame.columns.get_loc("ast"), "reb", box["oreb"] + box["dreb"])
        frame["pts"], frame["plus_minus"] = box["pts"], box["plus_minus"]
        frame["exp_min"], frame["exp_pts"] = box["exp_min"], box["exp_pts"]
        frame["last5_pts"] = _last_five(uid, box["pts"], box["min"] > 0)
        self.box_scores = frame
        self.overtime = pd.DataFrame(overtime, columns=["row", "ot", "min", *STATS])
        self.known_ts = injuries.known_ts
        self.ppm_ctx = ppm * ctx
        points = np.bincount(g * 2 + side, weights=box["pts"], minlength=2 * len(sched)).reshape(-1, 2)
        sched = sched.copy()
        sched["home_score"], sched["away_score"] = points[:, 0].astype(int), points[:, 1].astype(int)
        ots = self.overtime.groupby(self.box_scores["game_idx"].to_numpy()[self.overtime["row"]])["ot"].max()
        sched["periods"] = 4 + np.bincount(ots.index, weights=ots.values, minlength=len(sched)).astype(int)
        self.schedule = sched
        self.row_bounds = np.searchsorted(g, np.arange(len(sched) + 1))
        self.tip_ts, self.end_ts = tip_ts, end_ts
        self.injury_entries = injuries.entries
        self.injuries = pd.DataFrame({
            "uid": [e.uid for e in injuries.entries], "status": [e.status for e in injuries.entries],
            "start_utc": pd.to_datetime([e.start_ts for e in injuries.entries], unit="s", utc=True),
            "end_utc": pd.to_datetime([e.end_ts for e in injuries.entries], unit="s", utc=True),
            "return_date": [e.return_date for e in injuries.entries],
            "description": [e.description for e in injuries.entries]})
        self.trades = pd.DataFrame([(t.uid, t.from_team, t.to_team, t.effective) for t in trades],
                                   columns=["uid", "from_team", "to_team", "effective"])
        self.players = self._player_table(trades)
        self.games_by_date: dict[date, list[int]] = {}
        for idx, day in enumerate(game_dates):
            self.games_by_date.setdefault(day, []).append(idx)
        self.first_day, self.last_day = game_dates[0], game_dates[-1]
        self.events = GameEvents(self)
        self.markets = SeasonMarkets(self)

    def _scoring_rates(self, r_team: np.random.Generator) -> np.ndarray:
        """Points per minute of every universe player this season; each opening roster is scaled
        part of the way toward its team's offensive level (about 115 points at full strength), and
        rates above 0.6 are squeezed below 0.85 (about 31 points in 37 minutes)."""
        players, year = self.universe.players, self.year
        ppm = np.array([p.points_per_minute(year) for p in players])
        for team, target in zip(TRICODES, r_team.normal(115.0, 3.0, 30)):
            uids = sorted(self.universe.opening(year)[team], key=lambda u: (-players[u].quality(year), u))
            raw = float((ppm[uids] * EXPECTED_MINUTES[len(uids)]).sum())
            ppm[uids] *= (target / raw) ** 0.8
        high = ppm > 0.6
        ppm[high] = 0.6 + 0.25 * np.tanh((ppm[high] - 0.6) / 0.25)
        return ppm

    def _player_table(self, trades) -> pd.DataFrame:
        opening = self.universe.opening(self.year)
        team_of = {u: team for team, uids in opening.items() for u in uids}
        final = dict(team_of)
        for trade in trades:
            final[trade.uid] = trade.to_team
        records = []
        for u in sorted(team_of):
            p = self.universe.players[u]
            records.append((u, p.bdl_id, p.espn_id, p.bdl_first, p.bdl_last, p.first, p.espn_last, p.espn_full,
                            p.odds_name, p.odds_variant, p.birth_date, team_of[u], final[u], p.pos_bdl,
                            p.pos_espn, p.height_in, p.weight, p.jersey))
        return pd.DataFrame(records, columns=[
            "uid", "bdl_player_id", "espn_athlete_id", "bdl_first_name", "bdl_last_name", "espn_first_name",
            "espn_last_name", "espn_full_name", "odds_name", "odds_variant", "birth_date", "team", "final_team",
            "position_bdl", "position_espn", "height_in", "weight", "jersey"])

    def consensus_lines(self) -> pd.DataFrame:
        """Per player-game with a line: the consensus line (median over books of each book's main
        line at the latest snapshot before tip), the opening consensus, n_books, and the result
        (uid, player_name, team, game_date, min, pts, dnp, exp_pts). Takes a second or two."""
        return consensus_lines(self)

    def game_rows(self, game_idx: int) -> slice:
        """The box-score rows of one game (home players first, each team in depth order)."""
        return slice(int(self.row_bounds[game_idx]), int(self.row_bounds[game_idx + 1]))

    def team_on(self, uid: int, day: date) -> str | None:
        """The team `uid` belongs to on ET date `day` of this season (None if not rostered)."""
        for team, uids in self.universe.roster_on(self.year, day).items():
            if uid in uids:
                return team
        return None


def _last_five(uid: np.ndarray, pts: np.ndarray, played: np.ndarray) -> np.ndarray:
    """Mean points of each row's player over his previous (up to) five played games."""
    out = np.full(len(uid), np.nan)
    order = np.argsort(uid, kind="stable")
    for rows in np.split(order, np.flatnonzero(np.diff(uid[order])) + 1):
        done = np.r_[0, np.cumsum(played[rows])][:-1]
        sums = np.r_[0.0, np.cumsum(np.where(played[rows], pts[rows], 0))]
        played_pts_prefix = sums[np.r_[0, np.flatnonzero(played[rows]) + 1]]
        k = done
        lo = np.maximum(0, k - 5)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[rows] = (played_pts_prefix[k] - played_pts_prefix[lo]) / np.minimum(k, 5)
    return out
