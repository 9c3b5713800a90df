import pyotp
import pytest

from accounts import actions as account_actions
from tests import factories
from topics.models import Category, Report, Topic
from topics.moderation import actions as mod

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/konto/2fa/authenticate/")  # moderators have an app code
    page.fill("input[name=code]", pyotp.TOTP(factories.TOTP_SECRET).now())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_moderator_resolves_a_report_and_moves_a_topic(
    live_server, page, kartverket, kommune, vendor_org
):
    moderator = factories.member(email="ingrid@kartverket.no", display_name="Ingrid Moderator")
    account_actions.make_moderator(user=moderator)
    factories.two_factor(moderator)
    kari = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    ola = factories.member(email="ola@acos.no", display_name="Ola Hansen")
    # The default categories come from a data migration (restored by the page fixture).
    questions = Category.objects.get(slug="sporsmal-og-svar")
    experiences = Category.objects.get(slug="erfaringer")
    topic = factories.topic(author=kari, category=questions, title="Erfaringer med Noark 5-uttrekk")
    from topics import actions

    reply = actions.reply(author=ola, topic=topic, body="Kjøp vår nye løsning i dag, 50 % rabatt!")
    mod.report_post(post=reply, reporter=kari, reason="spam", text="Ren reklame")

    base = live_server.url
    _sign_in(page, base, moderator.email)
    page.click("header >> text=Moderering")
    page.wait_for_url(f"{base}/moderering/")
    assert page.locator("text=Ren reklame").is_visible()
    page.fill(f"#resolve-reason-{reply.pk}", "Reklame hører hjemme i Torget")
    page.click("button:has-text('Skjul innlegget')")
    page.wait_for_url(f"{base}/moderering/")
    assert page.locator("text=Ingen åpne rapporter.").is_visible()
    assert Report.objects.get().status == Report.Status.UPHELD

    page.goto(f"{base}{topic.get_absolute_url()}")
    assert page.locator("text=Reklame hører hjemme i Torget").is_visible()
    page.click("text=Flytt, slå sammen, del, lukk …")
    page.select_option("#id_flytt-category", label="Erfaringer")
    page.fill("#id_flytt-reason", "Handler om erfaringer")
    page.click("#flytt button[type=submit]")
    page.wait_for_url(f"{base}{topic.get_absolute_url()}")
    assert page.locator("text=Flyttet fra «Spørsmål og svar» til «Erfaringer»").is_visible()
    assert Topic.objects.get(pk=topic.pk).category == experiences

    page.click("header >> text=Moderering")
    page.click(".moderation-nav >> text=Logg")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Flyttet tråden" in rows.nth(0).inner_text()
    assert "skjulte innlegget" in rows.nth(1).inner_text()
