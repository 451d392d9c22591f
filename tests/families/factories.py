"""Family portal test data: a parent with parental responsibility, and their account."""

from cases.models import ParentCarer
from families.models import FamilyLink, FamilyMember
from tests.cases.factories import UserFactory


def parent_of(child, *, name="Alex Parent", email="", responsibility=True) -> ParentCarer:
    return ParentCarer.objects.create(
        child=child,
        name=name,
        relationship="Parent",
        email=email or f"{name.split()[0].lower()}.{child.pk}@example.invalid",
        has_parental_responsibility=responsibility,
    )


def family_account(*, carer=None, child=None, username=None) -> FamilyMember:
    """A family member linked to `carer`'s child (or to `child` as the young person)."""
    child = child or carer.child
    user = UserFactory(username=username or f"family{child.pk}-{carer.pk if carer else 'yp'}")
    member = FamilyMember.objects.create(user=user, name=carer.name if carer else child.full_name)
    FamilyLink.objects.create(member=member, child=child, parent_carer=carer)
    return member
