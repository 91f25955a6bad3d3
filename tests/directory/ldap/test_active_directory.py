"""What Active Directory does that OpenLDAP does not: binary objectGUIDs, and members handed out
1,500 at a time (ranged retrieval)."""

import uuid

from directory.services.ldap import _external_id, _Reader


def test_an_object_guid_becomes_its_canonical_string():
    guid = uuid.UUID("3f2504e0-4f89-11d3-9a0c-0305e82c3301")
    # Active Directory sends the GUID's bytes little-endian in the first three fields.
    raw = {"objectGUID": [guid.bytes_le]}
    assert _external_id(raw, "objectGUID") == "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    assert _external_id({"entryUUID": [str(guid).encode()]}, "entryUUID") == str(guid)


class RangedDirectory:
    """Answers base searches for member;range=N-* as Active Directory does, 3 values a time."""

    def __init__(self, values):
        self.values = values
        self.asked = []
        self.response = []

    def search(self, dn, search_filter, search_scope, attributes):
        (attribute,) = attributes
        self.asked.append(attribute)
        low = int(attribute.split("=")[1].split("-")[0])
        chunk = self.values[low : low + 3]
        high = "*" if low + 3 >= len(self.values) else str(low + 2)
        key = f"member;range={low}-{high}"
        self.response = [{"type": "searchResEntry", "raw_attributes": {key: chunk}}]


def test_ranged_members_are_all_read():
    values = [f"cn=p{i}".encode() for i in range(8)]
    conn = RangedDirectory(values)
    reader = _Reader(conn, page_size=1000, on_page=None)

    read = reader.ranged_values("cn=g", "member", {"member;range=0-2": values[:3]})

    assert read == values
    assert conn.asked == ["member;range=3-*", "member;range=6-*"]
    assert reader.ranged_values("cn=h", "member", {"member": values[:2]}) == values[:2]
