"""The entitlements list's default order (town code, person name, type) read off one stored,
indexed key, kept in step when a person is renamed, transferred or re-imported."""

from datetime import date

from django.urls import reverse

from dfed.people.services import person_transfer_decide, person_transfer_request, person_update
from subsidies.models import Entitlement, SubsidyType, Tier
from subsidies.services import entitlement_open, entitlement_sort_key_refresh

JAN = date(2025, 1, 1)


def _open(person, by, type_=SubsidyType.LIVING, tier=Tier.NONE):
    return entitlement_open(person=person, type=type_, tier=tier, start_month=JAN, by=by)


def _listed(client, **params):
    response = client.get(reverse("subsidies:entitlement-list"), params)
    assert response.status_code == 200
    return [(e.person.name, e.type) for e in response.context["object_list"]]


def test_entitlement_list_default_order_is_town_code_name_type(
    client, areas, reviewer, person_factory, rates
):
    b_zhang = person_factory(community=areas["community_b1"], name="张三")
    a_zhao = person_factory(community=areas["community_a2"], name="赵六")
    a_li = person_factory(community=areas["community_a1"], name="李四")
    a_li_long = person_factory(community=areas["community_a1"], name="李四五")
    for person in (b_zhang, a_zhao, a_li_long, a_li):
        _open(person, reviewer)
    _open(a_li, reviewer, SubsidyType.CARE, Tier.LEVEL2)
    assert Entitlement.objects.get(person=a_li, type="living").sort_key == (
        f"{areas['town_a'].code} 李四"
    )
    client.force_login(reviewer)
    expected = sorted(
        (e.person.town.code, e.person.name, e.type, e.person.name)
        for e in Entitlement.objects.select_related("person__town")
    )
    assert _listed(client) == [(name, type_) for _c, name, type_, _n in expected]
    assert _listed(client) == [
        ("李四", "care"),
        ("李四", "living"),
        ("李四五", "living"),
        ("赵六", "living"),
        ("张三", "living"),
    ]
    # A town filter is the same order within the town; sorting by town is the key.
    assert _listed(client, town=areas["town_b"].pk) == [("张三", "living")]
    assert _listed(client, sort="-town")[0] == ("张三", "living")


def test_entitlement_list_plan_reads_the_sort_key_index(reviewer, areas, person_factory, rates):
    from django.db import connection

    from subsidies.selectors import entitlement_list_visible_to

    _open(person_factory(community=areas["community_a1"]), reviewer)
    queryset = entitlement_list_visible_to(reviewer)[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "entitlement_sort_idx" in plan
    assert "Sort" not in plan.split("\n")[1]


def test_sort_key_follows_a_rename_and_a_transfer(
    areas, reviewer, caseworker, person_factory, rates
):
    person = person_factory(community=areas["community_b1"], name="王五")
    living = _open(person, reviewer)
    care = _open(person, reviewer, SubsidyType.CARE, Tier.LEVEL2)
    other = _open(person_factory(community=areas["community_b1"], name="钱七"), reviewer)
    town_a, town_b = areas["town_a"].code, areas["town_b"].code

    person_update(person=person, by=reviewer, name="王五一")
    for entitlement in (living, care):
        entitlement.refresh_from_db()
        assert entitlement.sort_key == f"{town_b} 王五一"

    transfer = person_transfer_request(
        id_number=person.id_number, to_community=areas["community_a1"], by=caseworker
    )
    person_transfer_decide(transfer=transfer, by=reviewer, approve=True)
    living.refresh_from_db()
    assert living.sort_key == f"{town_a} 王五一"
    other.refresh_from_db()
    assert other.sort_key == f"{town_b} 钱七"  # untouched


def test_sort_key_refresh_repairs_every_key(areas, reviewer, person_factory, rates):
    entitlement = _open(person_factory(community=areas["community_a1"], name="孙八"), reviewer)
    Entitlement.objects.update(sort_key="")
    assert entitlement_sort_key_refresh() == 1
    entitlement.refresh_from_db()
    assert entitlement.sort_key == f"{areas['town_a'].code} 孙八"
    assert entitlement_sort_key_refresh() == 0  # nothing to change: no rows written


def test_sort_key_set_and_followed_by_the_roster_import(areas, admin_user, person_factory, rates):
    from dfed.core.importing.testing import xlsx_bytes
    from subsidies.tests.test_importing import HEADER, id_for, import_bytes, row

    kept = person_factory(id_number=id_for(41), name="旧名", community=areas["community_b1"])
    old = _open(kept, admin_user)
    rows = [
        HEADER,
        row(1, "新名", id_for(41)),
        row(2, "赵敏", id_for(42), town="B镇", community="B镇1社区"),
    ]
    report = import_bytes(xlsx_bytes(rows), by=admin_user)
    assert report.error_lines() == []
    town_a, town_b = areas["town_a"].code, areas["town_b"].code
    old.refresh_from_db()
    assert old.sort_key == f"{town_a} 新名"  # renamed and moved to town A by the import
    assert Entitlement.objects.get(person__name="赵敏").sort_key == f"{town_b} 赵敏"
