"""The integrity ledgers: responsibility letters, commitments, inspections and their
rectifications, study sessions, talks, risk points, major decisions and service visits."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import TimeStamped

from .staff import Department, Staff


def check_not_future(instance, *fields: str) -> None:
    """Raise ValidationError naming each date field of ``instance`` that lies after today: a
    ledger records what happened (a plan has its own field, e.g. 整改期限)."""
    today = timezone.localdate()
    errors = {}
    for name in fields:
        value = getattr(instance, name)
        if value and value > today:
            label = instance._meta.get_field(name).verbose_name
            errors[name] = _("%(field)s不能晚于今天（%(today)s）") % {
                "field": label,
                "today": today.isoformat(),
            }
    if errors:
        raise ValidationError(errors)


class ResponsibilityLetter(TimeStamped):
    """党风廉政建设责任书: signed yearly down the chain 主要领导 → 分管领导 → 科室负责人."""

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    issuer = models.ForeignKey(
        Staff, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="letters_issued"
    )
    signer = models.ForeignKey(
        Staff, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="letters_signed"
    )
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        ordering = ["-year", "signer__department__order", "signer__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "signer"], name="integrity_letter_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.issuer} → {self.signer}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    # signer's post -> the post that issues the signer's letter
    ISSUER_POST = {Staff.Post.DEPUTY: Staff.Post.SECRETARY, Staff.Post.HEAD: Staff.Post.DEPUTY}

    def clean(self):
        if self.issuer_id and self.issuer_id == self.signer_id:
            raise ValidationError(_("签发人和责任人不能是同一人"))
        if self.issuer_id and self.signer_id:
            wanted = self.ISSUER_POST.get(self.signer.post)
            if wanted is None:
                raise ValidationError(
                    {"signer": _("责任书由分管领导和科室负责人签订，工作人员签订承诺书")}
                )
            if self.issuer.post != wanted:
                raise ValidationError(
                    {
                        "issuer": _("%(post)s的责任书应由%(issuer)s签发")
                        % {
                            "post": self.signer.get_post_display(),
                            "issuer": Staff.Post(wanted).label,
                        }
                    }
                )
            if self.signed_on and self.year:
                upstream = ResponsibilityLetter.objects.filter(
                    year=self.year, signer=self.issuer, signed_on__isnull=False
                )
                if wanted != Staff.Post.SECRETARY and not upstream.exists():
                    raise ValidationError(
                        _("责任书须逐级签订：%(issuer)s本年度的责任书尚未签订")
                        % {"issuer": self.issuer}
                    )
        if self.signed_on and self.year and self.signed_on.year not in (self.year - 1, self.year):
            raise ValidationError({"signed_on": _("签订日期应在该年度（或上年底）")})
        check_not_future(self, "signed_on")


class Commitment(TimeStamped):
    """承诺书 signed by every staff member yearly."""

    class Kind(models.TextChoices):
        INTEGRITY = "integrity", _("廉政建设承诺书")
        EFFICIENCY = "efficiency", _("效能建设承诺书")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    staff = models.ForeignKey(Staff, verbose_name=_("承诺人"), on_delete=models.PROTECT)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.INTEGRITY)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承诺书")
        verbose_name_plural = _("承诺书")
        ordering = ["-year", "staff__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "staff", "kind"], name="integrity_commitment_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.staff} {self.get_kind_display()}"

    def clean(self):
        check_not_future(self, "signed_on")


class Inspection(TimeStamped):
    """A half-yearly check of the responsibility letters (半年检查 / 年终考核)."""

    class Period(models.TextChoices):
        MID_YEAR = "mid", _("半年检查")
        YEAR_END = "end", _("年终考核")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    period = models.CharField(_("类型"), max_length=4, choices=Period.choices)
    held_on = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=200)
    findings = models.TextField(_("发现问题"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任制检查")
        verbose_name_plural = _("责任制检查")
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["year", "period"], name="integrity_inspection_period")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_period_display()}"

    def clean(self):
        check_not_future(self, "held_on")
        if self.held_on and self.year and self.held_on.year not in (self.year, self.year + 1):
            raise ValidationError({"held_on": _("检查日期应在该年度（年终考核可在次年初）")})
        if self.pk and self.held_on:
            early = self.items.filter(closed_on__lt=self.held_on).order_by("closed_on").first()
            if early is not None:
                raise ValidationError(
                    {
                        "held_on": _("整改事项「%(item)s」已于%(d)s销号，检查日期不能晚于它")
                        % {"item": early.description, "d": early.closed_on.isoformat()}
                    }
                )


class Rectification(TimeStamped):
    """A rectification item raised by an inspection: owner, due date, closing."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="items"
    )
    description = models.CharField(_("整改事项"), max_length=300)
    owner = models.ForeignKey(Staff, verbose_name=_("责任人"), on_delete=models.PROTECT)
    due_on = models.DateField(_("整改期限"))
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closing_note = models.CharField(_("整改情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def clean(self):
        """Dates in order: inspection ≤ due date, inspection ≤ closing (销号) ≤ today."""
        check_not_future(self, "closed_on")
        held_on = self.inspection.held_on if self.inspection_id else None
        errors = {}
        if held_on and self.due_on and self.due_on < held_on:
            errors["due_on"] = _("整改期限（%(d)s）不能早于检查日期（%(h)s）") % {
                "d": self.due_on.isoformat(),
                "h": held_on.isoformat(),
            }
        if held_on and self.closed_on and self.closed_on < held_on:
            errors["closed_on"] = _("销号日期（%(d)s）不能早于检查日期（%(h)s）") % {
                "d": self.closed_on.isoformat(),
                "h": held_on.isoformat(),
            }
        if errors:
            raise ValidationError(errors)


class StudySession(TimeStamped):
    """学习 or 专题研究 (a meeting dedicated to integrity work)."""

    class Kind(models.TextChoices):
        STUDY = "study", _("集中学习")
        SPECIAL = "special", _("专题研究")

    held_on = models.DateField(_("日期"), db_index=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.STUDY)
    topic = models.CharField(_("主题"), max_length=200)
    materials = models.TextField(_("学习材料"), blank=True)
    attendees = models.ManyToManyField(Staff, verbose_name=_("参加人员"), blank=True)
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("学习与专题研究")
        verbose_name_plural = _("学习与专题研究")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"

    def clean(self):
        check_not_future(self, "held_on")


class Talk(TimeStamped):
    """谈心谈话: who talked with whom; the content is for the two parties and 纪检 only."""

    held_on = models.DateField(_("日期"), db_index=True)
    talker = models.ForeignKey(
        Staff, verbose_name=_("谈话人"), on_delete=models.PROTECT, related_name="talks_given"
    )
    talkee = models.ForeignKey(
        Staff, verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="talks_received"
    )
    topic = models.CharField(_("主题"), max_length=200)
    content = models.TextField(_("谈话内容"), blank=True)

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-held_on", "-pk"]
        permissions = [("view_talk_content", _("可查看谈话内容"))]

    def __str__(self) -> str:
        return f"{self.held_on} {self.talker} — {self.talkee}"

    def clean(self):
        if self.talker_id and self.talker_id == self.talkee_id:
            raise ValidationError(_("谈话人和谈话对象不能是同一人"))
        check_not_future(self, "held_on")


class RiskPoint(TimeStamped):
    """廉政风险点 of a post, with its level and controls."""

    class Level(models.TextChoices):
        HIGH = "high", _("高")
        MEDIUM = "medium", _("中")
        LOW = "low", _("低")

    post = models.CharField(_("岗位"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("科室"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.CharField(_("风险描述"), max_length=300)
    level = models.CharField(_("风险等级"), max_length=6, choices=Level.choices)
    controls = models.TextField(_("防控措施"))
    reviewed_on = models.DateField(_("最近评估日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险点")
        ordering = ["post", "pk"]

    def __str__(self) -> str:
        return f"{self.post}：{self.description}"

    def clean(self):
        check_not_future(self, "reviewed_on")


class MajorDecision(TimeStamped):
    """三重一大 register."""

    class Category(models.TextChoices):
        DECISION = "decision", _("重大决策")
        PERSONNEL = "personnel", _("重要人事任免")
        PROJECT = "project", _("重大项目安排")
        FUNDS = "funds", _("大额资金使用")

    matter = models.CharField(_("事项"), max_length=200)
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices)
    meeting = models.CharField(_("会议"), max_length=100)
    decided_on = models.DateField(_("日期"), db_index=True)
    participants = models.CharField(_("参会人员"), max_length=300)
    outcome = models.TextField(_("决策结果"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("三重一大事项")
        verbose_name_plural = _("三重一大事项")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.matter

    def clean(self):
        check_not_future(self, "decided_on")


class ServiceVisit(TimeStamped):
    """三服务 visit to communities, families and enterprises."""

    group = models.CharField(_("走访组"), max_length=100)
    visited_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    families = models.PositiveIntegerField(_("走访家庭数"), default=0)
    enterprises = models.PositiveIntegerField(_("走访企业数"), default=0)
    problems = models.TextField(_("收集问题"), blank=True)
    follow_up = models.TextField(_("跟进落实"), blank=True)

    class Meta:
        verbose_name = _("三服务走访")
        verbose_name_plural = _("三服务走访")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.place}"

    def clean(self):
        check_not_future(self, "visited_on")
