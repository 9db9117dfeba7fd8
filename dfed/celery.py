"""The Celery application; tasks are discovered in every installed app's ``tasks`` module."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dfed.settings.local")

app = Celery("dfed")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
