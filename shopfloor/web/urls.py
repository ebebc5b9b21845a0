from django.urls import path

from shopfloor.web import accounts, brands, charts, review, views
from shopfloor.web import audit as audit_views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("facilities/<int:pk>/charts/<slug:name>.svg", charts.facility_chart,
         name="facility_chart"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("brands/", brands.company_list, name="companies"),
    path("brands/<int:pk>/", brands.company_detail, name="company"),
    path("login/", accounts.login, name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("account/2fa/", accounts.two_factor, name="two_factor"),
    path("account/2fa/enrol/", accounts.two_factor_enrol, name="two_factor_enrol"),
    path("account/sessions/", accounts.sessions, name="sessions"),
    path("account/sessions/end/", accounts.sessions_end, name="sessions_end"),
    path("organisations/", accounts.my_organisations, name="my_organisations"),
    path("organisations/<int:pk>/members/", accounts.members, name="members"),
    path("organisations/<int:pk>/members/<int:membership>/", accounts.member_access,
         name="member_access"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("review/", review.review_queue, name="review"),
    path("review/<int:pk>/", review.review_record, name="review_record"),
    path("review/<int:pk>/decide/", review.review_decide, name="review_decide"),
    path("watchlists/", review.watchlist_index, name="watchlists"),
    path("watchlists/<int:pk>/", review.watchlist_detail, name="watchlist"),
    path("watchlists/<int:pk>/export.<str:fmt>", review.watchlist_export,
         name="watchlist_export"),
]
