"""The progress part's repeated markup (the chart's bars, its table, the calendar), built here.

Each loop has 12 to 84 items, and in Django's template language they were most of the time a
dashboard takes to render after a change (`make bench`, dashboard-after-change; see the
README's Speed). The markup is the template's, written as strings: every text is escaped
(`html.escape`, which writes what Django's `escape` writes), every number is written as the
template wrote it (`str()`). The template keeps everything around them.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from tracker import charts, stats

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def chart_marks(chart: charts.WeeklyChart) -> SafeString:
    """The scale's lines and numbers, then one group per week: its bar, count and label."""
    left, width = chart.plot_left, chart.width
    parts = [
        f'<line class="tick-line" x1="{left}" x2="{width}" y1="{tick.y}" y2="{tick.y}"></line>'
        f'<text class="tick-label" x="{chart.axis_x}" y="{tick.y}" dy="0.35em" '
        f'text-anchor="end">{tick.value}</text>'
        for tick in chart.ticks
    ]
    for bar in chart.bars:
        current = " current" if bar.is_current else ""
        parts.append(
            f'\n      <g class="bar state-{escape(bar.state)}{current}">\n'
            f"        <title>{escape(bar.title)}</title>\n        "
        )
        if bar.state == "rest":
            parts.append(
                f'<rect class="rest-shade" x="{bar.x}" y="{chart.plot_top}" '
                f'width="{bar.width}" height="{chart.plot_height}" rx="2"></rect>'
            )
        parts.append(
            f'\n        <rect x="{bar.x}" y="{bar.y}" width="{bar.width}" '
            f'height="{bar.height}" rx="2"></rect>\n'
            f'        <text x="{bar.center_x}" y="{bar.note_y}" text-anchor="middle" '
            f'class="bar-note">{escape(bar.note)}</text>\n        '
        )
        if bar.label:
            x, anchor = (width, "end") if bar.is_current else (bar.center_x, "middle")
            parts.append(
                f'<text x="{x}" y="{chart.label_y}" text-anchor="{anchor}" '
                f'class="axis-label">{escape(bar.label)}</text>'
            )
        parts.append("\n      </g>\n      ")
    return mark_safe("".join(parts))


def week_rows(weeks: list[stats.Week]) -> SafeString:
    """The chart's table: one row per week, newest first."""
    return mark_safe(
        "".join(
            f'\n          <tr class="state-{escape(week.state.value)}"><th scope="row">'
            f"{charts.short_date(week.start)}</th><td>{week.sessions}</td>"
            f'<td>{week.minutes}</td><td class="state-label">{escape(week.state.label)}'
            "</td></tr>\n          "
            for week in reversed(weeks)
        )
    )


def calendar_rows(calendar: list) -> SafeString:
    """The calendar's head (one letter a weekday) and its weeks, a cell a day."""
    head = "".join(
        f'<th scope="col" abbr="{WEEKDAY_NAMES[cell.day.weekday()]}">'
        f"{WEEKDAY_NAMES[cell.day.weekday()][0]}</th>"
        for cell in (calendar[0].days if calendar else [])
    )
    rows = []
    for week in calendar:
        cells = []
        for cell in week.days:
            label = escape(cell.label)
            if cell.link:
                inner = (
                    f'<a href="{escape(cell.link)}" title="{label}">'
                    f'<span class="visually-hidden">{label}</span></a>'
                )
            else:
                inner = f'<span class="visually-hidden">{label}</span>'
            cells.append(f'<td class="{escape(cell.css_class)}">{inner}</td>')
        rows.append(
            f'\n        <tr><th scope="row" class="month">{escape(week.month)}</th>'
            f"{''.join(cells)}</tr>\n        "
        )
    return mark_safe(
        f"<thead><tr><td></td>{head}</tr></thead>\n      <tbody>\n        "
        f"{''.join(rows)}\n      </tbody>"
    )


def week_dots(slots: range, sessions: int, minimum: int) -> SafeString:
    """A dot per session of the stretch target (or more): done ones filled, stretch ones
    marked."""
    return mark_safe(
        "".join(
            f'<span class="dot{" done" if i < sessions else ""}'
            f'{" stretch" if i >= minimum else ""}"></span>'
            for i in slots
        )
    )
