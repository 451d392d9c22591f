"""Every write of the family portal: invitations, accepting one, revoking access, and the
emailed sign-in code. Each is audited (who, when, what) like every other change."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_email.models import EmailDevice

from audit.services import audit_record
from cases.models import Child, ParentCarer

from .models import FamilyLink, FamilyMember, Invitation

INVITATION_DAYS_DEFAULT = 7
EMAIL_DEVICE_NAME = "Email"

NOT_PARENTAL_RESPONSIBILITY = (
    "Only a person with parental responsibility can be invited. Change their details first."
)
NO_EMAIL = "Add an email address for this person before inviting them."
NOT_YOUNG_PERSON = (
    "The child is not yet a young person: invite the people with parental responsibility."
)
STAFF_EMAIL = (
    "This email address belongs to a member of staff. A staff account cannot be used for the "
    "family portal: ask for another email address."
)
INVITATION_NOT_FOUND = (
    "This invitation link does not work. Check you copied the whole link from the email, or "
    "ask your caseworker for a new invitation."
)
INVITATION_USED = "This invitation has already been used. Sign in instead."
INVITATION_EXPIRED = "This invitation ended on {date}. Ask your caseworker to send you a new one."
INVITATION_OTHER_EMAIL = (
    "Enter the email address the invitation was sent to. If it has changed, ask your caseworker "
    "for a new invitation."
)
ACCOUNT_EXISTS = (
    "You already have an account for the family portal. Sign in, then open the invitation link "
    "again to add this request to your account."
)


class FamilyError(Exception):
    """A refused family-portal action; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _site_url(path: str) -> str:
    return f"{settings.EHC_SITE_URL.rstrip('/')}{path}"


def _staff_email(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email, family_member__isnull=True).exists()


def invitation_email_text(*, link: str, expires_on: datetime.date) -> tuple[str, str]:
    """Section 11: what a family email says. No child's name, needs or reasons: only that
    there is something to see, and where."""
    subject = "You are invited to see a request for an EHC needs assessment online"
    body = (
        "Hello,\n\n"
        "Your council's special educational needs team has invited you to see a request for an "
        "education, health and care needs assessment online. You can see where the request is "
        "and what happens next.\n\n"
        f"Create your account: {link}\n\n"
        f"This link works once, until {expires_on.day} {expires_on:%B %Y}.\n\n"
        "If you were not expecting this email, you can ignore it.\n"
    )
    return subject, body


@transaction.atomic
def invitation_send(
    *,
    actor,
    child: Child,
    parent_carer: ParentCarer | None = None,
    email: str = "",
    now: datetime.datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite a person with parental responsibility (by the email on their record) or the
    young person (by the email they give) to the portal. Earlier unused invitations for the
    same person stop working. Returns the invitation and the token (sent, never stored)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if parent_carer is not None:
        if parent_carer.child_id != child.pk or not parent_carer.has_parental_responsibility:
            raise FamilyError(NOT_PARENTAL_RESPONSIBILITY)
        email = parent_carer.email
        if not email:
            raise FamilyError(NO_EMAIL)
    else:
        if not child.is_young_person(today):
            raise FamilyError(NOT_YOUNG_PERSON)
        if not email:
            raise FamilyError(NO_EMAIL, field="email")
    if _staff_email(email):
        raise FamilyError(STAFF_EMAIL, field="email" if parent_carer is None else None)
    Invitation.objects.filter(
        child=child, parent_carer=parent_carer, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    token = secrets.token_urlsafe(32)
    days = getattr(settings, "EHC_FAMILY_INVITATION_DAYS", INVITATION_DAYS_DEFAULT)
    invitation = Invitation.objects.create(
        token_hash=_hash(token),
        email=email,
        child=child,
        parent_carer=parent_carer,
        invited_by=actor,
        expires_at=now + datetime.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        verb="family.invite",
        target=invitation,
        payload={"to": "young person" if parent_carer is None else parent_carer.name},
    )
    link = _site_url(reverse("families:accept", args=[token]))
    subject, body = invitation_email_text(
        link=link, expires_on=timezone.localdate(invitation.expires_at)
    )
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation, token


def invitation_for_token(token: str, *, now: datetime.datetime | None = None) -> Invitation:
    """The usable invitation behind a link, or FamilyError saying plainly why not."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("child", "parent_carer")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None or invitation.withdrawn_at is not None:
        raise FamilyError(INVITATION_NOT_FOUND)
    if invitation.accepted_at is not None:
        raise FamilyError(INVITATION_USED)
    if invitation.expires_at <= now:
        expired = timezone.localdate(invitation.expires_at)
        raise FamilyError(INVITATION_EXPIRED.format(date=f"{expired.day} {expired:%B %Y}"))
    return invitation


def _link(*, member: FamilyMember, invitation: Invitation) -> FamilyLink:
    link = FamilyLink.objects.active().filter(member=member, child=invitation.child).first()
    if link is None:
        link = FamilyLink.objects.create(
            member=member, child=invitation.child, parent_carer=invitation.parent_carer
        )
    return link


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    email: str,
    password: str = "",
    user=None,
    now: datetime.datetime | None = None,
) -> FamilyLink:
    """Use an invitation once: create the family account (a user with no staff role, signing
    in with their email, a password and a code sent to that email), or add the child to the
    signed-in family member's account. The email must be the one invited."""
    now = now or timezone.now()
    invitation = invitation_for_token(token, now=now)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise FamilyError(INVITATION_USED)
    if email.strip().lower() != invitation.email.lower():
        raise FamilyError(INVITATION_OTHER_EMAIL, field="email")
    User = get_user_model()
    if user is not None and user.is_authenticated:
        member = getattr(user, "family_member", None)
        if member is None or user.email.lower() != invitation.email.lower():
            raise FamilyError(INVITATION_OTHER_EMAIL, field="email")
    else:
        if User.objects.filter(username__iexact=invitation.email).exists():
            raise FamilyError(ACCOUNT_EXISTS)
        if _staff_email(invitation.email):
            raise FamilyError(STAFF_EMAIL, field="email")
        try:
            validate_password(password)
        except ValidationError as error:
            raise FamilyError(" ".join(error.messages), field="password") from error
        user = User.objects.create_user(
            username=invitation.email.lower(), email=invitation.email.lower(), password=password
        )
        name = (
            invitation.parent_carer.name if invitation.parent_carer else invitation.child.full_name
        )
        member = FamilyMember.objects.create(user=user, name=name)
        EmailDevice.objects.create(
            user=user, name=EMAIL_DEVICE_NAME, email=user.email, confirmed=True
        )
    link = _link(member=member, invitation=invitation)
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    audit_record(actor=user, verb="family.invitation_accept", target=link)
    return link


@transaction.atomic
def family_access_revoke(
    *, actor, link: FamilyLink, reason: str = "", now: datetime.datetime | None = None
) -> FamilyLink:
    """Issue 16 item 6: the caseworker ends a person's portal access to this child at once."""
    link = FamilyLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = now or timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, verb="family.revoke", target=link, reason=reason)
    return link


def sign_in_code_send(*, user) -> bool:
    """Email a sign-in code to a family member (django-otp's EmailDevice: one code a minute at
    most, and wrong codes slow further tries). False when a code was sent too recently."""
    device = EmailDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return False
    allowed, _ = device.generate_is_allowed()
    if not allowed:
        return False
    device.generate_challenge()
    return True
