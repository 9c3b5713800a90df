"""Entra's multi-tenant issuer: the discovery document of /organizations/v2.0 names the
issuer `https://login.microsoftonline.com/{tenantid}/v2.0`; the forum fills in the token's
own `tid` and refuses a token whose `iss` names another tenant (issue 21). The tokens are
signed with a local key and its JWKS served over HTTP on a free port."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import jwt
import pytest
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.sso import OrganisationOIDCAdapter

TENANT = "3f1c2a4e-9b7d-4c51-8e2f-0a6b5d4c3e21"
OTHER = "7d2e9f10-1a2b-4c3d-9e8f-112233445566"
CLIENT_ID = "forum-client"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url():
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/keys"
    server.shutdown()


def _adapter(jwks_url: str) -> OrganisationOIDCAdapter:
    adapter = object.__new__(OrganisationOIDCAdapter)
    adapter._openid_config = {
        "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0",
        "jwks_uri": jwks_url,
    }
    adapter.expected_nonce = "n" * 32
    return adapter


def _token(iss: str, tid: str) -> str:
    now = int(time.time())
    claims = {"iss": iss, "tid": tid, "aud": CLIENT_ID, "sub": "s", "nonce": "n" * 32}
    claims |= {"iat": now, "nbf": now, "exp": now + 300}
    return jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "k1"})


def test_the_issuer_with_the_tokens_own_tenant_is_accepted(jwks_url, db):
    token = _token(f"https://login.microsoftonline.com/{TENANT}/v2.0", TENANT)
    claims = _adapter(jwks_url)._decode_id_token(SimpleNamespace(client_id=CLIENT_ID), token)
    assert claims["tid"] == TENANT


def test_an_issuer_naming_another_tenant_is_refused(jwks_url, db):
    token = _token(f"https://login.microsoftonline.com/{OTHER}/v2.0", TENANT)
    with pytest.raises(OAuth2Error):
        _adapter(jwks_url)._decode_id_token(SimpleNamespace(client_id=CLIENT_ID), token)
