"""Factories and helpers that walk projects through the real services."""

import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accessibility import services
from accessibility.models import ChecklistItem, RetrofitBudget, RetrofitItem, RetrofitProject


def image_bytes(fmt: str = "PNG", size=(64, 48), colour=(80, 160, 110), **save_kwargs) -> bytes:
    """A real image made with Pillow (``fmt`` "PNG" or "JPEG")."""
    mode = "RGBA" if fmt == "PNG" and len(colour) == 4 else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG", colour=(180, 120, 90))
# A JPEG header followed by garbage: passes the magic-byte check, fails to decode.
FAKE_JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def png(name: str = "after.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def jpeg(name: str = "before.jpg", content: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


class RetrofitItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetrofitItem

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    name = factory.Sequence(lambda n: f"改造内容{n:03d}")
    category = RetrofitItem.Category.GRAB_BAR
    unit = "个"
    price_cap = Decimal("500.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        item = model_class(*args, **kwargs)
        item.full_clean()  # also turns "500.00" into Decimal
        item.save()
        return item


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    code = factory.Sequence(lambda n: f"S{n:03d}")
    title = factory.Sequence(lambda n: f"标准条目{n}")
    order = factory.Sequence(lambda n: n)


def budget(town, amount, year=None) -> RetrofitBudget:
    year = year or timezone.localdate().year
    return RetrofitBudget.objects.create(town=town, year=year, amount=Decimal(amount))


STAGES = list(RetrofitProject.PIPELINE)


def project_at(
    stage: str,
    *,
    person,
    caseworker,
    reviewer,
    year=None,
    item=None,
    quantity="2",
    unit_price="400.00",
) -> RetrofitProject:
    """A project walked through the services up to ``stage`` (a pipeline status)."""
    S = RetrofitProject.Status
    year = year or timezone.localdate().year
    today = timezone.localdate()
    project = services.project_apply(person=person, year=year, by=caseworker, needs="卫生间扶手")
    if stage == S.APPLIED:
        return project
    project = services.project_intake(project=project, by=caseworker)
    if stage == S.ASSESSMENT:
        return project
    item = item or RetrofitItemFactory(year=year)
    project = services.project_assess(
        project=project,
        by=caseworker,
        assessor="评估员",
        assessed_on=today,
        findings="需安装扶手",
        items=[{"item": item, "quantity": Decimal(quantity), "unit_price": Decimal(unit_price)}],
    )
    if stage == S.APPROVAL:
        return project
    project = services.project_approve(project=project, by=reviewer)
    if stage == S.CONSTRUCTION:
        return project
    line = project.items.get()
    project = services.project_record_construction(
        project=project,
        by=caseworker,
        contractor="平安装修队",
        start=today,
        finish=today,
        actual_costs={line.pk: line.estimate},
    )
    if stage == S.ACCEPTANCE:
        return project
    return services.project_accept(
        project=project,
        by=reviewer,
        items_done=True,
        family_satisfied=True,
        signed_by="户主",
        accepted_on=today,
        photos=[("after", png())],
    )
