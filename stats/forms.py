"""Admin forms for 'Trusted Research in numbers': one period's figures, and a CSV upload."""

from django import forms
from django.core.exceptions import ValidationError

from stats.models import Metric, MetricValue
from stats.periods import PERIOD_FORMAT_HELP, period_display, period_parse
from stats.services.metrics import PeriodEntry, value_parse

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class MetricPeriodForm(forms.Form):
    """Every metric's figure and note for one period, on one form."""

    period = forms.CharField(
        label="Period",
        help_text=f"Write {PERIOD_FORMAT_HELP}.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "2024-03"}),
    )

    def __init__(self, *args, metrics: list[Metric], **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = metrics
        for metric in metrics:
            unit = f" ({metric.unit})" if metric.unit else ""
            self.fields[f"value_{metric.pk}"] = forms.CharField(
                label=f"{metric.name}{unit}",
                required=False,
                help_text="Leave empty if there is no figure; an empty box removes a saved one.",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"note_{metric.pk}"] = forms.CharField(
                label=f"Note on {metric.name}", required=False, max_length=500
            )

    def metric_rows(self):
        """(metric, value field, note field) per metric, for the template's table."""
        return [(m, self[f"value_{m.pk}"], self[f"note_{m.pk}"]) for m in self.metrics]

    def clean_period(self):
        try:
            return period_parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def clean(self):
        cleaned = super().clean()
        for metric in self.metrics:
            name = f"value_{metric.pk}"
            text = cleaned.get(name, "")
            if text.strip():
                try:
                    cleaned[name] = value_parse(text)
                except ValueError as exc:
                    self.add_error(name, f"{metric.name}: {exc}.")
            else:
                cleaned[name] = None
        if cleaned.get("period"):
            period, kind = cleaned["period"]
            other = MetricValue.objects.filter(period=period).exclude(period_kind=kind).first()
            if other is not None:
                self.add_error(
                    "period",
                    f"Figures starting {period_display(period, other.period_kind)} are recorded "
                    f"as a {other.period_kind}; enter this period as a {other.period_kind}.",
                )
        return cleaned

    def entries(self) -> list[PeriodEntry]:
        return [
            PeriodEntry(
                metric=metric,
                value=self.cleaned_data[f"value_{metric.pk}"],
                note=self.cleaned_data.get(f"note_{metric.pk}", "").strip(),
            )
            for metric in self.metrics
        ]


class MetricCsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns period,metric,value,note (the export's format), saved as CSV UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 2 MB; split it and upload each part.")
        return upload
