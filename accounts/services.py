"""Every write of the accounts app: people, units, alliances, memberships, tokens, language.

Each service asks accounts.permissions whether its actor (a person, or the system actor in scripts:
accounts.actors) may act, validates, saves in one durable transaction, and appends its audit entry inside it.
The `_person_create` and `_membership_grant` halves run inside a caller's service, which has asked its own right
first (a roster import: the right to enter people for each row's unit). Real-name
numbers enter the audit log masked: the log records that a number changed and who changed it, while the number
itself stays only on the person's record, where the masking rules guard it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.actors import SYSTEM, Actor
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
from accounts.permissions import Action, forget_grants, grants_sql, prime_grants, require
from accounts.tokens import MAX_DAYS, TokenState, TokenTimes, display_prefix, generate_token, hash_token, token_state
from audit.services import audit_record
from core import sql
from core.errors import Conflict, FieldError, NotAuthenticated, ValidationFailed
from core.lookup import filter_in


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
    return _label_of(User, name)


def _label_of(model: Any, name: str) -> Any:
    return getattr(model._meta.get_field(name), "verbose_name", name)


_REASON_LABEL = _("原因")
_DAYS_LABEL = _("有效天数")
_PASSWORD_LABEL = _("当前密码")


def _clean_person(data: PersonData, *, user_pk: int | None) -> tuple[PersonData, Any, list[FieldError]]:
    """Validated, normalised data and the birth date from the ID number; every bad field is reported."""
    cleaned, birth, errors = _clean_person_fields(data)
    if cleaned.id_number:
        holders = User.objects.filter(id_number=cleaned.id_number)
        if user_pk is not None:
            holders = holders.exclude(pk=user_pk)
        if holders.exists():
            errors.insert(0, FieldError("id_number", "id_number.taken", label=_label("id_number")))
    return cleaned, birth, errors


def _clean_person_fields(data: PersonData) -> tuple[PersonData, Any, list[FieldError]]:
    """`_clean_person` without the database: the rules of each field alone (a batch asks the database once)."""
    errors: list[FieldError] = []
    id_number, birth, mobile = "", None, ""
    if data.id_number:
        try:
            info = parse_id_number(data.id_number, today=timezone.localdate())
            id_number, birth = info.number, info.birth_date
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
    limits = {"real_name": _max_length("real_name"), "email": _max_length("email")}
    errors.extend(_text_problems({"real_name": data.real_name, "email": data.email}, limits))
    if data.email.strip() and (problem := _email_problem(data.email.strip())) is not None:
        errors.append(problem)
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


@dataclass(frozen=True, slots=True)
class NewPerson:
    """A person a batch creates: their username and their data; they get no password (they set one later)."""

    username: str
    data: PersonData


def _people_create(*, actor: Actor, people: Sequence[NewPerson]) -> list[User]:
    """`_person_create` for many people at once inside a caller's transaction (a roster import of thousands): the
    same rules and one audit entry per person, with the database asked once per kind of check (ID numbers and
    usernames already taken, in batches) and the rows inserted in bulk. Every bad field of every person is
    reported, named `people[i].field`; nobody is created unless all are good."""
    errors: list[FieldError] = []
    cleaned: list[tuple[PersonData, Any]] = []
    for index, person in enumerate(people):
        data, birth, problems = _clean_person_fields(person.data)
        errors += [FieldError(f"people[{index}].{e.field}", e.code, e.params, e.default, e.label) for e in problems]
        cleaned.append((data, birth))
    numbers = [data.id_number for data, _birth in cleaned if data.id_number]
    taken_numbers = set(filter_in(User.objects.values_list("id_number", flat=True), "id_number", numbers))
    taken_names = set(filter_in(User.objects.values_list("username", flat=True), "username",
                                [p.username for p in people]))
    seen_numbers: set[str] = set()
    seen_names: set[str] = set()
    for index, (person, (data, _birth)) in enumerate(zip(people, cleaned, strict=True)):
        if data.id_number and (data.id_number in taken_numbers or data.id_number in seen_numbers):
            errors.append(FieldError(f"people[{index}].id_number", "id_number.taken", label=_label("id_number")))
        if person.username in taken_names or person.username in seen_names:
            errors.append(FieldError(f"people[{index}].username", "username.taken", {"value": person.username}))
        seen_numbers.add(data.id_number)
        seen_names.add(person.username)
    if errors:
        raise ValidationFailed(errors)
    users = []
    for person, (data, birth) in zip(people, cleaned, strict=True):
        # What set_unusable_password stores ("!" and random text, never a usable hash), from one urandom call
        # rather than forty: for thousands of people that was a tenth of the import.
        users.append(User(username=person.username, real_name=data.real_name, id_number=data.id_number,
                          birth_date=birth, mobile=data.mobile, email=data.email, language=data.language,
                          password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)))
    User.objects.bulk_create(users)
    for user in users:
        audit_record(actor=actor, action="accounts.person.created", target=user, new=_person_snapshot(user))
    return users


@dataclass(frozen=True, slots=True)
class PersonChanges:
    """What an edit of a person's record changes (PATCH semantics): None leaves a field as it is, "" clears it."""

    real_name: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    email: str | None = None


