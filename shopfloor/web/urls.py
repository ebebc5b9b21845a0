from django.urls import path

from shopfloor.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
]
