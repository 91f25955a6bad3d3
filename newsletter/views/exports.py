"""CSV downloads of the newsletter admin, made by Wagtail's ``list_export`` machinery."""

from django.http import HttpResponse
from django.views.generic import View

from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin


class CsvExportView(SpreadsheetExportMixin, PermissionCheckedMixin, View):
    """A CSV file of ``get_queryset()``'s rows, one column per ``list_export`` field (dotted
    paths allowed), headed by ``export_headings``: Wagtail's export (its per-type value
    preprocessing, and the quoting, formula-neutralising writer ``comms.apps`` installs on
    ``SpreadsheetExportMixin``, ``comms.csvutils``) without a listing page around it.

    Always CSV, at an address of its own ending in ``.csv``; rows are read in chunks, and the
    file is answered whole, with its charset, as a download named ``get_filename()``.csv."""

    def get_queryset(self):
        """A queryset (read in chunks), or a list of objects or dicts already computed."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        rows = self.get_queryset()
        if hasattr(rows, "iterator"):
            rows = rows.iterator(chunk_size=2000)
        body = b"".join(self.stream_csv(rows))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response
