"""Entra ID's provisioning requests (``entra_replay.json``), replayed in order over HTTP
against the live server: each response's status and body, the database after it, and the
``directory_changed`` it sent."""

import json
from pathlib import Path

import pytest
import requests

from directory.models import DirectoryGroup, DirectoryPerson
from directory.services.scim_tokens import scim_token_create
from directory.signals import directory_changed

REPLAY = json.loads((Path(__file__).parent / "entra_replay.json").read_text())


def _fill(value, ids: dict):
    text = json.dumps(value)
    for name, scim_id in ids.items():
        text = text.replace("{" + name + "}", scim_id)
    return json.loads(text)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entra_provisioning_cycle_replayed(live_server):
    secret = scim_token_create(name="entra")[1]
    session = requests.Session()
    session.headers.update(
        {"Authorization": f"Bearer {secret}", "Content-Type": "application/scim+json"}
    )
    sent = []

    def receiver(sender, source, group_ids, **kwargs):
        sent.append(sorted(group_ids))

    directory_changed.connect(receiver)
    ids: dict[str, str] = {}
    group_pks: dict[str, int] = {}
    try:
        for step in REPLAY["steps"]:
            sent.clear()
            body = _fill(step["body"], ids) if "body" in step else None
            response = session.request(
                step["method"],
                f"{live_server.url}/scim/v2{_fill(step['path'], ids)}",
                data=json.dumps(body) if body is not None else None,
                timeout=30,
            )
            where = f"{step['name']}: {response.status_code} {response.text[:300]}"
            assert response.status_code == step["status"], where
            if response.status_code != 204:
                assert response.headers["Content-Type"].startswith("application/scim+json"), where
            doc = response.json() if response.content else {}
            for key, expected in _fill(step.get("json", {}), ids).items():
                assert doc.get(key) == expected, f"{where}: {key}"
            for key in step.get("absent", []):
                assert key not in doc, f"{where}: {key} present"
            if "capture" in step:
                ids[step["capture"]] = doc["id"]
                if doc["schemas"][0].endswith(":Group"):
                    group_pks[step["capture"]] = DirectoryGroup.objects.get(scim_id=doc["id"]).pk
            if "person" in step:
                person = DirectoryPerson.objects.get(scim_id=ids[step["person"]["ref"]])
                for field, expected in step["person"]["fields"].items():
                    assert getattr(person, field) == expected, f"{where}: {field}"
            if "group" in step:
                group = DirectoryGroup.objects.get(scim_id=ids[step["group"]["ref"]])
                got = {str(p.scim_id) for p in group.members.all()}
                assert got == {ids[name] for name in step["group"]["members"]}, where
            if "deleted_person" in step:
                assert not DirectoryPerson.objects.filter(scim_id=ids[step["deleted_person"]])
            if "deleted_group" in step:
                assert not DirectoryGroup.objects.filter(scim_id=ids[step["deleted_group"]])
            expected_sent = (
                [sorted(group_pks[name] for name in step["changed"])] if step.get("changed") else []
            )
            assert sent == expected_sent, f"{where}: directory_changed {sent}"
    finally:
        directory_changed.disconnect(receiver)
    assert not DirectoryPerson.objects.exists() and not DirectoryGroup.objects.exists()
