"""Generated input posted to every form: a message or an escaped echo, never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD

nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=250, max_size=3000),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "\x00",
            "a\x00b",
            "\u202eevil",
            "\ufeff",
            "🦵" * 100,
            "' OR 1=1 --",
            "-1",
            "1e309",
            "NaN",
            "9" * 40,
            "",
        ]
    ),
)
FORMS = {
    "/accounts/signup/": ["email", "password1", "password2", "time_zone"],
    "/accounts/login/": ["username", "password"],
    "/accounts/password/reset/": ["email"],
    "/account/": [
        "display_name",
        "time_zone",
        "weekdays",
        "remind_at",
        "remind_by",
        "checkin_reminder",
    ],
    "/account/delete/": ["password", "confirm"],
    "/accounts/password/change/": ["old_password", "new_password1", "new_password2"],
    "/today/check-in/": ["stiffness", "pain", "skip"],
    "/start/": ["tracks", "red_flags"],
    "/red-flags/read/": ["red_flags"],
    "/self-tests/new/": ["knee_left", "knee_right", "leg_lift", "everyday", "day"],
    "/account/sharing/": ["label", "days", "include_notes"],
}
SIGNED_IN = {
    "/account/",
    "/account/delete/",
    "/accounts/password/change/",
    "/today/check-in/",
    "/start/",
    "/red-flags/read/",
    "/self-tests/new/",
    "/account/sharing/",
}

hypothesis_settings = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def no_limits(settings):
    """Every example reaches the form, not the limits on sign-up, resets and wrong passwords."""
    settings.HIPAPP_SIGNUPS_PER_HOUR = settings.HIPAPP_RESET_REQUESTS_PER_HOUR = 10_000
    settings.AXES_FAILURE_LIMIT = 10_000


@pytest.mark.parametrize("url", FORMS)
def test_every_form_answers_generated_input_without_a_server_error(alice, url):
    client = Client(raise_request_exception=False)

    @hypothesis_settings
    @given(values=st.fixed_dictionaries({name: nasty_text for name in FORMS[url]}))
    def post(values):
        if url in SIGNED_IN:
            client.force_login(alice)
        response = client.post(url, values, REMOTE_ADDR="192.0.2.1")
        assert response.status_code < 500, values
        html = response.content.decode(errors="replace")
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html

    post()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD) or url == "/accounts/password/change/"
