"""A per-process memo of answers that are reused only while the database says they still hold.

    answers = CheckedMemo(size=2048, max_age=600)
    answer = answers.get(key, version)   # None unless kept for this very version
    answers.put(key, version, answer)

Unlike `storeapi.settings_cache`, nothing here is trusted for a while: the caller reads the
`version` of the rows an answer is made from on every request (a statement far cheaper than the
rows themselves) and an answer is returned only for an equal version, so no write anywhere
(another process, an `F()` update, raw SQL, the admin) has to tell the memo anything. What it
saves is turning rows into the answer: model instances and serialization.

Answers are shared by every request of the process: callers treat them as read-only.
`max_age` bounds how long a version is trusted (PostgreSQL's row versions, `xmin`, wrap around
after four billion transactions); `size` bounds memory, the least recently used going first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

_memos: list[CheckedMemo] = []


class CheckedMemo:
    """Answers by key, each kept with the version of the rows it was made from."""

    def __init__(self, *, size: int, max_age: float) -> None:
        self.size, self.max_age = size, max_age
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, Any]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share a process
        _memos.append(self)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable, version: Hashable) -> Any | None:
        """The answer kept for `key` if it was made from rows at `version`, else None (and a
        stale entry is dropped)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            kept_version, expires, answer = entry
            if kept_version != version or expires <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return answer

    def put(self, key: Hashable, version: Hashable, answer: Any) -> None:
        """Keep `answer`, made from rows at `version`, for `key`."""
        with self._lock:
            self._entries[key] = (version, time.monotonic() + self.max_age, answer)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear() -> None:
    """Forget every answer of every memo (tests)."""
    for memo in _memos:
        memo.clear()
