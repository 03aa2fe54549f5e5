"""Vigil's URL map: pages per app, and the API under /api/v1/.

The Django admin is deliberately not mounted: it would bypass store scope. Administration
happens in Vigil's own pages and API, which go through ``vigil.core.scoping``.
"""

from django.urls import include, path

from vigil.api import api
from vigil.core import errors

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("vigil.core.urls")),
    path("", include("vigil.cases.urls")),
    path("", include("vigil.evidence.urls")),
    path("", include("vigil.pos.urls")),
    path("", include("vigil.video.urls")),
    path("", include("vigil.audits.urls")),
    path("", include("vigil.safety.urls")),
    path("", include("vigil.training.urls")),
    path("", include("vigil.shrink.urls")),
    path("", include("vigil.reports.urls")),
    path("", include("vigil.twofactor.urls")),
    # The passkey ceremonies, under the namespace django-otp-webauthn's template tag reverses.
    path("account/two-factor/passkeys/", include(("vigil.twofactor.passkeys", "otp_webauthn"))),
    path("", include("vigil.retention.urls")),
    path("", include("vigil.sharing.urls")),
    path("", include("vigil.intel.urls")),
    path("", include("vigil.search.urls")),
]

handler400 = errors.bad_request
handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
