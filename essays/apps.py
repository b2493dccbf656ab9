from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = "文集"
    default_auto_field = "django.db.models.BigAutoField"
