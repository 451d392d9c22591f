"""Issue 16 item 1: accounts by single-use, expiring invitation to the email on the record; the
emailed sign-in code; a family account never mixes with a staff one."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_email.models import EmailDevice

from audit.models import AuditEntry
from families import services
from families.models import FamilyLink, FamilyMember, Invitation
from tests.cases.factories import ChildFactory, caseworker, make_case

from .factories import parent_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-family-password-2026"  # noqa: S105 - test data


def invite(carer, *, actor=None, **kwargs):
    actor = actor or caseworker()
    with_token = services.invitation_send(
        actor=actor, child=carer.child, parent_carer=carer, **kwargs
    )
    return with_token


def test_invitation_goes_to_the_email_on_record_without_the_childs_name(
    django_capture_on_commit_callbacks,
):
    case = make_case()
    carer = parent_of(case.child, email="alex@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(carer)
    assert invitation.email == "alex@example.invalid"
    assert token not in invitation.token_hash
    (message,) = mail.outbox
    assert message.to == ["alex@example.invalid"]
    assert f"/family/invitation/{token}/" in message.body
    for private in (case.child.first_name, case.child.last_name, case.reference):
        assert private not in message.body
        assert private not in message.subject
    assert AuditEntry.objects.filter(verb="family.invite").count() == 1


def test_only_people_with_parental_responsibility_and_an_email_are_invited():
    child = make_case().child
    with pytest.raises(services.FamilyError, match="parental responsibility"):
        invite(parent_of(child, name="No Responsibility", responsibility=False))
    no_email = parent_of(child, name="No Email")
    no_email.email = ""
    no_email.save()
    with pytest.raises(services.FamilyError, match="email address"):
        invite(no_email)
    assert not Invitation.objects.exists()


def test_a_staff_email_cannot_be_invited():
    staff = caseworker()
    carer = parent_of(make_case().child, email=staff.email)
    with pytest.raises(services.FamilyError, match="member of staff"):
        invite(carer)


def test_only_a_young_person_is_invited_as_one():
    child = ChildFactory()
    with pytest.raises(services.FamilyError, match="not yet a young person"):
        services.invitation_send(actor=caseworker(), child=child, email="yp@example.invalid")


def test_accepting_creates_a_family_account_linked_to_that_child_only(client):
    carer = parent_of(make_case().child, email="alex@example.invalid")
    _, token = invite(carer)
    url = reverse("families:accept", args=[token])
    page = client.post(
        url, {"email": "Alex@Example.invalid", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert page.status_code == 302
    member = FamilyMember.objects.get()
    assert member.user.username == "alex@example.invalid"
    assert not member.user.groups.exists()
    assert not member.user.is_staff
    assert list(FamilyLink.objects.values_list("child_id", "parent_carer_id")) == [
        (carer.child_id, carer.pk)
    ]
    assert EmailDevice.objects.get(user=member.user).confirmed
    # Used once: the same link again is refused, plainly.
    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_invitation_for_another_email_is_refused_and_nothing_is_made(client):
    carer = parent_of(make_case().child, email="alex@example.invalid")
    _, token = invite(carer)
    page = client.post(
        reverse("families:accept", args=[token]),
        {"email": "someone.else@example.invalid", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert page.status_code == 200
    assert "Enter the email address the invitation was sent to" in page.content.decode()
    assert "There is a problem" in page.content.decode()
    assert not FamilyMember.objects.exists()


def test_an_expired_invitation_says_when_it_ended(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    carer = parent_of(make_case().child)
    _, token = invite(carer)
    time_machine.move_to(datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC))
    page = client.get(reverse("families:accept", args=[token]))
    assert page.status_code == 410
    assert "ended on 9 November 2026" in page.content.decode()


def test_a_new_invitation_replaces_the_old_one(client):
    carer = parent_of(make_case().child)
    _, first = invite(carer)
    _, second = invite(carer)
    assert client.get(reverse("families:accept", args=[first])).status_code == 410
    assert client.get(reverse("families:accept", args=[second])).status_code == 200


def test_weak_passwords_and_mismatches_are_refused_in_plain_words(client):
    carer = parent_of(make_case().child, email="alex@example.invalid")
    _, token = invite(carer)
    url = reverse("families:accept", args=[token])
    page = client.post(url, {"email": "alex@example.invalid", "password": "", "password_again": ""})
    assert "Enter a password" in page.content.decode()
    page = client.post(
        url, {"email": "alex@example.invalid", "password": PASSWORD, "password_again": "other"}
    )
    assert "The passwords do not match" in page.content.decode()
    assert "This field is required" not in page.content.decode()
    assert not FamilyMember.objects.exists()


@pytest.mark.password_only
def test_family_sign_in_asks_for_the_emailed_code(client, time_machine):
    carer = parent_of(make_case().child, email="alex@example.invalid")
    _, token = invite(carer)
    client.post(
        reverse("families:accept", args=[token]),
        {"email": "alex@example.invalid", "password": PASSWORD, "password_again": PASSWORD},
    )
    mail.outbox.clear()
    signed = client.post(
        reverse("login"), {"username": "alex@example.invalid", "password": PASSWORD}
    )
    assert signed.status_code == 302
    landing = client.get(reverse("families:home"))
    assert landing.url.startswith(reverse("families:sign-in-code"))
    code_page = client.get(landing.url)
    assert code_page.status_code == 200
    (message,) = mail.outbox
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    assert carer.child.first_name not in message.body
    wrong = client.post(landing.url, {"code": "000000", "action": "verify"})
    assert "The code is not right" in wrong.content.decode()
    # A wrong code slows the next try (django-otp's throttling): a moment later it works.
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=5))
    client.post(landing.url, {"code": code, "action": "verify"})
    assert client.get(reverse("families:home")).status_code == 200


@pytest.mark.password_only
def test_a_new_code_at_most_once_a_minute(client):
    carer = parent_of(make_case().child, email="alex@example.invalid")
    _, token = invite(carer)
    client.post(
        reverse("families:accept", args=[token]),
        {"email": "alex@example.invalid", "password": PASSWORD, "password_again": PASSWORD},
    )
    client.post(reverse("login"), {"username": "alex@example.invalid", "password": PASSWORD})
    mail.outbox.clear()
    url = reverse("families:sign-in-code")
    client.get(url)
    page = client.post(url, {"action": "send"}, follow=True)
    assert len(mail.outbox) == 1
    assert "Wait a minute" in page.content.decode()


def test_caseworker_invites_and_revokes_from_the_case_page(client):
    staff = caseworker()
    case = make_case(actor=staff)
    carer = parent_of(case.child, name="Alex Parent", email="alex@example.invalid")
    client.force_login(staff)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert "Family portal" in page.content.decode()
    assert "Not invited" in page.content.decode()
    client.post(reverse("families:invite", args=[case.reference]), {"parent_carer": carer.pk})
    assert Invitation.objects.filter(parent_carer=carer).count() == 1
    from tests.families.factories import family_account

    member = family_account(carer=carer)
    link = member.links.get()
    client.post(reverse("families:revoke", args=[case.reference, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert AuditEntry.objects.filter(verb="family.revoke", actor=staff).count() == 1


def test_another_cases_parent_cannot_be_invited_through_this_case(client):
    staff = caseworker()
    case = make_case(actor=staff)
    other_carer = parent_of(make_case().child)
    client.force_login(staff)
    page = client.post(
        reverse("families:invite", args=[case.reference]), {"parent_carer": other_carer.pk}
    )
    assert page.status_code == 404
    assert not Invitation.objects.exists()


def test_invite_and_revoke_are_for_caseworkers_and_managers(client):
    from tests.cases.factories import UserFactory

    case = make_case()
    carer = parent_of(case.child)
    client.force_login(UserFactory())
    response = client.post(
        reverse("families:invite", args=[case.reference]), {"parent_carer": carer.pk}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invitation_expiry_is_seven_days(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False)
    invitation, _ = invite(parent_of(make_case().child))
    assert invitation.expires_at == timezone.now() + datetime.timedelta(days=7)


def test_too_many_failed_invitation_tries_from_one_address_are_refused(client):
    """Bad input and abuse: a link that does not work, or the wrong email for a good one,
    counts; after the limit even a good link is refused (429) until the window ends."""
    from families import throttle  # noqa: PLC0415

    carer = parent_of(make_case().child)
    _invitation, token = invite(carer)
    good = reverse("families:accept", args=[token])
    for attempt in range(throttle.INVITATION_ATTEMPTS_LIMIT - 1):
        assert client.get(reverse("families:accept", args=[f"guess{attempt}"])).status_code == 410
    wrong_email = {"email": "someone.else@example.invalid", "password": "x", "password_again": "x"}
    assert client.post(good, wrong_email).status_code == 200  # the tenth failure
    refused = client.get(good)
    assert refused.status_code == 429
    assert "too many tries" in refused.content.decode()
    assert not FamilyMember.objects.exists()
