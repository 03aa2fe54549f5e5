"""What the POS app announces to the apps that build on its data sets."""

from django.dispatch import Signal

# Sent with ``data_set`` and ``user`` (who asked, or None) once a scan has been stored.
data_set_scanned = Signal()
