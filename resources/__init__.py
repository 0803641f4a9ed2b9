"""Clients of the outside world (balldontlie, ESPN, The Odds API), the warehouse, the landing zone,
and the embedded simulated league that stands in for all three APIs by default."""
