"""storeapi.memo.CheckedMemo: an answer only for the version it was made from, for a while."""

from storeapi import memo
from storeapi.memo import CheckedMemo


def test_an_answer_is_returned_only_for_its_version():
    answers = CheckedMemo(size=4, max_age=60)
    answers.put("ada", ("v1", 10), {"name": "Ada"})

    assert answers.get("ada", ("v1", 10)) == {"name": "Ada"}
    assert answers.get("grace", ("v1", 10)) is None
    assert answers.get("ada", ("v2", 10)) is None
    assert "ada" not in answers  # a stale entry is dropped
    assert answers.get("ada", ("v1", 10)) is None


def test_an_answer_is_not_trusted_past_its_age(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    answers = CheckedMemo(size=4, max_age=60)
    answers.put("ada", "v1", "answer")

    now[0] = 1059.0
    assert answers.get("ada", "v1") == "answer"
    now[0] = 1060.0
    assert answers.get("ada", "v1") is None
    assert len(answers) == 0


def test_the_least_recently_used_answer_goes_first():
    answers = CheckedMemo(size=2, max_age=60)
    answers.put("ada", "v", 1)
    answers.put("grace", "v", 2)
    answers.get("ada", "v")  # used: grace is now the oldest

    answers.put("alan", "v", 3)

    assert (answers.get("ada", "v"), answers.get("grace", "v"), answers.get("alan", "v")) == (
        1,
        None,
        3,
    )
    assert len(answers) == 2


def test_clear_forgets_every_memo():
    answers = CheckedMemo(size=2, max_age=60)
    answers.put("ada", "v", 1)

    memo.clear()

    assert answers.get("ada", "v") is None
