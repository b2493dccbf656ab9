from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = "文集"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The search index follows every save() and delete() of an essay.
        from . import pagecache
        from .search import signals
        from .services import counts, related

        signals.connect()
        # So do the published-essay counts the reading pages show (essays.counts), each
        # essay's related essays, and the generation of the cached pages.
        counts.connect()
        related.connect()
        pagecache.connect()
