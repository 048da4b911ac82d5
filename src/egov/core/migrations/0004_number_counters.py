

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_rate_counters_unlogged'),
    ]

    operations = [
        migrations.CreateModel(
            name='NumberCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('series', models.CharField(max_length=40)),
                ('scope', models.CharField(max_length=200)),
                ('period', models.CharField(max_length=10)),
                ('last', models.PositiveBigIntegerField()),
            ],
            options={
                'verbose_name': 'number counter',
                'constraints': [models.UniqueConstraint(fields=('series', 'scope', 'period'), name='number_counter_series')],
            },
        ),
    ]
