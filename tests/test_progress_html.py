"""The progress part's loops built in Python (tracker.progress_html): the same marks the
template drew, every text escaped, and well-formed whatever the weeks hold."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from tests.test_charts import chart_of, make_weeks
from tracker.progress import CalendarDay, CalendarWeek, calendar_cells
from tracker.progress_html import calendar_rows, chart_marks, week_dots, week_rows

VOID = {"br", "img", "input"}


class Balance(HTMLParser):
    """Fails on a closing tag that closes nothing open."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()


def balanced(html: str) -> bool:
    parser = Balance()
    parser.feed(html)
    parser.close()
    return parser.open == []


def test_every_week_has_its_spoken_title_and_only_rest_weeks_are_shaded():
    chart = chart_of(0, 0, 4, 1, rest=(1,))

    html = chart_marks(chart)

    assert re.findall(r"<title>(.*?)</title>", html) == [bar.title for bar in chart.bars]
    assert html.count('class="rest-shade"') == 1
    assert '<g class="bar state-rest">' in html
    assert '<g class="bar state-in_progress current">' in html
    assert html.count('class="tick-label"') == len(chart.ticks)
    assert balanced(html)


def test_this_weeks_label_ends_at_the_charts_edge_and_the_others_are_centred():
    chart = chart_of(1, 2, 3, 0)

    html = chart_marks(chart)

    current = chart.bars[-1]
    assert (
        f'<text x="{chart.width}" y="{chart.label_y}" text-anchor="end" class="axis-label">'
        "This week</text>"
    ) in html
    first = chart.bars[0]
    assert f'<text x="{first.center_x}" y="{chart.label_y}" text-anchor="middle"' in html
    assert f'class="bar-note">{current.note}</text>' in html


def test_the_table_lists_the_newest_week_first():
    weeks = make_weeks(3, 0, 1)

    rows = re.findall(r'<th scope="row">(.*?)</th><td>(\d+)</td>', week_rows(weeks))

    assert rows == [("27 Oct", "1"), ("20 Oct", "0"), ("13 Oct", "3")]


def test_the_calendar_heads_its_days_from_the_persons_first_weekday():
    sunday = date(2025, 10, 12)
    grid = [[(sunday + timedelta(days=i), i % 3) for i in range(7)]]

    html = calendar_rows(calendar_cells(grid, today=sunday + timedelta(days=1)))

    assert re.findall(r'abbr="(\w+)">(\w)</th>', html) == [
        ("Sunday", "S"),
        ("Monday", "M"),
        ("Tuesday", "T"),
        ("Wednesday", "W"),
        ("Thursday", "T"),
        ("Friday", "F"),
        ("Saturday", "S"),
    ]
    assert '<th scope="row" class="month">Oct</th>' in html
    assert html.count("<a href=") == 4  # the days with sessions
    assert 'class="one today"' in html
    assert balanced(html)


def test_calendar_texts_are_escaped():
    day = CalendarDay(date(2025, 10, 13), 'one" onclick="x', "<b>1</b> & more", "/h?a=1&b=2")

    html = calendar_rows([CalendarWeek(month="<i>", days=[day])])

    assert "<b>" not in html and "<i>" not in html
    assert 'class="one&quot; onclick=&quot;x"' in html
    assert 'href="/h?a=1&amp;b=2" title="&lt;b&gt;1&lt;/b&gt; &amp; more"' in html


def test_the_dots_fill_for_sessions_done_and_mark_the_stretch_ones():
    html = week_dots(range(4), sessions=3, minimum=2)

    assert re.findall(r'class="(dot[^"]*)"', html) == [
        "dot done",
        "dot done",
        "dot done stretch",
        "dot stretch",
    ]


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=20), st.data())
def test_any_run_of_weeks_draws_well_formed_marks(counts, data):
    rest = data.draw(
        st.sets(st.integers(0, len(counts) - 2)) if len(counts) > 1 else st.just(set())
    )
    chart = chart_of(*counts, rest=tuple(rest))
    weeks = make_weeks(*counts, rest=tuple(rest))

    assert balanced(f"<svg>{chart_marks(chart)}</svg>")
    assert balanced(f"<table><tbody>{week_rows(weeks)}</tbody></table>")
    assert chart_marks(chart).count("<g ") == len(counts)
