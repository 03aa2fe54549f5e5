"""The alert feed's order (unhandled first, then the most urgent, then the newest) as an
index, across stores and within one: each refresh of the feed reads 50 alerts in order
instead of sorting every alert in scope (200,000 alerts: about a second; see
bench/README.md, load benchmark)."""

from django.db import migrations, models


def feed_order():
    return (
        models.Case(
            models.When(status="new", then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        ),
        models.OrderBy(models.F("priority"), descending=True),
        models.OrderBy(models.F("started_at"), descending=True),
        models.OrderBy(models.F("id"), descending=True),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("video", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(*feed_order(), name="alert_feed_order"),
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(models.F("store"), *feed_order(), name="alert_feed_order_by_store"),
        ),
    ]
