from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0010_files_to_stored_files'),
    ]

    operations = [
        migrations.RemoveField(model_name='dossiercomponent', name='scan'),
        migrations.RemoveField(model_name='dossiercomponent', name='scan_content_type'),
        migrations.RemoveField(model_name='dossiercomponent', name='scan_name'),
        migrations.RemoveField(model_name='dossiercomponent', name='scan_sha256'),
        migrations.RemoveField(model_name='dossiercomponent', name='scan_size'),
        migrations.RenameField(model_name='dossiercomponent', old_name='scan_file', new_name='scan'),
        migrations.RemoveField(model_name='dossierfile', name='content_type'),
        migrations.RemoveField(model_name='dossierfile', name='name'),
        migrations.RemoveField(model_name='dossierfile', name='path'),
        migrations.RemoveField(model_name='dossierfile', name='sha256'),
        migrations.RemoveField(model_name='dossierfile', name='size'),
        migrations.AlterField(
            model_name='dossierfile',
            name='file',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile', verbose_name='tệp'),
        ),
    ]
