"""axe-core audits every main page, on a phone and on a desktop."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

BLOCKING = {"serious", "critical"}

LOGGED_OUT_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_request_login_code",
    "tracker:sources",
]
LOGGED_IN_PAGES = [
    "tracker:dashboard",
    "tracker:history",
    "tracker:session-new",
    "tracker:routine-list",
    "tracker:routine-new",
    "tracker:gear",
    "tracker:profile",
    "account_change_password",
    "account_email",
    "account_reauthenticate",
    "welcome",
    "mfa_index",
    "tracker:health-check",
    "tracker:sources",
    "tracker:insights",
    "tracker:experiments",
    "tracker:year",
]


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def audit(page, url: str) -> list[str]:
    page.goto(url)
    # The collapsed parts hold forms too: audit them open.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    return [f"{url}: {problem}" for problem in blocking_violations(page)]


@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_logged_out_pages_have_no_serious_accessibility_violations(new_page, phone):
    page = new_page(phone=phone)
    problems = [p for name in LOGGED_OUT_PAGES for p in audit(page, reverse(name))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_logged_in_pages_have_no_serious_accessibility_violations(
    new_page, log_in, browser_user, history, routine, phone
):
    page = log_in(new_page(phone=phone), browser_user)
    urls = [reverse(name) for name in LOGGED_IN_PAGES]
    urls.append(reverse("tracker:routine-detail", kwargs={"pk": routine.pk}))
    urls.append(reverse("tracker:session-edit", kwargs={"pk": history[0].pk}))
    problems = [p for url in urls for p in audit(page, url)]
    assert not problems, "\n".join(problems)


def test_the_audit_catches_a_form_field_without_a_label(page):
    # Guards the audits above against a silently broken axe injection.
    page.set_content(
        "<!doctype html><html lang='en'><title>t</title><main><input type='text'></main></html>"
    )
    assert any(problem.startswith("label ") for problem in blocking_violations(page))
