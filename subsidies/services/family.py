"""The family service (最多跑一次): verification by SMS code at /service/, and online applications.

Invariants:
- the answer to a code request never depends on whether the ID is registered or which phone is
  on file: every request that passes the rate limits writes the same ``ServiceChallenge`` row and
  enqueues the same task; only the task, after the response, sends a code when the ID and phone
  match a registered person (the person's own phone or the guardian's);
- codes are 6 digits, kept only as a keyed hash, valid ``FAMILY_CODE_TTL`` seconds, single use;
- requests are rate-limited per ID, per phone and per client address (cache counters);
  ``FAMILY_MAX_ATTEMPTS`` wrong codes lock that ID for ``FAMILY_LOCK_SECONDS``;
- every request, code sent, verification, view and application is a ``ServiceLog`` row holding
  only digests of what was typed, never the raw ID number or phone;
- an online application is a draft marked 网上申请 with no caseworker, stored with the PIPL consent
  the family gave; the caseworker of the person's town submits it into the normal chain.
"""

import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfed.core.files import validate_upload
from dfed.core.validators import MOBILE_RE, normalize_id_number, normalize_phone
from dfed.notifications.services import sms_message_queue
from dfed.people.models import Person

from ..eligibility import eligibility_check, tier_for
from ..models import (
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    ServiceChallenge,
    ServiceLog,
    SubsidyType,
)
from ._common import save_with_history
from .notices import notice_application_received

Action = ServiceLog.Action
CONSENT_TEXT = gettext_lazy(
    "本人同意区残联为审核本次申请，向民政、公安、人社、医保等部门比对本人及家庭的身份、户籍、"
    "低保、残疾人证和死亡等信息，仅用于本次补贴审核和此后的资格复核。"
)
REQUIRED_KINDS = (
    ApplicationAttachment.Kind.ID_CARD,
    ApplicationAttachment.Kind.HUKOU,
    ApplicationAttachment.Kind.CERTIFICATE,
)

logger = logging.getLogger(__name__)


class ServiceRefused(ValidationError):
    """A refusal the family may see as is (rate limit, lock, wrong or used code)."""


def _setting(name: str, default):
    return getattr(settings, name, default)


def code_ttl() -> int:
    return int(_setting("FAMILY_CODE_TTL", 600))


def idle_seconds() -> int:
    """Seconds of inactivity after which a verified visit ends (15 minutes)."""
    return int(_setting("FAMILY_IDLE_SECONDS", 900))


def max_attempts() -> int:
    return int(_setting("FAMILY_MAX_ATTEMPTS", 5))


def lock_seconds() -> int:
    return int(_setting("FAMILY_LOCK_SECONDS", 1800))


def limits() -> dict[str, tuple[int, int]]:
    """(requests, seconds) per ID, per phone and per client address."""
    return {
        "id": (3, 3600),
        "phone": (5, 3600),
        "ip": (20, 3600),
        "verify_ip": (60, 3600),
        **_setting("FAMILY_RATE_LIMITS", {}),
    }


def digest(kind: str, value: str) -> str:
    """A keyed hash of a typed ID number or phone: logs and rows never hold the raw value."""
    return salted_hmac(f"dfed.family.{kind}", value, algorithm="sha256").hexdigest()


def _code_hash(challenge_id: int, code: str) -> str:
    return salted_hmac("dfed.family.code", f"{challenge_id}:{code}", algorithm="sha256").hexdigest()


def phones_on_file(person: Person) -> list[str]:
    """The mobile numbers texts may go to: the person's own, then the guardian's."""
    phones = [normalize_phone(person.phone), normalize_phone(person.guardian_phone)]
    return [p for p in dict.fromkeys(phones) if p and MOBILE_RE.match(p)]


def _over_limit(scope: str, value: str, *, now: float) -> bool:
    count, seconds = limits()[scope]
    key = f"family-rate:{scope}:{value}:{int(now // seconds)}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 1)
        used = 1
    return used > count


def _log(action: str, *, challenge=None, person=None, id_digest="", ip=None, detail="") -> None:
    ServiceLog.objects.create(
        action=action,
        challenge=challenge,
        person=person,
        id_digest=id_digest,
        client_ip=ip,
        detail=detail[:200],
    )


def _id_locked(id_digest: str) -> bool:
    return ServiceChallenge.objects.filter(
        id_digest=id_digest, locked_until__gt=timezone.now()
    ).exists()


def _locked_message() -> str:
    return _("验证码输错次数过多，请%(m)d分钟后再试，或到镇（街道）残联窗口办理。") % {
        "m": lock_seconds() // 60
    }


