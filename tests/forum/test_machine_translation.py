import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from forum.machine_translation import LibreTranslateBackend, MachineTranslationError

pytestmark = pytest.mark.django_db


class FakeTranslator(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server API
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if payload["target"] == "xx":
            self.send_response(500)
            self.end_headers()
            return
        body = json.dumps({"translatedText": f"[{payload['target']}] {payload['q']}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_service(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeTranslator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/translate"
    settings.FORUM_MACHINE_TRANSLATION = {
        "BACKEND": "forum.machine_translation.LibreTranslateBackend",
        "OPTIONS": {"URL": url, "TIMEOUT": 5},
    }
    yield url
    server.shutdown()


def test_backend_against_a_local_fake_service(fake_service):
    backend = LibreTranslateBackend(URL=fake_service)
    assert backend.translate("Hello", "en", "fr") == "[fr] Hello"
    with pytest.raises(MachineTranslationError):
        backend.translate("Hello", "en", "xx")


def test_translate_page_offers_a_machine_suggestion(
    client, fake_service, public, member, outsider, make_topic
):
    topic = make_topic(public, member, body="Good morning")
    post = topic.posts.get()
    client.force_login(outsider)
    url = reverse("forum:post_translate", args=[post.pk])
    assert b"machine translation" in client.get(url, {"language": "fr"}).content
    response = client.get(url, {"language": "fr", "suggest": "1"})
    assert response.context["form"].initial["body"] == "[fr] Good morning"


def test_no_backend_by_default(client, public, member, outsider, make_topic):
    topic = make_topic(public, member)
    client.force_login(outsider)
    url = reverse("forum:post_translate", args=[topic.posts.get().pk])
    response = client.get(url, {"language": "fr", "suggest": "1"})
    assert response.status_code == 200 and "body" not in response.context["form"].initial
