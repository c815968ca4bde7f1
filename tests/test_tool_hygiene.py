from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests.factories import make_tool
from tracker.models import Tool

AUCKLAND = ZoneInfo("Pacific/Auckland")


def log_with_tools(client, tools, *, clean: bool, when: datetime) -> None:
    data = {
        "performed_at": when.astimezone(AUCKLAND).strftime("%Y-%m-%dT%H:%M"),
        "minutes": 10,
        "tools": [tool.pk for tool in tools],
        "pressure": "gentle",
        "reaction": "none",
    }
    if clean:
        data["clean_hands_and_tools"] = "on"
    response = client.post(reverse("tracker:session-new"), data)
    assert response.status_code == 302, response.content.decode()


def test_a_session_with_clean_tools_records_their_cleaning_on_its_local_day(
    make_user, client_for, time_machine
):
    time_machine.move_to(datetime(2026, 11, 18, 11, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller, stone = make_tool(user), make_tool(user, "Stone", kind=Tool.Kind.GUA_SHA)
    # 23:30 on Monday in Auckland: Monday is the tool's cleaning day, whatever UTC says.
    log_with_tools(
        client_for(user), [roller], clean=True, when=datetime(2026, 11, 16, 23, 30, tzinfo=AUCKLAND)
    )
    roller.refresh_from_db()
    stone.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 16)
    assert stone.last_cleaned_on is None


def test_an_older_session_never_moves_a_later_cleaning_back(make_user, client_for, time_machine):
    time_machine.move_to(datetime(2026, 11, 18, 11, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller = make_tool(user, last_cleaned_on=date(2026, 11, 17))

    log_with_tools(
        client_for(user), [roller], clean=True, when=datetime(2026, 11, 10, 9, 0, tzinfo=AUCKLAND)
    )

    roller.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 17)


def test_a_session_without_the_tick_leaves_the_cleaning_record_alone(
    make_user, client_for, time_machine
):
    time_machine.move_to(datetime(2026, 11, 18, 11, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller = make_tool(user)
    log_with_tools(
        client_for(user), [roller], clean=False, when=datetime(2026, 11, 18, 9, 0, tzinfo=AUCKLAND)
    )
    roller.refresh_from_db()
    assert roller.last_cleaned_on is None


def test_cleaned_today_records_today_in_the_users_zone(make_user, client_for, time_machine):
    # Wednesday 08:00 in Auckland is still Tuesday in UTC.
    time_machine.move_to(datetime(2026, 11, 18, 8, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller = make_tool(user)
    client = client_for(user)

    page = client.get(reverse("tracker:gear")).content.decode()
    assert reverse("tracker:tool-cleaned", kwargs={"pk": roller.pk}) in page
    response = client.post(reverse("tracker:tool-cleaned", kwargs={"pk": roller.pk}))

    assert response.status_code == 302
    roller.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 18)
    page = client.get(reverse("tracker:gear")).content.decode()
    assert "Cleaned today" in page
    assert reverse("tracker:tool-cleaned", kwargs={"pk": roller.pk}) not in page
