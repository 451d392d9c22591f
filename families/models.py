"""Families' portal accounts (issue 16, ehc-process.md sections 10-11): who may sign in to see
which child's requests, and the single-use invitations that create those accounts.

A family account is an ordinary Django user with a `FamilyMember` row and no staff role: the
two never mix (families.services refuses to invite a staff user's email, and cases.roles gives
a family member no role). What a family member may see is decided by `FamilyLink`s, each to one
child, through families.selectors.visible_children (parental responsibility, and a young
person's consent, are read at every request, so a withdrawn consent ends access at once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Child, ParentCarer


class FamilyMember(models.Model):
    """A person who signs in to the family portal. Never a member of staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_member"
    )
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class FamilyLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class FamilyLink(models.Model):
    """A family member's access to one child's requests: as a person with parental
    responsibility (`parent_carer` set) or as the young person themselves."""

    member = models.ForeignKey(FamilyMember, on_delete=models.CASCADE, related_name="links")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_links")
    parent_carer = models.ForeignKey(
        ParentCarer, on_delete=models.CASCADE, null=True, blank=True, related_name="family_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = FamilyLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "child"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_family_link_per_child",
            )
        ]

    def __str__(self):
        return f"Family portal access to {self.child}"

    @property
    def is_young_person(self) -> bool:
        return self.parent_carer_id is None


class Invitation(models.Model):
    """A single-use, expiring invitation to the portal, sent to the email on the record of a
    person with parental responsibility (or given for the young person). Only a hash of the
    token is stored: the link in the email is the only copy."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_invitations")
    parent_carer = models.ForeignKey(
        ParentCarer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def is_for_young_person(self) -> bool:
        return self.parent_carer_id is None


class WrittenAs(models.TextChoices):
    PARENT = "parent", "A parent or carer"
    YOUNG_PERSON = "young_person", "The young person"


class FamilyViews(models.Model):
    """The family's own views and the child's voice ("All about me"), given through the portal
    for a request's `parent_views` advice (issue 16 item 3, reg 6(1)(a)). Submitting them
    submits that advice request: `submission` is its document and summary."""

    advice_request = models.ForeignKey(
        "advice_requests.AdviceRequest", on_delete=models.PROTECT, related_name="family_views"
    )
    submission = models.OneToOneField(
        "advice_requests.AdviceSubmission", on_delete=models.PROTECT, related_name="family_views"
    )
    member = models.ForeignKey(
        FamilyMember, on_delete=models.SET_NULL, null=True, related_name="views_given"
    )
    given_by_name = models.CharField(max_length=200)
    written_as = models.CharField(max_length=16, choices=WrittenAs.choices)
    likes_and_good_at = models.TextField()
    finds_hard = models.TextField()
    hopes = models.TextField()
    what_helps = models.TextField()
    parent_views = models.TextField(blank=True)
    document_uploaded = models.BooleanField(
        default=False,
        help_text="The family sent their own document (else the document is these answers).",
    )
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"Views given by {self.given_by_name}"
