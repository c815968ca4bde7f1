from datetime import timedelta

from django import template

from tracker.stats import WeekState

register = template.Library()

STATE_LABELS = {
    WeekState.MISSED: "Below target",
    WeekState.ON_TARGET: "On target",
    WeekState.STRETCH: "Stretch goal reached",
    WeekState.IN_PROGRESS: "In progress",
    WeekState.REST: "Rest week",
}


@register.filter
def week_state_label(state: str) -> str:
    return STATE_LABELS.get(WeekState(state), str(state))


@register.filter
def percent(fraction: float) -> int:
    return round(fraction * 100)


@register.filter
def plural(count: int, forms: str = ",s") -> str:
    """`{{ n }} session{{ n|plural }}` or `{{ n|plural:"y,ies" }}`."""
    singular, plural_form = forms.split(",")
    return singular if count == 1 else plural_form


@register.filter
def duration_words(value: timedelta | None) -> str:
    """A timedelta as a person would say it: "15 minutes", "1 hour"."""
    if not value:
        return "a while"
    minutes = round(value.total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    hours = round(minutes / 60)
    return f"{hours} hour{'' if hours == 1 else 's'}"


@register.filter
def patch_test_progress(product, today) -> str:
    return product.patch_test_progress(today)
