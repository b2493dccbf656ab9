import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anthology.settings")
if settings.SECRET_KEY_MISSING:
    # Sessions, CSRF and password resets are signed with it: never serve without one.
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)
if not settings.DEBUG and not settings.ALLOWED_HOSTS:
    raise ImproperlyConfigured(settings.MISSING_ALLOWED_HOSTS)
application = get_wsgi_application()
