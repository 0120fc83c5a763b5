"""Every write of the accounts app: people, units, alliances, memberships, tokens, language.

Each service asks accounts.permissions whether its actor (a person, or the system actor in scripts:
accounts.actors) may act, validates, saves in one durable transaction, and appends its audit entry inside it.
The `_person_create` and `_membership_grant` halves run inside a caller's service, which has asked its own right
first (a roster import: the right to enter people for each row's unit). Real-name
numbers enter the audit log masked: the log records that a number changed and who changed it, while the number
itself stays only on the person's record, where the masking rules guard it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.identity import (
    InvalidIdNumber,
    InvalidMobile,
    mask_id_number,
    mask_mobile,
    normalise_mobile,
    parse_id_number,
)
from accounts.models import (
    Alliance,
    AllianceKind,
    AllianceMember,
    ApiToken,
    Language,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from accounts.permissions import Action, forget_grants, grants_subquery, prime_grants, require
from accounts.tokens import MAX_DAYS, TokenState, TokenTimes, display_prefix, generate_token, hash_token, token_state
from audit.services import audit_record
from core.errors import Conflict, FieldError, NotAuthenticated, ValidationFailed


@dataclass(frozen=True, slots=True)
class PersonData:
    """What a person's record holds besides the password; empty strings mean "not given"."""

    real_name: str = ""
    id_number: str = ""
    mobile: str = ""
    email: str = ""
    language: str = ""


def _person_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "real_name": user.real_name,
        "id_number": mask_id_number(user.id_number),
        "mobile": mask_mobile(user.mobile),
        "email": user.email,
        "language": user.language,
        "is_active": user.is_active,
    }


def _label(name: str) -> Any:
    return getattr(User._meta.get_field(name), "verbose_name", name)


def _clean_person(data: PersonData, *, user_pk: int | None) -> tuple[PersonData, Any, list[FieldError]]:
    """Validated, normalised data and the birth date from the ID number; every bad field is reported."""
    errors: list[FieldError] = []
    id_number, birth, mobile = "", None, ""
    if data.id_number:
        try:
            info = parse_id_number(data.id_number, today=timezone.localdate())
            id_number, birth = info.number, info.birth_date
            holders = User.objects.filter(id_number=id_number)
            if user_pk is not None:
                holders = holders.exclude(pk=user_pk)
            if holders.exists():
                errors.append(FieldError("id_number", "id_number.taken", label=_label("id_number")))
        except InvalidIdNumber as exc:
            errors.append(FieldError("id_number", exc.code, exc.params, exc.default, _label("id_number")))
    if data.mobile:
        try:
            mobile = normalise_mobile(data.mobile)
        except InvalidMobile as exc:
            errors.append(FieldError("mobile", exc.code, exc.params, exc.default, _label("mobile")))
    if data.language and data.language not in Language.values:
        errors.append(FieldError("language", "field.invalid"))
    cleaned = PersonData(
        real_name=data.real_name.strip(), id_number=id_number, mobile=mobile, email=data.email.strip(),
        language=data.language,
    )
    return cleaned, birth, errors


@transaction.atomic(durable=True)
def person_create(*, actor: Actor, username: str, password: str | None, data: PersonData) -> User:
    """Create a person's account; validates the ID number (GB 11643) and mobile number, reporting every field."""
    require(actor, Action.PERSON_CREATE)
    return _person_create(actor=actor, username=username, password=password, data=data)


def _person_create(*, actor: Actor, username: str, password: str | None, data: PersonData) -> User:
    """`person_create` inside a caller's transaction (a roster import creates many people all-or-nothing)."""
    cleaned, birth, errors = _clean_person(data, user_pk=None)
    if User.objects.filter(username=username).exists():
        errors.append(FieldError("username", "username.taken", {"value": username}))
    if password:
        try:
            validate_password(password, User(username=username, email=cleaned.email))
        except DjangoValidationError as exc:
            errors.extend(FieldError("password", "field.invalid", {}, str(m)) for m in exc.messages)
    if errors:
        raise ValidationFailed(errors)
    user = User(
        username=username, real_name=cleaned.real_name, id_number=cleaned.id_number, birth_date=birth,
        mobile=cleaned.mobile, email=cleaned.email, language=cleaned.language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action="accounts.person.created", target=user, new=_person_snapshot(user))
    return user


