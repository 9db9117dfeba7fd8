"""A household's person leaves the registry (死亡/迁出): projects before 施工 end, later ones are
flagged. Driven through the registry's own service, which sends ``person_left_registry``."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accessibility import services
from accessibility.models import ProjectStep, RetrofitProject
from accessibility.selectors import budget_position, retrofit_figures_for_year
from dfed.accounts.roles import Role
from dfed.people.models import Person
from dfed.people.services import person_set_status
from dfed.people.signals import person_left_registry

from .factories import jpeg, project_at

S = RetrofitProject.Status
A = ProjectStep.Action
pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(caseworker, reviewer, grab_bar, budget_a):
    def _walk(stage, person, year=None):
        if year is not None and year != grab_bar.year:
            from .factories import RetrofitItemFactory, budget

            item = RetrofitItemFactory(year=year)
            budget(person.town, "10000.00", year)
        else:
            item = grab_bar
        return project_at(
            stage, person=person, caseworker=caseworker, reviewer=reviewer, item=item, year=year
        )

    return _walk


@pytest.fixture
def registrar(make_user, town_a):
    """Changes the registry (people.change_person, which the registry's service checks);
    holds no accessibility permission at all."""
    from django.contrib.auth.models import Permission

    user = make_user("registrar", Role.CASEWORKER, towns=[town_a])
    user.user_permissions.set(Permission.objects.filter(codename="change_person"))
    user.groups.clear()
    return type(user).objects.get(pk=user.pk)


def leave(person, by, status=Person.Status.DECEASED, days_ago=3):
    on = timezone.localdate() - timedelta(days=days_ago)
    person_set_status(person=person, status=status, on=on, by=by, reason="")
    return on


def reload(project) -> RetrofitProject:
    return RetrofitProject.objects.get(pk=project.pk)


@pytest.mark.parametrize("stage", [S.APPLIED, S.ASSESSMENT, S.APPROVAL])
def test_death_terminates_a_project_before_construction(walk, household, registrar, stage):
    project = walk(stage, household)
    on = leave(household, registrar)
    project = reload(project)
    assert project.status == S.TERMINATED
    assert project.get_status_display() == "已终止"
    assert (
        project.closed_reason == f"张低保 于 {on.isoformat()} 登记为“死亡”，尚未施工的改造项目终止"
    )
    assert project.closed_at is not None
    step = project.steps.last()
    assert (step.action, step.from_status, step.to_status) == (A.TERMINATE, stage, S.TERMINATED)
    assert step.by == registrar
    assert step.comment == project.closed_reason
    assert project.history.first().history_user == registrar


def test_moving_away_terminates_a_project_returned_before_construction(
    walk, household, registrar, reviewer, caseworker
):
    project = walk(S.APPROVAL, household)
    services.project_return(project=project, by=reviewer, comment="估价偏高")
    leave(household, registrar, status=Person.Status.MOVED)
    project = reload(project)
    assert (project.status, project.returned_from) == (S.TERMINATED, "")
    assert "登记为“迁出”" in project.closed_reason
    with pytest.raises(ValidationError, match="只有被退回的项目可以重新提交"):
        services.project_reopen(project=project, by=caseworker)


@pytest.mark.parametrize("stage", [S.CONSTRUCTION, S.ACCEPTANCE])
def test_projects_in_construction_or_acceptance_stay_open_and_are_flagged(
    walk, household, registrar, stage
):
    project = walk(stage, household)
    on = leave(household, registrar)
    project = reload(project)
    assert project.status == stage
    assert project.closed_reason == ""
    step = project.steps.last()
    assert (step.action, step.from_status, step.to_status) == (A.REGISTRY_FLAG, stage, stage)
    assert step.by == registrar
    assert step.comment.startswith(f"张低保 于 {on.isoformat()} 登记为“死亡”。")
    assert "请审核人核实后决定是否继续验收" in step.comment


def test_project_returned_from_acceptance_is_flagged_not_terminated(
    walk, household, registrar, reviewer
):
    project = walk(S.ACCEPTANCE, household)
    services.project_return(project=project, by=reviewer, comment="扶手松动")
    leave(household, registrar)
    project = reload(project)
    assert (project.status, project.returned_from) == (S.RETURNED, S.ACCEPTANCE)
    assert project.steps.last().action == A.REGISTRY_FLAG


def test_each_open_project_of_the_household_and_only_those(
    walk, household, other_household, registrar, year, make_user, town_b, reviewer
):
    done = walk(S.COMPLETED, household, year=year - 1)
    building = walk(S.CONSTRUCTION, household, year=year - 2)
    applied = walk(S.APPLIED, household)
    worker_b = make_user("worker-b", Role.CASEWORKER, towns=[town_b])
    neighbour = project_at(
        S.APPLIED, person=other_household, caseworker=worker_b, reviewer=reviewer
    )
    steps = {p.pk: p.steps.count() for p in (done, neighbour)}
    leave(household, registrar)
    assert reload(applied).status == S.TERMINATED
    assert reload(building).status == S.CONSTRUCTION
    assert reload(building).steps.last().action == A.REGISTRY_FLAG
    assert reload(done).status == S.COMPLETED
    assert reload(neighbour).status == S.APPLIED
    assert {p.pk: p.steps.count() for p in (done, neighbour)} == steps


def test_a_registry_change_without_a_user_is_recorded_as_the_system(
    client, walk, household, caseworker
):
    project = walk(S.APPLIED, household)
    person_left_registry.send(
        sender=Person,
        person=household,
        status=Person.Status.MOVED,
        on=timezone.localdate(),
        by=None,
    )
    project = reload(project)
    assert project.status == S.TERMINATED
    assert project.steps.last().by is None
    client.force_login(caseworker)
    body = client.get(url("project-detail", project.pk)).content.decode()
    assert "系统 · 终止" in body


def test_rolled_back_registry_change_leaves_projects_alone(walk, household, registrar):
    project = walk(S.APPLIED, household)
    seen = []

    def change_then_fail():
        with transaction.atomic():
            leave(household, registrar)
            seen.append(reload(project).status)
            raise RuntimeError("the registry change fails later")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert seen == [S.TERMINATED]
    assert reload(project).status == S.APPLIED
    assert not project.steps.filter(action=A.TERMINATE).exists()


def test_terminated_projects_are_closed_for_figures_budget_and_photos(
    walk, household, registrar, caseworker, town_a, year
):
    project = walk(S.APPROVAL, household)
    leave(household, registrar)
    figures = retrofit_figures_for_year(user=caseworker, year=year)
    assert (figures.completed, figures.in_progress) == (0, 0)
    assert budget_position(town=town_a, year=year).committed == 0
    with pytest.raises(ValidationError, match="项目已终止"):
        services.photo_add(project=reload(project), by=caseworker, kind="before", upload=jpeg())
    with pytest.raises(ValidationError, match="每户每年只能申请一次"):
        services.project_check_eligibility(person=household, year=year)


# --- What users see ---------------------------------------------------------------------------


def url(name, *args):
    return reverse(f"accessibility:{name}", args=args)


def test_detail_page_of_a_terminated_project(client, walk, household, registrar, caseworker):
    project = walk(S.ASSESSMENT, household)
    leave(household, registrar)
    client.force_login(caseworker)
    body = client.get(url("project-detail", project.pk)).content.decode()
    assert 'data-testid="terminated"' in body
    assert "尚未施工的改造项目终止" in body
    assert "项目已终止。" in body
    assert "registrar · 终止" in body
    assert url("project-assess", project.pk) not in body
    assert url("photo-upload", project.pk) not in body
    response = client.get(url("project-list"), {"status": "terminated"})
    assert list(response.context["object_list"]) == [project]


def test_reviewer_sees_the_flag_on_a_project_in_acceptance(
    client, walk, household, registrar, reviewer
):
    project = walk(S.ACCEPTANCE, household)
    leave(household, registrar, status=Person.Status.MOVED)
    client.force_login(reviewer)
    body = client.get(url("project-detail", project.pk)).content.decode()
    assert 'data-testid="registry-alert"' in body
    assert "登记为“迁出”。项目已进入施工，未自动终止" in body
    assert 'data-testid="registry-flag"' in body
    assert "登记状态变更提示" in body
    assert url("project-accept", project.pk) in body  # the reviewer may still accept
    body = client.get(url("project-list")).content.decode()
    assert 'data-testid="registry-flag">本人已迁出<' in body
