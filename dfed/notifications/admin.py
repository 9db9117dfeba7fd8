from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dfed.core.admin_labels import labelled_filter

from .models import SmsAttempt, SmsMessage, SmsOptOut
from .purposes import purpose_choices


class SmsAttemptInline(admin.TabularInline):
    model = SmsAttempt
    extra = 0
    readonly_fields = ["number", "started_at", "outcome", "detail"]
    can_delete = False


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["phone", "purpose_display", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", labelled_filter("purpose", _("用途"), purpose_choices)]
    search_fields = ["phone", "body", "idempotency_key"]
    readonly_fields = [f.name for f in SmsMessage._meta.fields]
    inlines = [SmsAttemptInline]

    @admin.display(description=_("用途"), ordering="purpose")
    def purpose_display(self, obj) -> str:
        """The purpose in words (节日廉洁提醒), not its code (integrity_reminder)."""
        return obj.purpose_label

    def has_add_permission(self, request) -> bool:
        """Texts are written by the services that send them (sms_message_queue), never by hand:
        a hand-made row would skip the phone check, opt-outs and the send task."""
        return False


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "reason", "created_at"]
    search_fields = ["phone"]
