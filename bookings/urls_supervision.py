"""The directorate supervisors' pages: the network at a glance, drill-down, trends and directives."""

from django.urls import path

from bookings.pages import supervision

urlpatterns = [
    path("", supervision.overview, name="overview"),
    path("offices/", supervision.NetworkTablePage.as_view(), name="offices"),
    path("offices/<str:code>/", supervision.office, name="office"),
    path("offices/<str:code>/directive/", supervision.directive_create, name="directive-create"),
    path("offices/<str:code>/directive/withdraw/", supervision.directive_withdraw_page,
         name="directive-withdraw"),
    path("provinces/<str:code>/", supervision.province, name="province"),
    path("directives/", supervision.directives, name="directives"),
]
