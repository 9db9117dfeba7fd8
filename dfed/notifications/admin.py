from django.contrib import admin

from .models import SmsAttempt, SmsMessage, SmsOptOut


class SmsAttemptInline(admin.TabularInline):
    model = SmsAttempt
    extra = 0
    readonly_fields = ["number", "started_at", "outcome", "detail"]
    can_delete = False


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["phone", "purpose", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["phone", "body", "idempotency_key"]
    readonly_fields = [f.name for f in SmsMessage._meta.fields]
    inlines = [SmsAttemptInline]

    def has_add_permission(self, request) -> bool:
        """Texts are written by the services that send them (sms_message_queue), never by hand:
        a hand-made row would skip the phone check, opt-outs and the send task."""
        return False


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "reason", "created_at"]
    search_fields = ["phone"]