class IdentityLocked(ValidationFailed):
    """A person tried to change their own real name or ID number once set: only staff may, with a reason (403)."""

    status = 403


# Fields that say who a person is: set once by the person, afterwards corrected only by staff with a reason, so
# nobody can put someone else's ID number or name on their own account (issue 9 item 2; DESIGN.md "People and
# files").
IDENTITY_FIELDS = ("real_name", "id_number")
REASON_MAX_LENGTH = 500


def _text_problems(values: dict[str, str], limits: dict[str, int]) -> list[FieldError]:
    """NUL characters and over-long text, each named by its field (the database would refuse both, as a 500)."""
    problems: list[FieldError] = []
    for field, value in values.items():
        label = _REASON_LABEL if field == "reason" else _label(field)
        if "\x00" in value:
            problems.append(FieldError(field, "field.control_character", label=label))
        elif len(value) > limits[field]:
            problems.append(FieldError(field, "field.too_long", {"max": limits[field]}, label=label))
    return problems


def _email_problem(email: str) -> FieldError | None:
    try:
        validate_email(email)
    except DjangoValidationError:
        return FieldError("email", "email.format", label=_label("email"))
    return None


@transaction.atomic(durable=True)
def person_update(*, actor: User, user: User, changes: PersonChanges, reason: str = "") -> User:
    """Change what `changes` gives of a person's record and nothing else; old and new values (masked) are audited.

    The real name and the ID number, once set, change only by someone else with the right (their unit's staff, the
    admin) and a reason; the person themself gets IdentityLocked naming the field. Every bad field is reported and
    nothing is changed."""
    user = User.objects.select_for_update().get(pk=user.pk)
    require(actor, Action.PROFILE_EDIT, user)
    given = {name: getattr(changes, name) for name in ("real_name", "id_number", "mobile", "email")}
    given = {name: value for name, value in given.items() if value is not None}
    limits = {"real_name": _max_length("real_name"), "id_number": 32, "mobile": 20, "email": _max_length("email"),
              "reason": REASON_MAX_LENGTH}
    errors = _text_problems({**given, "reason": reason}, limits)
    bad = {error.field for error in errors}
    new: dict[str, Any] = {}
    if "real_name" in given and "real_name" not in bad:
        new["real_name"] = given["real_name"].strip()
    if "id_number" in given and "id_number" not in bad:
        if given["id_number"].strip() == "":
            new["id_number"], new["birth_date"] = "", user.birth_date
        else:
            cleaned, birth, problems = _clean_person(PersonData(id_number=given["id_number"]), user_pk=user.pk)
            errors.extend(problems)
            if not problems:
                new["id_number"], new["birth_date"] = cleaned.id_number, birth
    if "mobile" in given and "mobile" not in bad:
        cleaned, _birth, problems = _clean_person(PersonData(mobile=given["mobile"]), user_pk=user.pk)
        errors.extend(problems)
        new["mobile"] = cleaned.mobile
    if "email" in given and "email" not in bad:
        email = given["email"].strip()
        problem = _email_problem(email) if email else None
        if problem is not None:
            errors.append(problem)
        new["email"] = email
    locked: list[FieldError] = []
    for field in IDENTITY_FIELDS:
        if field in new and getattr(user, field) and new[field] != getattr(user, field):
            if actor.pk == user.pk:
                locked.append(FieldError(field, "person.identity_locked", label=_label(field)))
            elif not reason.strip() and "reason" not in bad:
                errors.append(FieldError("reason", "person.identity_reason", {"name": str(_label(field))},
                                         label=_REASON_LABEL))
                bad.add("reason")
    if locked:
        raise IdentityLocked([*locked, *errors])
    if errors:
        raise ValidationFailed(errors)
    if all(getattr(user, field) == value for field, value in new.items()):
        return user
    old = _person_snapshot(user)
    for field, value in new.items():
        setattr(user, field, value)
    user.save(update_fields=list(new))
    audit_record(
        actor=actor, action="accounts.person.updated", target=user, old=old, new=_person_snapshot(user),
        reason=reason,
    )
    return user


