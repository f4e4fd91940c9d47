"""The Celery app: the broker and the beat schedule come from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gms.settings")

app = Celery("gms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
