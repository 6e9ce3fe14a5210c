"""The auditors' workbench under /findings/ (namespace ``detection``)."""

from django.urls import path

from .pages import allowlist, cases, clusters, findings, inbox, officers, runs

urlpatterns = [
    path("", inbox.InboxPage.as_view(), name="inbox"),
    path("<int:pk>/", findings.finding_detail, name="finding-detail"),
    path("officers/<str:nip>/", officers.officer_profile, name="officer"),
    path("clusters/<str:key>/", clusters.cluster_page, name="cluster"),
    path("cases/", cases.CaseListPage.as_view(), name="case-list"),
    path("cases/new/", cases.case_open_page, name="case-open"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/assign/", cases.case_assign_page, name="case-assign"),
    path("cases/<int:pk>/move/", cases.case_move_page, name="case-move"),
    path("cases/<int:pk>/notes/", cases.case_note_page, name="case-note"),
    path("allowlist/", allowlist.allowlist_page, name="allowlist"),
    path("allowlist/<int:pk>/remove/", allowlist.allowlist_remove_page, name="allowlist-remove"),
    path("runs/", runs.runs_page, name="runs"),
    path("runs/<int:pk>/progress/", runs.run_progress_partial, name="run-progress"),
]
