import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from accessibility import services
from accessibility.models import Photo, ProjectStep, RetrofitProject
from accessibility.selectors import budget_position
from dfed.accounts.roles import Role
from dfed.people.models import Person

from .factories import JPEG, PNG, RetrofitItemFactory, budget, jpeg, png, project_at

S = RetrofitProject.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(caseworker, reviewer, grab_bar, budget_a):
    def _walk(stage, person, **kwargs):
        return project_at(
            stage, person=person, caseworker=caseworker, reviewer=reviewer, item=grab_bar, **kwargs
        )

    return _walk


def assess(project, by, items, today=None):
    return services.project_assess(
        project=project,
        by=by,
        assessor="王评估",
        assessed_on=today or timezone.localdate(),
        findings="卫生间无扶手",
        items=items,
    )


# --- Application ------------------------------------------------------------------------------


def test_project_apply_records_town_and_first_step(household, caseworker, year):
    project = services.project_apply(person=household, year=year, by=caseworker, needs="扶手")
    assert project.status == S.APPLIED
    assert project.town == household.town
    step = project.steps.get()
    assert (step.action, step.to_status, step.by) == ("apply", S.APPLIED, caseworker)


def test_project_apply_refuses_person_not_in_registry(household, caseworker, year):
    Person.objects.filter(pk=household.pk).update(status="deceased", status_date="2025-01-01")
    household.refresh_from_db()
    with pytest.raises(ValidationError, match="只有在册残疾人可以申请"):
        services.project_apply(person=household, year=year, by=caseworker)
    assert not RetrofitProject.objects.exists()


def test_project_apply_refuses_general_household_unless_configured(
    person_factory, areas, caseworker, year, settings
):
    person = person_factory(community=areas["community_a1"], household="general")
    with pytest.raises(ValidationError, match="只面向低保、低保边缘、特困家庭"):
        services.project_apply(person=person, year=year, by=caseworker)
    settings.RETROFIT_ELIGIBLE_HOUSEHOLDS = ["dibao", "general"]
    assert services.project_apply(person=person, year=year, by=caseworker).pk


def test_project_apply_one_per_household_year_names_existing(household, caseworker, year):
    first = services.project_apply(person=household, year=year, by=caseworker)
    with pytest.raises(ValidationError) as exc:
        services.project_apply(person=household, year=year, by=caseworker)
    message = exc.value.messages[0]
    assert f"编号 {first.pk}" in message
    assert "状态：申请" in message
    assert "每户每年只能申请一次" in message
    assert services.project_apply(person=household, year=year + 1, by=caseworker).year == year + 1
    assert RetrofitProject.objects.filter(person=household).count() == 2


def test_project_apply_outside_own_town_is_denied(other_household, caseworker, year):
    with pytest.raises(PermissionDenied):
        services.project_apply(person=other_household, year=year, by=caseworker)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OFFICIAL])
def test_project_apply_needs_a_town_role(household, make_user, role, year):
    with pytest.raises(PermissionDenied):
        services.project_apply(person=household, year=year, by=make_user("x", role))


# --- The pipeline and who may move it ---------------------------------------------------------


def test_project_walks_the_whole_pipeline_with_a_timeline(walk, household, caseworker, reviewer):
    project = walk(S.COMPLETED, household)
    project.refresh_from_db()
    assert project.status == S.COMPLETED
    assert project.estimate == Decimal("800.00")
    assert project.approved_amount == Decimal("800.00")
    assert project.actual_total == Decimal("800.00")
    assert project.completed_at is not None
    steps = list(project.steps.values_list("action", "from_status", "to_status", "by"))
    assert steps == [
        ("apply", "", S.APPLIED, caseworker.pk),
        ("intake", S.APPLIED, S.ASSESSMENT, caseworker.pk),
        ("assess", S.ASSESSMENT, S.APPROVAL, caseworker.pk),
        ("approve", S.APPROVAL, S.CONSTRUCTION, reviewer.pk),
        ("construct", S.CONSTRUCTION, S.ACCEPTANCE, caseworker.pk),
        ("accept", S.ACCEPTANCE, S.COMPLETED, reviewer.pk),
    ]
    assert project.photos.filter(kind="after").count() == 1
    assert project.history.count() >= 6


def test_town_reviewer_may_take_in_and_assess(household, town_reviewer, grab_bar, year):
    project = services.project_apply(person=household, year=year, by=town_reviewer)
    project = services.project_intake(project=project, by=town_reviewer)
    items = [{"item": grab_bar, "quantity": Decimal("1"), "unit_price": Decimal("300")}]
    assert assess(project, town_reviewer, items).status == S.APPROVAL


