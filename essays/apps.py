from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = "文集"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The search index follows every save() and delete() of an essay.
        from .search import signals

        signals.connect()
