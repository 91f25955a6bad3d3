from .library import Source, Statistic, StatisticTopic
from .metrics import Metric, MetricSeries, MetricValue, PeriodKind
from .pages import StatisticsIndexPage

__all__ = [
    "Metric",
    "MetricSeries",
    "MetricValue",
    "PeriodKind",
    "Source",
    "Statistic",
    "StatisticTopic",
    "StatisticsIndexPage",
]
