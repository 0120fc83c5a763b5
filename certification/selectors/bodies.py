"""Reads of the certificate-issuing bodies' pages (issue 13, certpages): the list of bodies with their filing codes
(备案) and certificate counts, and one body's certificates filtered and paginated. The caller has chosen and
checked the bodies (certification.access: `access_bodies`, `access_body_certificates`); the certificates are the
certificates selector's views (certification.selectors.certificates.certificate_view), masked as everywhere.

Choices where the design is silent:
- The bodies listed are the exam centers (考核站点/评价机构) and every other unit that has filing codes or has
  issued a certificate (an enterprise evaluating its own staff, an organizer issuing a promotion's certificate):
  a unit that never issued and was never filed has nothing to show, and the admin files an exam center first.
- The search box takes a certificate number or part of one (spaces ignored, letters upper-cased) or part of the
  holder's name; the status and batch filters are exact. Newest first, 50 a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from accounts.models import Organization, OrganizationKind
from certification.models import Batch, BodyFiling, Certificate, CertificateStatus
from certification.selectors.certificates import CertificateView, certificate_view

PER_PAGE = 50


def issuing_bodies() -> QuerySet[Organization]:
    """Every unit that is or may be a certificate-issuing body (module docstring), by name."""
    filed = BodyFiling.objects.values("organization_id")
    issued = Certificate.objects.values("body_id")
    return Organization.objects.filter(
        Q(kind=OrganizationKind.EXAM_CENTER) | Q(pk__in=filed) | Q(pk__in=issued)).order_by("name", "pk")


@dataclass(frozen=True, slots=True)
class BodyRow:
    organization_id: int
    name: str
    kind_label: str
    filed: bool
    agency_code: str
    province_code: str
    site_serial: str
    certificates: int


def body_rows(bodies: list[Organization]) -> list[BodyRow]:
    """The bodies with their filing codes and how many certificates each issued (two queries for all)."""
    ids = [b.pk for b in bodies]
    filings = {f.organization_id: f for f in BodyFiling.objects.filter(organization_id__in=ids)}
    counts = dict(Certificate.objects.filter(body_id__in=ids).order_by().values("body_id")
                  .annotate(n=Count("pk")).values_list("body_id", "n"))
    rows = []
    for body in bodies:
        filing = filings.get(body.pk)
        rows.append(BodyRow(body.pk, body.name, str(OrganizationKind(body.kind).label), filing is not None,
                            filing.agency_code if filing else "", filing.province_code if filing else "",
                            filing.site_serial if filing else "", counts.get(body.pk, 0)))
    return rows


@dataclass(frozen=True, slots=True)
class CertificateFilters:
    batch_id: int | None = None
    status: str = ""  # a CertificateStatus value, "" for all
    q: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class BodyCertificatesPage:
    body_id: int
    body_name: str
    filters: CertificateFilters
    certificates: list[CertificateView]
    total: int
    page: int
    pages: int
    batches: list[Choice]
    statuses: list[Choice]


def normalised_filters(*, batch: str, status: str, q: str) -> CertificateFilters:
    """The filters as typed, with anything unknown dropped (a hand-edited URL lists everything, not an error)."""
    return CertificateFilters(
        batch_id=int(batch) if batch.isdigit() else None,
        status=status if status in CertificateStatus.values else "",
        q=q.strip()[:50],
    )


def body_certificates_page(body: Organization, filters: CertificateFilters, page: int) -> BodyCertificatesPage:
    """One page of the body's certificates (module docstring)."""
    queryset = Certificate.objects.filter(body=body)
    if filters.batch_id is not None:
        queryset = queryset.filter(registration__batch_id=filters.batch_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.q:
        number = "".join(filters.q.split()).upper()
        queryset = queryset.filter(Q(number__contains=number) | Q(holder_name__icontains=filters.q))
    queryset = queryset.select_related("superseded_by", "supersedes", "registration").order_by("-issued_at", "-pk")
    paginator = Paginator(queryset, PER_PAGE)
    shown = paginator.get_page(page)
    batches = [Choice(str(pk), f"{code} {name}") for pk, code, name in
               Batch.objects.filter(body=body).order_by("-pk").values_list("pk", "code", "name")]
    return BodyCertificatesPage(
        body_id=body.pk, body_name=body.name, filters=filters,
        certificates=[certificate_view(c) for c in shown.object_list], total=paginator.count,
        page=shown.number, pages=paginator.num_pages, batches=batches,
        statuses=[Choice(str(value), str(label)) for value, label in CertificateStatus.choices],
    )
