"""What the running server answers at each page's URL, over HTTP (no browser): Streamlit's
page with our title and first-paint style, never cached; anything else is Streamlit's own
(fjchains/app/index_page.py, mounted by serve.py)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from fjchains.app import index_page

pytestmark = pytest.mark.e2e


def _fetch(url: str, method: str = "GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=30) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8", "replace")


@pytest.mark.parametrize("path", index_page.PAGE_PATHS)
def test_a_page_url_answers_with_our_page_not_cached(app_url, path):
    status, headers, body = _fetch(f"{app_url}/{path}")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["cache-control"] == "no-cache"  # a new release's page is never a stale copy
    assert f"<title>{index_page.TITLE}</title>" in body
    head = body[:body.index("</head>")]
    assert f'<style id="{index_page.MARK}">' in head  # the first-paint rule comes with the page
    assert 'type="module"' in head  # and Streamlit's code, so the page boots


def test_other_urls_are_left_to_streamlit(app_url):
    assert _fetch(f"{app_url}/explorer", method="POST")[0] == 405  # a page URL takes no POST
    assert _fetch(f"{app_url}/_stcore/health")[2] == "ok"  # Streamlit's own routes answer
    status, _, body = _fetch(f"{app_url}/explorer/x")
    assert index_page.MARK not in body, status  # a deeper path is not one of our pages
