from decimal import Decimal

import factory

from dfed.people.models import Area
from homes.models import Home, ServiceType, StarAssessmentTemplate, TemplateItem


class HomeFactory(factory.django.DjangoModelFactory):
    """An open home; pass ``community=`` to choose the town."""

    class Meta:
        model = Home
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"阳光家园{n:03d}")
    community = factory.LazyFunction(
        lambda: Area.objects.filter(level="community").order_by("code").first()
    )
    capacity = 30
    status = Home.Status.OPEN

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        home = model_class(*args, **kwargs)
        home.full_clean()
        home.save()
        return home

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create:
            codes = extracted if extracted is not None else ["care", "rehab"]
            self.services.set(ServiceType.objects.filter(code__in=codes))


def small_template(year: int = 2026) -> StarAssessmentTemplate:
    """A 100-point sheet: four 20-point items and a 20-point fire-safety item that caps at two
    stars unless full, and a canteen item that caps at three stars below 10 points."""
    template = StarAssessmentTemplate.objects.create(year=year)
    rows = [
        ("facilities", "消防验收", Decimal("20"), 2, None),
        ("staffing", "人员配备", Decimal("20"), None, None),
        ("services", "日间照料", Decimal("20"), 3, Decimal("10")),
        ("management", "台账", Decimal("20"), None, None),
        ("satisfaction", "满意度", Decimal("20"), None, None),
    ]
    for n, (section, title, points, cap, pass_points) in enumerate(rows, start=1):
        TemplateItem.objects.create(
            template=template,
            section=section,
            order=n,
            title=title,
            max_points=points,
            cap_level=cap,
            pass_points=pass_points,
        )
    return template
