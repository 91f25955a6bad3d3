"""CSV import (all or nothing, every bad row named), export with formula escaping."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from newsletter.models import MailingList, Membership, Subscriber
from newsletter.services.subscribers import subscribers_import
from tests.csvfiles import quoted_csv_rows
from tests.factories import MailingListFactory, SubscriberFactory, subscribe_many

pytestmark = pytest.mark.django_db


def csv(text: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_import_creates_list_and_merges_duplicates():
    report = subscribers_import(
        mailing_list_name="All staff",
        csv_file=csv(
            "\ufeffEMAIL;Name\nAda@Example.ac.uk;Ada\nada@example.ac.uk;\nbob@example.ac.uk;Bob\n"
        ),
    )
    assert report.ok, report.errors
    assert (report.created, report.added, report.merged) == (2, 2, 1)
    assert sorted(Subscriber.objects.values_list("email", "name")) == [
        ("ada@example.ac.uk", "Ada"),
        ("bob@example.ac.uk", "Bob"),
    ]
    assert MailingList.objects.get(name="All staff").memberships.count() == 2


def test_rerunning_an_import_changes_nothing():
    data = "email,name\nada@example.ac.uk,Ada\n"
    subscribers_import(mailing_list_name="L", csv_file=csv(data))
    report = subscribers_import(mailing_list_name="L", csv_file=csv(data))
    assert (report.created, report.added, report.unchanged) == (0, 0, 1)
    assert Membership.objects.count() == 1


def test_unsubscribed_people_are_not_resubscribed():
    mailing_list = MailingListFactory(name="L")
    SubscriberFactory(email="left@example.ac.uk", status="unsubscribed")
    (quit_list,) = subscribe_many(mailing_list, ["quit@example.ac.uk"])
    Membership.objects.filter(subscriber=quit_list).update(unsubscribed_at="2026-01-01T00:00Z")
    report = subscribers_import(
        mailing_list_name="L", csv_file=csv("email\nleft@example.ac.uk\nquit@example.ac.uk\n")
    )
    assert report.ok
    assert len(report.skipped) == 2
    assert Membership.objects.filter(unsubscribed_at__isnull=True).count() == 0


def test_every_bad_row_is_reported_and_nothing_imported():
    report = subscribers_import(
        mailing_list_name="L",
        csv_file=csv(
            "email,name\n"
            "good@example.ac.uk,Good\n"
            ",No address\n"
            "not-an-address,Bad\n"
            "three@example.ac.uk,Too,many\n"
            f"long@example.ac.uk,{'x' * 201}\n"
        ),
    )
    assert not report.ok
    assert report.errors[0].startswith("Line 3: the email is empty")
    assert report.errors[1].startswith("Line 4: 'not-an-address' is not a valid email address")
    assert report.errors[2].startswith("Line 5: 3 column(s) where the header has 2")
    assert report.errors[3].startswith("Line 6: the name is longer than 200")
    assert not Subscriber.objects.exists() and not MailingList.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Line 1: the file is empty"),
        (b"name\nAda\n", "Line 1: no 'email' column"),
        (b"email\n", "no rows"),
        ("email\nzoë@example.ac.uk\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_files_are_explained(content, expected):
    report = subscribers_import(mailing_list_name="L", csv_file=io.BytesIO(content))
    assert expected in report.errors[0]


def test_command_exits_1_and_names_rows(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("email\nnope\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_subscribers", "L", str(path), stderr=io.StringIO())
    assert "Nothing imported" in str(error.value)


def test_command_imports(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("email\na@example.ac.uk\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_subscribers", "L", str(path), stdout=out)
    assert "1 new subscriber" in out.getvalue()


def test_export_quotes_every_cell_and_escapes_formulas(client_as, comms_lead):
    mailing_list = MailingListFactory(name="L")
    SubscriberFactory(email="x@example.ac.uk", name='=HYPERLINK("http://evil")')
    SubscriberFactory(email="y@example.ac.uk", name="Doe; Jane")
    for subscriber in Subscriber.objects.all():
        Membership.objects.create(subscriber=subscriber, mailing_list=mailing_list)
    response = client_as(comms_lead).get(f"/admin/newsletter/lists/{mailing_list.pk}/export.csv")
    assert response.status_code == 200
    rows = quoted_csv_rows(response.content)
    assert rows[0] == ["email", "name", "status", "subscribed_at", "unsubscribed_at"]
    assert rows[1][:2] == ["x@example.ac.uk", '\'=HYPERLINK("http://evil")']
    assert rows[2][:2] == ["y@example.ac.uk", "Doe; Jane"]


def test_admin_upload_reports_bad_rows(client_as, comms_lead):
    upload = io.BytesIO(b"email\nbroken\n")
    upload.name = "people.csv"
    response = client_as(comms_lead).post(
        "/admin/newsletter/import/", {"mailing_list_name": "L", "csv_file": upload}
    )
    assert response.status_code == 200
    assert "Line 2: &#x27;broken&#x27; is not a valid email address" in response.content.decode()


def test_subscriber_admin_lists_and_searches(client_as, comms_lead):
    subscribe_many(MailingListFactory(name="L"), [f"s{i}@example.ac.uk" for i in range(60)])
    client = client_as(comms_lead)
    response = client.get("/admin/newsletter/subscribers/?q=s5")
    assert response.status_code == 200
    assert "s59@example.ac.uk" in response.content.decode()
    assert "s1@example.ac.uk" not in response.content.decode()


def test_personal_data_export_and_erasure_in_admin(client_as, comms_lead):
    (person,) = subscribe_many(MailingListFactory(name="L"), ["erin@example.ac.uk"])
    client = client_as(comms_lead)
    exported = client.get(f"/admin/newsletter/subscribers/{person.pk}/data.json")
    assert exported.status_code == 200
    assert exported.json()["email"] == "erin@example.ac.uk"
    assert exported.json()["memberships"][0]["list"] == "L"

    refused = client.post(
        f"/admin/newsletter/subscribers/{person.pk}/privacy/", {"confirm": "someone-else"}
    )
    assert refused.status_code == 200 and Subscriber.objects.filter(pk=person.pk).exists()
    erased = client.post(
        f"/admin/newsletter/subscribers/{person.pk}/privacy/", {"confirm": "erin@example.ac.uk"}
    )
    assert erased.status_code == 302
    assert not Subscriber.objects.filter(email="erin@example.ac.uk").exists()


def test_addresses_are_unique_whatever_their_case(client_as, comms_lead):
    SubscriberFactory(email="ada@example.ac.uk")
    response = client_as(comms_lead).post(
        "/admin/newsletter/subscribers/new/",
        {"email": "ADA@Example.ac.uk", "name": "Ada", "status": "subscribed"},
    )
    assert response.status_code == 200
    assert "Subscriber with this Email already exists." in response.content.decode()
    assert Subscriber.objects.count() == 1


# --- Control characters in names and addresses (issue 14) ----------------------------------

CONTROL_CSV = (
    "email,name\n"
    "ok@example.ac.uk,Fine Person\n"  # line 2
    'a@example.ac.uk,"Ada\r\nBcc: everyone@example.ac.uk"\n'  # lines 3-4: a line break
    "b@example.ac.uk,Bob\x00by\n"  # line 5: NUL
    '"c\x01c"@example.ac.uk,Cee\n'  # line 6: a control character in the address
    "d@example.ac.uk,De\x85e\n"  # line 7: C1 "next line"
    "e@example.ac.uk,Eve\tTab\n"  # line 8: tab
)


def test_command_refuses_control_characters_naming_line_and_field(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(CONTROL_CSV.encode())
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_subscribers", "L", str(path), stderr=stderr)
    errors = stderr.getvalue()
    assert "Line 4: the name contains a line break or control character; remove it." in errors
    assert "Line 5: the name contains a line break or control character; remove it." in errors
    assert "Line 6: the email contains a line break or control character; remove it." in errors
    assert "Line 7: the name contains" in errors and "Line 8: the name contains" in errors
    assert "Line 2" not in errors
    assert not Subscriber.objects.exists() and not MailingList.objects.exists()


def test_nul_byte_in_a_name_is_a_line_numbered_error_not_a_traceback(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"email,name\nok@example.ac.uk,Ok\nn@example.ac.uk,Nu\x00l\n")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_subscribers", "L", str(path), stderr=stderr)
    assert stderr.getvalue().strip() == (
        "Line 3: the name contains a line break or control character; remove it."
    )
    assert not Subscriber.objects.exists()


def test_admin_import_refuses_control_characters(client_as, comms_lead):
    upload = io.BytesIO(CONTROL_CSV.encode())
    upload.name = "people.csv"
    response = client_as(comms_lead).post(
        "/admin/newsletter/import/", {"mailing_list_name": "L", "csv_file": upload}
    )
    html = response.content.decode()
    assert "Line 4: the name contains a line break or control character; remove it." in html
    assert "Line 5: the name contains a line break or control character; remove it." in html
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Ada\r\nBcc: x@example.ac.uk"),
        ("name", "Ada\x1bLovelace"),
        ("email", "a\n@b.ac.uk"),
    ],
)
def test_subscriber_form_refuses_control_characters(client_as, comms_lead, field, value):
    data = {"email": "ada@example.ac.uk", "name": "Ada", "status": "subscribed"} | {field: value}
    response = client_as(comms_lead).post("/admin/newsletter/subscribers/new/", data)
    assert response.status_code == 200
    assert "contains a line break or control character; remove it." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_mailing_list_form_refuses_control_characters(client_as, comms_lead):
    response = client_as(comms_lead).post(
        "/admin/newsletter/lists/new/",
        {"name": "Staff", "description": "", "from_name": "Research\nOffice", "reply_to": ""},
    )
    assert "contains a line break or control character; remove it." in response.content.decode()
    assert not MailingList.objects.exists()
