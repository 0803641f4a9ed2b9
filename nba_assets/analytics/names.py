"""Resolving a name seen in one source to a known player (the player registry's matching rules).

balldontlie ids anchor identity: a box-score player is `player_lookup` of his balldontlie name. A
name from ESPN or The Odds API resolves to a known player by, in order:

1. `exact`: the same `player_lookup` (accents, dots, case and spaces do not matter);
2. `suffix`: the same key once Jr./Sr./II/III/IV/V are dropped from both ("Jaren Jackson" = "Jaren Jackson Jr.");
3. `first_initial`: same last name and first initial among the candidates ("Herb Jones" = "Herbert Jones").

A last name alone is never enough: when the real player is missing from the candidates (a first
appearance for a team), the only other player with that last name is a wrong answer. Rules 2-3 look only among the candidates of the same game or team that no other name of that game
or team has already matched, and a rule applies only when it finds exactly one candidate; anything
else stays unresolved and is reported, never guessed.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from nba_assets.keys import player_lookup

SUFFIXES = ("jr", "sr", "ii", "iii", "iv", "v")
_WORD = re.compile(r"[a-z0-9]+")


def name_words(name: str) -> list[str]:
    """Lower-case ASCII words of a name, dots and apostrophes joined ("P.J. Tucker" -> ["pj", "tucker"])."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(ascii_name.replace(".", "").replace("'", ""))


def without_suffix(words: list[str]) -> list[str]:
    return words[:-1] if len(words) > 2 and words[-1] in SUFFIXES else words


def _keys(name: str) -> dict[str, str]:
    words = without_suffix(name_words(name))
    first, last = (words[0], words[-1]) if len(words) >= 2 else ("", words[-1] if words else "")
    return {"exact": player_lookup(name), "suffix": "".join(words), "first_initial": f"{first[:1]}|{last}"}


RULES = ("exact", "suffix", "first_initial")


def resolve_names(names: pd.DataFrame, candidates: pd.DataFrame, group: str) -> pd.DataFrame:
    """Match each row of `names` (`name`, `group`) to one row of `candidates` (`name`, `player_lookup`, `group`).

    `exact` matches anywhere among the candidates; the other rules only within the same `group`
    (a game or a team). Returns `names` with `player_lookup` (None if unresolved) and `match_method`.
    """
    out = names.copy()
    out["player_lookup"] = None
    out["match_method"] = "unresolved"
    if out.empty:
        return out
    cand = candidates.drop_duplicates([group, "player_lookup"]).copy()
    cand_keys = pd.DataFrame([_keys(n) for n in cand["name"]], index=cand.index)
    cand = pd.concat([cand[[group, "player_lookup"]], cand_keys.add_prefix("k_")], axis=1)
    name_keys = pd.DataFrame([_keys(n) for n in out["name"]], index=out.index)

    global_exact = cand.drop_duplicates("k_exact").set_index("k_exact")["player_lookup"]
    known = set(cand["player_lookup"])
    hits = name_keys["exact"].map(lambda key: key if key in known else global_exact.get(key))
    out.loc[hits.notna(), "player_lookup"] = hits[hits.notna()]
    out.loc[hits.notna(), "match_method"] = "exact"

    for rule in RULES[1:]:
        todo = out["player_lookup"].isna()
        if not todo.any():
            break
        claimed = pd.MultiIndex.from_frame(out.loc[~todo, [group, "player_lookup"]])
        pool = cand[~pd.MultiIndex.from_frame(cand[[group, "player_lookup"]]).isin(claimed)]
        counts = pool.groupby([group, f"k_{rule}"])["player_lookup"].nunique()
        table = pool.set_index([group, f"k_{rule}"])["player_lookup"]
        table = table[table.index.isin(counts[counts == 1].index) & ~table.index.duplicated()]
        wanted = pd.MultiIndex.from_arrays([out.loc[todo, group], name_keys.loc[todo, rule]])
        found = pd.Series(table.reindex(wanted).to_numpy(), index=out.index[todo])
        # two names of one group reaching the same player by the same rule: neither is trusted
        found = found[found.notna() & ~pd.MultiIndex.from_arrays([out.loc[found.index, group], found]).duplicated(keep=False)]
        out.loc[found.index, "player_lookup"] = found
        out.loc[found.index, "match_method"] = rule
    return out
