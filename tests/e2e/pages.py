"""Every page of the portal, found from the URL resolver and filled with real demo objects.

``portal_pages(client_for)`` walks the resolver, fills each parameter with objects that
``load_demo`` created and asks the Django test client, as each demo role, which filled URL gives
that role a page (200 and HTML). A new URL pattern is covered without touching this module as long
as its name follows ``app:<entity>-<action>`` with the entity naming a model of the app (or a
suffix of one: ``batch`` → ``PaymentBatch``); otherwise add it to ``ENTITY_MODELS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Demo accounts (dfed.people.demo.DEMO_USERS), one per role.
ROLES = ["admin", "jingban", "xiangzhen", "shenhe", "lingdao", "jijian"]

# Namespace → app label where they differ.
NAMESPACE_APPS: dict[str, str] = {}

# Entities whose model name is not the entity or a suffix of it.
ENTITY_MODELS = {
    "member": "homes.membership",
    "template": "homes.starassessmenttemplate",
    "assessment": "homes.starassessment",
    "check": "accessibility.communitycheck",
    "attachment": "subsidies.applicationattachment",
    "recovery": "subsidies.recoveryitem",
    "session": "integrity.studysession",
    "risk": "integrity.riskpoint",
    "decision": "integrity.majordecision",
    "visit": "integrity.servicevisit",
    "annual": "reports.annualsummary",
}

# Patterns that are not pages anyone opens by URL (with the reason).
NOT_PAGES = {
    "healthz": "health check (text)",
    "set_language": "POST only",
    "logout": "POST only",
    "reports:widget-data": "chart JSON",
    "subsidies:batch-progress": "progress of a running generation (token from the POST)",
    "imports:progress": "an import job started by an upload",
    "imports:status": "an import job started by an upload",
    "imports:preview": "an import job started by an upload",
    "imports:result": "an import job started by an upload",
    "accessibility:photo-file": "an image file",
    "accessibility:check-evidence": "an uploaded file",
    "subsidies:attachment-download": "an uploaded file",
    "people:externallist-preview": "an upload job started by a POST",
    "people:externallist-template": "a spreadsheet download",
    "subsidies:batch-return-job": "a bank-return upload job started by a POST",
    "imports:error-file": "a spreadsheet download of an import job",
    "subsidies:attachment-delete": "POST only",
    "subsidies:recovery-mark": "POST only",
    "reports:annual-progress": "progress of an annual summary started by a POST",
    "reports:annual-download": "a Word download",
    "service:receipt": "behind /service/'s SMS verification (tests/e2e/test_family_service.py)",
}

CANDIDATES = 6
# Roles that must open a pattern before the crawl moves on (one visit per language).
ROLES_PER_PATTERN = 2

# Third-party admin screens left out of the browser sample (still checked for server errors):
# django-celery-beat's split date/time inputs carry no label (to fix upstream).
ADMIN_NOT_SAMPLED = ("/admin/django_celery_beat/periodictask/",)


@dataclass
class Pattern:
    route: str
    name: str
    converters: dict[str, str] = field(default_factory=dict)


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[Pattern]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            converters = {
                key: type(conv).__name__.replace("Converter", "").lower()
                for key, conv in p.pattern.converters.items()
            }
            yield Pattern(prefix + str(p.pattern), name, converters)


def url_patterns() -> list[Pattern]:
    """Every named pattern outside the Django admin, in resolver order."""
    return [
        p
        for p in _walk(get_resolver().url_patterns)
        if p.name and not p.name.startswith("admin:") and p.name not in NOT_PAGES
    ]


def pattern_model(pattern: Pattern) -> type[models.Model]:
    """The model whose primary key fills ``<int:pk>`` of this pattern."""
    namespace, _, short = pattern.name.rpartition(":")
    entity = short.split("-")[0]
    if entity in ENTITY_MODELS:
        return apps.get_model(ENTITY_MODELS[entity])
    label = NAMESPACE_APPS.get(namespace, namespace)
    found = [
        m
        for m in apps.get_app_config(label).get_models()
        if not m._meta.model_name.startswith("historical")
        and (m._meta.model_name == entity or m._meta.model_name.endswith(entity))
    ]
    if len(found) != 1:
        raise LookupError(
            f"{pattern.name}: 无法确定 <pk> 对应的模型（{found}），请写入 ENTITY_MODELS"
        )
    return found[0]


def _candidate_pks(model: type[models.Model]) -> list:
    """Up to CANDIDATES primary keys: the first of every status, then spread over the table."""
    pks: list = []
    names = {f.name for f in model._meta.get_fields()}
    if "status" in names:
        for status in model.objects.order_by().values_list("status", flat=True).distinct():
            first = model.objects.filter(status=status).order_by("pk").values_list("pk", flat=True)
            pks.append(first[0])
    all_pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(all_pks) // CANDIDATES)
    pks += [pk for pk in all_pks[::step] if pk not in pks]
    return pks[:CANDIDATES]


def _fillings(pattern: Pattern) -> Iterator[dict]:
    if not pattern.converters:
        yield {}
        return
    keys = list(pattern.converters)
    if keys == ["year"]:
        yield {"year": dt.date.today().year}
        return
    if keys == ["pk"]:
        for pk in _candidate_pks(pattern_model(pattern)):
            yield {"pk": pk}
        return
    if keys == ["key"]:  # an importer's pages (dfed.imports): every registered one
        from dfed.imports.registry import importer_list

        yield from ({"key": importer.key} for importer in importer_list(pages=True))
        return
    if "action" in keys:  # POST-only action endpoints: one try shows a 405
        first = next(iter(_candidate_pks(pattern_model(pattern))), 1)
        yield {"pk": first, "action": "approve"}
        return
    raise LookupError(f"{pattern.name}: 不知道如何填写参数 {keys}")


def _is_page(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


@dataclass
class Page:
    name: str
    path: str
    roles: list[str]


def portal_pages(
    client_for: Callable[[str], Client],
) -> tuple[list[Page], list[str], list[str]]:
    """Pages (each with the roles that may open it), the patterns no role could open, and the
    URLs that answered with a server error.

    A pattern is "not a page" when a role allowed to use it gets a redirect (an index that
    forwards), 405 (POST only) or a non-HTML body (a download).
    """
    pages: dict[str, Page] = {}
    uncovered = []
    errors = []
    for n, pattern in enumerate(url_patterns()):
        covered = False
        not_page = False
        opened = 0
        # Start with another role for each pattern, so every role's menus are seen across pages,
        # and stop once ROLES_PER_PATTERN roles opened it (the browser visits two per pattern).
        for role in ROLES[n % len(ROLES) :] + ROLES[: n % len(ROLES)]:
            if opened >= ROLES_PER_PATTERN:
                break
            client = client_for(role)
            for kwargs in _fillings(pattern):
                path = reverse(pattern.name, kwargs=kwargs)
                response = client.get(path)
                if _is_page(response):
                    pages.setdefault(path, Page(pattern.name, path, [])).roles.append(role)
                    covered = True
                    opened += 1
                    break
                if response.status_code in (302, 405) or response.status_code == 200:
                    not_page = True  # an index that forwards, a POST-only action, a download
                    break
                if response.status_code >= 500:
                    errors.append(f"{role} {path} → {response.status_code}")
                if response.status_code == 403:
                    break
        if not covered and not not_page:
            uncovered.append(pattern.name)
    # One page per pattern and role: the first filled URL that worked for the role.
    by_pattern: dict[tuple[str, str], str] = {}
    result: dict[str, Page] = {}
    for page in pages.values():
        for role in page.roles:
            key = (page.name, role)
            if key in by_pattern:
                continue
            by_pattern[key] = page.path
            result.setdefault(page.path, Page(page.name, page.path, [])).roles.append(role)
    return list(result.values()), uncovered, errors


def admin_pages(client: Client) -> tuple[list[str], list[str], list[str]]:
    """The Django admin as the client sees it: every page (index, each app, each model's list,
    add form and first object), a sample of them for the browser (index, apps, lists, and the
    first add and change form of each app) and the pages that answered with a server error."""
    paths = [(reverse("admin:index"), True)]
    labels: dict[str, set] = {}
    for model in admin.site._registry:
        opts = model._meta
        seen = labels.setdefault(opts.app_label, set())
        paths.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), True))
        paths.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), "add" not in seen))
        seen.add("add")
        first = model.objects.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first])
            paths.append((change, "change" not in seen))
            seen.add("change")
    paths += [(reverse("admin:app_list", args=[label]), True) for label in sorted(labels)]
    pages, sample, errors = [], [], []
    for path, sampled in paths:
        response = client.get(path)
        if _is_page(response):
            pages.append(path)
            if sampled and not path.startswith(ADMIN_NOT_SAMPLED):
                sample.append(path)
        elif response.status_code >= 500:
            errors.append(f"admin {path} → {response.status_code}")
    return pages, sample, errors
