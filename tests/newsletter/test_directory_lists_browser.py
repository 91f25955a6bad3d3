"""In Chromium: a comms lead makes a list follow a directory group, and the lists' listing says
where its members come from and when it last synced."""

import pytest
from playwright.sync_api import expect

from comms import roles
from directory.models import DirectoryGroup, DirectoryPerson, Source
from tests.factories import MailingListFactory, subscribe_many
from tests.journeys.shots import docs_screenshot

pytestmark = pytest.mark.browser


def test_a_comms_lead_makes_a_list_follow_a_directory_group(page_as):
    group = DirectoryGroup.objects.create(
        source=Source.SCIM, external_id="grp-1", display_name="All research staff"
    )
    DirectoryGroup.objects.create(source=Source.SCIM, external_id="grp-2", display_name="Estates")
    for number in range(3):
        group.members.add(
            DirectoryPerson.objects.create(
                source=Source.SCIM,
                external_id=f"p{number}",
                user_name=f"person{number}@example.ac.uk",
                email=f"person{number}@example.ac.uk",
                display_name=f"Person {number}",
            )
        )
    staff = MailingListFactory(name="All staff")
    subscribe_many(staff, ["visiting.fellow@partner.example.org"])
    MailingListFactory(name="Research office")

    page = page_as(roles.COMMS_LEADS)
    page.goto("/admin/newsletter/lists/")
    page.get_by_role("link", name="All staff").click()
    page.get_by_label("Follows directory groups").select_option(
        label="All research staff (SCIM provisioning)"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Mailing list 'All staff' updated.")).to_be_visible()

    # The list syncs when a send snapshots it or the directory changes; a sync is due now.
    from newsletter.services.audiences import list_directory_sync

    list_directory_sync(staff)
    page.reload()
    row = page.locator("tr", has=page.get_by_role("link", name="All staff", exact=True))
    expect(row).to_contain_text("3 from directory group All research staff (last synced")
    expect(row).to_contain_text("4")  # subscribed: three from the group, one added by hand
    other = page.locator("tr", has=page.get_by_role("link", name="Research office", exact=True))
    expect(other).to_contain_text("Added by hand or imported")
    docs_screenshot(page, "commslead-lists-directory")
