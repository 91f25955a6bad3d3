from django.db import migrations

GROUPS = ("Research office editors", "Senior owners", "Comms leads", "Staff")


def create_groups(apps, schema_editor):
    # Permissions are granted after every migrate by comms.services.roles.roles_sync, once
    # every app's permissions exist.
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def create_home_page(apps, schema_editor):
    """Replace Wagtail's welcome page with our HomePage at the root of the default site."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("comms", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="comms")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Trusted Research",
        draft_title="Trusted Research",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        intro="<p>Welcome to the Trusted Research portal: news, statistics, the awareness "
        "campaign and the newsletter archive of our research office.</p>",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="Trusted Research portal")


class Migration(migrations.Migration):
    dependencies = [
        ("comms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0001_initial"),
    ]
    run_before = []

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(create_home_page, migrations.RunPython.noop),
    ]
