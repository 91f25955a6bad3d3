from .library import Source, Statistic, StatisticTopic
from .metrics import Metric, MetricValue, PeriodKind
from .pages import StatisticsIndexPage

__all__ = [
    "Metric",
    "MetricValue",
    "PeriodKind",
    "Source",
    "Statistic",
    "StatisticTopic",
    "StatisticsIndexPage",
]