@transaction.atomic(durable=True)
def person_update(*, actor: User, user: User, data: PersonData, reason: str = "") -> User:
    """Change a person's real-name data; the old and new values (masked) go into the audit log."""
    user = User.objects.select_for_update().get(pk=user.pk)
    require(actor, Action.PROFILE_EDIT, user)
    cleaned, birth, errors = _clean_person(data, user_pk=user.pk)
    if errors:
        raise ValidationFailed(errors)
    old = _person_snapshot(user)
    user.real_name, user.id_number, user.birth_date = cleaned.real_name, cleaned.id_number, birth
    user.mobile, user.email, user.language = cleaned.mobile, cleaned.email, cleaned.language
    user.save()
    audit_record(
        actor=actor, action="accounts.person.updated", target=user, old=old, new=_person_snapshot(user),
        reason=reason,
    )
    return user


@transaction.atomic(durable=True)
def person_make_superuser(*, actor: Actor, user: User) -> User:
    """Let a platform admin into the admin site (which still asks accounts.permissions as well)."""
    require(actor, Action.PLATFORM_ADMIN_GRANT)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.is_staff = user.is_superuser = True
    audit_record(
        actor=actor, action="accounts.person.superuser_granted", target=user,
        old={"is_staff": False, "is_superuser": False}, new={"is_staff": True, "is_superuser": True},
    )
    return user


@transaction.atomic(durable=True)
def user_set_language(*, user: User, language: str) -> User:
    """A person's own interface language; they are the actor."""
    require(user, Action.PROFILE_EDIT, user)
    if language not in Language.values:
        raise ValidationFailed([FieldError("language", "field.invalid")])
    old = user.language
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    audit_record(
        actor=user, action="accounts.person.language_set", target=user, old={"language": old},
        new={"language": language},
    )
    return user


@transaction.atomic(durable=True)
def organization_create(
    *, actor: Actor, name: str, kind: OrganizationKind, city: str, short_name: str = "", credit_code: str = ""
) -> Organization:
    require(actor, Action.ORGANIZATION_MANAGE)
    errors = []
    if not name.strip():
        errors.append(FieldError("name", "field.required"))
    elif Organization.objects.filter(name=name.strip()).exists():
        errors.append(FieldError("name", "field.invalid", {}, "A unit with this name exists."))
    if not city.strip():
        errors.append(FieldError("city", "field.required"))
    if errors:
        raise ValidationFailed(errors)
    org = Organization.objects.create(
        name=name.strip(), kind=kind, city=city.strip(), short_name=short_name, credit_code=credit_code
    )
    audit_record(
        actor=actor, action="accounts.organization.created", target=org,
        new={"name": org.name, "kind": org.kind, "city": org.city},
    )
    return org


@transaction.atomic(durable=True)
def alliance_create(*, actor: Actor, name: str, kind: AllianceKind, lead: Organization) -> Alliance:
    require(actor, Action.ORGANIZATION_MANAGE, lead)
    alliance = Alliance.objects.create(name=name, kind=kind, lead=lead)
    AllianceMember.objects.create(alliance=alliance, organization=lead)
    audit_record(
        actor=actor, action="accounts.alliance.created", target=alliance,
        new={"name": name, "kind": kind, "lead": lead.pk},
    )
    return alliance


@transaction.atomic(durable=True)
def alliance_member_add(*, actor: Actor, alliance: Alliance, organization: Organization) -> AllianceMember:
    require(actor, Action.ORGANIZATION_MANAGE, alliance)
    member, created = AllianceMember.objects.get_or_create(alliance=alliance, organization=organization)
    if created:
        audit_record(
            actor=actor, action="accounts.alliance.member_added", target=alliance,
            new={"organization": organization.pk},
        )
    return member


def _require_membership_right(actor: Actor, role: str, organization: Organization | None) -> None:
    """Roles of a unit: who manages that unit's memberships; the platform admin role: an admin (or a script)."""
    if role == Role.PLATFORM_ADMIN:
        require(actor, Action.PLATFORM_ADMIN_GRANT)
    else:
        require(actor, Action.MEMBERSHIP_MANAGE, organization)


