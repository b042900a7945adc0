"""From a room to the library: the first data of a practice drafted from a message.

The room checks that the person may read the message (lab/rooms/proposals.py); the library
knows only the text and the group, so it never imports the rooms.
"""
TITLE_MAX = 200
SUMMARY_MAX = 3000


def message_prefill(text: str, group_id: int | None) -> dict:
    """Return the practice form's first data from a message's Markdown and its room's group."""
    text = text.strip()
    first_line = text.splitlines()[0].lstrip("#>*- ").strip() if text else ""
    return {"title": first_line[:TITLE_MAX], "summary": text[:SUMMARY_MAX], "intervention": text,
            "primary_group": group_id}
