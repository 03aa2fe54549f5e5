"""The monthly executive summary by e-mail: each recipient gets the summary of the stores
they may see, as a PDF, once a month.

Run it daily (``vigil reports monthly``): on any day it sends last month's summary to the
recipients who have not had it yet, so a missed day or a failed send is made up the next.
Recipients are the active users with an e-mail address whose role reads summaries: LP
managers, regional directors, executives and administrators.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from vigil.core.models import Role, User
from vigil.core.pdf import render_pdf
from vigil.reports import summary as summaries
from vigil.reports.models import SummaryMailing

logger = logging.getLogger(__name__)
READERS = (Role.LP_MANAGER, Role.REGIONAL_DIRECTOR, Role.EXECUTIVE, Role.ADMIN)


def executive_pdf(user: User, month: summaries.Month, today: dt.date | None = None) -> bytes:
    return render_pdf(
        "reports/executive_pdf.html", {"summary": summaries.build(user, month, today)}, None
    )


def send_monthly(month: summaries.Month | None = None, today: dt.date | None = None) -> int:
    """Send ``month``'s summary (last month's by default) to whoever has not had it."""
    month = month or summaries.Month.parse(None, today)
    sent = 0
    recipients = User.objects.filter(is_active=True, role__in=READERS).exclude(email="")
    for user in recipients.exclude(
        pk__in=SummaryMailing.objects.filter(month=month.first).values("user")
    ):
        pdf = executive_pdf(user, month, today)
        try:
            with transaction.atomic():
                SummaryMailing.objects.create(month=month.first, user=user)
                message = EmailMessage(
                    subject=f"Vigil loss-prevention summary, {month.label}",
                    body=(
                        f"The loss-prevention summary for {month.label} is attached, for the "
                        "stores you can see in Vigil."
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                )
                message.attach(f"vigil-summary-{month.key}.pdf", pdf, "application/pdf")
                message.send()
        except IntegrityError:
            continue  # another run sent it meanwhile
        sent += 1
    return sent
