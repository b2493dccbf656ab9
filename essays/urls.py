from django.urls import path, re_path

from . import views

app_name = "essays"

urlpatterns = [
    path("", views.home, name="home"),
    path("themes/", views.theme_list, name="theme_list"),
    # Theme slugs are Chinese (党的建设), so <str:> rather than <slug:>.
    path("themes/<str:slug>/", views.theme_detail, name="theme_detail"),
    path("collections/", views.collection_list, name="collection_list"),
    path("collections/<int:pk>/", views.collection_detail, name="collection_detail"),
    path("essays/", views.essay_list, name="essay_list"),
    path("essays/<int:pk>/", views.essay_detail, name="essay_detail"),
    path("years/", views.year_list, name="year_list"),
    path("years/<int:year>/", views.year_detail, name="year_detail"),
    path("authors/", views.author_list, name="author_list"),
    path("authors/<int:pk>/", views.author_detail, name="author_detail"),
    path("search/", views.search, name="search"),
    re_path(r"^script/(?P<script>hans|hant)/$", views.set_script, name="set_script"),
    re_path(
        r"^essays/(?P<pk>[0-9]+)/download\.(?P<fmt>docx|txt)$", views.essay_download, name="essay_download"
    ),
    re_path(
        r"^collections/(?P<pk>[0-9]+)/download\.(?P<fmt>docx|txt)$",
        views.collection_download,
        name="collection_download",
    ),
    path("essays/<int:pk>/source/", views.essay_source, name="essay_source"),
    path("essays/<int:pk>/source/raw/", views.essay_source_raw, name="essay_source_raw"),
]
