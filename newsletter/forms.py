"""Admin forms: assembling an issue, sending a test, scheduling a send, uploading subscribers."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from comms.validators import no_control_characters
from newsletter.models import MailingList
from newsletter.scheduling import parse_london_time
from newsletter.services.testsend import newsletter_test_send_rule


class AssembleForm(forms.Form):
    title = forms.CharField(
        max_length=255,
        help_text="e.g. “Trusted Research newsletter – March 2025”. You can change it later.",
    )


class TestSendForm(forms.Form):
    email = forms.EmailField(
        label="Send the test to",
        error_messages={"invalid": "Enter an email address like name@example.ac.uk."},
        validators=[no_control_characters],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, initial={"email": user.email}, **kwargs)
        limit = settings.NEWSLETTER_TEST_SEND_LIMIT
        self.fields["email"].help_text = (
            f"{newsletter_test_send_rule(user=user)} At most {limit} tests an hour; each one "
            "is recorded in the issue's history."
        )


class ScheduleForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        queryset=MailingList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Mailing lists",
        help_text="People on more than one list get one email.",
    )
    # The hint is a format, never an example value: a greyed date looks filled in.
    at = forms.CharField(
        label="Send at (UK time)",
        required=False,
        help_text="Leave empty to send now. Format: YYYY-MM-DD HH:MM, UK time (GMT or BST, as "
        "on the day).",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Shown only when the issue has already gone to one of the lists (the send-again rule).
    again = forms.BooleanField(
        label="Send again anyway",
        required=False,
        help_text="People on the lists who had it will get it a second time.",
    )
    reason = forms.CharField(
        label="Reason for sending again",
        required=False,
        max_length=500,
        help_text="A few words, recorded in the issue's history, e.g. \"The first send had the "
        'wrong event date."',
    )

    def clean_at(self):
        value = self.cleaned_data["at"].strip()
        if not value:
            return None
        return parse_london_time(value)  # ValidationError names the clock change


class ImportForm(forms.Form):
    mailing_list_name = forms.CharField(
        label="Mailing list",
        max_length=100,
        help_text="The list's name. A new name creates the list.",
        validators=[no_control_characters],
    )
    # About 100,000 addresses; a bigger list is split, or imported with `import_subscribers`.
    MAX_BYTES = 5 * 1024 * 1024

    csv_file = forms.FileField(
        label="CSV file",
        help_text="A header row with 'email' and optionally 'name'; comma or semicolon; UTF-8; "
        "at most 5 MB.",
    )

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(
                "The file is larger than 5 MB, the limit for an import here. Split it into "
                "files of up to 5 MB and import each one (or use the import_subscribers command)."
            )
        return upload
