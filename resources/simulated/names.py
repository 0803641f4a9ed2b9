"""Player names and how each source spells them.

ESPN keeps accents and suffixes ("Nikola Jokić", "Jaren Jackson Jr."); balldontlie writes ASCII
with the suffix in `last_name`; The Odds API usually writes the ESPN name without accents, but for
a fixed few players drops the suffix, writes initials without dots ("PJ Washington") or uses a
nickname ("Herb Jones").
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

FIRST_NAMES = (
    "Aaron Adrian Alan Alec Alex Andre Andrew Anthony Austin Bam Ben Blake Bobby Bradley Brandon Brook "
    "Bruce Bryce Buddy Caleb Cameron Carlos Casey Chris Christian Cody Cole Collin Corey Cory Dalton "
    "Damian Daniel Dante Darius David Dean Deandre Dejounte Denzel Derrick Desmond Devin Dillon Donovan "
    "Draymond Dwight Dylan Eric Evan Franz Gary Gordon Grant Harrison Herbert Isaac Isaiah Ivan Jabari "
    "Jace Jalen Jamal James Jared Jarrett Jason Javonte Jaylen Jeff Jerami Jeremy Joel John Jonathan "
    "Jordan Josh Joshua Jrue Julius Justin Keegan Keldon Kelly Kenneth Kevin Khris Killian Kris Kyle "
    "Kyrie Lamar Landry Larry Lonnie Luguentz Malcolm Malik Marcus Mark Matisse Matthew Max Mikal Miles "
    "Mitchell Monte Moses Myles Naz Nicholas Nicolas Noah Norman Obi Onyeka Oscar Patrick Paul Quentin "
    "Reggie Richaun Robert Rudy Russell Ryan Sam Scottie Seth Shaedon Spencer Stephen Terance Terry "
    "Thomas Tim Tobias Torrey Trey Tyler Tyrese Tyus Victor Walker Wendell William Xavier Zach Zion"
).split()

LAST_NAMES = (
    "Adams Alexander Allen Anderson Bailey Baker Banks Barnes Barrett Beasley Bell Bennett Black Boone "
    "Bradley Brooks Brown Bryant Burke Butler Caldwell Campbell Carter Clark Clarkson Coleman Collins "
    "Conley Cook Cooper Craig Crawford Cunningham Curry Daniels Davis Dawson Dixon Dunn Edwards Ellis "
    "Evans Fields Fisher Fleming Ford Foster Fox Freeman Gardner Garland Gibson Gilmore Gordon Graham "
    "Grant Green Griffin Hamilton Harper Harris Hart Hayes Henderson Hill Holiday Holmes Howard Hughes "
    "Hunter Ingram Jackson James Jenkins Johnson Jones Jordan Kennedy King Knight Lane Lawson Lewis "
    "Little Lowry Lyles Marshall Martin Mason Matthews McCollum McDaniels Miller Mills Mitchell Monroe "
    "Moore Morgan Morris Murphy Murray Nance Nelson Newton Norman Oliver Owens Parker Patterson Payne "
    "Perry Peterson Phillips Porter Powell Price Randle Reed Reeves Rhodes Richardson Riley Roberts "
    "Robinson Rogers Ross Russell Sanders Scott Sexton Simmons Simpson Smart Smith Spencer Stevens "
    "Stewart Sullivan Tate Taylor Thomas Thompson Tucker Turner Vincent Walker Wallace Walton Ward "
    "Warren Washington Watson Webb Wells White Wiggins Williams Wilson Wood Wright Young"
).split()

ACCENTED_FIRST = ("Théo", "José", "Andrés", "Rubén", "Joël", "Nikola", "Luka", "Dāvis", "Goran", "Bojan")
ACCENTED_LAST = (
    "Jokić Dončić Bogdanović Nurkić Šarić Valančiūnas Schröder Hernangómez Musić Vučević Jović "
    "Pokuševski Čančar Šamanić Žižić Krejčí Marjanović Bertāns Petrušev Bitić Matković Kalinić "
    "Dávila Martínez Ibáñez Müller Lindström Ørsted Kovačević Milošević"
).split()
INITIALS = ("P.J.", "C.J.", "R.J.", "T.J.", "A.J.", "D.J.", "J.J.", "K.J.", "E.J.", "O.G.")
SUFFIXES = ("Jr.", "II", "III", "Sr.")
NICKNAMES = {
    "Herbert": "Herb", "William": "Will", "Robert": "Rob", "Nicolas": "Nic", "Cameron": "Cam",
    "Kenneth": "Kenny", "Matthew": "Matt", "Joshua": "Josh", "Nicholas": "Nick", "Jonathan": "Jon",
    "Patrick": "Pat", "Bradley": "Brad", "Zachary": "Zach", "Christian": "Chris",
}

_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss"})


def ascii_fold(text: str) -> str:
    """`text` with accents stripped ("Nikola Jokić" -> "Nikola Jokic")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(name: str) -> str:
    """The cross-source key: lower-case, accents stripped, punctuation and spaces removed."""
    return re.sub(r"[^a-z0-9]", "", ascii_fold(name).lower())


def draw_name(rng: np.random.Generator, international: bool) -> tuple[str, str, str]:
    """A (first, last, suffix) triple; international players often carry accented names."""
    if international and rng.random() < 0.6:
        first = str(rng.choice(ACCENTED_FIRST)) if rng.random() < 0.5 else str(rng.choice(FIRST_NAMES))
        last = str(rng.choice(ACCENTED_LAST))
        return first, last, ""
    first = str(rng.choice(INITIALS)) if rng.random() < 0.035 else str(rng.choice(FIRST_NAMES))
    last = str(rng.choice(LAST_NAMES))
    suffix = str(rng.choice(SUFFIXES, p=[0.6, 0.15, 0.2, 0.05])) if rng.random() < 0.06 else ""
    return first, last, suffix


def odds_variant(rng: np.random.Generator, first: str, suffix: str) -> str:
    """How The Odds API spells this player, fixed per player: "", "no_suffix", "no_dots" or "nickname"."""
    if suffix and rng.random() < 0.45:
        return "no_suffix"
    if "." in first and rng.random() < 0.6:
        return "no_dots"
    if first in NICKNAMES and rng.random() < 0.12:
        return "nickname"
    return ""


def odds_spelling(first: str, last: str, suffix: str, variant: str) -> str:
    """The Odds API `description` for a player: the ESPN name without accents, plus the variant."""
    if variant == "nickname":
        first = NICKNAMES[first]
    elif variant == "no_dots":
        first = first.replace(".", "")
    parts = [first, last] + ([suffix] if suffix and variant != "no_suffix" else [])
    return ascii_fold(" ".join(parts))
