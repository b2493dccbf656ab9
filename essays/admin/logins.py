"""django-axes' admin pages (login attempts and locks) in Chinese.

axes marks its words for gettext but ships no Chinese; the site keeps its words in one
Python catalogue (essays.labels). The three pages are registered again here showing the
same data and allowing the same actions, with every label from that catalogue. Columns and
fields are display methods rather than the model's fields because a field's label is part
of axes' migrations: renaming it at run time would make Django want a migration for axes.
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.utils.timezone import localtime

from ..labels import AXES_APP, AXES_FIELDS, AXES_MODELS, AXES_WORDS

WORDS = AXES_WORDS


def _name_models():
    # Model names are not in migrations (Django reads Meta's original values for those).
    apps.get_app_config("axes").verbose_name = AXES_APP
    for model in (AccessAttempt, AccessLog, AccessFailureLog, AccessAttemptExpiration):
        opts = model._meta
        opts.verbose_name, opts.verbose_name_plural = AXES_MODELS[opts.model_name]
    # An entry's name in the admin's page titles, breadcrumbs and delete confirmations is its
    # __str__, which axes writes in English without gettext: replaced here, as nothing else
    # can translate it.
    AccessAttempt.__str__ = lambda self: WORDS["attempt_str"].format(
        username=self.username or "?", time=_when(self.attempt_time)
    )
    AccessLog.__str__ = lambda self: WORDS["log_str"].format(
        username=self.username or "?", time=_when(self.attempt_time)
    )
    AccessFailureLog.__str__ = lambda self: WORDS[
        "failure_locked_str" if self.locked_out else "failure_str"
    ].format(username=self.username or "?", time=_when(self.attempt_time), ip=self.ip_address or "?")
    AccessAttemptExpiration.__str__ = lambda self: WORDS["expiration_str"].format(
        attempt=self.access_attempt, time=_when(self.expires_at)
    )


def _when(moment) -> str:
    return localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "?"


def _titled(base, name):
    """A field's list filter titled in Chinese."""

    class Titled(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = AXES_FIELDS[name]

    return (name, Titled)


def _shown(name, *, boolean=False):
    def show(self, obj):
        return getattr(obj, name)

    return admin.display(description=AXES_FIELDS[name], ordering=name, boolean=boolean)(show)


class _ChineseFields:
    """`f_<field>`: each field of axes' models as a column or read-only field with its Chinese label."""

    f_user_agent = _shown("user_agent")
    f_ip_address = _shown("ip_address")
    f_username = _shown("username")
    f_http_accept = _shown("http_accept")
    f_path_info = _shown("path_info")
    f_attempt_time = _shown("attempt_time")
    f_logout_time = _shown("logout_time")
    f_get_data = _shown("get_data")
    f_post_data = _shown("post_data")
    f_failures_since_start = _shown("failures_since_start")
    f_locked_out = _shown("locked_out", boolean=True)


def _fields(*names):
    return [f"f_{n}" if n in AXES_FIELDS else n for n in names]


META = (WORDS["meta_data"], {"fields": _fields("user_agent", "ip_address", "http_accept")})


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    title = WORDS["locked_out"]

    def lookups(self, request, model_admin):
        return (("yes", WORDS["locked_out"]), ("no", WORDS["not_locked_out"]))


class AccessAttemptAdmin(_ChineseFields, axes_admin.AccessAttemptAdmin):
    list_display = _fields(
        "attempt_time", "ip_address", "user_agent", "username", "path_info", "failures_since_start"
    ) + ["expiration", "status"]
    list_filter = [
        _titled(admin.DateFieldListFilter, "attempt_time"),
        _titled(admin.AllValuesFieldListFilter, "path_info"),
        LockedOutFilter,
    ]
    fieldsets = (
        (None, {"fields": _fields("username", "path_info", "failures_since_start") + ["expiration"]}),
        (WORDS["form_data"], {"fields": _fields("get_data", "post_data")}),
        META,
    )
    readonly_fields = _fields(
        "user_agent",
        "ip_address",
        "username",
        "http_accept",
        "path_info",
        "attempt_time",
        "get_data",
        "post_data",
        "failures_since_start",
    ) + ["expiration"]
    actions = ["cleanup_expired_attempts"]

    @admin.action(description=WORDS["cleanup"])
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, WORDS["cleaned"].format(count))

    @admin.display(description=WORDS["expiration"])
    def expiration(self, obj):
        return obj.expiration.expires_at if hasattr(obj, "expiration") else WORDS["not_set"]

    @admin.display(description=WORDS["status"])
    def status(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return WORDS["remaining"].format(left) if left > 0 else WORDS["locked_out"]


class AccessLogAdmin(_ChineseFields, axes_admin.AccessLogAdmin):
    list_display = _fields("attempt_time", "logout_time", "ip_address", "username", "user_agent", "path_info")
    list_filter = [
        _titled(admin.DateFieldListFilter, "attempt_time"),
        _titled(admin.DateFieldListFilter, "logout_time"),
        _titled(admin.AllValuesFieldListFilter, "path_info"),
    ]
    fieldsets = ((None, {"fields": _fields("username", "path_info")}), META)
    readonly_fields = _fields(
        "user_agent", "ip_address", "username", "http_accept", "path_info", "attempt_time", "logout_time"
    )


class AccessFailureLogAdmin(_ChineseFields, axes_admin.AccessFailureLogAdmin):
    list_display = _fields("attempt_time", "ip_address", "username", "user_agent", "path_info", "locked_out")
    list_filter = [
        _titled(admin.DateFieldListFilter, "attempt_time"),
        _titled(admin.BooleanFieldListFilter, "locked_out"),
        _titled(admin.AllValuesFieldListFilter, "path_info"),
    ]
    fieldsets = ((None, {"fields": _fields("username", "path_info")}), META)
    readonly_fields = _fields(
        "user_agent", "ip_address", "username", "http_accept", "path_info", "attempt_time", "locked_out"
    )


_name_models()
for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # axes registers them unless AXES_ENABLE_ADMIN is off
        admin.site.unregister(_model)
        admin.site.register(_model, _admin)
