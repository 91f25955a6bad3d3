"""What each portal role may do with the statistics library and 'Trusted Research in numbers'
(collected by ``comms.roles.model_permissions``)."""

from comms.roles import EDITORS, SENIOR_OWNERS

_CONTENT = (
    "stats.add_source",
    "stats.change_source",
    "stats.delete_source",
    "stats.add_statistic",
    "stats.change_statistic",
    "stats.delete_statistic",
    "stats.add_metric",
    "stats.change_metric",
    "stats.add_metricvalue",
    "stats.change_metricvalue",
    "stats.delete_metricvalue",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {EDITORS: _CONTENT, SENIOR_OWNERS: _CONTENT}
