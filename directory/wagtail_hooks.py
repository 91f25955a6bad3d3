"""The directory's entries in Wagtail's audit log: one ``directory.sync`` per sync, recorded
against its ``DirectorySyncRun`` (directory.services.sync)."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from directory.services.sync import SYNC_ACTION


@hooks.register("register_log_actions")
def directory_log_actions(actions):
    @actions.register_action(SYNC_ACTION)
    class DirectorySyncFormatter(LogFormatter):
        label = "Directory: synced"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            source = data.get("source", "the directory")
            if not data.get("ok"):
                return f"Directory sync from {source} failed: {data.get('message', '')}"
            return (
                f"Directory sync from {source}: {data.get('people_added', 0)} added, "
                f"{data.get('people_deactivated', 0)} removed, "
                f"{data.get('people_updated', 0)} updated, "
                f"{data.get('people_unchanged', 0)} unchanged"
            )
