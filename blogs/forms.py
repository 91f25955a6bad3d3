from django import forms

from comms.placeholders.forms import PlaceholderFormMixin


class WriteFromTemplateForm(PlaceholderFormMixin, forms.Form):
    """Title and author of the new post, then one field per placeholder of the template."""

    title = forms.CharField(max_length=255, label="Post title")
    author_name = forms.CharField(
        max_length=200, required=False, label="Author", help_text="The name shown on the post."
    )

    def __init__(self, *args, placeholders, prefill, recommended_poster="", **kwargs):
        super().__init__(*args, **kwargs)
        if recommended_poster:
            self.fields["author_name"].help_text = f"Recommended poster: {recommended_poster}"
        self.add_placeholder_fields(placeholders, prefill)
