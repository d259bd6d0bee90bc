"""Each post knows its language: detected from the author's own words, correctable by them."""

import pytest
from django.urls import reverse

from forum.language import detect_language, own_words
from forum.models import Post, Topic

SENTENCES = {
    "en": "We set up a housing cooperative last year and would like to share what we learnt "
    "about financing it with the support of the city.",
    "fr": "Nous avons créé une coopérative d’habitants l’an dernier et nous voudrions partager "
    "ce que nous avons appris sur son financement.",
    "es": "El año pasado creamos una cooperativa de vivienda y queremos compartir lo que "
    "aprendimos sobre su financiación con el apoyo del ayuntamiento.",
    "pt": "No ano passado criámos uma cooperativa de habitação e gostaríamos de partilhar o "
    "que aprendemos sobre o seu financiamento.",
    "it": "L’anno scorso abbiamo fondato una cooperativa di abitanti e vorremmo condividere "
    "quello che abbiamo imparato sul suo finanziamento.",
}


@pytest.mark.parametrize("code", list(SENTENCES))
def test_detects_each_interface_language(code):
    assert detect_language(SENTENCES[code]) == code


@pytest.mark.parametrize(
    "text",
    ["ok", "+1", "Merci !", "Cooperativa social", "https://example.org/a-long-address", ""],
)
def test_short_or_ambiguous_text_is_undecided(text):
    assert detect_language(text) is None


def test_quotes_code_links_and_mentions_are_not_the_authors_words():
    body = (
        "@lucia — [#3](/forum/p/12/):\n"
        f"> {SENTENCES['es']}\n> {SENTENCES['es']}\n\n"
        "Thanks a lot, this is really helpful for our network in Dakar, see "
        "[the guide](https://example.org/guia-cooperativas) @lucia\n\n"
        "```\nfinanciación = cooperativa + ayuntamiento\n```\n"
    )
    words = own_words(body)
    assert "cooperativa" not in words and "example.org" not in words and "lucia" not in words
    assert detect_language(body) == "en"
    # A quote and a word of one's own: nothing to go on.
    assert detect_language(f"> {SENTENCES['pt']}\n\nAgreed!") is None


def _new_topic(client, category, body, language=""):
    return client.post(
        reverse("forum:topic_create", args=[category.slug]),
        {"title": "Une coopérative", "body": body, "language": language},
    )


def test_posts_get_the_detected_language_and_the_topic_its_first_posts(client, public, member):
    client.force_login(member)
    _new_topic(client, public, SENTENCES["fr"])
    topic = Topic.objects.get()
    first = topic.posts.get()
    assert (topic.language, first.language, first.language_detected) == ("fr", "fr", True)
    client.post(reverse("forum:reply", args=[topic.pk]), {"body": SENTENCES["pt"]})
    reply = topic.posts.get(number=2)
    assert reply.language == "pt" and reply.language_detected
    topic.refresh_from_db()
    assert topic.language == "fr"  # the first post's


def test_a_quote_in_another_language_does_not_decide(client, public, member, outsider, make_topic):
    topic = make_topic(public, member, body=SENTENCES["es"], language="es")
    first = topic.posts.get()
    client.force_login(outsider)
    quote = client.get(reverse("forum:reply", args=[topic.pk]), {"quote": first.pk})
    body = quote.context["form"].initial["body"] + SENTENCES["it"]
    client.post(reverse("forum:reply", args=[topic.pk]), {"body": body, "language": ""})
    assert topic.posts.get(number=2).language == "it"


def test_undetectable_text_falls_back_to_the_authors_language(client, public, make_member):
    author = make_member("pt-author", preferred_language="pt")
    client.force_login(author)
    _new_topic(client, public, "Olá!")
    assert Topic.objects.get().language == "pt"
    # Without a preferred language: the language of the page.
    other = make_member("no-pref")
    client.force_login(other)
    client.post(
        f"/es/forum/{public.slug}/new/", {"title": "Hola", "body": "¡Hola!", "language": ""}
    )
    assert Topic.objects.get(author=other).language == "es"


def test_the_author_corrects_the_language_and_the_correction_is_kept(client, public, member):
    client.force_login(member)
    _new_topic(client, public, SENTENCES["es"])
    post = Post.objects.get()
    url = reverse("forum:post_edit", args=[post.pk])
    # A detected language is offered for detection again…
    assert client.get(url).context["form"].initial["language"] == ""
    # …the author says it is Portuguese after all (say, mixed): the choice is kept.
    client.post(url, {"body": SENTENCES["es"], "language": "pt"})
    post.refresh_from_db()
    assert (post.language, post.language_detected) == ("pt", False)
    assert Topic.objects.get().language == "pt"
    form = client.get(url).context["form"]
    assert form.initial["language"] == "pt"
    client.post(url, {"body": SENTENCES["es"] + " ¡Gracias!", "language": "pt"})
    post.refresh_from_db()
    assert post.language == "pt"
    # Asking to detect again.
    client.post(url, {"body": SENTENCES["es"], "language": ""})
    post.refresh_from_db()
    assert (post.language, post.language_detected) == ("es", True)
    assert Topic.objects.get().language == "es"


def test_preview_tells_the_language_that_will_be_stored(client, public, member, make_topic):
    topic = make_topic(public, member)
    client.force_login(member)
    response = client.post(
        reverse("forum:reply", args=[topic.pk]),
        {"body": SENTENCES["it"], "language": "", "preview": "1"},
    )
    assert response.context["preview_language"] == "Italian (detected)"
    assert b"Italian (detected)" in response.content
    assert topic.posts.count() == 1


def test_a_bad_language_code_is_a_form_error(client, public, member, make_topic):
    topic = make_topic(public, member)
    client.force_login(member)
    response = client.post(
        reverse("forum:reply", args=[topic.pk]), {"body": SENTENCES["en"], "language": "xx"}
    )
    assert response.status_code == 200 and "language" in response.context["form"].errors
    assert topic.posts.count() == 1
