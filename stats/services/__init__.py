from .metrics import (
    MetricImportError,
    metric_values_export_csv,
    metric_values_import_csv,
    metric_values_save_period,
)
from .pack import stats_pack_load

__all__ = [
    "MetricImportError",
    "metric_values_export_csv",
    "metric_values_import_csv",
    "metric_values_save_period",
    "stats_pack_load",
]
