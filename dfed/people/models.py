from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from dfed.core.history import BulkHistoricalRecords
from dfed.core.models import TimeStamped, actor_field
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

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
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
            # ID-number prefix, through pattern-ops indexes (the cluster's collation is not C,
            # so the plain unique index cannot serve LIKE 'x%'). Names of three or more
            # characters go through a pg_trgm index and ID endings through an index on the
            # reversed number, both created on PostgreSQL only (migration people 0009).
            models.Index(
                fields=["name"], name="person_name_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["id_number"],
                name="person_id_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

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


class SensitiveAccessLog(models.Model):
    """One response that showed full identifiers: who, when, what kind of view, whom (the
    person; for lists and exports the filter used and how many people), from which address.
    Kept ``ACCESS_LOG_RETENTION_MONTHS`` (default 6) months, then pruned by a beat task."""

    class Kind(models.TextChoices):
        DETAIL = "detail", _("详情")
        EDIT = "edit", _("编辑")
        LIST = "list", _("列表")
        EXPORT = "export", _("导出")
        BANK_FILE = "bank_file", _("银行代发文件")
        ADMIN = "admin", _("后台")
        DOCX = "docx", _("文书")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("被查看人"),
        on_delete=models.CASCADE,
        related_name="access_logs",
        null=True,
        blank=True,
    )
    viewed_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    kind = models.CharField(
        _("查看方式"), max_length=10, choices=Kind.choices, default=Kind.DETAIL, db_index=True
    )
    context = models.CharField(_("页面"), max_length=100, default="detail")
    query = models.CharField(_("筛选条件"), max_length=500, blank=True)
    count = models.PositiveIntegerField(_("人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("敏感信息查看记录")
        verbose_name_plural = _("敏感信息查看记录")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        whom = self.person or self.query or self.get_kind_display()
        return f"{self.user} → {whom} @ {self.viewed_at:%Y-%m-%d %H:%M}"


class ExternalList(models.Model):
    """One list another department sent (民政, 公安/殡葬, 户籍, 残联证件系统, 司法), as imported:
    who imported it, when, from which file. Its rows are facts about people; the newest row of a
    kind for an ID number is the current one (``current``)."""

    class Kind(models.TextChoices):
        ASSISTANCE = "assistance", _("民政救助名单")
        DEATH = "death", _("死亡名单")
        MOVE = "move", _("户籍迁移名单")
        CERTIFICATE = "certificate", _("残疾人证变动名单")
        SENTENCE = "sentence", _("服刑人员名单")

    kind = models.CharField(_("名单类型"), max_length=12, choices=Kind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    imported_by = actor_field(_("导入人"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外部比对名单")
        verbose_name_plural = _("外部比对名单")
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-imported_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"


class ListRow(models.Model):
    """Abstract: one row of an external list (its Excel row number kept as evidence)."""

    source = models.ForeignKey(
        ExternalList, verbose_name=_("名单"), on_delete=models.CASCADE, related_name="+"
    )
    row = models.PositiveIntegerField(_("行号"))
    id_number = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    current = models.BooleanField(_("当前有效"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} {self.id_number[:6]}…"


def _current_index(name: str) -> models.Index:
    # The comparison reads only current rows, by ID number.
    return models.Index(fields=["id_number"], condition=models.Q(current=True), name=name)


class AssistanceRecord(ListRow):
    """民政 social assistance: the household's type from ``from_month`` (to ``to_month``)."""

    class Household(models.TextChoices):
        DIBAO = "dibao", _("低保")
        MARGINAL = "marginal", _("低保边缘")
        TEKUN = "tekun", _("特困")

    household = models.CharField(_("救助类型"), max_length=10, choices=Household.choices)
    from_month = models.DateField(_("起始年月"))
    to_month = models.DateField(_("终止年月"), null=True, blank=True)

    class Meta:
        verbose_name = _("民政救助名单行")
        verbose_name_plural = verbose_name
        indexes = [_current_index("assistance_current_idx")]


class DeathRecord(ListRow):
    """A death reported by 公安 (户籍注销) or 殡葬 (火化)."""

    death_date = models.DateField(_("死亡日期"))
    death_source = models.CharField(_("信息来源"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("死亡名单行")
        verbose_name_plural = verbose_name
        indexes = [_current_index("death_current_idx")]


class MoveRecord(ListRow):
    """A household registration move out of (迁出) or into (迁入) the district."""

    class Direction(models.TextChoices):
        OUT = "out", _("迁出")
        IN = "in", _("迁入")

    direction = models.CharField(_("迁移方向"), max_length=3, choices=Direction.choices)
    move_date = models.DateField(_("迁移日期"))
    area_code = models.CharField(_("迁往/迁自区划代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("户籍迁移名单行")
        verbose_name_plural = verbose_name
        indexes = [_current_index("move_current_idx")]


class CertificateRecord(ListRow):
    """A disability certificate issued, re-assessed or cancelled (残联证件系统)."""

    certificate_number = models.CharField(_("残疾人证号"), max_length=20, blank=True)
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=Person.Category.choices)
    level = models.PositiveSmallIntegerField(_("残疾等级"), choices=Person.Level.choices)
    issue_date = models.DateField(_("发证/评定日期"))
    cancelled = models.BooleanField(_("已注销"), default=False)
    area_code = models.CharField(_("户籍地区划代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("残疾人证变动名单行")
        verbose_name_plural = verbose_name
        indexes = [_current_index("certificate_current_idx")]


class SentenceRecord(ListRow):
    """A sentence being served (司法): from ``from_date`` to ``to_date``."""

    from_date = models.DateField(_("服刑起始日期"))
    to_date = models.DateField(_("服刑截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("服刑人员名单行")
        verbose_name_plural = verbose_name
        indexes = [_current_index("sentence_current_idx")]


LIST_ROW_MODELS: dict[str, type[ListRow]] = {
    ExternalList.Kind.ASSISTANCE: AssistanceRecord,
    ExternalList.Kind.DEATH: DeathRecord,
    ExternalList.Kind.MOVE: MoveRecord,
    ExternalList.Kind.CERTIFICATE: CertificateRecord,
    ExternalList.Kind.SENTENCE: SentenceRecord,
}


class PersonCount(models.Model):
    """How many people a town has per category, level and status: the registry's figures read
    this small table instead of grouping the whole registry (1.5M people in a province) on every
    dashboard view. Derived data: rebuilt per town whenever a person is saved or deleted
    (``dfed.people.summaries``), after every bulk write, and in full every night."""

    town = models.ForeignKey(
        Area, verbose_name=_("镇街道"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=Person.Category.choices)
    level = models.PositiveSmallIntegerField(_("残疾等级"), choices=Person.Level.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Person.Status.choices)
    people = models.PositiveIntegerField(_("人数"))

    class Meta:
        verbose_name = _("名册人数汇总")
        verbose_name_plural = _("名册人数汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["town", "category", "level", "status"], name="personcount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.town_id}/{self.category}/{self.level}/{self.status}: {self.people}"


class PersonYearCount(models.Model):
    """The registry as of the end of a year: people on the register on 31 December (registered
    before the next year and still active, or left after it), how many of them are severe
    (levels 1–2), and how many of them were registered during the year. Derived data, rebuilt
    every night (``dfed.people.summaries.person_year_counts_refresh``) so the annual summary does
    not scan the registry; read through ``dfed.people.selectors.person_year_figures``."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    people = models.PositiveIntegerField(_("年末在册人数"))
    severe = models.PositiveIntegerField(_("其中重度"))
    new = models.PositiveIntegerField(_("本年新增登记"))
    refreshed_at = models.DateTimeField(_("刷新时间"))

    class Meta:
        verbose_name = _("年度名册人数")
        verbose_name_plural = _("年度名册人数")

    def __str__(self) -> str:
        return f"{self.year}: {self.people} / {self.severe} / {self.new}"


class PersonTransfer(TimeStamped):
    """区内迁移: a caseworker of the new town asks to move a person registered in another town of
    the district; a district reviewer approves, and the person's community changes (with
    history). Entitlements, memberships and projects stay with the person."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    person = models.ForeignKey(
        Person, verbose_name=_("残疾人"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_community = models.ForeignKey(
        Area, verbose_name=_("迁出社区村"), on_delete=models.PROTECT, related_name="+"
    )
    to_community = models.ForeignKey(
        Area,
        verbose_name=_("迁入社区村"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Area.Level.COMMUNITY},
    )
    reason = models.CharField(_("迁移说明"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("区内迁移")
        verbose_name_plural = _("区内迁移")
        ordering = ["-created_at"]
        permissions = [("approve_persontransfer", _("审批区内迁移"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="person_transfer_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.to_community}"
