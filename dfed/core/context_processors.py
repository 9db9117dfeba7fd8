from django.conf import settings


def portal(request):
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "SHOW_DEMO_USERS": settings.SHOW_DEMO_USERS,
        "SERVICE_HOTLINE": getattr(settings, "FAMILY_SERVICE_HOTLINE", "12385"),
    }
