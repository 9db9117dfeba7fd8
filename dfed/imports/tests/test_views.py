"""The engine's pages serve every importer registered with pages: the index, each importer's
upload page with its template and columns, its permission, and the flow for the registry
roster (a second importer on the same pages)."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dfed.accounts.roles import Role
from dfed.core.importing.testing import xlsx_bytes
from dfed.people.lists import LIST_IMPORTER
from dfed.people.models import Person
from dfed.people.tests.test_importers import HEADER, ids, person_row


def test_index_lists_the_importers_with_pages(client, admin_user):
    client.force_login(admin_user)

    html = client.get(reverse("imports:index")).content.decode()

    assert reverse("imports:upload", kwargs={"key": "recipients"}) in html
    assert reverse("imports:upload", kwargs={"key": "people"}) in html
    assert f"/imports/{LIST_IMPORTER}/" not in html  # the external lists have their own pages


def test_unknown_importers_and_those_without_pages_are_not_found(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/imports/nothing/").status_code == 404
    assert client.get(f"/imports/{LIST_IMPORTER}/").status_code == 404


def test_an_importer_needs_its_permission(client, make_user, areas):
    clerk = make_user("clerk", Role.OFFICIAL, is_staff=True)
    client.force_login(clerk)
    assert client.get("/imports/people/").status_code == 403
    assert (
        reverse("imports:upload", kwargs={"key": "people"})
        not in client.get(reverse("imports:index")).content.decode()
    )

    clerk.user_permissions.add(Permission.objects.get(codename="add_person"))

    assert client.get("/imports/people/").status_code == 200
    assert client.get("/imports/recipients/").status_code == 403


def test_people_upload_preview_confirm_through_the_engine_pages(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/imports/people/").content.decode()
    assert reverse("imports:template", kwargs={"key": "people"}) in page
    assert "社会保障卡号" in page  # the columns list gives the header variants
    assert 'name="paid_through"' not in page  # the recipient roster's own field
    a, b = ids(2)
    data = xlsx_bytes([HEADER, person_row(1, "王芳", a), person_row(2, "李强", b)])

    response = client.post("/imports/people/", {"file": SimpleUploadedFile("名册.xlsx", data)})
    preview = client.get(client.get(response.url).url)

    html = preview.content.decode()
    assert "残疾人名册预览" in html
    assert html.count('data-outcome="created"') == 2
    assert Person.objects.count() == 0
    confirm = client.post(preview.wsgi_request.path, {})
    result = client.get(client.get(confirm.url).url)
    html = result.content.decode()
    assert "已全部写入" in html
    # The result lists what was written, row by row, as the preview did.
    assert html.count('data-outcome="created"') == 2
    assert Person.objects.count() == 2


def test_people_template_download(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("imports:template", kwargs={"key": "people"}))

    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content))["名册"]
    assert [c.value for c in sheet[2]][:4] == ["序号", "姓名", "性别", "公民身份号码"]
    assert len(sheet.data_validations.dataValidation) == 5


@pytest.mark.parametrize("path", ["/imports/", "/imports/recipients/"])
def test_the_old_addresses_still_open(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200
