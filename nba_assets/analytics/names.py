"""Resolving a name seen in one source to a known player (the player registry's matching rules).

balldontlie ids anchor identity: a box-score player is `player_lookup` of his balldontlie name. A
name from ESPN or The Odds API resolves to a known player by, in order:

1. `exact`: the same `player_lookup` (accents, dots, case and spaces do not matter);
2. `alias`: a known other name of the player (`ALIASES`: "Bones Hyland" = "Nah'Shon Hyland");
3. `suffix`: the same key once Jr./Sr./II/III/IV/V are dropped from both ("Jaren Jackson" = "Jaren Jackson Jr.");
4. `first_initial`: same last name and first initial among the candidates ("Herb Jones" = "Herbert Jones");
5. `similar`: a spelling at most a letter or two away, with the same first initial ("Dennis Schroeder" = "Dennis Schröder").

A last name alone is never enough: when the real player is missing from the candidates (a first
appearance for a team), the only other player with that last name is a wrong answer. Rules 2-5
look only among the candidates of the same game or team that no other name of that game or team
has already matched, and a rule applies only when it finds exactly one candidate; anything else
stays unresolved and is reported, never guessed. `unlike_any_candidate` tells a name that no
candidate could be (a player new to every other source) from one that is ambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

import pandas as pd

from nba_assets.keys import player_lookup

SUFFIXES = ("jr", "sr", "ii", "iii", "iv", "v")
_WORD = re.compile(r"[a-z0-9]+")
# Players known by a name that shares neither spelling nor first initial with their other one.
ALIASES = (("Bones Hyland", "Nah'Shon Hyland"), ("Bub Carrington", "Carlton Carrington"), ("Yongxi Cui", "Cui Yongxi"))
SIMILAR = 0.88


def name_words(name: str) -> list[str]:
    """Lower-case ASCII words of a name, dots and apostrophes joined ("P.J. Tucker" -> ["pj", "tucker"])."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(ascii_name.replace(".", "").replace("'", ""))


def without_suffix(words: list[str]) -> list[str]:
    return words[:-1] if len(words) > 2 and words[-1] in SUFFIXES else words


_ALIAS_OF = {player_lookup(a): player_lookup(b) for pair in ALIASES for a, b in (pair, pair[::-1])}


def _keys(name: str) -> dict[str, str]:
    words = without_suffix(name_words(name))
    first, last = (words[0], words[-1]) if len(words) >= 2 else ("", words[-1] if words else "")
    exact = player_lookup(name)
    return {"exact": exact, "alias": _ALIAS_OF.get(exact, exact), "suffix": "".join(words), "first_initial": f"{first[:1]}|{last}", "last": last}


RULES = ("exact", "alias", "suffix", "first_initial")


def similar(a: str, b: str) -> bool:
    """Two name keys equal or a letter or two apart, with the same first letter."""
    return a == b or (a[:1] == b[:1] and SequenceMatcher(None, a, b).ratio() >= SIMILAR)


def resolve_names(names: pd.DataFrame, candidates: pd.DataFrame, group: str) -> pd.DataFrame:
    """Match each row of `names` (`name`, `group`) to one row of `candidates` (`name`, `player_lookup`, `group`).

    `exact` matches anywhere among the candidates; the other rules only within the same `group`
    (a game or a team). Returns `names` with `player_lookup` (None if unresolved) and `match_method`.
    """
    out = names.copy()
    out["player_lookup"] = None
    out["match_method"] = "unresolved"
    if out.empty or candidates.empty:  # nobody to match against (a fresh warehouse out of season): everything stays unresolved
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
        pool = _unclaimed(out, cand, group)
        cand_key = "k_exact" if rule == "alias" else f"k_{rule}"  # an alias names a candidate's own spelling
        counts = pool.groupby([group, cand_key])["player_lookup"].nunique()
        table = pool.set_index([group, cand_key])["player_lookup"]
        table = table[table.index.isin(counts[counts == 1].index) & ~table.index.duplicated()]
        wanted = pd.MultiIndex.from_arrays([out.loc[todo, group], name_keys.loc[todo, rule]])
        found = pd.Series(table.reindex(wanted).to_numpy(), index=out.index[todo])
        # two names of one group reaching the same player by the same rule: neither is trusted
        found = found[found.notna() & ~pd.MultiIndex.from_arrays([out.loc[found.index, group], found]).duplicated(keep=False)]
        out.loc[found.index, "player_lookup"] = found
        out.loc[found.index, "match_method"] = rule
    _match_similar(out, name_keys, cand, group)
    return out


def _unclaimed(out: pd.DataFrame, cand: pd.DataFrame, group: str) -> pd.DataFrame:
    claimed = pd.MultiIndex.from_frame(out.loc[out["player_lookup"].notna(), [group, "player_lookup"]])
    return cand[~pd.MultiIndex.from_frame(cand[[group, "player_lookup"]]).isin(claimed)]


def _match_similar(out: pd.DataFrame, name_keys: pd.DataFrame, cand: pd.DataFrame, group: str) -> None:
    """Rule `similar`, in place: the one unclaimed candidate of the group whose key is nearly the name's."""
    todo = out.index[out["player_lookup"].isna()]
    if not len(todo):
        return
    pool = _unclaimed(out, cand, group)
    by_group = {g: list(zip(rows["k_suffix"], rows["player_lookup"])) for g, rows in pool.groupby(group)}
    found = {}
    for i in todo:
        hits = {lookup for key, lookup in by_group.get(out.at[i, group], []) if similar(name_keys.at[i, "suffix"], key)}
        if len(hits) == 1:
            found[i] = hits.pop()
    pairs = pd.Series(found, dtype="object")
    if pairs.empty:
        return
    pairs = pairs[~pd.MultiIndex.from_arrays([out.loc[pairs.index, group], pairs]).duplicated(keep=False)]
    out.loc[pairs.index, "player_lookup"] = pairs
    out.loc[pairs.index, "match_method"] = "similar"


def unlike_any_candidate(resolved: pd.DataFrame, candidates: pd.DataFrame, group: str) -> pd.Series:
    """For the unresolved rows of `resolve_names`' output: True where no candidate of the group that
    is still unclaimed has the name's last name (or one a letter or two away) or a similar spelling
    of the whole name, so the name cannot be any
    known player (a player new to the other sources); False where it is ambiguous."""
    out = pd.Series(False, index=resolved.index)
    todo = resolved.index[resolved["player_lookup"].isna()]
    if not len(todo):
        return out
    cand = candidates.drop_duplicates([group, "player_lookup"])
    cand = cand.assign(**pd.DataFrame([_keys(n) for n in cand["name"]], index=cand.index)[["suffix", "last"]].add_prefix("k_"))
    pool = _unclaimed(resolved, cand, group)
    by_group = {g: list(zip(rows["k_suffix"], rows["k_last"])) for g, rows in pool.groupby(group)}
    for i in todo:
        keys = _keys(resolved.at[i, "name"])
        out[i] = not any(similar(keys["last"], last) or similar(keys["suffix"], key) for key, last in by_group.get(resolved.at[i, group], []))
    return out
