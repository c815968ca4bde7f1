import io

from django.core.mail import EmailMessage

from tracker.mail import ReadableConsoleBackend

LINK = (
    "http://localhost:8000/accounts/password/reset/key/1-diyaz0-ec23cee265e1b199bd7ec08baf84f5dd/"
)


def test_the_development_console_prints_a_long_link_whole():
    stream = io.StringIO()
    message = EmailMessage(
        "Reset your password", f"Open this link:\n\n{LINK}\n", "a@b.c", ["d@e.f"]
    )

    ReadableConsoleBackend(stream=stream, alias="default").send_messages([message])

    printed = stream.getvalue()
    assert LINK in printed.splitlines()
    assert "Subject: Reset your password" in printed
    assert "=\n" not in printed
