"""The accessibility check itself: it must fail loudly, or every journey passes vacuously."""

import pytest
from playwright.sync_api import Page

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body>
<main><h1>Check</h1>{}</main></body></html>"""


def test_a_clean_page_passes(page: Page, axe):
    page.set_content(PAGE.format("<p>Nothing wrong here.</p>"))
    axe(page)


def test_serious_violations_fail_with_a_readable_list(page: Page, axe):
    page.set_content(PAGE.format('<img src="data:,"><form><input type="text"></form>'))

    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page)

    report = str(failure.value)
    assert "- image-alt (critical): Images must have alternative text" in report
    assert "- label (critical)" in report
    assert "img" in report
