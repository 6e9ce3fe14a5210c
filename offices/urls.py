"""Pages of the portal frame (sign-in, second factor, home) and of the office network."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

pages = [
    path("network/", views.OfficeListPage.as_view(), name="office-list"),
    path("network/provinces/", views.province_list, name="province-list"),
    path("network/<str:code>/", views.office_detail, name="office-detail"),
    path("network/<str:code>/postings/", views.posting_create, name="posting-create"),
    path("staff/", views.StaffListPage.as_view(), name="staff-list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/postings/<int:assignment_pk>/end/", views.posting_end, name="posting-end"),
]

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("", include((pages, "offices"))),
    path("", views.home, name="home"),
]