def test_reviewer_may_not_take_in_or_assess(walk, household, reviewer, grab_bar):
    project = walk(S.APPLIED, household)
    with pytest.raises(PermissionDenied):
        services.project_intake(project=project, by=reviewer)
    project = services.project_intake(project=project, by=project.applied_by)
    items = [{"item": grab_bar, "quantity": Decimal("1"), "unit_price": Decimal("300")}]
    with pytest.raises(PermissionDenied):
        assess(project, reviewer, items)


def test_caseworker_may_not_approve_or_accept(walk, household, caseworker, reviewer):
    project = walk(S.APPROVAL, household)
    with pytest.raises(PermissionDenied):
        services.project_approve(project=project, by=caseworker)
    project = services.project_approve(project=project, by=reviewer)
    line = project.items.get()
    project = services.project_record_construction(
        project=project,
        by=caseworker,
        contractor="队",
        start=timezone.localdate(),
        finish=timezone.localdate(),
        actual_costs={line.pk: Decimal("700")},
    )
    with pytest.raises(PermissionDenied):
        services.project_accept(
            project=project,
            by=caseworker,
            items_done=True,
            family_satisfied=True,
            signed_by="户主",
            accepted_on=timezone.localdate(),
            photos=[("after", png())],
        )
    assert RetrofitProject.objects.get(pk=project.pk).status == S.ACCEPTANCE


def test_reviewer_may_not_record_construction(walk, household, reviewer):
    project = walk(S.CONSTRUCTION, household)
    with pytest.raises(PermissionDenied):
        services.project_record_construction(
            project=project,
            by=reviewer,
            contractor="队",
            start=timezone.localdate(),
            finish=timezone.localdate(),
            actual_costs={},
        )


def test_caseworker_of_another_town_may_not_move_a_project(walk, household, make_user, town_b):
    stranger = make_user("b-worker", Role.CASEWORKER, towns=[town_b])
    project = walk(S.APPLIED, household)
    with pytest.raises(PermissionDenied):
        services.project_intake(project=project, by=stranger)


def test_steps_out_of_order_are_refused(walk, household, reviewer, caseworker):
    project = walk(S.APPLIED, household)
    with pytest.raises(ValidationError, match="当前状态为“申请”，不能转为“施工”"):
        services.project_approve(project=project, by=reviewer)
    with pytest.raises(ValidationError, match="当前状态为“申请”，不能转为“完成”"):
        services.project_accept(
            project=project,
            by=reviewer,
            items_done=True,
            family_satisfied=True,
            signed_by="户主",
            accepted_on=timezone.localdate(),
            photos=[("after", png())],
        )


def test_assessment_refused_before_intake(walk, household, caseworker, grab_bar):
    project = walk(S.APPLIED, household)
    items = [{"item": grab_bar, "quantity": Decimal("1"), "unit_price": Decimal("300")}]
    with pytest.raises(ValidationError, match="不能转为“审批”"):
        assess(project, caseworker, items)


# --- 退回 -------------------------------------------------------------------------------------


def test_return_needs_a_comment(walk, household, reviewer):
    project = walk(S.APPROVAL, household)
    with pytest.raises(ValidationError, match="退回必须填写意见"):
        services.project_return(project=project, by=reviewer, comment="  ")
    assert RetrofitProject.objects.get(pk=project.pk).status == S.APPROVAL


@pytest.mark.parametrize(
    ("stage", "who", "reopened"),
    [
        (S.ASSESSMENT, "caseworker", S.APPLIED),
        (S.APPROVAL, "reviewer", S.ASSESSMENT),
        (S.ACCEPTANCE, "reviewer", S.CONSTRUCTION),
    ],
)
def test_return_and_reopen_to_the_previous_stage(
    walk, household, caseworker, reviewer, stage, who, reopened
):
    actor = {"caseworker": caseworker, "reviewer": reviewer}[who]
    project = walk(stage, household)
    project = services.project_return(project=project, by=actor, comment="材料不全")
    assert (project.status, project.returned_from) == (S.RETURNED, stage)
    step = project.steps.last()
    assert (step.action, step.comment, step.by) == ("return", "材料不全", actor)
    project = services.project_reopen(project=project, by=caseworker)
    assert (project.status, project.returned_from) == (reopened, "")


@pytest.mark.parametrize("stage", [S.APPROVAL, S.ACCEPTANCE])
def test_caseworker_may_not_return_at_district_stages(walk, household, caseworker, stage):
    project = walk(stage, household)
    with pytest.raises(PermissionDenied):
        services.project_return(project=project, by=caseworker, comment="不行")


@pytest.mark.parametrize("stage", [S.APPLIED, S.CONSTRUCTION, S.COMPLETED])
def test_return_is_refused_outside_check_stages(walk, household, reviewer, stage):
    project = walk(stage, household)
    with pytest.raises(ValidationError, match="环节不能退回"):
        services.project_return(project=project, by=reviewer, comment="不行")


# --- 入户评估 and the price cap -------------------------------------------------------------------


