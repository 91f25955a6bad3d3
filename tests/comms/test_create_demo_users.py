from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

import pytest

from comms import roles

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_users", *args, stdout=out)
    return out.getvalue()


def test_creates_one_user_per_group_and_prints_them():
    output = run("--password", "first-pass-123")
    User = get_user_model()
    for group in roles.ALL_GROUPS:
        members = User.objects.filter(groups__name=group)
        assert members.count() == 1
        user = members.get()
        assert f"{user.username:<12} first-pass-123" in output
        assert group in output
        assert user.check_password("first-pass-123")


def test_is_idempotent_and_resets_the_password():
    run("--password", "first-pass-123")
    users_before = set(get_user_model().objects.values_list("username", flat=True))
    run("--password", "second-pass-456")
    users_after = set(get_user_model().objects.values_list("username", flat=True))
    assert users_before == users_after
    for group in roles.ALL_GROUPS:
        assert get_user_model().objects.filter(groups__name=group).count() == 1
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password("second-pass-456")
    assert not editor.check_password("first-pass-123")


def test_rejects_a_short_password_and_changes_nothing():
    with pytest.raises(CommandError, match="at least 8 characters"):
        run("--password", "short")
    assert not get_user_model().objects.exists()
