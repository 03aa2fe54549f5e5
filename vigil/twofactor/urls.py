from django.urls import path

from vigil.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("account/two-factor/verification/", views.verification, name="verification"),
    path("account/two-factor/enrolment/", views.enrolment, name="enrolment"),
    path(
        "account/two-factor/authenticator-apps/",
        views.authenticator_apps,
        name="authenticator-apps",
    ),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("account/security/", views.security, name="security"),
    path(
        "account/security/authenticator-apps/<int:device_id>/removal/",
        views.authenticator_app_removal,
        name="authenticator-app-removal",
    ),
    path(
        "account/security/passkeys/<int:device_id>/removal/",
        views.passkey_removal,
        name="passkey-removal",
    ),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor-policy/", views.policy_page, name="policy"),
    path("two-factor-policy/resets/", views.factor_reset, name="factor-reset"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/done/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
]
