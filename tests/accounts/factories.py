"""Factories of the accounts app. They write rows directly, for speed; services are tested on their own."""

from __future__ import annotations

import random
from datetime import date

import factory

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from accounts.synthetic import synthetic_id_number, synthetic_mobile

_rng = random.Random(11643)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n:03d}")
    kind = OrganizationKind.ENTERPRISE
    city = "济南市"


def _unused_id_number(born: date) -> str:
    """A synthetic 身份证号 nobody in the test database holds yet. A birthday has only 3,000 of them (6 districts ×
    500 serial numbers), so a test's dozen people drawn at random shared one in a few percent of tests, which
    failed on the unique column depending on which tests ran before."""
    while True:
        number = synthetic_id_number(_rng, born=born, male=True)
        if not User.objects.filter(id_number=number).exists():
            return number


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    real_name = factory.Sequence(lambda n: f"测试{n}")
    birth_date = date(1990, 5, 17)
    id_number = factory.LazyAttribute(lambda o: _unused_id_number(o.birth_date))
    mobile = factory.LazyFunction(lambda: synthetic_mobile(_rng))
    password = factory.django.Password("pw-for-tests-2026")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.REFEREE


def person(role: Role | None, unit: Organization | None, **kwargs: object) -> User:
    """A person holding `role` in `unit` (no role when `role` is None)."""
    user = UserFactory(**kwargs)
    if role is not None:
        MembershipFactory(user=user, role=role, organization=None if role == Role.PLATFORM_ADMIN else unit)
    return user
