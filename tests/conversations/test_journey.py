"""In Chromium: a member writes to another from their profile, previews, sends; the other
sees the header counter, opens the conversation and replies. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from conversations.models import Message
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def sign_in(page, site, member, password):
    page.goto(f"{site}/en/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(member.email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page.locator("details.account-menu")).to_have_count(1)


def sign_out(page):
    menu = page.locator("details.account-menu")
    menu.locator("summary").click()
    menu.locator("form button[type=submit]").click()
    expect(page.locator("details.account-menu")).to_have_count(0)


def test_write_from_a_profile_and_reply(page, site, make_member, password):
    alice = make_member("alice", display_name="Alice Martin")
    bruno = make_member("bruno", display_name="Bruno Costa", directory_visibility="members")

    sign_in(page, site, alice, password)
    page.goto(f"{site}/en/members/bruno/")
    page.get_by_role("link", name="Send a private message").click()
    expect(page).to_have_url(re.compile(r"/en/forum/conversations/new/\?to=bruno$"))
    expect(page.get_by_label("To")).to_have_value("bruno")
    assert_accessible(page)
    page.get_by_label("Subject").fill("Visit in May")
    page.locator("#id_body").fill("Shall we meet the **cooperative** in May?")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".forum-preview strong")).to_have_text("cooperative")
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("h1")).to_have_text("Visit in May")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, site, bruno, password)
    messages_link = page.locator(".header-counts").get_by_role("link", name=re.compile("Messages"))
    expect(messages_link).to_contain_text("1 unread conversation")
    messages_link.click()
    assert_accessible(page)
    page.get_by_role("link", name="Visit in May").click()
    expect(page.locator(".forum-post-body").first).to_contain_text("cooperative")
    expect(
        page.locator(".header-counts").get_by_role("link", name=re.compile("Messages"))
    ).not_to_contain_text("unread")
    page.locator("#id_body").fill("Yes, the second week.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".forum-post-body").nth(1)).to_contain_text("the second week")
    assert_accessible(page)
    assert Message.objects.filter(author=bruno).count() == 1
