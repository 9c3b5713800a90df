"""The post editor in a real browser: toolbar, shortcuts, preview, images pasted into the text."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.attachment_files import EXE, PNG
from tests.conftest import browser_login
from topics.models import Attachment, Category, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer(kommune):
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    topic = factories.topic(
        author=member,
        category=Category.objects.get(slug="sporsmal-og-svar"),
        title="Hvordan avsluttet dere sak/arkiv?",
    )
    return member, topic


def test_the_toolbar_is_reached_by_keyboard_and_the_shortcuts_format_the_selection(page, writer):
    member, topic = writer
    browser_login(page, member.email)
    page.goto(f"/t/{topic.pk}/svar/")
    box = page.locator("textarea[name=body]")
    box.fill("viktig")
    box.evaluate("t => t.setSelectionRange(0, 6)")
    box.press("Control+b")
    expect(box).to_have_value("**viktig**")
    box.press("Control+b")  # a second time takes it off again
    expect(box).to_have_value("viktig")
    box.press("End")
    box.press("Control+i")
    expect(box).to_have_value("viktig_kursiv tekst_")

    # One tab stop for the toolbar, the arrow keys within it, Enter presses the button.
    bold = page.get_by_role("button", name="Fet", exact=True)
    bold.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("button", name="Kursiv", exact=True)).to_be_focused()
    page.keyboard.press("End")
    numbered = page.get_by_role("button", name="Nummerert liste")
    expect(numbered).to_be_focused()
    box.fill("første\nandre")
    box.evaluate("t => t.setSelectionRange(0, t.value.length)")
    numbered.focus()
    page.keyboard.press("Enter")
    expect(box).to_have_value("1. første\n2. andre")
    assert page.get_by_role("toolbar", name="Formatering").count() == 1

    # Cells pasted from a spreadsheet bring a picture of themselves: the text is what is meant.
    box.fill("")
    page.evaluate(
        """() => {
        const transfer = new DataTransfer();
        transfer.setData("text/plain", "Drammen\tAcos WebSak");
        transfer.items.add(new File([new Uint8Array([137, 80, 78, 71])], "celler.png"));
        const box = document.querySelector("textarea[name=body]");
        box.focus();
        box.dispatchEvent(new ClipboardEvent("paste", {
            bubbles: true, cancelable: true, clipboardData: transfer }));
    }"""
    )
    expect(page.locator(".md-upload")).to_have_count(0)
    assert not Attachment.objects.exists()


PASTE = """([name, b64, kind]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
    const box = document.querySelector("textarea[name=body]");
    box.focus();
    const init = { bubbles: true, cancelable: true };
    box.dispatchEvent(kind === "paste"
        ? new ClipboardEvent("paste", { ...init, clipboardData: transfer })
        : new DragEvent("drop", { ...init, dataTransfer: transfer }));
}"""


def test_a_reply_written_with_the_toolbar_a_preview_and_a_pasted_image(page, writer):
    member, topic = writer
    browser_login(page, member.email)
    page.goto(topic.get_absolute_url())
    box = page.locator("textarea[name=body]")
    box.fill("Vi brukte uttrekk")
    box.evaluate("t => t.setSelectionRange(9, 17)")  # « uttrekk», as a double click takes it
    page.get_by_role("button", name="Fet", exact=True).click()
    expect(box).to_have_value("Vi brukte **uttrekk**")
    box.press("End")
    box.press("Enter")
    box.press("Enter")

    # A pasted screenshot: a progress bar, then its Markdown where the caret was.
    page.evaluate(PASTE, ["skjerm.png", base64.b64encode(PNG).decode(), "paste"])
    expect(page.locator(".md-status")).to_contain_text("«skjerm.png» er lastet opp")
    draft = Attachment.objects.get()
    expect(box).to_have_value(f"Vi brukte **uttrekk**\n\n![skjerm.png](/vedlegg/{draft.pk}/)\n")
    assert draft.post is None

    # A file that is not what its name says: refused, with the reason in the page.
    page.evaluate(PASTE, ["faktura.png", base64.b64encode(EXE).decode(), "drop"])
    refused = page.get_by_role("alert")
    expect(refused).to_contain_text("«faktura.png» ble ikke lastet opp")
    expect(refused).to_contain_text("stemmer ikke med filendelsen .png")
    assert Attachment.objects.count() == 1
    assert "faktura" not in box.input_value()

    # The preview tab: the server's rendering, with the image.
    page.get_by_role("tab", name="Forhåndsvis").click()
    preview = page.get_by_role("tabpanel")
    expect(preview.locator("strong")).to_have_text("uttrekk")
    expect(preview.locator(f'img[src="/vedlegg/{draft.pk}/"]')).to_be_visible()
    assert preview.locator("img").evaluate("img => img.naturalWidth") == 1
    expect(box).to_be_hidden()
    page.get_by_role("tab", name="Skriv").click()
    expect(box).to_be_visible()

    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("status").first).to_contain_text("Svaret ditt er publisert")
    reply = Post.objects.get(topic=topic, position=2)
    draft.refresh_from_db()
    assert draft.post == reply
    expect(page.locator(f"#innlegg-2 img[src='/vedlegg/{draft.pk}/']")).to_be_visible()


def test_a_long_title_is_counted_as_it_is_typed_and_never_cut(page, writer):
    member, _ = writer
    browser_login(page, member.email)
    page.goto("/ny/")
    title = page.locator("input[name=title]")
    title.fill("Migrering")
    counter = page.locator("#id_title-count")
    expect(counter).to_have_text("9 av 200 tegn")
    title.fill("x" * 205)
    expect(counter).to_have_text("5 tegn for mye: tittelen kan ha høyst 200")
    assert len(title.input_value()) == 205
    assert "id_title-count" in title.get_attribute("aria-describedby")
