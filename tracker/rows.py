"""A session's row in a list (History, the dashboard's recent sessions), built here.

The dashboard's five rows were a third of a one-tap log's answer in Django's template
language (`make bench`, log-session; see the README's Speed): per row, four URL reversals, three
date formats and a dozen lookups. The markup is the one the template had. Every text is escaped
(`html.escape` writes what Django's `escape` writes); times are shown in the active time zone,
as the template's `date` filter shows them, with the app's English day and month names.
"""

from datetime import date, datetime
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from tracker.charts import MONTHS
from tracker.models import MassageSession

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Stands for the session's id in a reversed URL: reversing once per list, not four times a row.
PK_MARK = 2_147_483_646


def session_urls() -> dict[str, str]:
    """The row's URLs with PK_MARK in place of the session's id."""
    return {
        name: reverse(f"tracker:session-{name}", args=[PK_MARK])
        for name in ("detail", "edit", "delete", "reaction")
    }


def url_of(urls: dict[str, str], name: str, pk: int) -> str:
    return urls[name].replace(str(PK_MARK), str(pk), 1)


def _long(moment: datetime) -> str:
    """As `date:"D j M Y, H:i"`: "Wed 2 Dec 2026, 07:05"."""
    return (
        f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}, "
        f"{moment.hour:02d}:{moment.minute:02d}"
    )


def _short(moment: datetime) -> str:
    """As `date:"j M, H:i"`: "2 Dec, 07:05"."""
    return f"{moment.day} {MONTHS[moment.month - 1]}, {moment.hour:02d}:{moment.minute:02d}"


def csrf_input(token: str) -> str:
    """What `{% csrf_token %}` writes."""
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


def session_row(
    session: MassageSession, *, csrf_token: str, today: date, urls: dict[str, str] | None = None
) -> SafeString:
    """One row: when (a link to the session), minutes, routine and badges; Edit and Delete;
    and, within the reaction window, the skin's reaction, whose buttons load when opened."""
    urls = urls or session_urls()
    pk = session.pk
    moment = timezone.localtime(session.performed_at)
    when = _short(moment)
    edit, delete = url_of(urls, "edit", pk), url_of(urls, "delete", pk)
    main = [
        f'<a href="{url_of(urls, "detail", pk)}"><time datetime="{moment.isoformat()}">'
        f"{_long(moment)}</time></a>\n        "
        f"<span>{session.minutes} min"
        + (f" · {escape(session.routine.name)}" if session.routine else "")
        + "</span>"
    ]
    if session.is_short:
        main.append('<span class="badge badge-warn">Under 5 min</span>')
    if session.has_reaction:
        main.append(
            f'<span class="badge badge-alert">{escape(session.get_reaction_display())}</span>'
        )
    for product in session.products.all():
        if caution := product.caution:
            main.append(
                f'<span class="badge badge-{product.caution_level}">'
                f"{escape(product.name)}: {escape(caution.lower())}</span>"
            )
    main_html = "\n        ".join(main)
    parts = [
        f'\n    <li class="session-row" id="session-{pk}">\n      <div class="session-main">\n'
        f"        {main_html}\n      </div>\n"
        f'      <div class="row-actions">\n'
        f'        <a href="{edit}" hx-get="{edit}" hx-target="#session-{pk}" hx-swap="outerHTML">'
        f'Edit<span class="visually-hidden"> the session of {when}</span></a>\n'
        f'        <form method="post" action="{delete}" hx-post="{delete}" '
        f'hx-target="#session-{pk}" hx-swap="outerHTML" class="inline-form">'
        f"{csrf_input(csrf_token)}"
        f'<button type="submit" class="link-button row-action">Delete'
        f'<span class="visually-hidden"> the session of {when}</span></button></form>\n'
        f"      </div>\n"
    ]
    if session.accepts_reaction(today):
        reaction = url_of(urls, "reaction", pk)
        change = "change" if session.reaction else "add"
        parts.append(
            f'      <details class="reaction-details" hx-get="{reaction}" '
            f'hx-trigger="toggle once" hx-target="find .reaction-box" hx-swap="outerHTML">\n'
            f"        <summary>Skin: {escape(session.get_reaction_display().lower())}"
            f'<span class="visually-hidden"> after the session of {when}</span> · {change}'
            f"</summary>\n"
            f'        <div class="reaction-box"><p><a href="{reaction}">'
            f"Note how your skin reacted</a></p></div>\n      </details>\n"
        )
    parts.append("    </li>\n")
    return mark_safe("".join(parts))
