import pytest

from nba_assets.keys import player_lookup


@pytest.mark.parametrize(
    "name,key",
    [
        ("LeBron James", "lebronjames"),
        ("LeBron James Jr.", "lebronjamesjr"),
        ("Nikola Jokić", "nikolajokic"),
        ("Nikola Jokic", "nikolajokic"),
        ("P.J. Washington", "pjwashington"),
        ("PJ Washington", "pjwashington"),
        ("Dāvis Bertāns", "davisbertans"),
        ("Karl-Anthony Towns", "karlanthonytowns"),
        ("D'Angelo Russell", "dangelorussell"),
        ("Tim Hardaway Jr.", "timhardawayjr"),
        ("Robert Williams III", "robertwilliamsiii"),
        ("Nikola Vučević", "nikolavucevic"),
        ("Jusuf Nurkić", "jusufnurkic"),
        ("Kristaps Porziņģis", "kristapsporzingis"),
    ],
)
def test_player_lookup(name, key):
    assert player_lookup(name) == key
