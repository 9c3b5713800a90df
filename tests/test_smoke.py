import pytest

pytestmark = pytest.mark.django_db


def test_front_page_lists_a_topic(client, topic):
    response = client.get("/")
    assert response.status_code == 200
    assert "Noark 5-migrering" in response.text
