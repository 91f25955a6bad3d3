"""What Active Directory does that OpenLDAP does not: binary objectGUIDs. (Members handed out
1,500 at a time, ``member;range=0-1499``, are gathered by ldap3's ``auto_range``.)"""

import uuid

from directory.services.ldap import _external_id


def test_an_object_guid_becomes_its_canonical_string():
    guid = uuid.UUID("3f2504e0-4f89-11d3-9a0c-0305e82c3301")
    # Active Directory sends the GUID's bytes little-endian in the first three fields.
    raw = {"objectGUID": [guid.bytes_le]}
    assert _external_id(raw, "objectGUID") == "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    assert _external_id({"entryUUID": [str(guid).encode()]}, "entryUUID") == str(guid)
