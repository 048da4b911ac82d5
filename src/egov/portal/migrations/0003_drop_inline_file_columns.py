from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_draft_files_to_stored_files'),
    ]

    operations = [
        migrations.RemoveField(model_name='draftfile', name='content_type'),
        migrations.RemoveField(model_name='draftfile', name='name'),
        migrations.RemoveField(model_name='draftfile', name='path'),
        migrations.RemoveField(model_name='draftfile', name='sha256'),
        migrations.RemoveField(model_name='draftfile', name='size'),
        migrations.AlterField(
            model_name='draftfile',
            name='file',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile'),
        ),
    ]
