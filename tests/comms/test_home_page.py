import pytest

from comms.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root_with_nav_and_licence(client_as, staff_user):
    home = HomePage.objects.get()
    assert home.url == "/"
    response = client_as(staff_user).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for label, href in [
        ("Home", "/"),
        ("Blog", "/blog/"),
        ("Statistics", "/statistics/"),
        ("Campaign", "/campaign/"),
        ("Newsletters", "/newsletters/"),
    ]:
        assert f'href="{href}"' in html and f">{label}</a>" in html
    assert 'lang="en-GB"' in html
    assert "Open Government Licence v3.0" in html
    assert "open-government-licence/version/3" in html
    assert "Source: NPSA" in html
    # Bootstrap comes from our own static files, not a CDN.
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()
