from django.urls import path

from . import views

app_name = "essays"

urlpatterns = [
    path("", views.home, name="home"),
    path("themes/<str:slug>/", views.theme_detail, name="theme_detail"),
    path("collections/<int:pk>/", views.collection_detail, name="collection_detail"),
    path("essays/<int:pk>/", views.essay_detail, name="essay_detail"),
    path("authors/<int:pk>/", views.author_detail, name="author_detail"),
]
