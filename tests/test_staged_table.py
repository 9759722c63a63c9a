"""streams.agents.staged.StagedTable: table writes held back until the batch's checkpoint."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from faust.streams import _current_event, current_event

from streams.agents.staged import StagedTable


class FakeEvent:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"FakeEvent({self.name})"


@contextlib.contextmanager
def processing(event: FakeEvent | None) -> Iterator[None]:
    """What faust does while an agent handles ``event``: make it the current event."""
    token = _current_event.set(weakref.ref(event) if event is not None else None)
    try:
        yield
    finally:
        _current_event.reset(token)


class RecordingTable(dict):
    """A table that remembers which event was current when each change was applied."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.log: list[tuple[str, str, Any, FakeEvent | None]] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.log.append(("set", key, value, current_event()))
        super().__setitem__(key, value)

    def pop(self, key: str, default: Any = None) -> Any:
        self.log.append(("del", key, None, current_event()))
        return super().pop(key, default)


class Recorder:
    """An ``event_context`` that records the events it is entered with, and makes them current."""

    def __init__(self) -> None:
        self.entered: list[FakeEvent | None] = []

    @contextlib.contextmanager
    def __call__(self, event: FakeEvent | None) -> Iterator[None]:
        self.entered.append(event)
        with processing(event):
            yield


@pytest.fixture
def table() -> RecordingTable:
    return RecordingTable({"old": 1, "gone": 2})


def test_writes_invisible_to_the_table_until_commit(table):
    staged = StagedTable(table)
    staged["new"] = 10
    staged["old"] = 11
    del staged["gone"]
    assert dict(table) == {"old": 1, "gone": 2} and table.log == []
    staged.commit(Recorder())
    assert dict(table) == {"old": 11, "new": 10}


def test_reads_see_staged_values(table):
    staged = StagedTable(table)
    assert staged["old"] == 1 and staged.get("missing", "d") == "d"
    staged["old"] = {"alerted": ["host:h1"]}
    staged["new"] = 5
    assert staged["old"] == {"alerted": ["host:h1"]} and staged.get("new") == 5
    assert "new" in staged and "new" not in table
    assert sorted(staged) == ["gone", "new", "old"] and len(staged) == 3


def test_deletes_hide_the_key_until_and_after_commit(table):
    staged = StagedTable(table)
    del staged["gone"]
    with pytest.raises(KeyError):
        staged["gone"]
    assert staged.get("gone") is None and "gone" not in staged and "gone" in table
    assert staged.pop("old") == 1 and staged.pop("old", "dflt") == "dflt"
    assert sorted(staged) == [] and len(staged) == 0
    staged["gone"] = 3  # written again after the delete: the last change wins
    staged.commit(Recorder())
    assert dict(table) == {"gone": 3}


def test_delete_of_absent_key_commits_cleanly(table):
    staged = StagedTable(table)
    del staged["never-there"]
    staged.commit(Recorder())
    assert dict(table) == {"old": 1, "gone": 2}


def test_commit_applies_each_write_under_its_own_event(table):
    staged = StagedTable(table)
    e1, e2, e3 = FakeEvent("p0@1"), FakeEvent("p1@7"), FakeEvent("p0@2")
    with processing(e1):
        staged["a"] = 1
    with processing(e2):
        staged["b"] = 2
        del staged["gone"]
    with processing(e3):
        staged["a"] = 3  # the last write of a key counts, under the event that made it
    staged["c"] = 4  # outside any event
    recorder = Recorder()
    assert current_event() is None
    staged.commit(recorder)
    applied = {(op, key): (value, ev) for op, key, value, ev in table.log}
    assert applied == {("set", "a"): (3, e3), ("set", "b"): (2, e2), ("del", "gone"): (None, e2),
                       ("set", "c"): (4, None)}
    assert sorted(recorder.entered, key=repr) == sorted([e3, e2, e2, None], key=repr)
    assert current_event() is None  # the context was left again


def test_commit_clears_the_stage(table):
    staged = StagedTable(table)
    staged["a"] = 1
    staged.commit(Recorder())
    recorder = Recorder()
    staged.commit(recorder)
    assert recorder.entered == [] and len(table.log) == 1
    table["x"] = 9  # a change made underneath is visible again once nothing is staged for it
    assert staged["x"] == 9


def test_stored_none_reads_as_default(table):
    table["empty"] = None  # faust tables with default=None
    staged = StagedTable(table)
    assert staged.get("empty", "dflt") == "dflt"
    staged["empty2"] = None
    assert staged.get("empty2") is None
