"""The sensitive-access log, for admins and the 纪检 role."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.views import FilteredListView

from ..filters import AccessLogFilter
from ..selectors import (
    sensitive_access_log_list,
)


class AccessLogListView(FilteredListView):
    """The access log for admins and the 纪检 role: filters and an xlsx export."""

    permission_required = "people.view_sensitiveaccesslog"
    template_name = "people/accesslog_list.html"
    filterset_class = AccessLogFilter

    def base_queryset(self):
        return sensitive_access_log_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_months"] = settings.ACCESS_LOG_RETENTION_MONTHS
        return context

    def export_table(self, queryset):
        headers = [
            _("查看时间"),
            _("查看人"),
            _("查看方式"),
            _("页面"),
            _("被查看人"),
            _("筛选条件"),
            _("人数"),
            _("IP 地址"),
        ]
        rows = (
            [
                timezone.localtime(log.viewed_at).strftime("%Y-%m-%d %H:%M:%S"),
                str(log.user),
                log.get_kind_display(),
                log.context,
                log.person.name if log.person_id else "",
                log.query,
                log.count if log.count is not None else "",
                log.ip_address or "",
            ]
            for log in queryset.iterator(chunk_size=2000)
        )
        return "access-log.xlsx", _("敏感信息查看记录"), headers, rows, (5, 7)
