"""Search: Norwegian stemming, ranking, highlighting, filters, names, and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Sector
from search import engine
from search.text import excerpt_around, marked_to_html, stem
from tests import factories
from topics import actions
from topics.models import Post, Topic

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL full-text search"
)


def search_text(client, **params) -> str:
    """The results page, with the highlighting taken out so titles can be compared."""
    response = client.get("/search/", params)
    assert response.status_code == 200, response.text[:500]
    return response.text.replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def archive_topic(municipal_member, category):
    return factories.topic(
        author=municipal_member,
        category=category,
        title="Avslutning av arkivene i kommunene",
        body="Vi lurer på hvordan kommunene avsluttet sakarkivet før sammenslåingen.",
    )


@pytest.mark.parametrize(
    ("query", "stored"),
    [("kommunene", "kommune"), ("arkivene", "arkiv"), ("kommune", "kommunene")],
)
def test_norwegian_inflections_find_each_other(client, municipal_member, category, query, stored):
    factories.topic(
        author=municipal_member,
        category=category,
        title="Et spørsmål om drift",
        body=f"Hver {stored} har sin egen løsning.",
    )
    assert "Et spørsmål om drift" in search_text(client, q=query)


@postgres_only
def test_norwegian_stemming_in_the_stored_vector(archive_topic):
    post = factories.first_post(archive_topic)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM topics_post WHERE id = %s", [post.pk])
        vector = cursor.fetchone()[0]
    assert "'kommun'" in vector
    assert "'arkiv'" in vector


@postgres_only
def test_title_match_ranks_above_body_match(client, municipal_member, category):
    in_body = factories.topic(
        author=municipal_member,
        category=category,
        title="Et helt annet tema",
        body="Her nevnes matrikkelen bare i forbifarten.",
    )
    in_title = factories.topic(
        author=municipal_member,
        category=category,
        title="Matrikkelen etter sammenslåingen",
        body="Hvordan gikk det med dataene?",
    )
    results = engine.search(
        user=municipal_member, query="matrikkel", filters=engine.Filters(), page=1
    )
    assert [hit.post.topic_id for hit in results.hits] == [in_title.pk, in_body.pk]


def test_excerpt_is_highlighted_and_escaped(client, municipal_member, category):
    factories.topic(
        author=municipal_member,
        category=category,
        title="Skript for migrering",
        body="Vi brukte <script>alert(1)</script> og et migreringsskript for arkivet.",
    )
    text = client.get("/search/", {"q": "arkivet"}).text
    assert "<mark>arkivet</mark>" in text
    assert "<script>alert(1)</script>" not in text
    assert "alert(1)" in text  # PostgreSQL drops the tags from the excerpt; SQLite escapes them


def test_highlighting_cannot_be_forged_by_a_post():
    forged = "\x02<b>x</b>\x03 \x02 ukjent"
    html = marked_to_html(forged)
    assert html == "<mark>&lt;b&gt;x&lt;/b&gt;</mark>  ukjent"


def test_fallback_excerpt_marks_inflected_words():
    html = excerpt_around("Alle kommunene har arkiv.", [stem("kommune")])
    assert "<mark>kommunene</mark>" in html


def test_search_vector_follows_edits(client, municipal_member, archive_topic):
    post = factories.first_post(archive_topic)
    actions.edit_post(
        post=post,
        editor=municipal_member,
        body="Nå handler det om lønnssystemet.",
        title="Bytte av lønnssystem",
    )
    text = search_text(client, q="lønnssystem")
    assert "Bytte av lønnssystem" in text
    assert "Ingen tråder eller innlegg passer" in search_text(client, q="sakarkivet")


def test_replies_are_found_and_link_to_the_post(client, municipal_member, vendor_member, topic):
    reply = actions.reply(author=vendor_member, topic=topic, body="Prøv uttrekksverktøyet vårt.")
    text = search_text(client, q="uttrekksverktøyet")
    assert reply.get_absolute_url() in text
    assert "Svar 1" in text


def test_hidden_posts_are_not_found(client, moderator, municipal_member, topic):
    reply = actions.reply(author=municipal_member, topic=topic, body="Hemmelig passordliste.")
    actions.hide_post(post=reply, by=moderator, reason="Sensitivt")
    assert "Ingen tråder eller innlegg passer" in search_text(client, q="passordliste")


@pytest.mark.parametrize("query", ["Dramen", "Dram", "drammen"])
def test_misspelt_organisation_name_is_found(client, kommune, query):
    text = search_text(client, q=query)
    assert kommune.get_absolute_url() in text


def test_misspelt_system_name_is_found_and_suggested(
    client, vendor_member, municipal_member, category
):
    from directory.models import System

    system = System.objects.create(
        name="Public 360", slug="public-360", vendor=vendor_member.organisation
    )
    factories.topic(
        author=municipal_member,
        category=category,
        title="Overgang til Public 360",
        body="Hvordan?",
    )
    text = search_text(client, q="Pubilc 360")
    assert system.get_absolute_url() in text
    assert "Mente du" in text
    assert 'href="?q=Public+360"' in text
    assert "Overgang til Public 360" in search_text(client, q="Public 360")


def test_misspelt_municipality_is_suggested_and_the_suggestion_finds_the_post(
    client, kommune, municipal_member, category
):
    factories.topic(
        author=municipal_member, category=category, title="Nye Drammen og arkivet", body="Sakarkiv."
    )
    text = search_text(client, q="Drammne arkiv")
    assert "Ingen tråder eller innlegg passer" in text
    assert 'href="?q=Drammen+arkiv"' in text
    assert "Nye Drammen og arkivet" in search_text(client, q="Drammen arkiv")


def test_no_suggestion_when_the_words_are_known_or_posts_are_found(client, kommune, archive_topic):
    assert "Mente du" not in search_text(client, q="arkivene")
    assert "Mente du" not in search_text(client, q="Drammen")
    assert "Mente du" not in search_text(client, q="xyzzyq")


def test_resemblance_compares_runs_of_words():
    assert engine.resemblance("Dramen", "Drammen kommune") > 0.8
    assert engine.resemblance("pubilc 360", "Public 360") >= 0.8
    assert engine.resemblance("Dramen", "Trondheim kommune") == 0
    assert engine.resemblance("kommunene", "Viken fylkeskommune") == 0


def test_excerpt_is_the_plain_text_of_the_rendered_post(client, municipal_member, category):
    factories.topic(
        author=municipal_member,
        category=category,
        title="Uttrekk",
        body="Vi laget **Noark 5-uttrekk** med [verktøyet](https://example.org/x) og `<b>`.",
    )
    response = client.get("/search/", {"q": "uttrekk"})
    excerpt = response.text.split('class="search-results__excerpt">')[1].split("</p>")[0]
    plain = excerpt.replace("<mark>", "").replace("</mark>", "")
    assert "Noark 5-uttrekk" in plain
    assert "**" not in excerpt and "](" not in excerpt and "example.org" not in excerpt
    # A literal «<b>» in the text is escaped (SQLite) or left out by ts_headline (PostgreSQL).
    assert "<b>" not in excerpt
    assert "<mark>" in excerpt


def test_a_topic_is_one_result_with_the_number_of_its_matching_posts(
    client, municipal_member, vendor_member, category
):
    t = factories.topic(
        author=municipal_member, category=category, title="Migrering", body="Om migreringen."
    )
    actions.reply(author=vendor_member, topic=t, body="Migreringen tok en uke.")
    actions.reply(author=vendor_member, topic=t, body="Noe helt annet.")
    factories.topic(author=municipal_member, category=category, title="Annet", body="Migrering.")
    response = client.get("/search/", {"q": "migreringen"})
    text = response.text
    assert text.count('class="search-results__item"') == 2
    assert "2 treff i tråden" in text
    assert "2 treff" in text.split('role="status"')[1].split("</p>")[0]


def test_private_replies_do_not_count_in_a_topics_matches(
    client, moderator, municipal_member, topic
):
    reply = actions.reply(author=municipal_member, topic=topic, body="Hemmelig passordliste.")
    actions.reply(author=municipal_member, topic=topic, body="Ny passordliste.")
    actions.hide_post(post=reply, by=moderator, reason="Sensitivt")
    text = search_text(client, q="passordliste")
    assert "1 treff" in text
    assert "treff i tråden" not in text
    assert "Hemmelig" not in text


def test_filters_narrow_the_results(client, municipal_member, vendor_member, category):
    sector = Sector.objects.get(slug="sak-arkiv")
    other = factories.category(name="Drift", slug="drift")
    a = actions.create_topic(
        author=municipal_member,
        category=category,
        title="Arkivplan A",
        body="Om arkivplan.",
        sectors=[sector],
    )
    b = actions.create_topic(
        author=vendor_member,
        category=other,
        title="Arkivplan B",
        body="Om arkivplan.",
        kind=Topic.Kind.ERFARING,
    )
    Post.objects.filter(topic=b).update(created_at=timezone.now() - datetime.timedelta(days=400))
    both = search_text(client, q="arkivplan")
    assert "Arkivplan A" in both and "Arkivplan B" in both
    cases = {
        "kategori": ("drift", b),
        "sektor": ("sak-arkiv", a),
        "type": (Topic.Kind.ERFARING, b),
        "organisasjon": (Organisation.Kind.KOMMUNE, a),
        "fra": ((timezone.localdate() - datetime.timedelta(days=30)).isoformat(), a),
        "til": ((timezone.localdate() - datetime.timedelta(days=30)).isoformat(), b),
    }
    for name, (value, expected) in cases.items():
        text = search_text(client, q="arkivplan", **{name: value})
        assert expected.title in text, name
        assert ({a, b} - {expected}).pop().title not in text, name


def test_pagination_keeps_the_query_and_filters(client, municipal_member, category):
    for i in range(engine.POSTS_PER_PAGE + 3):
        factories.topic(
            author=municipal_member, category=category, title=f"Tråd {i}", body="Om skyen."
        )
    text = search_text(client, q="skyen", kategori=category.slug)
    assert "side 1 av 2" in text
    assert "?q=skyen&amp;kategori=sporsmal&amp;side=2" in text
    assert "side 2 av 2" in search_text(client, q="skyen", kategori=category.slug, side="2")


@postgres_only
def test_the_newest_candidates_are_ranked_grouped_counted_and_paged(
    monkeypatch, municipal_member, category
):
    """Only the newest CANDIDATES matching posts are ranked; they are grouped by topic
    (each topic once, as its best post); the count of topics, the rank order and every page
    (also one past the last) come from them."""
    monkeypatch.setattr(engine, "CANDIDATES", 5)
    monkeypatch.setattr(engine, "POSTS_PER_PAGE", 2)
    oldest = factories.topic(
        author=municipal_member, category=category, title="Skyen skyen skyen", body="Skyen."
    )
    t = factories.topic(author=municipal_member, category=category, title="Drift")
    best = actions.reply(author=municipal_member, topic=t, body="Skyen, skyen og skyen igjen")
    actions.reply(author=municipal_member, topic=t, body="Et svar om skyen")
    others = [
        factories.topic(author=municipal_member, category=category, title=f"Tråd {i}", body="Skyen")
        for i in range(3)
    ]
    newest_five = list(
        Post.objects.filter(body__icontains="skyen").order_by("-pk").values_list("pk", flat=True)
    )[:5]
    assert oldest.posts.get().pk not in newest_five

    def page(number):
        results = engine.search(
            user=municipal_member, query="skyen", filters=engine.Filters(), page=number
        )
        return results.page, [(hit.post.topic_id, hit.posts_matched) for hit in results.hits]

    first, first_hits = page(1)
    assert first.paginator.count == 4 and first.paginator.object_list.is_capped
    assert first_hits[0] == (t.pk, 2)
    assert (
        engine.search(user=municipal_member, query="skyen", filters=engine.Filters()).hits[0].post
        == best
    )
    pages = [first_hits, page(2)[1]]
    assert sorted(topic for hits in pages for topic, _ in hits) == sorted(
        [t.pk, *(other.pk for other in others)]
    )
    past, past_hits = page(99)
    assert past.number == 2 and past_hits == pages[1]
    assert page("x")[1] == first_hits


@postgres_only
def test_the_ranking_statement_is_planned_for_its_words(client, archive_topic):
    """The connections prepare statements that run often, and PostgreSQL may then plan one
    for any words, which cannot know how many posts a word matches: search's ranking
    statement is never prepared, while the rest of the page's are."""
    for word in ["arkivene", "kommunene", "sakarkivet", "arkivene"] * 3:
        assert client.get("/search/", {"q": word}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("websearch_to_tsquery" in statement for statement in prepared), prepared
    assert not any("ts_rank" in statement for statement in prepared), prepared


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 200, "Skriv ett eller flere ord"),
        ({"q": ""}, 200, "Skriv ett eller flere ord"),
        ({"q": "   "}, 200, "Skriv ett eller flere ord"),
        ({"q": "x" * 10_000}, 400, "Søket kan ha høyst 200 tegn"),
        ({"q": "og i det"}, 200, "bare svært vanlige ord"),
        ({"q": '"arkiv" OR -sak & | ! ( :*'}, 200, "1 treff"),
        ({"q": "\x00arkivene"}, 400, "et nulltegn"),
        ({"q": "\x00"}, 400, "et nulltegn"),
        ({"q": "'; DROP TABLE topics_post; --"}, 200, "Ingen tråder"),
        ({"q": "arkiv') OR 1=1 --"}, 200, "1 treff"),
        ({"q": "arkivene", "side": "9999"}, 200, "1 treff"),
        ({"q": "arkivene", "side": "abc"}, 200, "1 treff"),
        ({"q": "arkivene", "side": "-1"}, 200, "1 treff"),
        ({"q": "arkivene", "kategori": "finnes-ikke"}, 400, "Velg et gyldig"),
        ({"q": "arkivene", "fra": "i går"}, 400, "Skriv en dato"),
        ({"q": "arkivene", "fra": "2020-02-01", "til": "2020-01-01"}, 400, "Sluttdatoen"),
        ({"q": "arkivene", "type": "<script>"}, 400, "Velg et gyldig"),
        ({"q": ":*"}, 200, "bare svært vanlige ord"),
        ({"q": "!!!"}, 200, "bare svært vanlige ord"),
    ],
)
def test_bad_input_gives_a_useful_page(client, archive_topic, params, status, message):
    response = client.get("/search/", params)
    assert response.status_code == status
    assert message in response.text
    assert Post.objects.exists()


