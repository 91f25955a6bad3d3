"""SCIM test helpers: a token, and the test client speaking SCIM with it."""

import json

import pytest

from directory.services.scim_tokens import scim_token_create

BASE = "/scim/v2"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def scim_secret(db) -> str:
    return scim_token_create(name="entra")[1]


class ScimClient:
    """Django's test client with the bearer token and SCIM JSON bodies."""

    def __init__(self, client, secret):
        self.client = client
        self.secret = secret

    def request(self, method: str, path: str, body=None, *, raw: str | None = None, **extra):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return getattr(self.client, method.lower())(
            f"{BASE}{path}",
            data=data,
            content_type="application/scim+json",
            HTTP_AUTHORIZATION=f"Bearer {self.secret}",
            **extra,
        )

    def get(self, path, **extra):
        return self.client.get(f"{BASE}{path}", HTTP_AUTHORIZATION=f"Bearer {self.secret}", **extra)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, *operations, **kw):
        return self.request(
            "PATCH", path, {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}, **kw
        )

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def create_user(self, user_name: str, **attrs) -> dict:
        body = {"schemas": [USER_SCHEMA], "userName": user_name, "active": True, **attrs}
        response = self.post("/Users", body)
        assert response.status_code == 201, response.content
        return response.json()

    def create_group(self, name: str, members=(), **attrs) -> dict:
        body = {
            "schemas": [GROUP_SCHEMA],
            "displayName": name,
            "members": [{"value": m} for m in members],
            **attrs,
        }
        response = self.post("/Groups", body)
        assert response.status_code == 201, response.content
        return response.json()


@pytest.fixture
def scim(client, scim_secret) -> ScimClient:
    return ScimClient(client, scim_secret)


def assert_scim_error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type:
        assert body.get("scimType") == scim_type, body
    return body
