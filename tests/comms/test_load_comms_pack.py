"""What `make run` prints while it loads: `load_comms_pack` (twice) and `load_demo_content`."""

import logging
from collections import Counter

from django.core.management import call_command

import pytest

pytestmark = pytest.mark.django_db


def test_loading_prints_each_item_once_and_no_info_log_lines(capsys, caplog, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # where the demo's sent issue is kept (data/mail)
    caplog.set_level(logging.INFO)
    call_command("load_comms_pack")
    call_command("load_comms_pack")
    call_command("create_demo_users")
    call_command("load_demo_content")
    printed = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    logged = [record.getMessage() for record in caplog.records]
    console = printed + logged  # what the terminal shows: stdout and the log handler
    repeated = {line: n for line, n in Counter(console).items() if n > 1}
    assert repeated == {}
    # Each summary once, whether printed or logged: "Statistics: 27 created, …".
    for name in ("Statistics: ", "Campaign plan: ", "blogs: ", "newsletter: "):
        assert sum(line.startswith(name) for line in console) == 2, name  # one per run
    assert sum("Campaign intro text (published)" in line for line in console) == 1
    # Wagtail's "Page created" / "Page edited" / "Published" for every saved object, and the
    # services' own INFO lines, repeat each loaded item: the commands' lines say it once.
    assert [r.getMessage() for r in caplog.records if r.levelno <= logging.INFO] == []
