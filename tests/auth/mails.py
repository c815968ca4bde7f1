"""Reading the links and codes that account emails carry."""

import re


def link_in(message) -> str:
    """The path of the one link in an email (a reset or verification link)."""
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def code_in(message) -> str:
    """The code of a log-in or confirmation email, on a line of its own."""
    return re.search(r"^\s*([A-Z0-9-]{6,})\s*$", message.body, re.MULTILINE).group(1)
