"""Email printed for people: the development console shows each message as it reads."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """Django's console backend, minus the transfer encoding.

    The raw message wraps long lines as quoted-printable ("=" at each line's end), which
    breaks a reset or verification link copied from the terminal; this prints the text whole.
    """

    def write_message(self, message) -> None:
        headers = [
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
        ]
        self.stream.write("\n".join(headers) + "\n\n" + message.body + "\n")
        self.stream.write("-" * 79 + "\n")
