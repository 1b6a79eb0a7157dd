import re

from django.core import mail

LINK = re.compile(r"https?://\S+")


def link_in(message, path_part: str) -> str:
    """The link containing `path_part` in the message's text part (and the same link in its HTML part)."""
    links = [url for url in LINK.findall(message.body) if path_part in url]
    assert len(links) == 1, message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html" and links[0] in html
    return links[0]


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]
