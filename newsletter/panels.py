"""The issue's editor: the pre-send checklist panel and the guarded admin form."""

from wagtail.admin.panels import Panel

from comms.guard import PlaceholderGuardPageForm


class NewsletterIssueForm(PlaceholderGuardPageForm):
    """Publishing, submitting or approving lists the placeholders still to fill, as errors."""


class IssueChecksPanel(Panel):
    """Read-only checklist: what the pre-send checks say about the version being edited."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletter/admin/issue_checks_panel.html"

        def get_context_data(self, parent_context=None):
            from newsletter.checks import issue_check_list

            context = super().get_context_data(parent_context)
            issue = self.instance
            if issue.pk:
                issue = issue.get_latest_revision_as_object()
            context["checks"] = issue_check_list(issue)
            context["problems"] = [check for check in context["checks"] if not check.ok]
            return context
