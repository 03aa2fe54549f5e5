"""ASGI entry point for servers such as uvicorn or daphne."""

import os

from django.core.asgi import get_asgi_application

os.umask(0o077)  # files Vigil writes are its own user's alone (as vigil.cli.private_files)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
application = get_asgi_application()
