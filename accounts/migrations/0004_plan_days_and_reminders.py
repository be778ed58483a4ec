"""Plan days and reminder settings.

People chose only a number of training days a week; each now gets that many weekdays, spread
out (3 is Monday, Wednesday, Friday), and days_per_week becomes their count. Reminders start
off: nobody is emailed before they ask to be.
"""

import datetime

import django.core.validators
import django.db.models.expressions
from django.db import migrations, models

# accounts.models.SPREAD as bits, copied so that this migration never changes.
SPREAD_BITS = {1: 0b0000100, 2: 0b0001001, 3: 0b0010101, 4: 0b0011011, 5: 0b0011111, 6: 0b0111111, 7: 0b1111111}  # fmt: skip


def spread_plan_days(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for days, bits in SPREAD_BITS.items():
        User.objects.filter(days_per_week=days).update(weekdays=bits)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_email_one_spelling"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="checkin_reminder",
            field=models.BooleanField(
                default=False,
                help_text="The morning after training, a reminder to say how your hips feel.",
                verbose_name="next-morning check-in reminder",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="remind_at",
            field=models.TimeField(
                default=datetime.time(18, 0),
                help_text="On training days, in your time zone.",
                verbose_name="reminder time",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="remind_by",
            field=models.CharField(
                choices=[
                    ("email", "By email"),
                    ("push", "On my devices"),
                    ("both", "By email and on my devices"),
                    ("none", "No reminders"),
                ],
                default="none",
                max_length=5,
                verbose_name="training-day reminders",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="weekdays",
            field=models.PositiveSmallIntegerField(
                default=21,
                help_text="The weekdays you train, one bit a day from Monday (bit 0) to Sunday (bit 6).",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(127),
                ],
                verbose_name="training days",
            ),
        ),
        migrations.RunPython(spread_plan_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="days_per_week",
            field=models.PositiveSmallIntegerField(
                default=3,
                editable=False,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(7),
                ],
                verbose_name="training days a week",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("weekdays__gte", 1), ("weekdays__lte", 127)),
                name="user_weekdays_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "days_per_week",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.expressions.CombinedExpression(
                                        django.db.models.expressions.CombinedExpression(
                                            django.db.models.expressions.CombinedExpression(
                                                django.db.models.expressions.CombinedExpression(
                                                    models.F("weekdays"), "&", models.Value(1)
                                                ),
                                                "+",
                                                django.db.models.expressions.CombinedExpression(
                                                    django.db.models.expressions.CombinedExpression(
                                                        models.F("weekdays"), ">>", models.Value(1)
                                                    ),
                                                    "&",
                                                    models.Value(1),
                                                ),
                                            ),
                                            "+",
                                            django.db.models.expressions.CombinedExpression(
                                                django.db.models.expressions.CombinedExpression(
                                                    models.F("weekdays"), ">>", models.Value(2)
                                                ),
                                                "&",
                                                models.Value(1),
                                            ),
                                        ),
                                        "+",
                                        django.db.models.expressions.CombinedExpression(
                                            django.db.models.expressions.CombinedExpression(
                                                models.F("weekdays"), ">>", models.Value(3)
                                            ),
                                            "&",
                                            models.Value(1),
                                        ),
                                    ),
                                    "+",
                                    django.db.models.expressions.CombinedExpression(
                                        django.db.models.expressions.CombinedExpression(
                                            models.F("weekdays"), ">>", models.Value(4)
                                        ),
                                        "&",
                                        models.Value(1),
                                    ),
                                ),
                                "+",
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.expressions.CombinedExpression(
                                        models.F("weekdays"), ">>", models.Value(5)
                                    ),
                                    "&",
                                    models.Value(1),
                                ),
                            ),
                            "+",
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("weekdays"), ">>", models.Value(6)
                                ),
                                "&",
                                models.Value(1),
                            ),
                        ),
                    )
                ),
                name="user_days_per_week_counts_weekdays",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("remind_by__in", ["email", "push", "both", "none"])),
                name="user_remind_by_valid",
            ),
        ),
    ]
