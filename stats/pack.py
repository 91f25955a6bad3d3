"""The statistics app's comms-pack loader, listed in settings.COMMS_PACK_LOADERS."""

from comms.pack import PackReport


def load(*, reset: bool) -> PackReport:
    from stats.services import stats_pack_load

    return stats_pack_load(reset=reset)
