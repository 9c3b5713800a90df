"""A real OpenID Connect provider on loopback for the sign-in tests.

oidc-provider-mock (Flask + Authlib) serves discovery, the authorisation endpoint, the token
endpoint and the signing keys; members are set with their claims through its `PUT /users/<sub>`.
It does not check PKCE, so a thin WSGI layer in front of it does (S256, as ID-porten requires):
the authorisation request must carry a code challenge, and the token request the verifier
that hashes to it. The same layer can re-sign the ID token with a key the provider never
published, for the test that the forum refuses it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
import werkzeug.serving
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response


@dataclass
class ProviderLog:
    """What the forum sent: the tests read it to prove discovery, PKCE and the nonce."""

    discovery_requests: int = 0
    authorisation_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    pkce_failures: int = 0


class PkceGuard:
    def __init__(self, app) -> None:
        self.app = app
        self.log = ProviderLog()
        self.challenges: dict[str, str] = {}
        self.resign_id_token_with_foreign_key = False

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.endswith("/.well-known/openid-configuration"):
            self.log.discovery_requests += 1
        if request.path == "/oauth2/authorize":
            return self._authorize(request, environ, start_response)
        if request.path == "/oauth2/token" and request.method == "POST":
            return self._token(request, environ, start_response)
        return self.app(environ, start_response)

    def _authorize(self, request, environ, start_response):
        params = {key: request.args[key] for key in request.args}
        self.log.authorisation_requests.append(params)
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return Response("PKCE (S256) required", status=400)(environ, start_response)
        captured: dict[str, object] = {}

        def capture(status, headers, exc_info=None):
            captured["headers"] = headers
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        location = dict(captured.get("headers", [])).get("Location", "")
        code = parse_qs(urlsplit(location).query).get("code", [""])[0]
        if code:
            self.challenges[code] = params.get("code_challenge", "")
        return body

    def _token(self, request, environ, start_response):
        body = request.get_data()
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        self.log.token_requests.append(form)
        challenge = self.challenges.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if not challenge or challenge != expected:
            self.log.pkce_failures += 1
            error = json.dumps({"error": "invalid_grant", "error_description": "PKCE"})
            return Response(error, status=400, content_type="application/json")(
                environ, start_response
            )
        # The form was read above; hand the provider the body again.
        environ["wsgi.input"] = io.BytesIO(body)
        response = Response.from_app(self.app, environ)
        if self.resign_id_token_with_foreign_key and response.status_code == 200:
            data = json.loads(response.get_data())
            header = jwt.get_unverified_header(data["id_token"])
            claims = jwt.decode(data["id_token"], options={"verify_signature": False})
            foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            data["id_token"] = jwt.encode(
                claims, foreign, algorithm=header["alg"], headers={"kid": header.get("kid")}
            )
            response.set_data(json.dumps(data))
        return response(environ, start_response)


@dataclass
class OidcProvider:
    url: str
    guard: PkceGuard

    @property
    def log(self) -> ProviderLog:
        return self.guard.log

    def set_user(self, sub: str, **claims: object) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5).raise_for_status()

    def app_config(self, provider_id: str, name: str, **settings: object) -> dict:
        """An entry for settings.SSO_PROVIDERS pointing at this provider."""
        return {
            "provider_id": provider_id,
            "name": name,
            "client_id": f"reformforum-{provider_id}",
            "secret": "test-client-secret",
            "settings": {
                "server_url": self.url,
                "fetch_userinfo": False,
                "oauth_pkce_enabled": True,
                "token_auth_method": "client_secret_post",
                **settings,
            },
        }


@contextmanager
def running_provider() -> Iterator[OidcProvider]:
    from oidc_provider_mock import app

    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    guard = PkceGuard(app(require_nonce=True))
    server = werkzeug.serving.make_server("localhost", 0, guard, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield OidcProvider(url=f"http://localhost:{server.server_port}", guard=guard)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
