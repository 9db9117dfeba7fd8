"""Accessible-community creations: declaration, checklist progress and acceptance."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.files import validate_upload
from dfed.core.history import save_with_history
from dfed.core.images import FORMATS as IMAGE_FORMATS
from dfed.core.images import image_thumbnail
from dfed.core.permissions import require
from dfed.people.models import Area

from ..conf import photo_max_bytes
from ..models import AccessibleCommunity, ChecklistItem, CommunityCheck

EVIDENCE_TYPES = ("image/jpeg", "image/png", "application/pdf")


# --- Accessible communities -----------------------------------------------------------------


@transaction.atomic
def community_declare(*, community: Area, year: int, by) -> AccessibleCommunity:
    """申报: open a creation with one check per active standard item.

    Raises: PermissionDenied if ``by`` lacks accessibility.add_accessiblecommunity or the
    community's town; ValidationError if no community is chosen, the community has a bid that
    year already or the standard has no items."""
    require(by, "accessibility.add_accessiblecommunity", town_id=community.parent_id)
    if community.level != Area.Level.COMMUNITY:
        raise ValidationError({"community": _("请选择社区（村）")})
    existing = AccessibleCommunity.objects.filter(community=community, year=year).first()
    if existing is not None:
        raise ValidationError(
            _("%(name)s %(year)s 年已申报无障碍社区创建（编号 %(pk)s，状态：%(status)s）")
            % {
                "name": community.name,
                "year": year,
                "pk": existing.pk,
                "status": existing.get_status_display(),
            }
        )
    items = list(ChecklistItem.objects.filter(active=True))
    if not items:
        raise ValidationError(_("尚未设置无障碍社区标准条目，请联系管理员"))
    creation = AccessibleCommunity(
        community=community, town=community.parent, year=year, declared_by=by
    )
    creation.full_clean()
    save_with_history(creation, by=by)
    CommunityCheck.objects.bulk_create(CommunityCheck(creation=creation, item=i) for i in items)
    return creation


def _lock_creation(creation: AccessibleCommunity) -> AccessibleCommunity:
    return (
        AccessibleCommunity.objects.select_for_update()
        .select_related("town", "community")
        .get(pk=creation.pk)
    )


@transaction.atomic
def community_start(*, creation: AccessibleCommunity, by) -> AccessibleCommunity:
    """Begin (or, after 未通过, resume) the creation work.

    Raises: PermissionDenied if ``by`` lacks accessibility.add_accessiblecommunity or the town;
    ValidationError if the status does not allow it (only from 申报 or 未通过)."""
    creation = _lock_creation(creation)
    require(by, "accessibility.add_accessiblecommunity", town_id=creation.town_id)
    creation.transition_to(AccessibleCommunity.Status.BUILDING)
    save_with_history(creation, by=by, update_fields=["status", "updated_at"])
    return creation


@transaction.atomic
def community_check_update(
    *, check: CommunityCheck, by, state: str, note: str = "", evidence=None
) -> CommunityCheck:
    """Record an item's state with its evidence (photo or PDF) or a note.

    Raises: PermissionDenied if ``by`` lacks accessibility.change_communitycheck or the town;
    ValidationError if the creation is not 创建中, no state is chosen, 已达标 has neither
    evidence nor note, or the evidence file is refused."""
    check = (
        CommunityCheck.objects.select_for_update().select_related("creation__town").get(pk=check.pk)
    )
    creation = check.creation
    require(by, "accessibility.change_communitycheck", town_id=creation.town_id)
    if creation.status != AccessibleCommunity.Status.BUILDING:
        raise ValidationError(_("只有“创建中”的社区可以更新条目进度"))
    if state not in CommunityCheck.State.values:
        raise ValidationError({"state": _("请选择状态")})
    if evidence is not None:
        content_type = validate_upload(
            evidence, allowed=EVIDENCE_TYPES, max_bytes=photo_max_bytes()
        )
        if content_type in IMAGE_FORMATS:
            image_thumbnail(evidence, content_type)  # proves it decodes; nothing else kept
        check.evidence = evidence
    note = (note or "").strip()
    if state == CommunityCheck.State.DONE and not (note or check.evidence):
        raise ValidationError(_("标记为“已达标”须上传佐证材料或填写说明"))
    check.state, check.note = state, note
    check.updated_by, check.updated_at = by, timezone.now()
    check.save()
    return check


@transaction.atomic
def community_decide(
    *, creation: AccessibleCommunity, by, passed: bool, note: str = ""
) -> AccessibleCommunity:
    """验收: 验收通过 needs every item 已达标; 未通过 needs a note.

    Raises: PermissionDenied if ``by`` lacks accessibility.decide_accessiblecommunity or the
    town; ValidationError if 验收通过 with items not 已达标, 未通过 without a note, or the
    creation is not 创建中."""
    creation = _lock_creation(creation)
    require(by, "accessibility.decide_accessiblecommunity", town_id=creation.town_id)
    note = (note or "").strip()
    if passed:
        pending = creation.checks.exclude(state=CommunityCheck.State.DONE).count()
        if pending:
            raise ValidationError(_("尚有 %(n)d 项标准条目未达标，不能验收通过") % {"n": pending})
        target = AccessibleCommunity.Status.PASSED
    else:
        if not note:
            raise ValidationError({"note": _("未通过须填写验收意见")})
        target = AccessibleCommunity.Status.FAILED
    creation.transition_to(target)
    creation.decided_by, creation.decided_at, creation.decision_note = by, timezone.now(), note
    save_with_history(
        creation,
        by=by,
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"],
    )
    return creation
