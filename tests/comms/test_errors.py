from django.test import RequestFactory
from django.views.defaults import server_error


def test_server_error_page_is_styled_and_standalone():
    # Django renders 500.html without a request context: the page must stand on its own.
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en-GB">' in html
    assert "<h1>Something went wrong</h1>" in html
    assert "Traceback" not in html
    assert "<style" not in html  # the CSP allows no inline styles
    assert "/static/css/error.css" in html