@transaction.atomic(durable=True)
def membership_grant(*, actor: Actor, user: User, role: Role, organization: Organization | None) -> Membership:
    """Give a person a role in a unit (the platform admin role has no unit; every other role has one)."""
    _require_membership_right(actor, role, organization)
    return _membership_grant(actor=actor, user=user, role=role, organization=organization)


def _membership_grant(*, actor: Actor, user: User, role: Role, organization: Organization | None) -> Membership:
    """`membership_grant` inside a caller's transaction."""
    if (role == Role.PLATFORM_ADMIN) != (organization is None):
        raise ValidationFailed([FieldError("organization", "membership.unit_required")])
    if Membership.objects.filter(user=user, role=role, organization=organization).exists():
        raise Conflict("membership.exists")
    membership = Membership.objects.create(user=user, role=role, organization=organization)
    forget_grants(user)
    audit_record(
        actor=actor, action="accounts.membership.granted", target=user,
        new={"role": role, "organization": organization.pk if organization else None},
    )
    return membership


@transaction.atomic(durable=True)
def membership_revoke(*, actor: Actor, membership: Membership, reason: str) -> None:
    _require_membership_right(actor, membership.role, membership.organization)
    old = {"role": membership.role, "organization": membership.organization_id}
    user = membership.user
    membership.delete()
    forget_grants(user)
    audit_record(actor=actor, action="accounts.membership.revoked", target=user, old=old, reason=reason)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


@transaction.atomic(durable=True)
def token_create(*, actor: Actor, user: User, name: str, days: int | None = 90) -> IssuedToken:
    """Issue a bearer token for a device or integration; `days=None` means no expiry (integrations only)."""
    require(actor, Action.TOKEN_MANAGE, user)
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationFailed([FieldError("days", "token.days", {"max": MAX_DAYS})])
    if not name.strip():
        raise ValidationFailed([FieldError("name", "field.required")])
    plaintext = generate_token()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=display_prefix(plaintext), key_hash=hash_token(plaintext),
        created_at=now, expires_at=now + timedelta(days=days) if days is not None else None,
    )
    audit_record(
        actor=actor, action="accounts.token.created", target=token,
        new={"user": user.pk, "name": token.name, "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return IssuedToken(token=token, plaintext=plaintext)


@transaction.atomic(durable=True)
def token_revoke(*, actor: Actor, token: ApiToken, reason: str = "") -> ApiToken:
    require(actor, Action.TOKEN_MANAGE, token)
    # Conditional update: of two concurrent revocations only the first records a time and an audit entry.
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now) == 0:
        token.refresh_from_db()
        return token
    token.revoked_at = now
    audit_record(
        actor=actor, action="accounts.token.revoked", target=token, old={"revoked_at": None},
        new={"revoked_at": now}, reason=reason,
    )
    return token


_LAST_USED_GRANULARITY = timedelta(minutes=1)


def token_authenticate(plaintext: str) -> User:
    """The user behind a bearer token, or NotAuthenticated saying whether it is unknown, expired or revoked.

    Records when the token was last used, at most once a minute, with a conditional update so that busy
    devices do not write on every request.
    """
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=hash_token(plaintext))
        .annotate(user_grants=grants_subquery("user_id")).first()
    )
    if token is None or not token.user.is_active:
        raise NotAuthenticated("token.invalid", {}, "Invalid token.")
    prime_grants(token.user, token.user_grants)
    now = timezone.now()
    state = token_state(TokenTimes(token.expires_at, token.revoked_at), now)
    if state is TokenState.REVOKED:
        raise NotAuthenticated(
            "token.revoked", {"revoked_at": timezone.localtime(token.revoked_at).strftime("%Y-%m-%d %H:%M")},
            "The token has been revoked.",
        )
    if state is TokenState.EXPIRED:
        raise NotAuthenticated(
            "token.expired", {"expired_at": timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")},
            "The token has expired.",
        )
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


__all__ = [
    "IssuedToken",
    "PersonData",
    "alliance_create",
    "alliance_member_add",
    "membership_grant",
    "membership_revoke",
    "organization_create",
    "person_create",
    "person_make_superuser",
    "person_update",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "user_set_language",
]