def test_assessment_computes_the_estimate(walk, household, caseworker, grab_bar, year):
    ramp = RetrofitItemFactory(year=year, name="坡道", unit="米", price_cap="300.00")
    project = walk(S.ASSESSMENT, household)
    project = assess(
        project,
        caseworker,
        [
            {"item": grab_bar, "quantity": Decimal("2"), "unit_price": Decimal("450.00")},
            {"item": ramp, "quantity": Decimal("3.5"), "unit_price": Decimal("280.00")},
        ],
    )
    assert project.estimate == Decimal("1880.00")
    assert project.items.count() == 2
    assert project.assessor == "王评估"


def test_price_above_cap_needs_a_reason(walk, household, caseworker, grab_bar):
    project = walk(S.ASSESSMENT, household)
    over = {"item": grab_bar, "quantity": Decimal("1"), "unit_price": Decimal("650.00")}
    with pytest.raises(ValidationError, match="“卫生间扶手”单价 650.00 元超过上限 500.00 元"):
        assess(project, caseworker, [over])
    assert RetrofitProject.objects.get(pk=project.pk).status == S.ASSESSMENT
    project = assess(project, caseworker, [{**over, "over_cap_reason": "加长型，需定制"}])
    assert project.items.get().over_cap_reason == "加长型，需定制"
    assert project.estimate == Decimal("650.00")


def test_assessment_refuses_another_years_item_and_empty_list(walk, household, caseworker, year):
    old = RetrofitItemFactory(year=year - 1)
    project = walk(S.ASSESSMENT, household)
    with pytest.raises(ValidationError, match="请至少选择一项改造内容"):
        assess(project, caseworker, [])
    with pytest.raises(ValidationError, match="本年度目录"):
        assess(project, caseworker, [{"item": old, "quantity": 1, "unit_price": Decimal("1")}])


# --- 审批 and the budget -------------------------------------------------------------------


def test_approval_refused_beyond_remaining_budget(
    person_factory, areas, caseworker, reviewer, grab_bar, town_a, year, make_user
):
    budget(town_a, "1000.00", year)
    first = project_at(
        S.CONSTRUCTION,
        person=person_factory(community=areas["community_a1"]),
        caseworker=caseworker,
        reviewer=reviewer,
        item=grab_bar,
        unit_price="300.00",
    )
    assert budget_position(town=town_a, year=year).remaining == Decimal("400.00")
    second = project_at(
        S.APPROVAL,
        person=person_factory(community=areas["community_a2"]),
        caseworker=caseworker,
        reviewer=reviewer,
        item=grab_bar,
        unit_price="250.00",
    )
    assert first.approved_amount == Decimal("600.00")
    plain = make_user("plain-reviewer", Role.OFFICIAL)
    plain.user_permissions.add(Permission.objects.get(codename="approve_retrofitproject"))
    plain = type(plain).objects.get(pk=plain.pk)
    with pytest.raises(ValidationError, match="剩余预算 400.00 元.*估价 500.00 元"):
        services.project_approve(project=second, by=plain, override_reason="急需")
    with pytest.raises(ValidationError) as exc:
        services.project_approve(project=second, by=reviewer)
    assert "override_reason" in exc.value.message_dict
    assert RetrofitProject.objects.get(pk=second.pk).status == S.APPROVAL

    approved = services.project_approve(
        project=second, by=reviewer, override_reason="县里追加资金已到位"
    )
    assert approved.status == S.CONSTRUCTION
    assert approved.budget_override_reason == "县里追加资金已到位"
    assert approved.steps.last().comment.startswith("超预算审批：县里追加资金已到位")
    assert budget_position(town=town_a, year=year).remaining == Decimal("-100.00")


def test_approval_without_a_budget_is_refused(person_factory, areas, caseworker, reviewer, year):
    item = RetrofitItemFactory(year=year)
    project = project_at(
        S.APPROVAL,
        person=person_factory(community=areas["community_a1"]),
        caseworker=caseworker,
        reviewer=reviewer,
        item=item,
    )
    with pytest.raises(ValidationError, match="预算 未设"):
        services.project_approve(project=project, by=reviewer)


def test_budget_counts_actual_cost_once_recorded(walk, household, town_a, year):
    project = walk(S.ACCEPTANCE, household)
    assert project.actual_total == Decimal("800.00")
    position = budget_position(town=town_a, year=year)
    assert (position.budget, position.committed) == (Decimal("10000.00"), Decimal("800.00"))


# --- 施工 ---------------------------------------------------------------------------------------


