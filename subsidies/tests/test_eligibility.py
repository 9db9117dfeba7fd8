import pytest

from subsidies.eligibility import eligibility_check, eligibility_reasons, tier_for
from subsidies.models import SubsidyType, Tier
from subsidies.tests.factories import EntitlementFactory

LIVING, CARE = SubsidyType.LIVING, SubsidyType.CARE


def reasons(**kwargs):
    facts = {"status": "active", "household": "dibao", "category": 4, "level": 2, "type": LIVING}
    facts.update(kwargs)
    return eligibility_reasons(**facts)


def test_eligibility_reasons_empty_when_eligible():
    assert reasons() == []
    assert reasons(type=CARE, household="general", level=1) == []


@pytest.mark.parametrize(("status", "word"), [("deceased", "死亡"), ("moved", "迁出")])
def test_eligibility_reasons_not_in_registry(status, word):
    assert reasons(status=status) == [f"本人已{word}，不在册"]


@pytest.mark.parametrize("household", ["marginal", "general", "tekun"])
def test_eligibility_reasons_living_needs_dibao(household):
    (reason,) = reasons(household=household)
    assert reason.startswith("生活补贴须为低保家庭")


def test_eligibility_reasons_living_marginal_setting(settings):
    settings.SUBSIDY_LIVING_INCLUDES_MARGINAL = True
    assert reasons(household="marginal") == []
    assert reasons(household="general") == ["生活补贴须为低保或低保边缘家庭（当前：一般）"]


@pytest.mark.parametrize("level", [3, 4])
def test_eligibility_reasons_care_needs_level_1_or_2(level):
    (reason,) = reasons(type=CARE, level=level)
    assert reason.startswith("护理补贴须为一级或二级残疾")


def test_eligibility_reasons_care_level3_mental_setting(settings):
    assert reasons(type=CARE, level=3, category=6)  # off by default
    settings.SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL = True
    assert reasons(type=CARE, level=3, category=6) == []
    assert reasons(type=CARE, level=3, category=5) == []
    assert reasons(type=CARE, level=3, category=4) == [
        "护理补贴三级仅限智力或精神残疾（当前：三级，非智力/精神残疾）"
    ]
    assert reasons(type=CARE, level=4, category=6)[0].startswith(
        "护理补贴须为一级、二级或三级智力/精神残疾"
    )


def test_eligibility_reasons_care_any_household():
    assert reasons(type=CARE, household="general", level=2) == []


def test_eligibility_reasons_several_at_once():
    assert len(reasons(status="deceased", household="general")) == 2


def test_tier_for():
    assert tier_for(type=LIVING, level=4) == Tier.NONE
    assert tier_for(type=CARE, level=1) == Tier.LEVEL1
    assert tier_for(type=CARE, level=2) == Tier.LEVEL2
    assert tier_for(type=CARE, level=3) == Tier.LEVEL3
    assert tier_for(type=CARE, level=4) == ""


def test_eligibility_check_already_receiving(person):
    EntitlementFactory(person=person)
    assert eligibility_check(person=person, type=LIVING) == ["已享受生活补贴（正常，自2025-01起）"]
    assert eligibility_check(person=person, type=CARE) == []  # both subsidies allowed


def test_eligibility_check_open_application(person, caseworker):
    from subsidies.services import application_create

    application = application_create(person=person, type=LIVING, by=caseworker)
    assert eligibility_check(person=person, type=LIVING) == ["已有未办结的生活补贴申请（草稿）"]
    assert eligibility_check(person=person, type=LIVING, exclude_application=application) == []
