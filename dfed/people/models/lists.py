"""External lists (民政, 公安/殡葬, 户籍, 残联证件系统, 司法) and their rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dfed.core.models import actor_field

from .registry import Person


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