def service_challenge_request(*, id_number: str, phone: str, ip: str | None) -> ServiceChallenge:
    """Record a code request and send a code on commit if the ID and phone match (see module).

    Raises ``ServiceRefused`` when a rate limit is reached or the ID is locked; both answers are
    the same whether or not the ID is registered."""
    id_number, phone = normalize_id_number(id_number), normalize_phone(phone)
    id_digest, phone_digest = digest("id", id_number), digest("phone", phone)
    now = time.time()
    over = [
        scope
        for scope, value in (("id", id_digest), ("phone", phone_digest), ("ip", ip or "-"))
        if _over_limit(scope, value, now=now)
    ]
    if over:
        _log(Action.RATE_LIMITED, id_digest=id_digest, ip=ip, detail=",".join(over))
        raise ServiceRefused(_("获取验证码太频繁，请一小时后再试。"), code="rate_limited")
    if _id_locked(id_digest):
        _log(Action.LOCKED, id_digest=id_digest, ip=ip)
        raise ServiceRefused(_locked_message(), code="locked")
    person = (
        Person.objects.filter(id_number=id_number, status=Person.Status.ACTIVE)
        .only("pk", "phone", "guardian_phone")
        .first()
    )
    matched = person is not None and phone in phones_on_file(person)
    with transaction.atomic():
        challenge = ServiceChallenge.objects.create(
            id_digest=id_digest,
            phone_digest=phone_digest,
            person=person if matched else None,
            phone=phone if matched else "",
            client_ip=ip,
            expires_at=timezone.now() + timedelta(seconds=code_ttl()),
        )
        _log(Action.REQUEST, challenge=challenge, id_digest=id_digest, ip=ip)
        transaction.on_commit(lambda: _enqueue_code(challenge.pk))
    return challenge


