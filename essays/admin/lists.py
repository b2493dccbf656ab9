"""Changelist variants the app's model admins share."""

from django.contrib.admin.views.main import ChangeList


class LightChangeList(ChangeList):
    """A changelist that leaves the model admin's `changelist_defer` fields (long texts) unread."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*self.model_admin.changelist_defer)
