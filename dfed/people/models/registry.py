"""The registry: administrative areas and the disabled people registered in them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from dfed.core.history import BulkHistoricalRecords
from dfed.core.models import TimeStamped
from dfed.core.validators import (
    normalize_bank_account,
    normalize_certificate_number,
    normalize_id_number,
    normalize_phone,
    parse_id_number,
    to_halfwidth,
    validate_area_code,
    validate_bank_account,
    validate_certificate,
    validate_phone,
)


class Area(models.Model):
    """An administrative area: the district, its towns (镇街道) and their communities (社区村)."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("区")
        TOWN = "town", _("镇街道")
        COMMUNITY = "community", _("社区村")

    code = models.CharField(
        _("行政区划代码"), max_length=12, unique=True, validators=[validate_area_code]
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def town(self) -> "Area | None":
        if self.level == self.Level.TOWN:
            return self
        if self.level == self.Level.COMMUNITY:
            return self.parent
        return None


class Person(TimeStamped):
    """A registered disabled person (持证残疾人)."""

    class Sex(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Category(models.IntegerChoices):
        VISION = 1, _("视力残疾")
        HEARING = 2, _("听力残疾")
        SPEECH = 3, _("言语残疾")
        PHYSICAL = 4, _("肢体残疾")
        INTELLECTUAL = 5, _("智力残疾")
        MENTAL = 6, _("精神残疾")
        MULTIPLE = 7, _("多重残疾")

    class Level(models.IntegerChoices):
        ONE = 1, _("一级")
        TWO = 2, _("二级")
        THREE = 3, _("三级")
        FOUR = 4, _("四级")

    class Household(models.TextChoices):
        DIBAO = "dibao", _("低保")
        MARGINAL = "marginal", _("低保边缘")
        TEKUN = "tekun", _("特困")
        GENERAL = "general", _("一般")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        MOVED = "moved", _("迁出")
        DECEASED = "deceased", _("死亡")

    STATUS_COLOURS = {Status.ACTIVE: "success"}

    name = models.CharField(_("姓名"), max_length=50)
    # Unique through Meta.constraints (one pattern-ops index for equality and prefix search).
    id_number = models.CharField(_("身份证号"), max_length=18)
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    certificate_number = models.CharField(_("残疾人证号"), max_length=20, blank=True)
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=Category.choices)
    level = models.PositiveSmallIntegerField(_("残疾等级"), choices=Level.choices)
    household = models.CharField(
        _("家庭类型"), max_length=10, choices=Household.choices, default=Household.GENERAL
    )
    town = models.ForeignKey(
        Area,
        verbose_name=_("镇街道"),
        on_delete=models.PROTECT,
        related_name="town_people",
        editable=False,
        db_index=False,  # the (town, status) index serves it
    )
    community = models.ForeignKey(
        Area,
        verbose_name=_("社区村"),
        on_delete=models.PROTECT,
        related_name="people",
        limit_choices_to={"level": Area.Level.COMMUNITY},
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=50, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=30, blank=True)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_date = models.DateField(_("状态变更日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # History is read per person (by id); copies of the lookup indexes would only slow imports.
    history = BulkHistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["community", "town", "status", "id_number"]
    )

    class Meta:
        verbose_name = _("残疾人")
        verbose_name_plural = _("残疾人")
        # An order one index serves (town, name): towns are imported in code order, so their ids
        # follow the codes; ordering by the town's code would join every row to sort it.
        ordering = ["town_id", "name", "pk"]
        permissions = [("view_sensitive", _("查看完整身份证号、电话和银行账号"))]
        constraints = [
            # One index for the ID number, both unique and pattern-ops: it serves equality (the
            # imports' joins, whole-ID search) and LIKE 'digits%' (the cluster's collation is
            # not C, so a default-opclass index could not). Fields-only, so Django validates it
            # with the field's own "already exists" message.
            models.UniqueConstraint(
                fields=["id_number"],
                name="person_id_number_uniq",
                opclasses=["varchar_pattern_ops"],
            ),
            models.CheckConstraint(
                condition=models.Q(id_number=Upper("id_number")), name="person_id_number_upper"
            ),
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(status_date__isnull=False),
                name="person_status_date_when_left",
            ),
        ]
        # Every index is paid for on each row a roster import writes, so only those a query
        # uses: town scoping (with the default order), the ID number, and the search
        # indexes below. A certificate number starts with the ID number, so its lookups go by
        # the ID's index.
        indexes = [
            models.Index(fields=["town", "name"], name="person_town_name_idx"),
            # Registry search by the shape of the query (people.selectors.person_search): a
            # name of one or two characters — most Chinese names — by prefix, and digits as an
            # ID-number prefix (the unique constraint's index), through pattern-ops indexes (the
            # cluster's collation is not C, so a plain index cannot serve LIKE 'x%'). Names of 3+
            # characters go through a pg_trgm index and ID endings through an index on the
            # reversed number, both created on PostgreSQL only (migration people 0009).
            models.Index(
                fields=["name"], name="person_name_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    @property
    def is_active(self) -> bool:
        """在册: not moved away, not deceased."""
        return self.status == self.Status.ACTIVE

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Normalise what was typed, derive sex, birth date and town, and check consistency."""
        errors: dict[str, list] = {}
        self.name = to_halfwidth(self.name)
        self.id_number = normalize_id_number(self.id_number)
        try:
            info = parse_id_number(self.id_number)
            self.sex, self.birth_date = info.sex, info.birth_date
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
        if self.certificate_number:
            self.certificate_number = normalize_certificate_number(self.certificate_number)
            if "id_number" not in errors:
                try:
                    validate_certificate(
                        self.certificate_number,
                        id_number=self.id_number,
                        category=self.category,
                        level=self.level,
                    )
                except ValidationError as exc:
                    errors.setdefault("certificate_number", []).extend(exc.messages)
        for field_name in ("phone", "guardian_phone"):
            value = normalize_phone(getattr(self, field_name))
            setattr(self, field_name, value)
            if value:
                try:
                    validate_phone(value)
                except ValidationError as exc:
                    errors.setdefault(field_name, []).extend(exc.messages)
        self.bank_account = normalize_bank_account(self.bank_account)
        if self.bank_account:
            try:
                validate_bank_account(self.bank_account)
            except ValidationError as exc:
                errors.setdefault("bank_account", []).extend(exc.messages)
        if self.bank_account and not self.bank_name:
            errors.setdefault("bank_name", []).append(_("填写银行账号时必须填写开户银行"))
        if self.community_id:
            community = self.community
            if community.level != Area.Level.COMMUNITY or community.parent_id is None:
                errors.setdefault("community", []).append(_("请选择社区（村）"))
            else:
                self.town_id = community.parent_id
        if self.status != self.Status.ACTIVE and not self.status_date:
            errors.setdefault("status_date", []).append(_("迁出或死亡必须填写日期"))
        if errors:
            raise ValidationError(errors)