def _max_length(name: str) -> int:
    length: int = getattr(User._meta.get_field(name), "max_length", None) or 0
    return length


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


@dataclass(frozen=True, slots=True)
class Grant:
    """A role to grant a person in a unit (no unit: platform admin)."""

    user: User
    role: Role
    organization: Organization | None


def _memberships_grant(*, actor: Actor, grants: Sequence[Grant]) -> list[Membership]:
    """`_membership_grant` for many at once inside a caller's transaction (the people a roster import creates):
    the same rules, one audit entry each, the existing memberships read in batches and the new ones inserted in
    bulk."""
    if any((g.role == Role.PLATFORM_ADMIN) != (g.organization is None) for g in grants):
        raise ValidationFailed([FieldError("organization", "membership.unit_required")])
    wanted = {(g.user.pk, g.role, g.organization.pk if g.organization else None) for g in grants}
    held = filter_in(Membership.objects.values_list("user_id", "role", "organization_id"), "user_id",
                     [g.user.pk for g in grants])
    if len(wanted) != len(grants) or wanted & set(held):
        raise Conflict("membership.exists")
    memberships = Membership.objects.bulk_create(
        [Membership(user=g.user, role=g.role, organization=g.organization) for g in grants]
    )
    for grant in grants:
        forget_grants(grant.user)
        audit_record(
            actor=actor, action="accounts.membership.granted", target=grant.user,
            new={"role": grant.role, "organization": grant.organization.pk if grant.organization else None},
        )
    return memberships


@transaction.atomic(durable=True)
def membership_revoke(*, actor: Actor, membership: Membership, reason: str) -> None:
    """Take a role away; the person's live API tokens are revoked with it (a token carries no role of its own,
    so one made while the role was held must not go on acting for the person as if nothing had changed)."""
    _require_membership_right(actor, membership.role, membership.organization)
    old = {"role": membership.role, "organization": membership.organization_id}
    user = membership.user
    membership.delete()
    forget_grants(user)
    audit_record(actor=actor, action="accounts.membership.revoked", target=user, old=old, reason=reason)
    tokens_revoke_all_inside(actor=actor, user=user, reason=reason or "membership revoked")


@transaction.atomic(durable=True)
def person_deactivate(*, actor: Actor, user: User, reason: str) -> User:
    """Close a person's account: they can no longer sign in, and every live API token of theirs is revoked."""
    require(actor, Action.PERSON_DEACTIVATE, user)
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "field.required", label=_REASON_LABEL)])
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        audit_record(actor=actor, action="accounts.person.deactivated", target=user, old={"is_active": True},
                     new={"is_active": False}, reason=reason)
    tokens_revoke_all_inside(actor=actor, user=user, reason=reason)
    return user


