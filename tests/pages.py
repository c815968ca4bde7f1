"""Reading the app's answers the way a person would: its messages and its numbers."""

import re

from django.contrib.messages import get_messages


def messages_of(response) -> list[str]:
    """The flash messages a request left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def streak(html: str) -> int:
    """The current streak on the dashboard."""
    return int(re.search(r'data-testid="streak">(\d+)<', html).group(1))
