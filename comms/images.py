"""Uploaded images are decoded in full before they are accepted.

Wagtail and Django check an upload's size, type and header, not its pixels: a file cut off
halfway (a failed download or copy) passes those checks and then fails with a server error
when Pillow first reads the pixels (a rendition, the profile picture's resize). Every form of
the portal that takes an image decodes it here first and, if it cannot, says so on the form.
Pillow's ``LOAD_TRUNCATED_IMAGES`` stays off: a damaged picture is refused, not patched grey.
"""

import struct

from django.core.exceptions import ValidationError

from wagtail.admin.forms.account import AvatarPreferencesForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from PIL import Image

DAMAGED_IMAGE_MESSAGE = (
    "The image file is damaged or incomplete: its data stops before the end of the picture. "
    "Open it in an image editor and save it again (or download it again), then upload the "
    "new copy."
)

# What Pillow raises for a file whose data is cut short or garbled.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)


def image_decode_check(file) -> None:
    """Raise ``ValidationError`` (DAMAGED_IMAGE_MESSAGE) unless every pixel of ``file``'s first
    frame decodes. Leaves the file at its start for whoever reads it next."""
    if not file:
        return
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.load()
    except DECODE_ERRORS as error:
        raise ValidationError(DAMAGED_IMAGE_MESSAGE, code="damaged_image") from error
    finally:
        file.seek(0)


class PortalImageField(WagtailImageField):
    """Wagtail's image field, refusing a damaged file with a message. Wagtail's own checks
    read the pixels (``check_image_pixel_size``) and let Pillow's error through as a server
    error; what they accept is decoded in full here as well."""

    def to_python(self, data):
        try:
            file = super().to_python(data)
        except DECODE_ERRORS as error:
            raise ValidationError(DAMAGED_IMAGE_MESSAGE, code="damaged_image") from error
        image_decode_check(file)
        return file


class PortalImageForm(BaseImageForm):
    """Wagtail's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``: add, multiple add, chooser
    upload, edit) with ``PortalImageField`` for the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail makes the file field itself (``formfield_for_dbfield``), with no setting for
        # its class; this form's copy of it gets the subclass (same state, one more check).
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            field.__class__ = PortalImageField


class PortalAvatarForm(AvatarPreferencesForm):
    """Wagtail's profile picture form, with the picture decoded before Wagtail resizes it."""

    def clean_avatar(self):
        file = self.cleaned_data.get("avatar")
        if file and "avatar" in self.changed_data:
            image_decode_check(file)
        return super().clean_avatar()
