"""A form with one field per distinct placeholder: what an editor fills to tailor a template."""

from django import forms

from .engine import Kind, Placeholder


def _suggestions(placeholder: Placeholder) -> str:
    if not placeholder.suggestions:
        return ""
    return " Suggestions from the pack: " + "; ".join(placeholder.suggestions) + "."


def placeholder_field(placeholder: Placeholder) -> forms.Field:
    """The form field for one placeholder: its own text is the label and the help."""
    if placeholder.kind is Kind.OPTIONAL:
        return forms.BooleanField(
            required=False,
            initial=True,
            label="Keep this optional paragraph",
            help_text=f"“{placeholder.prompt}” Untick to leave it out of the post.",
        )
    if placeholder.kind is Kind.CHOICE:
        continuation = f" {placeholder.continuation}" if placeholder.continuation else ""
        return forms.ChoiceField(
            required=False,
            choices=[(choice, choice + continuation) for choice in placeholder.choices],
            widget=forms.RadioSelect,
            label=f"Pick one: [{'/'.join(placeholder.choices)}]{continuation}",
            help_text="Leave unpicked to keep the alternatives marked in the draft.",
            error_messages={
                "invalid_choice": "“%(value)s” is not one of the alternatives: pick one of "
                "them, or leave them unpicked and write your own wording in the draft."
            },
        )
    if placeholder.kind is Kind.OR:
        return forms.CharField(
            required=False,
            max_length=200,
            label=f"[{placeholder.prompt}]",
            help_text=(
                f"Leave empty to keep “{placeholder.default}”, or type what your institution "
                "calls it."
                if placeholder.default
                else "Leave empty to drop it, or type the wording to use."
            ),
        )
    if placeholder.kind is Kind.SUGGESTION:
        return forms.CharField(
            required=False,
            max_length=500,
            initial=placeholder.prompt,
            label=f"[{placeholder.prompt}]",
            help_text="Suggested wording: keep it, rewrite it, or empty it to leave it marked."
            + _suggestions(placeholder),
        )
    return forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=f"[{placeholder.prompt}]",
        help_text="Typed as plain text. Leave empty to fill it in later in the editor."
        + _suggestions(placeholder),
    )


class PlaceholderFormMixin:
    """Adds a field per placeholder; ``placeholder_values()`` gives the engine's values."""

    def add_placeholder_fields(self, placeholders: list[Placeholder], prefill: dict) -> None:
        self.placeholders = placeholders
        for placeholder in placeholders:
            field = placeholder_field(placeholder)
            if placeholder.key in prefill:
                field.initial = prefill[placeholder.key]
            self.fields[placeholder.field_name] = field

    def placeholder_values(self) -> dict:
        """Values by placeholder key, for ``fill_html``/``fill_stream``: empty prompts are left
        out (they stay marked); an empty "or" keeps its default; optional gives keep/drop."""
        values = {}
        for placeholder in self.placeholders:
            value = self.cleaned_data.get(placeholder.field_name)
            if placeholder.kind in (Kind.OR, Kind.OPTIONAL) or value:
                values[placeholder.key] = value
        return values