def _enqueue_code(challenge_id: int) -> None:
    """Hand the challenge to a worker; when the broker is down the request still succeeds and
    ``service_codes_send_pending`` (beat, every minute) sends the code instead."""
    from ..tasks import service_code_send_task

    try:
        service_code_send_task.delay(challenge_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep sends it
        logger.warning("family code %s left for the sweep: %s", challenge_id, exc)


def service_codes_send_pending(*, older_than_seconds: int = 30) -> int:
    """The sweep: send the code of every matched challenge that is still unsent and unexpired
    ``older_than_seconds`` after it was made (its hand-over to the broker was lost). Returns
    how many codes were sent. Each is sent at most once (``service_code_send`` locks the row
    and checks ``sent_at``), so a sweep racing the worker texts nobody twice."""
    now = timezone.now()
    pending = ServiceChallenge.objects.filter(
        person__isnull=False,
        sent_at__isnull=True,
        expires_at__gt=now,
        created_at__lte=now - timedelta(seconds=older_than_seconds),
    ).values_list("pk", flat=True)
    return sum(service_code_send(challenge_id=pk) for pk in list(pending))


@transaction.atomic
def service_code_send(*, challenge_id: int) -> bool:
    """Text a fresh code for a matched challenge (once); False when there is nobody to text."""
    challenge = ServiceChallenge.objects.select_for_update().get(pk=challenge_id)
    if challenge.person_id is None or challenge.sent_at is not None:
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    challenge.code_hash = _code_hash(challenge.pk, code)
    challenge.sent_at = timezone.now()
    challenge.save(update_fields=["code_hash", "sent_at"])
    body = _(
        "【%(portal)s】验证码%(code)s，%(m)d分钟内有效，仅用于查询和办理残疾人补贴。请勿告诉他人。"
    ) % {
        "portal": settings.PORTAL_NAME,
        "code": code,
        "m": code_ttl() // 60,
    }
    sms_message_queue(
        phone=challenge.phone, body=body, purpose="family_code", key=f"family-code-{challenge.pk}"
    )
    _log(
        Action.CODE_SENT,
        challenge=challenge,
        person=challenge.person,
        id_digest=challenge.id_digest,
        ip=challenge.client_ip,
    )
    return True


def service_challenge_verify(*, challenge_id: int, code: str, ip: str | None) -> ServiceChallenge:
    """Check a typed code against the challenge: single use, expiry, lockout after 5 misses.

    Returns the verified challenge; raises ``ServiceRefused`` with a message the family may
    see (the same for an unknown ID as for a wrong code). The failure count is committed.

    Raises: ServiceRefused (a ValidationError) when the code is wrong, expired, used, missing or
    tried too often."""
    if _over_limit("verify_ip", ip or "-", now=time.time()):
        _log(Action.RATE_LIMITED, ip=ip, detail="verify")
        raise ServiceRefused(_("尝试太频繁，请一小时后再试。"), code="rate_limited")
    code = normalize_phone(code)  # half-width digits, no spaces
    error = None
    with transaction.atomic():
        challenge = ServiceChallenge.objects.select_for_update().filter(pk=challenge_id).first()
        if challenge is None:
            raise ServiceRefused(_("请重新获取验证码。"), code="missing")
        now = timezone.now()
        log = {"challenge": challenge, "id_digest": challenge.id_digest, "ip": ip}
        if (challenge.locked_until and challenge.locked_until > now) or _id_locked(
            challenge.id_digest
        ):
            _log(Action.LOCKED, **log)
            error = ServiceRefused(_locked_message(), code="locked")
        elif challenge.verified_at is not None:
            error = ServiceRefused(_("这个验证码已经用过，请重新获取。"), code="used")
        elif challenge.expires_at <= now:
            error = ServiceRefused(_("验证码已过期，请重新获取。"), code="expired")
        elif challenge.code_hash and constant_time_compare(
            challenge.code_hash, _code_hash(challenge.pk, code)
        ):
            challenge.verified_at = now
            challenge.save(update_fields=["verified_at"])
            _log(Action.VERIFY_OK, person=challenge.person, **log)
            return challenge
        else:
            challenge.attempts += 1
            left = max_attempts() - challenge.attempts
            fields = ["attempts"]
            if left <= 0:
                challenge.locked_until = now + timedelta(seconds=lock_seconds())
                fields.append("locked_until")
                error = ServiceRefused(_locked_message(), code="locked")
            else:
                error = ServiceRefused(
                    _("验证码不正确，还可以再试%(n)d次。") % {"n": left}, code="wrong"
                )
            challenge.save(update_fields=fields)
            _log(Action.VERIFY_FAILED, detail=str(challenge.attempts), **log)
    raise error


def service_challenge_active(*, challenge_id: int) -> ServiceChallenge | None:
    """The verified, not ended challenge with its person, or None."""
    return (
        ServiceChallenge.objects.select_related("person", "person__town")
        .filter(
            pk=challenge_id,
            verified_at__isnull=False,
            ended_at__isnull=True,
            person__isnull=False,
        )
        .first()
    )


def service_session_end(*, challenge: ServiceChallenge, ip: str | None) -> None:
    """End a verified visit: its signed key no longer opens anything."""
    ServiceChallenge.objects.filter(pk=challenge.pk, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    _log(Action.END, challenge=challenge, person=challenge.person, ip=ip)


def service_view_log(*, challenge: ServiceChallenge, ip: str | None, page: str) -> None:
    """Log the first view of ``page`` in a verified visit (the visit itself is VERIFY_OK)."""
    if cache.add(f"family-viewed:{challenge.pk}:{page}", 1, timeout=idle_seconds() * 8):
        _log(Action.VIEW, challenge=challenge, person=challenge.person, ip=ip, detail=page)


@transaction.atomic
def application_create_online(
    *,
    challenge: ServiceChallenge,
    type: str,  # noqa: A002
    reason: str,
    uploads: dict,
    consent: bool,
    ip: str | None,
) -> Application:
    """A family's online application: a 网上申请 draft in the town's queue, with its papers.

    ``uploads`` maps ``ApplicationAttachment.Kind`` values to uploaded files; the ID card,
    户口本 and certificate are required and pass the shared upload checks. Raises
    ``ValidationError`` (field errors, or the eligibility reasons in plain words)."""
    person = challenge.person
    if person is None or challenge.verified_at is None or challenge.ended_at is not None:
        raise ServiceRefused(_("请先验证身份。"), code="unverified")
    errors: dict[str, list] = {}
    if type not in SubsidyType.values:
        errors["type"] = [_("请选择要申请的补贴")]
    if not consent:
        errors["consent"] = [_("需要您同意数据比对，才能在网上申请")]
    checked = {}
    for kind in REQUIRED_KINDS:
        upload = uploads.get(kind)
        if not upload:
            errors[kind] = [_("请上传%(kind)s的照片或PDF") % {"kind": kind.label}]
            continue
        try:
            checked[kind] = (upload, validate_upload(upload))
        except ValidationError as exc:
            errors[kind] = exc.messages
    if errors:
        raise ValidationError(errors)
    reasons = eligibility_check(person=person, type=type)
    if reasons:
        raise ValidationError(reasons)
    application = Application(
        person=person,
        type=type,
        tier=tier_for(type=type, level=person.level),
        reason=reason,
        channel=Application.Channel.ONLINE,
        consent_at=timezone.now(),
        consent_text=str(CONSENT_TEXT),
    )
    application.full_clean()
    save_with_history(application, by=None, reason=_("网上申请"))
    application.reference = f"WB{timezone.localdate():%Y%m%d}{application.pk:06d}"
    application.save(update_fields=["reference"])
    ApplicationEvent.objects.create(
        application=application,
        action=ApplicationEvent.Action.CREATE,
        to_status=application.status,
        by=None,
        comment=_("网上申请"),
    )
    for kind, (upload, content_type) in checked.items():
        attachment = ApplicationAttachment(
            application=application,
            kind=kind,
            original_name=(upload.name or "")[-200:],
            content_type=content_type,
            size=upload.size,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    notice_application_received(application)
    _log(
        Action.APPLY,
        challenge=challenge,
        person=person,
        ip=ip,
        detail=application.reference,
    )
    return application
