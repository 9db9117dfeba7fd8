import itertools
from datetime import date

import factory

from dfed.core.validators import id_check_char
from dfed.people.models import Area, Person

_seq = itertools.count(1)


def make_id(
    birth: date = date(1980, 5, 17),
    *,
    female: bool = False,
    area6: str = "330199",
    seq: int | None = None,
) -> str:
    """A valid 18-digit ID number."""
    n = next(_seq) if seq is None else seq
    seq3 = (n * 2 + (0 if female else 1)) % 1000
    first17 = f"{area6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + id_check_char(first17)


def area_tree() -> dict[str, Area]:
    district = Area.objects.create(code="330199000000", name="示范区", level="district")
    out = {"district": district}
    for i, key in enumerate(["a", "b"], start=1):
        town = Area.objects.create(
            code=f"330199{i:03d}000", name=f"{key.upper()}镇", level="town", parent=district
        )
        out[f"town_{key}"] = town
        for j in (1, 2):
            out[f"community_{key}{j}"] = Area.objects.create(
                code=f"330199{i:03d}{j:03d}",
                name=f"{key.upper()}镇{j}社区",
                level="community",
                parent=town,
            )
    return out


class PersonFactory(factory.django.DjangoModelFactory):
    """A valid person; pass ``community=`` to choose the town."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试{n:04d}")
    id_number = factory.LazyFunction(make_id)
    category = Person.Category.PHYSICAL
    level = Person.Level.TWO
    household = Person.Household.DIBAO
    community = factory.LazyFunction(
        lambda: Area.objects.filter(level="community").order_by("code").first()
    )
    phone = "13800138000"
    bank_name = "农商银行"
    bank_account = "622848001234567890"
    certificate_number = factory.LazyAttribute(
        lambda o: f"{o.id_number}{int(o.category)}{int(o.level)}"
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        person.full_clean()
        person.save()
        return person
