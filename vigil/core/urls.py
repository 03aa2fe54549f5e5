from django.contrib.auth import views as auth_views
from django.urls import path

from vigil.core import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my-work/", views.my_work, name="my-work"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("store-switch/", views.switch_store, name="store-switch"),
    path("stores/", views.store_list, name="store-list"),
    path("stores/<str:store_code>/", views.store_detail, name="store-detail"),
    path("people/", views.person_list, name="person-list"),
    path("people/<str:employee_id>/", views.person_detail, name="person-detail"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_new, name="user-new"),
    path("users/<int:user_id>/", views.user_detail, name="user-detail"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/<int:token_id>/revocation/", views.token_revocation, name="token-revocation"),
    path("audit-log/", views.audit_log, name="audit-log"),
    path("audit-log/export.csv", views.audit_export, name="audit-export"),
    path("audit-log/verifications/", views.audit_verification, name="audit-verification"),
    path("audit-log/<int:event_seq>/", views.audit_event_detail, name="audit-event-detail"),
    path("saved-views/", views.saved_view_new, name="saved-view-new"),
    path(
        "saved-views/<int:view_id>/deletion/", views.saved_view_deletion, name="saved-view-deletion"
    ),
    path("task-runs/<uuid:task_run_id>/", views.task_run_detail, name="task-run-detail"),
    path("task-runs/<uuid:task_run_id>/retry/", views.task_run_retry, name="task-run-retry"),
]
