"""`watch --commit`: a real observer on a vault in a real git repository (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepos import committed_paths, git, new_repo, user_state
from test_watch import REVIEWS, WEEK, Watching, journal

pytestmark = [pytest.mark.timeout(90), pytest.mark.usefixtures("git_home")]


def test_each_rebuild_commits_the_reviews_it_changed_a_refusal_waits(
        tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {
        "Habits/Meditate.md": "---\ntype: habit\nschedule: daily\n---\n",
        "Journal/2026-11-17.md": journal("2026-11-17", "Cooked dinner"),
        ".obsidian/app.json": "{}\n"})
    write_note = vault / "Journal/2026-11-18.md"
    write_note.write_text(journal("2026-11-18", "Fixed the bike"))
    git(vault, "add", "Journal/2026-11-18.md")  # the user's staged note
    watch = Watching(vault, commit=True)
    watch.thread.start()
    try:
        watch.wait_rebuilds(1)
        start = watch.rebuilds[0]
        assert start.commit is not None
        assert start.commit.message == "review: 2026-W47, 2026-11, 2026-Q4, 2026"
        assert committed_paths(vault) == sorted(REVIEWS)
        assert user_state(vault, set(REVIEWS))[0] == ["A  Journal/2026-11-18.md"]

        # Another git command holds the lock: the review is written, not committed.
        lock = vault / ".git/index.lock"
        lock.write_bytes(b"")
        write_note.write_text(journal("2026-11-18", "Fixed the bike", "Called Ada"))
        watch.wait_rebuilds(2)
        assert watch.rebuilds[1].commit_refused and watch.rebuilds[1].commit is None
        assert "Called Ada" in (vault / WEEK).read_text(encoding="utf-8")
        assert "not committed: the index is locked" in watch.err.getvalue()

        # Once it is gone, the next rebuild commits what waited.
        lock.unlink()
        write_note.write_text(journal("2026-11-18", "Fixed the bike", "Called Ada", "Slept"))
        watch.wait_rebuilds(3)
        third = watch.rebuilds[2]
        assert third.commit is not None and WEEK in third.commit.paths
        assert git(vault, "log", "-1", "--format=%s") == f"{third.commit.message}\n"
        assert "Slept" in git(vault, "show", f"HEAD:{WEEK}")
        assert f"committed {third.commit.commit[:7]}: review: 2026-W47" in watch.out.getvalue()
        # The user's note is still only staged, as they left it (with their later edits
        # unstaged): the watch never committed it.
        assert user_state(vault, set(REVIEWS))[0] == ["AM Journal/2026-11-18.md"]
    finally:
        assert watch.finish() == 0
