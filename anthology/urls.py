from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Anthology 文集管理"
admin.site.site_title = "Anthology"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("essays.urls")),
]
