"""The board's "render queued" marker is shared by every process with a shared cache."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.cache, pytest.mark.redis]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Any] = []

    def enqueue(self, *args: Any) -> None:
        self.calls.append(args)


def test_the_board_is_queued_once_whichever_process_is_asked(
        two_processes: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.registry import tasks, views_board

    recorder = Recorder()
    monkeypatch.setattr(tasks, "render_boards", recorder)
    for i in range(4):
        monkeypatch.setattr(views_board, "cache", two_processes[i % 2])
        views_board.enqueue_once(7, "id", "abc")
    assert recorder.calls == [([7], "id")]
