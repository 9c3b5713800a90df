from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from directory.models import Sector, System
from forum.fields import SafeModelChoiceField, SafeModelMultipleChoiceField
from forum.validators import validate_clean_text, validate_no_direction_controls
from topics.attachments.files import ACCEPT, InspectedFile, check_post_total, inspect_upload
from topics.models import Attachment, Category, Post, Topic
from topics.validators import validate_markdown_shape

NUL_MESSAGE = _("Teksten inneholder et ugyldig tegn (nulltegn). Fjern det og prøv igjen.")
BODY_HELP = _("Du kan bruke Markdown: **fet**, *kursiv*, lister, lenker og `kode`.")


class MarkdownTextarea(forms.Textarea):
    """A post's text: static/js/editor.js adds the toolbar, the preview and uploads into the
    text; without JavaScript it is a plain textarea."""

    template_name = "forms/widgets/markdown_textarea.html"


class BodyField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Tekst"))
        kwargs.setdefault("help_text", BODY_HELP)
        kwargs.setdefault("max_length", settings.POST_MAX_LENGTH)
        kwargs.setdefault("widget", MarkdownTextarea(attrs={"rows": 10}))
        kwargs.setdefault("validators", [validate_clean_text, validate_markdown_shape])
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Skriv en tekst før du sender."),
                "max_length": _(
                    "Teksten kan ha høyst %(limit_value)d tegn (den har %(show_value)d). "
                    "Del den gjerne opp i flere innlegg."
                ),
                "null_characters_not_allowed": NUL_MESSAGE,
            },
        )
        super().__init__(**kwargs)


class TitleField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Tittel"))
        kwargs.setdefault(
            "help_text", _("Si kort hva det gjelder, f.eks. «Migrering av sak/arkiv til Noark 5».")
        )
        kwargs.setdefault("max_length", settings.TITLE_MAX_LENGTH)
        kwargs.setdefault("min_length", 5)
        kwargs.setdefault("validators", [validate_clean_text, validate_no_direction_controls])
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Tråden må ha en tittel."),
                "max_length": _(
                    "Tittelen kan ha høyst %(limit_value)d tegn (den har %(show_value)d)."
                ),
                "min_length": _(
                    "Tittelen må ha minst %(limit_value)d tegn (den har %(show_value)d)."
                ),
                "null_characters_not_allowed": NUL_MESSAGE,
            },
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, object]:
        """No maxlength: the browser would cut a pasted title short without a word. The page
        counts the characters as they are typed (static/js/editor.js), and a title that is
        too long comes back whole, with the error by the field."""
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["data-max-length"] = str(self.max_length)
        attrs["data-text-count"] = TITLE_COUNT
        attrs["data-text-over"] = TITLE_OVER
        return attrs


TITLE_COUNT = _("%(count)s av %(limit)s tegn")
TITLE_OVER = _("%(over)s tegn for mye: tittelen kan ha høyst %(limit)s")
MAX_SECTORS = 10


