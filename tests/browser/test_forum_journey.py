"""Issue journey: a participant starts a topic in their edition's cohort space; a fellow
participant replies quoting and mentioning her, and she follows the notification to the reply;
a third adds a French translation that a French reader sees by default, the original one click
away; a member outside the edition finds nothing of it (page, forum search, site search,
feeds); script written into a post never runs."""

import re

import pytest
from playwright.sync_api import Page, expect

from forum.models import Access, Category, Post, Topic
from tests.academies.factories import enrol, make_edition

pytestmark = pytest.mark.browser

PASSWORD = "a-Long-browser-passphrase-42"
WORD = "mangroves"  # found only in the cohort topic
TITLE = "Mangroves and fishing cooperatives"
BODY = (
    f"After Madrid we started a network of fishing cooperatives protecting {WORD}.\n\n"
    "<script>window.__forumXss = 'script'</script>\n\n"
    "[a tempting link](javascript:window.__forumXss='link')\n\n"
    '<img src="x" onerror="window.__forumXss=\'onerror\'">\n\n'
    '<a href="javascript:alert(1)" onclick="alert(2)">raw link</a>'
)
FRENCH = "Après Madrid, nous avons lancé un réseau de coopératives de pêche qui protègent les mangroves."


def sign_in(page, base, email):
    page.goto(f"{base}/en/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("details.account-menu")).to_have_count(1)


def post_form(page, body, language):
    form = page.locator("main form.forum-form")
    form.locator("textarea[name=body]").fill(body)
    form.locator("select[name=language]").select_option(language)
    form.locator("button[name=submit]").click()


@pytest.fixture
def cohort(site, make_member):
    madrid = make_edition("Madrid", "ES", number=11, slug="11-madrid")
    people = {
        "lucia": make_member("lucia", display_name="Lucía Fernández"),
        "kwame": make_member("kwame", display_name="Kwame Mensah"),
        "nadia": make_member("nadia", display_name="Nadia Haddad", languages_spoken=["fr", "en"]),
        "claire": make_member("claire", display_name="Claire Dubois"),
        "outsider": make_member("outsider", display_name="Out Sider"),
    }
    for name in ("lucia", "kwame", "nadia", "claire"):
        enrol(people[name], madrid)
    enrol(people["outsider"], make_edition("Seoul", "KR", number=8, slug="8-seoul"))
    for user in people.values():
        user.set_password(PASSWORD)
        user.save()
    Category.objects.create(slug="welcome", name_en="Welcome", access=Access.PUBLIC, order=1)
    space = Category.objects.create(
        slug="madrid-cohort", name_en="Madrid 2026 cohort", access=Access.COHORT, order=2
    )
    space.editions.add(madrid)
    return people


def test_a_cohort_discussion_across_languages_stays_within_the_edition(
    page: Page, browser, site, cohort, axe
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # Lucía signs in, opens her edition's cohort space and starts a topic.
    sign_in(page, site, "lucia@example.org")
    page.goto(f"{site}/en/forum/")
    axe(page)
    page.get_by_role("link", name="Madrid 2026 cohort").first.click()
    expect(page.locator("h1")).to_contain_text("Madrid 2026 cohort")
    axe(page)
    page.get_by_role("link", name="New topic").click()
    page.locator("main form.forum-form input[name=title]").fill(TITLE)
    post_form(page, BODY, "en")
    expect(page.locator("h1")).to_have_text(TITLE)
    topic = Topic.objects.get(title=TITLE)
    first = topic.posts.get(number=1)
    topic_url = f"{site}{topic.get_absolute_url()}"

    # Nothing of the script reaches the page: no dialog, no script, no handler, no js: link.
    body = page.locator(f"#post-{first.pk} .forum-post-body")
    expect(body).to_contain_text(WORD)
    assert body.locator("script").count() == 0
    assert body.locator("[onerror], [onclick]").count() == 0
    assert body.locator("a[href^='javascript:' i]").count() == 0
    assert page.evaluate("() => window.__forumXss === undefined")
    assert dialogs == []
    axe(page)

    # Kwame, of the same edition, replies quoting her post and mentioning her.
    kwame = browser.new_context().new_page()
    kwame.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(kwame, site, "kwame@example.org")
    kwame.goto(topic_url)
    kwame.locator(f"#post-{first.pk}").get_by_role("link", name="Quote").click()
    quoted = kwame.locator("textarea[name=body]").input_value()
    assert quoted.startswith("@lucia") and f"/forum/p/{first.pk}/" in quoted
    post_form(kwame, quoted + "@lucia we do the same in Ghana: let us compare notes.", "en")
    reply = topic.posts.get(number=2)
    expect(kwame.locator(f"#post-{reply.pk}")).to_contain_text("let us compare notes")

    # Lucía sees the notification in the header, opens it and lands on the reply.
    page.goto(f"{site}/en/forum/")
    header = page.locator("nav.header-counts")
    expect(header.get_by_role("link", name=re.compile("Notifications"))).to_contain_text("1")
    header.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.locator("main")).to_contain_text("Kwame Mensah")
    page.locator("main .forum-notifications a").first.click()
    expect(page).to_have_url(re.compile(rf"{topic.get_absolute_url()}#post-{reply.pk}$"))
    expect(page.locator(f"#post-{reply.pk}")).to_contain_text("let us compare notes")

    # Nadia adds a French translation of the first post.
    nadia = browser.new_context().new_page()
    sign_in(nadia, site, "nadia@example.org")
    nadia.goto(f"{site}/fr/forum/t/{topic.pk}-{topic.slug}/")
    nadia.locator(f"#post-{first.pk} footer a[href*='/translate/']").click()
    post_form(nadia, FRENCH, "fr")
    expect(nadia.locator(f"#post-{first.pk}")).to_contain_text("Nadia Haddad")

    # Claire, reading in French, sees the translation by default, the original one click away.
    claire = browser.new_context().new_page()
    sign_in(claire, site, "claire@example.org")
    claire.goto(f"{site}/fr/forum/t/{topic.pk}-{topic.slug}/")
    post = claire.locator(f"#post-{first.pk}")
    expect(post.locator(".forum-post-body[lang=fr]").first).to_contain_text(
        "coopératives de pêche"
    )
    original = post.locator("details.forum-original")
    expect(original.locator(".forum-post-body")).not_to_be_visible()
    original.locator("summary").click()
    expect(original.locator(".forum-post-body")).to_be_visible()
    expect(original.locator(".forum-post-body")).to_contain_text("fishing cooperatives")
    axe(claire)

    # A member outside the edition: 404 for the topic, nothing in searches or feeds.
    outsider = browser.new_context().new_page()
    sign_in(outsider, site, "outsider@example.org")
    assert outsider.goto(topic_url).status == 404
    assert outsider.goto(f"{site}/en/forum/p/{first.pk}/").status == 404
    outsider.goto(f"{site}/en/forum/search/?q={WORD}")
    expect(outsider.locator("main")).not_to_contain_text(TITLE)
    expect(outsider.locator("main")).to_contain_text(WORD)  # the query, echoed: no result
    outsider.goto(f"{site}/en/search/?q={WORD}")
    expect(outsider.locator("main")).not_to_contain_text(TITLE)
    for feed in (
        f"/en/forum/t/{topic.pk}/feed/",
        "/en/forum/madrid-cohort/feed/",
        "/en/forum/welcome/feed/",
    ):
        response = outsider.request.get(f"{site}{feed}")
        assert response.status == 404 or TITLE not in response.text(), feed
        assert WORD not in response.text() or response.status == 404, feed
    # …while a participant finds it in both searches.
    page.goto(f"{site}/en/forum/search/?q={WORD}")
    expect(page.locator("main .forum-results")).to_contain_text(TITLE)
    page.goto(f"{site}/en/search/?q={WORD}")
    expect(page.locator("main")).to_contain_text(TITLE)

    assert dialogs == []
    assert Post.objects.filter(topic=topic).count() == 2
