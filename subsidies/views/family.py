"""The family service under /service/: no account, verification by a code sent to the phone on
file, then the family's own applications and payments, and online applications.

A verified visit is a signed cookie holding the challenge id; it is re-signed on every page and
expires after ``FAMILY_IDLE_SECONDS`` of inactivity (15 minutes). Nothing is shown before it."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dfed.core.masking import mask_id_number, mask_phone

from ..eligibility import eligibility_check
from ..forms import ServiceApplyForm, ServiceCodeForm, ServiceVerifyForm
from ..models import SubsidyType
from ..selectors import family_application_get, family_overview
from ..services import family as service

VERIFIED_COOKIE = "dfed_service"
PENDING_COOKIE = "dfed_service_pending"
SALT = "dfed.service"
NEXT_PAGES = {"status": "service:status", "apply": "service:apply"}


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _set_cookie(response, name: str, value: str, max_age: int) -> None:
    response.set_signed_cookie(
        name,
        value,
        salt=SALT,
        max_age=max_age,
        path="/service/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _next(request) -> str:
    value = request.GET.get("next") or request.POST.get("next") or "status"
    return value if value in NEXT_PAGES else "status"


class ServiceHomeView(View):
    def get(self, request):
        return render(request, "subsidies/service_home.html")


class ServiceVerifyView(View):
    """Step 1: ID number and phone → a code is texted if (and only if) they match."""

    template_name = "subsidies/service_verify.html"

    def get(self, request):
        form = ServiceVerifyForm()
        return render(request, self.template_name, {"form": form, "next": _next(request)})

    def post(self, request):
        form = ServiceVerifyForm(request.POST)
        if form.is_valid():
            try:
                challenge = service.service_challenge_request(
                    id_number=form.cleaned_data["id_number"],
                    phone=form.cleaned_data["phone"],
                    ip=client_ip(request),
                )
            except service.ServiceRefused as exc:
                form.add_error(None, exc)
            else:
                url = f"{reverse('service:code')}?next={_next(request)}"
                response = HttpResponseRedirect(url)
                _set_cookie(response, PENDING_COOKIE, str(challenge.pk), service.code_ttl())
                response.delete_cookie(VERIFIED_COOKIE, path="/service/")
                return response
        context = {"form": form, "next": _next(request)}
        return render(request, self.template_name, context, status=400)


class ServiceCodeView(View):
    """Step 2: the 6-digit code → a verified visit."""

    template_name = "subsidies/service_code.html"

    def _pending(self, request) -> int | None:
        value = request.get_signed_cookie(
            PENDING_COOKIE, default=None, salt=SALT, max_age=service.code_ttl()
        )
        return int(value) if value and value.isdigit() else None

    def get(self, request):
        if self._pending(request) is None:
            return redirect(f"{reverse('service:verify')}?next={_next(request)}")
        context = {"form": ServiceCodeForm(), "next": _next(request)}
        return render(request, self.template_name, context)

    def post(self, request):
        challenge_id = self._pending(request)
        if challenge_id is None:
            messages.error(request, _("验证码已过期，请重新获取。"))
            return redirect(f"{reverse('service:verify')}?next={_next(request)}")
        form = ServiceCodeForm(request.POST)
        if form.is_valid():
            try:
                challenge = service.service_challenge_verify(
                    challenge_id=challenge_id, code=form.cleaned_data["code"], ip=client_ip(request)
                )
            except service.ServiceRefused as exc:
                form.add_error(None, exc)
            else:
                response = redirect(NEXT_PAGES[_next(request)])
                _set_cookie(response, VERIFIED_COOKIE, str(challenge.pk), service.idle_seconds())
                response.delete_cookie(PENDING_COOKIE, path="/service/")
                return response
        context = {"form": form, "next": _next(request)}
        return render(request, self.template_name, context, status=400)


class VerifiedMixin:
    """Let in only a verified visit (signed cookie, idle < 15 min); re-sign it on each page."""

    next_page = "status"

    def dispatch(self, request, *args, **kwargs):
        value = request.get_signed_cookie(
            VERIFIED_COOKIE, default=None, salt=SALT, max_age=service.idle_seconds()
        )
        challenge = None
        if value and value.isdigit():
            challenge = service.service_challenge_active(challenge_id=int(value))
        if challenge is None:
            if value is not None or VERIFIED_COOKIE in request.COOKIES:
                messages.info(
                    request, _("为保护您的信息，超过15分钟未操作已自动退出，请重新验证。")
                )
            response = redirect(f"{reverse('service:verify')}?next={self.next_page}")
            response.delete_cookie(VERIFIED_COOKIE, path="/service/")
            return response
        self.challenge, self.person = challenge, challenge.person
        response = super().dispatch(request, *args, **kwargs)
        if request.COOKIES.get(VERIFIED_COOKIE) and not getattr(self, "ended", False):
            _set_cookie(response, VERIFIED_COOKIE, value, service.idle_seconds())
        response["Cache-Control"] = "private, no-store"
        return response

    def person_context(self) -> dict:
        person = self.person
        return {
            "person": person,
            "masked_id": mask_id_number(person.id_number),
            "masked_phone": mask_phone(self.challenge.phone),
        }


class ServiceStatusView(VerifiedMixin, View):
    def get(self, request):
        service.service_view_log(challenge=self.challenge, ip=client_ip(request), page="status")
        context = {**self.person_context(), **family_overview(person=self.person)}
        return render(request, "subsidies/service_status.html", context)


class ServiceApplyView(VerifiedMixin, View):
    """Online application: registry facts shown, papers uploaded, eligibility explained at once."""

    next_page = "apply"
    template_name = "subsidies/service_apply.html"

    def _context(self, form) -> dict:
        checks = [
            {"type": t, "reasons": eligibility_check(person=self.person, type=t.value)}
            for t in SubsidyType
        ]
        return {
            **self.person_context(),
            "form": form,
            "checks": checks,
            "consent_text": service.CONSENT_TEXT,
        }

    def get(self, request):
        return render(request, self.template_name, self._context(ServiceApplyForm()))

    def post(self, request):
        form = ServiceApplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            uploads = {kind: data.get(kind) for kind in ("id_card", "hukou", "certificate")}
            try:
                application = service.application_create_online(
                    challenge=self.challenge,
                    type=data["type"],
                    reason=data["reason"],
                    uploads=uploads,
                    consent=data["consent"],
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("service:receipt", reference=application.reference)
        return render(request, self.template_name, self._context(form), status=400)


class ServiceReceiptView(VerifiedMixin, View):
    def get(self, request, reference):
        application = family_application_get(person=self.person, reference=reference)
        context = {**self.person_context(), "application": application}
        return render(request, "subsidies/service_receipt.html", context)


class ServiceEndView(VerifiedMixin, View):
    def post(self, request):
        service.service_session_end(challenge=self.challenge, ip=client_ip(request))
        self.ended = True
        messages.success(request, _("已安全退出。"))
        response = redirect("service:home")
        response.delete_cookie(VERIFIED_COOKIE, path="/service/")
        return response
