from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import avatars
from accounts.orgnumber import validate_org_number
from forum.validators import validate_no_direction_controls


class County(models.Model):
    """A fylke as it was in a given period (the 2020 reform merged several)."""

    number = models.CharField(_("fylkesnummer"), max_length=2)
    name = models.CharField(_("navn"), max_length=100)
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["number", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["number", "name"], name="county_number_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def current(self) -> OrganisationQuerySet:
        return self.filter(valid_to__isnull=True)

    def municipalities(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.KOMMUNE)

    def vendors(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.LEVERANDOR)

    def for_email_domain(self, domain: str) -> OrganisationQuerySet:
        return self.current().filter(domains__domain=domain.strip().lower())


class Organisation(models.Model):
    class Kind(models.TextChoices):
        KOMMUNE = "kommune", _("Kommune")
        FYLKESKOMMUNE = "fylkeskommune", _("Fylkeskommune")
        IKT_SAMARBEID = "ikt_samarbeid", _("Interkommunalt IT-samarbeid")
        LEVERANDOR = "leverandor", _("Leverandør")
        STATLIG = "statlig", _("Statlig virksomhet")
        ANNEN = "annen", _("Annen organisasjon")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("navn"), max_length=200, validators=[validate_no_direction_controls])
    slug = models.SlugField(_("adresse"), max_length=100, unique=True)
    municipality_number = models.CharField(
        _("kommunenummer"), max_length=4, blank=True, help_text=_("Fire siffer, f.eks. 3005.")
    )
    org_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Ni siffer fra Enhetsregisteret; det siste er et kontrollsiffer."),
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("fylke"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(
        _("gyldig til"), null=True, blank=True, help_text=_("Siste dag organisasjonen fantes.")
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("forgjengere"),
        symmetrical=False,
        blank=True,
        related_name="successors",
    )
    website = models.URLField(_("nettsted"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_number"],
                condition=Q(valid_to__isnull=True) & ~Q(municipality_number=""),
                name="one_current_municipality_per_number",
            ),
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="org_number_unique_when_set",
            ),
            models.CheckConstraint(
                condition=Q(municipality_number="") | Q(municipality_number__regex=r"^[0-9]{4}$"),
                name="municipality_number_four_digits",
            ),
            models.CheckConstraint(
                condition=Q(org_number="") | Q(org_number__regex=r"^[0-9]{9}$"),
                name="org_number_nine_digits",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        if self.municipality_number:
            return f"{self.name} ({self.municipality_number})"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", kwargs={"slug": self.slug})

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def is_municipal(self) -> bool:
        return self.kind in MUNICIPAL_KINDS


MUNICIPAL_KINDS = frozenset(
    {
        Organisation.Kind.KOMMUNE,
        Organisation.Kind.FYLKESKOMMUNE,
        Organisation.Kind.IKT_SAMARBEID,
    }
)


class OrganisationDomain(models.Model):
    """An e-mail domain that proves membership of an organisation (e.g. drammen.kommune.no)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("e-postdomene"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("e-postdomene")
        verbose_name_plural = _("e-postdomener")
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=models.functions.Lower("domain")),
                name="domain_is_lowercase",
            )
        ]

    def __str__(self) -> str:
        return self.domain


class OrganisationTenant(models.Model):
    """A Microsoft Entra ID tenant (a UUID) whose members speak for the organisation: signing
    in through it verifies the member for the organisation at once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tenants")
    tenant_id = models.UUIDField(_("Entra ID-tenant"), unique=True)
    added_by = models.ForeignKey(
        "User",
        verbose_name=_("lagt til av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("lagt til"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("Entra ID-tenant")
        verbose_name_plural = _("Entra ID-tenanter")
        ordering = ["tenant_id"]

    def __str__(self) -> str:
        return str(self.tenant_id)


class UserQuerySet(models.QuerySet):
    def with_public_page(self) -> UserQuerySet:
        """Members others may see (their page, a link to it from a mention): active, with
        their e-mail address confirmed. An address nobody confirmed proves no one is there."""
        from allauth.account.models import EmailAddress

        confirmed = EmailAddress.objects.filter(
            user=models.OuterRef("pk"), email=models.OuterRef("email"), verified=True
        )
        return self.filter(models.Exists(confirmed), is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A member. The e-mail address is the login; the display name is what others see."""

    class Verification(models.TextChoices):
        NONE = "", _("Ikke verifisert")
        DOMAIN = "domain", _("Verifisert med e-postdomene")
        MODERATOR = "moderator", _("Verifisert av moderator")
        SSO = "sso", _("Verifisert med innlogging fra organisasjonen")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-postadresse"), unique=True)
    display_name = models.CharField(
        _("visningsnavn"), max_length=100, help_text=_("Navnet andre ser, f.eks. «Kari Nordmann».")
    )
    job_title = models.CharField(_("stilling"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasjon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    organisation_verification = models.CharField(
        _("verifisering av organisasjon"),
        max_length=20,
        choices=Verification.choices,
        default=Verification.NONE,
        blank=True,
    )
    organisation_verified_at = models.DateTimeField(_("verifisert"), null=True, blank=True)
    organisation_verified_through = models.CharField(
        _("verifisert gjennom"),
        max_length=50,
        blank=True,
        help_text=_("Innloggingen (f.eks. «entra») som verifiserte organisasjonen."),
    )
    silenced_until = models.DateTimeField(
        _("skrivepause til"),
        null=True,
        blank=True,
        help_text=_("Medlemmet kan lese, men ikke skrive, til dette tidspunktet."),
    )
    silence_reason = models.CharField(_("grunn til skrivepause"), max_length=500, blank=True)
    suspended_at = models.DateTimeField(_("utestengt"), null=True, blank=True)
    suspension_reason = models.CharField(_("grunn til utestenging"), max_length=500, blank=True)
    avatar = models.FileField(
        _("profilbilde"),
        upload_to="avatars/",
        blank=True,
        editable=False,
        help_text=_("Vises ved navnet ditt. Lagres som et kvadratisk bilde vi tegner på nytt."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation_verification="") | Q(organisation__isnull=False),
                name="verified_member_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("topics:member", kwargs={"pk": self.pk})

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def initials(self) -> str:
        return avatars.initials(self.display_name or self.email)

    @property
    def avatar_colour(self) -> int:
        return avatars.colour_index(self.pk)

    @property
    def avatar_url(self) -> str:
        """The picture's address; it names the picture, so it changes when the picture does."""
        if not self.avatar:
            return ""
        return reverse(
            "accounts:avatar", kwargs={"pk": self.pk, "key": avatars.key_of(self.avatar.name)}
        )

    @property
    def is_silenced(self) -> bool:
        return bool(self.silenced_until and self.silenced_until > timezone.now())

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def organisation_is_verified(self) -> bool:
        return bool(self.organisation_id and self.organisation_verification)

    @cached_property
    def is_moderator(self) -> bool:
        """Members of the moderator group. Reads prefetched groups when they are there."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        if hasattr(self, "annotated_is_moderator"):  # set by ForumAuthenticationBackend
            return self.annotated_is_moderator
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "groups" in cache:
            return any(g.name == settings.MODERATOR_GROUP for g in cache["groups"])
        return self.groups.filter(name=settings.MODERATOR_GROUP).exists()


class MemberGroup(models.Model):
    """A named circle of members, e.g. the staff planning the merger «Nye Drammen».

    Categories with visibility «gruppe» are open to the members of their groups only.
    """

    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("adresse"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    created_by = models.ForeignKey(
        "User",
        verbose_name=_("opprettet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())
    members = models.ManyToManyField(
        "User",
        verbose_name=_("medlemmer"),
        through="MemberGroupMembership",
        through_fields=("group", "user"),
        related_name="member_groups",
        blank=True,
    )

    class Meta:
        verbose_name = _("gruppe")
        verbose_name_plural = _("grupper")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:group", kwargs={"slug": self.slug})


class MemberGroupMembership(models.Model):
    group = models.ForeignKey(MemberGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="group_memberships")
    added_by = models.ForeignKey(
        "User",
        verbose_name=_("lagt til av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("lagt til"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("gruppemedlemskap")
        verbose_name_plural = _("gruppemedlemskap")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")
        ]
        indexes = [models.Index(fields=["user", "group"], name="membership_by_user")]

    def __str__(self) -> str:
        return f"{self.user} i {self.group}"


class GroupInvitation(models.Model):
    """An invitation sent by e-mail; the link carries a signed token with the invitation's id."""

    group = models.ForeignKey(MemberGroup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-postadresse"))
    invited_by = models.ForeignKey(
        "User",
        verbose_name=_("invitert av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sendt"), db_default=models.functions.Now())
    accepted_at = models.DateTimeField(_("godtatt"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitasjon til gruppe")
        verbose_name_plural = _("invitasjoner til grupper")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="invitation_email_is_lowercase",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.group}"