def test_construction_needs_every_actual_cost_and_sane_dates(walk, household, caseworker):
    project = walk(S.CONSTRUCTION, household)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="请填写以下改造内容的实际费用：卫生间扶手"):
        services.project_record_construction(
            project=project,
            by=caseworker,
            contractor="队",
            start=today,
            finish=today,
            actual_costs={},
        )
    with pytest.raises(ValidationError, match="完工日期不能早于开工日期"):
        services.project_record_construction(
            project=project,
            by=caseworker,
            contractor="队",
            start=today,
            finish=today.replace(year=today.year - 1),
            actual_costs={},
        )
    line = project.items.get()
    project = services.project_record_construction(
        project=project,
        by=caseworker,
        contractor="平安装修队",
        start=today,
        finish=today,
        actual_costs={line.pk: Decimal("760.50")},
    )
    assert project.actual_total == Decimal("760.50")
    assert project.items.get().actual_cost == Decimal("760.50")


# --- Photos and 验收 ------------------------------------------------------------------------------


def _accept(project, by, photos=()):
    return services.project_accept(
        project=project,
        by=by,
        items_done=True,
        family_satisfied=True,
        signed_by="户主张某",
        accepted_on=timezone.localdate(),
        photos=list(photos),
    )


def test_acceptance_needs_an_after_photo(walk, household, reviewer):
    project = walk(S.ACCEPTANCE, household)
    with pytest.raises(ValidationError, match="至少一张改造后照片"):
        _accept(project, reviewer, [("before", jpeg())])
    assert not Photo.objects.exists()
    project = _accept(project, reviewer, [("before", jpeg()), ("after", png())])
    assert project.status == S.COMPLETED
    assert sorted(project.photos.values_list("kind", "content_type")) == [
        ("after", "image/png"),
        ("before", "image/jpeg"),
    ]


def test_acceptance_refuses_unfinished_work(walk, household, reviewer):
    project = walk(S.ACCEPTANCE, household)
    with pytest.raises(ValidationError, match="请退回整改"):
        services.project_accept(
            project=project,
            by=reviewer,
            items_done=False,
            family_satisfied=True,
            signed_by="户主",
            accepted_on=timezone.localdate(),
            photos=[("after", png())],
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.gif", b"GIF89a" + b"\x00" * 20, "只能上传 JPEG、JPG、PNG 文件"),
        ("photo.pdf", b"%PDF-1.4", "只能上传 JPEG、JPG、PNG 文件"),
        ("photo.jpg", b"<html>not an image</html>", "文件内容与扩展名不符"),
        ("photo.png", JPEG, "文件内容与扩展名不符"),
    ],
)
def test_photo_type_is_checked_by_content(walk, household, caseworker, name, content, message):
    project = walk(S.CONSTRUCTION, household)
    upload = png(name, content)
    with pytest.raises(ValidationError, match=message):
        services.photo_add(project=project, by=caseworker, kind="before", upload=upload)
    assert not Photo.objects.exists()


def test_photo_size_is_limited(walk, household, caseworker, settings):
    settings.RETROFIT_PHOTO_MAX_BYTES = 1024
    project = walk(S.CONSTRUCTION, household)
    with pytest.raises(ValidationError, match="文件不能超过"):
        services.photo_add(
            project=project, by=caseworker, kind="before", upload=png("big.png", PNG * 40)
        )


def test_photo_is_stored_under_media_root(walk, household, caseworker, settings):
    project = walk(S.CONSTRUCTION, household)
    photo = services.photo_add(project=project, by=caseworker, kind="before", upload=jpeg())
    path = photo.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert "/accessibility/photos/" in path
    with open(path, "rb") as handle:  # the original re-encoded without metadata, same picture
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "JPEG"
    assert stored.size == Image.open(io.BytesIO(JPEG)).size
    assert not dict(stored.getexif())


def test_no_photos_after_completion(walk, household, reviewer):
    project = walk(S.COMPLETED, household)
    with pytest.raises(ValidationError, match="项目已完成"):
        services.photo_add(project=project, by=reviewer, kind="after", upload=png())


def test_steps_keep_comment_required_for_returns_in_the_database(walk, household, caseworker):
    from django.db import IntegrityError, transaction

    project = walk(S.APPLIED, household)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectStep.objects.create(
            project=project, action="return", to_status="returned", by=caseworker, comment=""
        )


def test_catalogue_copies_to_next_year_once(year):
    RetrofitItemFactory(year=year, name="扶手")
    RetrofitItemFactory(year=year, name="停用项", active=False)
    assert services.retrofit_item_copy_year(source=year, target=year + 1) == 1
    assert services.retrofit_item_copy_year(source=year, target=year + 1) == 0


def test_admin_can_copy_the_catalogue(client, admin_user, year):
    from accessibility.models import RetrofitItem

    item = RetrofitItemFactory(year=year, name="扶手")
    client.force_login(admin_user)
    response = client.post(
        "/admin/accessibility/retrofititem/",
        {"action": "copy_to_next_year", "_selected_action": [item.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert RetrofitItem.objects.filter(year=year + 1, name="扶手").exists()
