from django.urls import path

from shopfloor.web import review, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("login/", review.login, name="login"),
    path("logout/", review.logout, name="logout"),
    path("review/", review.review_queue, name="review"),
    path("review/<int:pk>/", review.review_record, name="review_record"),
    path("review/<int:pk>/decide/", review.review_decide, name="review_decide"),
    path("watchlists/", review.watchlist_index, name="watchlists"),
    path("watchlists/<int:pk>/", review.watchlist_detail, name="watchlist"),
    path("watchlists/<int:pk>/export.<str:fmt>", review.watchlist_export,
         name="watchlist_export"),
]