class ClientTokenField(forms.UUIDField):
    """A one-time token in the form, stored with the post: a form sent twice (a double
    click, a retried request) creates one post."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", uuid.uuid4)
        kwargs.setdefault(
            "error_messages", {"invalid": _("Skjemaet er ugyldig. Last siden på nytt.")}
        )
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _attachments_help() -> str:
    return gettext(
        "PDF, Office-dokumenter, bilder, CSV, tekst eller ZIP. Høyst %(files)d filer, "
        "%(file_size)s per fil og %(post_size)s til sammen."
    ) % {
        "files": settings.ATTACHMENT_MAX_FILES_PER_POST,
        "file_size": filesizeformat(settings.ATTACHMENT_MAX_FILE_BYTES),
        "post_size": filesizeformat(settings.ATTACHMENT_MAX_POST_BYTES),
    }


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by content (topics.attachments)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Vedlegg"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", lazy(_attachments_help, str)())
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault(
            "error_messages",
            {
                "empty": _("Filen er tom."),
                "invalid": _("Det som ble sendt, er ikke en fil."),
                "missing": _("Filen kom ikke fram. Prøv igjen."),
            },
        )
        super().__init__(**kwargs)

    def clean(self, data: object, initial: object = None) -> list[InspectedFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        errors: list[ValidationError] = []
        files: list[InspectedFile] = []
        for upload in uploads:
            try:
                files.append(inspect_upload(upload))
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            errors.append(ValidationError(_("Velg filene på nytt når du har rettet feilen.")))
            raise ValidationError(errors)
        try:
            check_post_total(files, existing_count=0, existing_bytes=0)
        except ValidationError as exc:
            raise ValidationError([exc, _("Velg filene på nytt.")]) from exc
        return files


class TopicForm(forms.Form):
    title = TitleField()
    category = SafeModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.none(),
        empty_label=_("Velg kategori"),
        error_messages={
            "required": _("Velg en kategori."),
            "invalid_choice": _("Velg en kategori fra listen."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[c for c in Topic.Kind.choices if c[0] != Topic.Kind.WORKSHOP],
        initial=Topic.Kind.SPORSMAL,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg en av typene i listen.")},
    )
    verdict = forms.ChoiceField(
        label=_("Vurdering"),
        choices=Topic.Verdict.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Bare for erfaringer: var erfaringen positiv, negativ eller blandet?"),
    )
    sectors = SafeModelMultipleChoiceField(
        label=_("Sektorer"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Velg de sektorene tråden gjelder, så finner de rette folkene den."),
    )
    systems = SafeModelMultipleChoiceField(
        label=_("Systemer"),
        queryset=System.objects.approved().select_related("vendor"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Gjelder tråden et bestemt fagsystem? Da finner de som bruker det, tråden."),
    )
    body = BodyField()
    client_token = ClientTokenField()
    attachments = AttachmentsField()

    def __init__(self, *args: object, categories: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["systems"].label_from_instance = lambda s: f"{s.name} ({s.vendor.name})"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if cleaned.get("kind") == Topic.Kind.ERFARING:
            if not cleaned.get("verdict"):
                self.add_error("verdict", _("Si om erfaringen var positiv, negativ eller blandet."))
        else:
            cleaned["verdict"] = ""
        return cleaned

    def clean_sectors(self) -> object:
        sectors = self.cleaned_data["sectors"]
        if len(sectors) > MAX_SECTORS:
            raise forms.ValidationError(
                _("Velg høyst %(limit)d sektorer."), params={"limit": MAX_SECTORS}
            )
        return sectors


class ReplyForm(forms.Form):
    body = BodyField(label=_("Ditt svar"))
    client_token = ClientTokenField()
    attachments = AttachmentsField()


_CLIENT_KEY_STANDIN = "00000000-0000-4000-8000-000000000000"


def blank_reply_form() -> SafeString:
    """The empty reply form under a topic: rendered once per language in each process (it
    took a tenth of the topic page's time), and each page gets its own one-time token."""
    key = f"blank-reply-form:{get_language()}"
    fragments = caches["template_fragments"]
    html = fragments.get(key)
    if html is None:
        html = str(ReplyForm(initial={"client_token": _CLIENT_KEY_STANDIN}))
        fragments.set(key, html, 3600)
    return mark_safe(html.replace(_CLIENT_KEY_STANDIN, str(uuid.uuid4()), 1))


class VersionField(forms.IntegerField):
    """The version the form was opened on (see topics.actions.EditConflict)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class EditPostForm(forms.Form):
    title = TitleField()
    body = BodyField()
    version = VersionField()
    topic_version = VersionField()
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Fjern vedlegg"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = AttachmentsField(label=_("Nye vedlegg"))

    def __init__(
        self, *args: object, with_title: bool, post: Post | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
            del self.fields["topic_version"]
        existing = post.attachments.all() if post is not None else Attachment.objects.none()
        if existing:
            self.fields["remove_attachments"].queryset = existing
        else:
            del self.fields["remove_attachments"]


class HidePostForm(forms.Form):
    reason = forms.CharField(
        label=_("Grunn"), max_length=500, required=False, help_text=_("Vises for forfatteren.")
    )


class DraftForm(forms.Form):
    """What static/js/drafts.js sends every few seconds (and the «Lagre utkast» button)."""

    place = forms.CharField(max_length=50)
    title = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False)


class ReminderInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BookmarkForm(forms.Form):
    note = forms.CharField(
        label=_("Notat"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bare du ser notatet."),
        error_messages={"max_length": _("Notatet kan ha høyst %(limit_value)d tegn.")},
    )
    remind_at = forms.DateTimeField(
        label=_("Påminn meg"),
        required=False,
        widget=ReminderInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Du får et varsel da. La feltet stå tomt for ingen påminnelse."),
        error_messages={"invalid": _("Skriv dato og klokkeslett, for eksempel 24.12.2026 09:00.")},
    )