def tokens_revoke_all_inside(*, actor: Actor, user: User, reason: str) -> int:
    """Revoke every live token of `user` inside the caller's transaction (a service's, or the admin site's when a
    role is taken away or the account closed there), one audit entry each."""
    now = timezone.now()
    live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in live:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
        token.revoked_at = now
        audit_record(actor=actor, action="accounts.token.revoked", target=token, old={"revoked_at": None},
                     new={"revoked_at": now}, reason=reason)
    return len(live)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


@transaction.atomic(durable=True)
def token_create(*, actor: Actor, user: User, name: str, days: int = 90, password: str | None = None) -> IssuedToken:
    """Issue a bearer token for a device or integration, expiring within 1 to MAX_DAYS (365) days.

    A person making a token must confirm their own password (`password`): a stolen page session alone cannot
    mint a long-lived credential. Scripts (the system actor: `manage.py create_token`) need none. The API lets
    only a page session reach this, so a token can never mint a token (accounts.api)."""
    require(actor, Action.TOKEN_MANAGE, user)
    errors: list[FieldError] = []
    if not 1 <= days <= MAX_DAYS:
        errors.append(FieldError("days", "token.days", {"max": MAX_DAYS}, label=_DAYS_LABEL))
    if not name.strip():
        errors.append(FieldError("name", "field.required", label=_label_of(ApiToken, "name")))
    elif "\x00" in name:
        errors.append(FieldError("name", "field.control_character", label=_label_of(ApiToken, "name")))
    if actor is not SYSTEM and not (password and isinstance(actor, User) and actor.check_password(password)):
        errors.append(FieldError("password", "token.password", label=_PASSWORD_LABEL))
    if errors:
        raise ValidationFailed(errors)
    plaintext = generate_token()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=display_prefix(plaintext), key_hash=hash_token(plaintext),
        created_at=now, expires_at=now + timedelta(days=days),
    )
    audit_record(
        actor=actor, action="accounts.token.created", target=token,
        new={"user": user.pk, "name": token.name, "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return IssuedToken(token=token, plaintext=plaintext)


@transaction.atomic(durable=True)
def token_revoke(*, actor: Actor, token: ApiToken, reason: str = "") -> ApiToken:
    require(actor, Action.TOKEN_MANAGE, token)
    if "\x00" in reason:
        raise ValidationFailed([FieldError("reason", "field.control_character", label=_REASON_LABEL)])
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


def _token_sql() -> str:
    # The token, its user and the user's grants in one statement, written once (core.sql: composing it with the
    # ORM cost more CPU than any other part of a mark); only quoted names from the models go into the text.
    return (
        f"SELECT {_TOKEN_COLUMNS.sql()}, {_TOKEN_USER_COLUMNS.sql()}, {grants_sql('t.user_id')} "  # noqa: S608
        f"FROM {sql.table(ApiToken)} t INNER JOIN {sql.table(User)} u ON u.id = t.user_id WHERE t.key_hash = %s"
    )


_TOKEN_COLUMNS = sql.Columns(ApiToken, "t")
_TOKEN_USER_COLUMNS = sql.Columns(User, "u")


def token_authenticate(plaintext: str) -> User:
    """The user behind a bearer token, or NotAuthenticated saying whether it is unknown, expired or revoked.

    One query: the token with its user and the user's grants (`accounts.permissions.grants_sql`). Records when
    the token was last used, at most once a minute, with a conditional update so that busy devices do not write
    on every request.
    """
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [hash_token(plaintext)])
        row = cursor.fetchone()
    if row is None:
        raise NotAuthenticated("token.invalid", {}, "Invalid token.")
    token = _TOKEN_COLUMNS.load(row)
    token.user = _TOKEN_USER_COLUMNS.load(row, _TOKEN_COLUMNS.width)
    if not token.user.is_active:
        raise NotAuthenticated("token.invalid", {}, "Invalid token.")
    prime_grants(token.user, row[-1])
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
    "IdentityLocked",
    "IssuedToken",
    "PersonChanges",
    "PersonData",
    "alliance_create",
    "alliance_member_add",
    "membership_grant",
    "membership_revoke",
    "organization_create",
    "person_create",
    "person_deactivate",
    "person_make_superuser",
    "person_update",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "tokens_revoke_all_inside",
    "user_set_language",
]
