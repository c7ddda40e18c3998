"""The memory of recent clicks behind Share: a repeat is caught, and memory stays bounded."""

from __future__ import annotations

from bot.recent_clicks import RecentClicks


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_second_click_within_the_window_is_a_repeat_and_one_after_it_is_not() -> None:
    clock = Clock()
    clicks = RecentClicks(window=10, clock=clock)
    assert clicks.first("share on message 1")
    clock.now = 0.3
    assert not clicks.first("share on message 1")
    assert clicks.first("share on message 2")
    clock.now = 10.0
    assert clicks.first("share on message 1")


def test_a_forgotten_click_can_be_made_again() -> None:
    clicks = RecentClicks(window=10, clock=Clock())
    assert clicks.first("share")
    clicks.forget("share")
    assert clicks.first("share")


def test_memory_holds_at_most_its_capacity_and_lets_expired_clicks_go() -> None:
    clock = Clock()
    clicks = RecentClicks(window=10, capacity=100, clock=clock)
    for number in range(1000):
        clicks.first(number)
    assert len(clicks) == 100
    clock.now = 11.0
    clicks.first("later")
    assert len(clicks) == 1
