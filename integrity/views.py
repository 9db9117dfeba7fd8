from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from dfed.core.views import FilteredListView, ServiceFormView, action_allowed, run_service
from dfed.notifications.models import segment_count

from .festivals import arrangement_published
from .forms import ReminderCampaignForm
from .ledger import ENTITY_BY_SLUG, cell, filterset_for, form_for
from .models import ReminderCampaign, StudySession
from .selectors import (
    integrity_overview,
    letter_chain,
    reminder_campaign_list,
    reminder_campaign_report,
    reminder_campaign_reports,
    talk_can_read_content,
    talk_get_visible,
)
from .services import (
    ledger_record_save,
    reminder_campaign_body,
    reminder_campaign_cancel,
    reminder_campaign_recipients,
    reminder_campaign_save,
    reminder_campaign_send,
    reminder_campaign_test_send,
    reminder_campaigns_ensure_year,
)


def chosen_year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


class EntityMixin:
    entity_slug = ""

    @property
    def entity(self):
        return ENTITY_BY_SLUG[self.entity_slug]


class LedgerListView(EntityMixin, FilteredListView):
    template_name = "integrity/ledger_list.html"

    def get_permission_required(self):
        return [self.entity.perm("view")]

    @property
    def filterset_class(self):
        return filterset_for(self.entity)

    def base_queryset(self):
        qs = self.entity.model.objects.select_related(*self.entity.select_related)
        if self.entity.model is StudySession:
            # An aggregate drops Meta.ordering; keep it explicit so pages are stable.
            qs = qs.annotate(attendee_count=Count("attendees")).order_by(
                *StudySession._meta.ordering
            )
        return qs

    def rows(self, objects):
        user = self.request.user
        return [
            (
                obj,
                [
                    cell(obj, path, entity=self.entity, viewer=user)
                    for _l, path in self.entity.columns
                ],
            )
            for obj in objects
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entity"] = self.entity
        context["headers"] = [label for label, _path in self.entity.columns]
        context["rows"] = self.rows(context["object_list"])
        context["can_add"] = self.request.user.has_perm(self.entity.perm("add"))
        context["can_change"] = self.request.user.has_perm(self.entity.perm("change"))
        return context

    def export_table(self, queryset):
        headers = [str(label) for label, _path in self.entity.columns]
        rows = ([str(c) for _obj, cells in self.rows([o]) for c in cells] for o in queryset)
        return f"{self.entity.slug}.xlsx", str(self.entity.title), headers, rows, ()


class LedgerFormView(EntityMixin, ServiceFormView):
    """Add or edit one ledger row (letters, sessions, talks, …) through ``ledger_record_save``."""

    template_name = "integrity/ledger_form.html"
    form_user_kwarg = "viewer"

    def get_permission_required(self):
        return [self.entity.perm("change" if "pk" in self.kwargs else "add")]

    @cached_property
    def record(self):
        if "pk" in self.kwargs:
            return get_object_or_404(self.entity.model, pk=self.kwargs["pk"])
        return None

    def get_form_class(self):
        return form_for(self.entity)

    def get_initial(self):
        return {} if self.record else {"year": timezone.localdate().year}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.record}

    def perform(self, form):
        m2m = {name: form.cleaned_data[name] for name in self.entity.m2m}
        return ledger_record_save(instance=form.save(commit=False), by=self.request.user, m2m=m2m)

    def get_success_message(self, form) -> str:
        return _("已保存：%(obj)s") % {"obj": self.result}

    def get_success_url(self):
        return reverse(f"integrity:{self.entity.slug}-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(entity=self.entity, object=self.record, **kwargs)


class TalkDetailView(LoginRequiredMixin, TemplateView):
    template_name = "integrity/talk_detail.html"

    def get_context_data(self, **kwargs):
        talk = talk_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        readable = talk_can_read_content(user=self.request.user, talk=talk)
        return super().get_context_data(talk=talk, content_readable=readable, **kwargs)


class LetterChainView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "integrity.view_responsibilityletter"
    template_name = "integrity/letter_chain.html"

    def get_context_data(self, **kwargs):
        year = chosen_year(self.request)
        rows = letter_chain(year=year)
        unsigned = [r for r in rows if not r["signed"]]
        return super().get_context_data(year=year, rows=rows, unsigned=unsigned, **kwargs)


class OverviewView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "integrity.view_responsibilityletter"
    template_name = "integrity/overview.html"

    def get_context_data(self, **kwargs):
        year = chosen_year(self.request)
        rows = integrity_overview(year=year)
        for row in rows:
            name, query = row["url"]
            row["href"] = reverse(name) + query
        this_year = timezone.localdate().year
        years = range(this_year + 1, this_year - 5, -1)
        return super().get_context_data(year=year, rows=rows, years=years, **kwargs)


class CampaignListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "integrity.view_remindercampaign"
    template_name = "integrity/campaign_list.html"

    def get_context_data(self, **kwargs):
        year = chosen_year(self.request)
        campaigns = list(reminder_campaign_list(year=year))
        reports = reminder_campaign_reports(campaigns)
        for campaign in campaigns:
            campaign.report = reports[campaign.pk]
        today = timezone.localdate()
        estimated = [y for y in sorted({year, today.year + 1}) if not arrangement_published(y)]
        return super().get_context_data(
            year=year, campaigns=campaigns, today=today, estimated_years=estimated, **kwargs
        )

    def post(self, request):
        if not request.user.has_perm("integrity.add_remindercampaign"):
            raise PermissionDenied
        year = chosen_year(request)
        if not arrangement_published(year):
            messages.error(
                request,
                _("%(y)d年的放假安排尚未收录，暂不生成节日提醒（数据更新后每日检查会自动生成）")
                % {"y": year},
            )
        else:
            created = reminder_campaigns_ensure_year(year=year)
            messages.success(request, _("已生成 %(n)d 个节日提醒") % {"n": len(created)})
        return redirect(reverse("integrity:campaign-list") + f"?year={year}")


class CampaignDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "integrity.view_remindercampaign"
    template_name = "integrity/campaign_detail.html"

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(ReminderCampaign, pk=self.kwargs["pk"])
        recipients = list(reminder_campaign_recipients(campaign))
        previews = []
        for staff in recipients[:3]:
            body = reminder_campaign_body(campaign=campaign, staff=staff)
            previews.append((staff, body, segment_count(body)))
        return super().get_context_data(
            campaign=campaign,
            recipients=recipients,
            without_phone=[s for s in recipients if not s.phone],
            previews=previews,
            report=reminder_campaign_report(campaign=campaign),
            estimated=not arrangement_published(campaign.year),
            **kwargs,
        )


class CampaignUpdateView(ServiceFormView):
    """Edit a planned campaign; a campaign whose page does not offer 编辑 now sends the user
    back to it with the reason."""

    permission_required = "integrity.change_remindercampaign"
    template_name = "integrity/campaign_form.html"
    form_class = ReminderCampaignForm
    success_message = gettext_lazy("已保存节日提醒")

    @cached_property
    def campaign(self):
        return get_object_or_404(ReminderCampaign, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if not action_allowed(request, self.campaign, "edit"):
            return redirect("integrity:campaign-detail", pk=self.campaign.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not action_allowed(request, self.campaign, "edit"):
            return redirect("integrity:campaign-detail", pk=self.campaign.pk)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.campaign}

    def perform(self, form):
        return reminder_campaign_save(
            campaign=form.save(commit=False),
            by=self.request.user,
            departments=form.cleaned_data["departments"],
        )

    def get_success_url(self):
        return reverse("integrity:campaign-detail", args=[self.campaign.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)


class CampaignCancelView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "integrity.change_remindercampaign"

    def post(self, request, pk):
        campaign = get_object_or_404(ReminderCampaign, pk=pk)

        def cancel():
            campaign.action_check(request.user, "cancel")
            reminder_campaign_cancel(campaign=campaign, by=request.user)

        run_service(request, cancel, _("已取消该节日提醒"))
        return redirect("integrity:campaign-detail", pk=pk)


class CampaignSendNowView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """立即发送: queue the campaign's texts now, whatever its send day (after confirmation)."""

    permission_required = "integrity.change_remindercampaign"

    def post(self, request, pk):
        campaign = get_object_or_404(ReminderCampaign, pk=pk)
        if action_allowed(request, campaign, "send"):
            queued = reminder_campaign_send(campaign=campaign, by=request.user)
            messages.success(request, _("已排队 %(n)d 条短信，发送进度见下方") % {"n": queued})
        return redirect("integrity:campaign-detail", pk=pk)


class CampaignTestSmsView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """发送测试短信: one copy of the text to the officer's own phone."""

    permission_required = "integrity.change_remindercampaign"

    def post(self, request, pk):
        campaign = get_object_or_404(ReminderCampaign, pk=pk)
        run_service(
            request,
            lambda: reminder_campaign_test_send(campaign=campaign, user=request.user),
            _("测试短信已排队，发往您的手机"),
        )
        return redirect("integrity:campaign-detail", pk=pk)
