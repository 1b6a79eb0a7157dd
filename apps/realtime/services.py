"""What other apps may ask of the live connections. Like every service, it acts after the caller's commit."""

from apps.common.events import publish_on_commit, user_group


def sockets_close(*, user_id: int, session_key: str | None = None) -> None:
    """Close the user's open sockets once the transaction commits: all of them (tokens revoked, password changed,
    account deleted), or only those authenticated by one browser session (that session logged out). Each is closed
    with 4401, as a socket whose authentication ended."""
    publish_on_commit(user_group(user_id), {"type": "session.revoked", "session": session_key})
