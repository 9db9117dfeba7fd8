from django.contrib import admin

from dfed.core.history_admin import DisplayHistoryAdmin

from .models import (
    Commitment,
    Department,
    Inspection,
    MajorDecision,
    Rectification,
    ReminderCampaign,
    ResponsibilityLetter,
    RiskPoint,
    ServiceVisit,
    Staff,
    StudySession,
    Talk,
)
from .services import reminder_campaign_schedule


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "post", "phone", "active"]
    list_filter = ["post", "department", "active"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["user"]


class RectificationInline(admin.TabularInline):
    model = Rectification
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(DisplayHistoryAdmin):
    list_display = ["year", "period", "held_on"]
    inlines = [RectificationInline]


@admin.register(ReminderCampaign)
class ReminderCampaignAdmin(DisplayHistoryAdmin):
    list_display = ["year", "festival", "send_on", "audience", "status"]
    list_filter = ["year", "status"]
    readonly_fields = ["holiday_start", "send_on", "status", "sent_at"]

    def save_model(self, request, obj, form, change):
        reminder_campaign_schedule(obj)  # the send day always comes from the holiday calendar
        super().save_model(request, obj, form, change)


for model in [
    Department,
    ResponsibilityLetter,
    Commitment,
    StudySession,
    RiskPoint,
    MajorDecision,
    ServiceVisit,
]:
    admin.site.register(model, DisplayHistoryAdmin)


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ["held_on", "talker", "talkee", "topic"]
    exclude = ["content"]  # the content stays in the portal, where its readers are checked
