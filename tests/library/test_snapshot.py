"""A revision keeps the whole record; the diff between two shows what really changed."""
from lab.library.snapshot import diff_snapshots


def _changed_fields(practice) -> list[str]:
    revisions = sorted(practice.revisions, key=lambda revision: revision.number)
    return [label for label, _ in diff_snapshots(revisions[0].snapshot, revisions[-1].snapshot)]


def test_figures_read_back_from_the_database_are_no_change(approved):
    # The first revision keeps the figures as typed (180); the approval's, as stored (180.0000).
    assert _changed_fields(approved) == []


def test_a_changed_figure_shows_in_the_diff(approved):
    revisions = sorted(approved.revisions, key=lambda revision: revision.number)
    old, new = revisions[0].snapshot, revisions[-1].snapshot
    new["indicators"][0]["achieved"] = "181.0000"
    new["fundings"][0]["amount"] = "125000.5"  # the same amount, written shorter
    (label, lines), = diff_snapshots(old, new)
    assert label == "Risultati"
    assert ("+", "Persone seguite | persone | 0 | 200 | 181 | 2021-06-30") in lines