def test_query_is_kept_in_the_form_after_an_error(client, archive_topic):
    response = client.get("/search/", {"q": "arkivene", "fra": "i går"})
    assert 'value="arkivene"' in response.text
    assert 'value="i går"' in response.text


def test_header_has_a_search_box_that_works_without_javascript(client):
    text = client.get("/").text
    assert 'action="/search/"' in text
    assert '<label class="visually-hidden" for="site-search">' in text
    assert 'name="q"' in text


def test_search_page_query_count_is_fixed(
    client, municipal_member, category, django_assert_max_num_queries
):
    for i in range(5):
        factories.topic(author=municipal_member, category=category, title=f"Backup {i}", replies=2)
    with django_assert_max_num_queries(12):
        search_text(client, q="backup")


def test_search_finds_systems_by_name_and_hides_unapproved_ones(client, vendor_member):
    from directory.models import System

    System.objects.create(name="Elements", slug="elements", vendor=vendor_member.organisation)
    System.objects.create(
        name="Elements Beta",
        slug="elements-beta",
        vendor=vendor_member.organisation,
        is_approved=False,
    )
    page = client.get("/search/?q=Elements").text
    assert 'href="/katalog/system/elements/"' in page
    assert "Elements Beta" not in page


def test_search_filters_solved_and_open_questions(
    client, municipal_member, vendor_member, category
):
    from topics import actions as topic_actions
    from topics import answers

    solved = factories.topic(
        author=municipal_member, category=category, title="Arkivuttrekk løst", body="arkivuttrekk"
    )
    answer = topic_actions.reply(
        author=vendor_member, topic=solved, body="Slik gjør du arkivuttrekk"
    )
    answers.accept_answer(post=answer, by=municipal_member)
    still_open = factories.topic(
        author=municipal_member, category=category, title="Arkivuttrekk åpent", body="arkivuttrekk"
    )
    solved_page = client.get("/search/?q=arkivuttrekk&status=lost").text
    open_page = client.get("/search/?q=arkivuttrekk&status=ubesvart").text
    solved_url = factories.first_post(solved).get_absolute_url()
    open_url = factories.first_post(still_open).get_absolute_url()
    assert solved_url in solved_page and open_url not in solved_page
    assert open_url in open_page and solved_url not in open_page
