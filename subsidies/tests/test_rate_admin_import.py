"""The rate table through the Django admin's import (django-import-export): the engine's cell
normalisers, a preview that writes nothing, confirm, and a bad file refused whole."""

from datetime import date
from decimal import Decimal

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dfed.core.importing.testing import xlsx_bytes
from subsidies.models import SubsidyRate

HEADER = ["补贴类型", "档次", "月标准（元）\u200b", "起始月份", "截止月份", "依据/备注"]


def xlsx_format() -> str:
    formats = admin.site._registry[SubsidyRate].get_import_formats()
    return str(next(i for i, f in enumerate(formats) if f().get_title() == "xlsx"))


def preview(client, data: bytes):
    return client.post(
        reverse("admin:subsidies_subsidyrate_import"),
        {
            "import_file": SimpleUploadedFile("标准.xlsx", data),
            "format": xlsx_format(),
            "resource": "0",
        },
    )


def test_admin_imports_rates_after_a_preview(client, admin_user):
    client.force_login(admin_user)
    data = xlsx_bytes(
        [
            HEADER,
            ["生活补贴", "不分档", "\u200b1,200元", "2030-01", "2030-12", "'示范区文件"],
            ["重度残疾人护理补贴", "一级", 800, "2030年1月", None, ""],
            ["护理补贴", "二级", "６００", 203001, None, None],
        ]
    )

    response = preview(client, data)

    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None
    assert not SubsidyRate.objects.exists()  # the preview is a dry run
    done = client.post(reverse("admin:subsidies_subsidyrate_process_import"), dict(confirm.initial))
    assert done.status_code == 302
    rates = {
        (r.type, r.tier): (r.monthly_amount, r.effective_from, r.effective_to, r.note)
        for r in SubsidyRate.objects.all()
    }
    assert rates == {
        ("living", "none"): (Decimal("1200.00"), date(2030, 1, 1), date(2030, 12, 1), "示范区文件"),
        ("care", "level1"): (Decimal("800.00"), date(2030, 1, 1), None, ""),
        ("care", "level2"): (Decimal("600.00"), date(2030, 1, 1), None, ""),
    }
    assert SubsidyRate.objects.get(tier="level1").history.count() == 1

    again = preview(client, data)  # re-importing the same file changes nothing
    assert again.context["result"].totals["skip"] == 3


def test_admin_refuses_a_bad_rate_file_and_writes_nothing(client, admin_user):
    client.force_login(admin_user)
    data = xlsx_bytes(
        [
            HEADER,
            ["生活补贴", "不分档", "1200", "2030-01", None, ""],
            ["护理补贴", "一级", "八百", "2030-01", None, ""],
            ["护理补贴", "二级", "600", "2030-01", None, ""],
            ["护理补贴", "二级", "650", "2030-06", None, ""],  # overlaps the row above
        ]
    )

    response = preview(client, data)

    html = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "金额无效：八百" in html
    assert "与已有标准（2030-01 至 长期，600.00 元）时间重叠" in html
    assert not SubsidyRate.objects.exists()
    # Confirming anyway (the preview's step skipped) is refused whole: one transaction.
    good = xlsx_bytes([HEADER, ["生活补贴", "不分档", "1200", "2030-01", None, ""]])
    confirm = dict(preview(client, good).context["confirm_form"].initial)
    storage = admin.site._registry[SubsidyRate].get_tmp_storage_class()(
        name=confirm["import_file_name"]
    )
    with open(storage.get_full_path(), "wb") as file:  # the stored upload swapped for the bad
        file.write(data)
    done = client.post(reverse("admin:subsidies_subsidyrate_process_import"), confirm)
    assert done.status_code == 302
    assert done.url == reverse("admin:subsidies_subsidyrate_import")
    assert not SubsidyRate.objects.exists()


def test_a_month_column_holding_a_bare_year_is_refused(client, admin_user):
    client.force_login(admin_user)

    response = preview(client, xlsx_bytes([HEADER, ["生活补贴", "不分档", "1200", 2030, None, ""]]))

    assert "只有年份（2030），没有月份" in response.content.decode()
    assert response.context.get("confirm_form") is None
