"""A word of warning for digest zones that ignore daylight saving.

`EST`, `MST`, `GMT` and the `Etc/GMT±N` offsets are valid zones, so
they are accepted; but a New York newsroom writing EST means its own clock,
and would get its digest an hour off from March to November. The zones named
by a place follow that place's clock changes, so the advice is to use one.
UTC is exempt: nobody writes UTC meaning a local clock; so is HST, which is
Hawaii's own clock all year.
"""

from __future__ import annotations

_UTC = frozenset({"UTC", "UCT", "Universal", "Zulu", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu"})
_FIXED = frozenset({"EST", "MST", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich", "Factory"})
_LONDON = "for London's clock write Europe/London"
# The place a newsroom writing the abbreviation most likely means, and its zone.
INSTEAD = {
    "EST": "for New York's clock write America/New_York",
    "MST": "for Denver's clock write America/Denver (Arizona, which keeps MST all year, is America/Phoenix)",
    **{name: _LONDON for name in ("GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich")},
    **{f"Etc/{name}": _LONDON for name in ("GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich")},
}
_ANY_PLACE = "for a place's clock write its zone, such as America/New_York or Europe/Berlin"


def ignores_daylight_saving(zone: str) -> bool:
    """A fixed offset named by no place (as zoneinfo spells it), UTC aside."""
    return zone not in _UTC and (zone in _FIXED or zone.startswith("Etc/"))


def daylight_saving_warning(zone: str | None) -> str | None:
    """One sentence for a digest subscribed in `zone`, or None when its zone follows a place's clock."""
    if not zone or not ignores_daylight_saving(zone):
        return None
    instead = INSTEAD.get(zone, _ANY_PLACE)
    return (f"{zone} ignores daylight saving, so where clocks change in summer the digest comes an hour off "
            f"half the year; {instead}.")
