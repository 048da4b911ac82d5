"""Messages with a one-time code written before codes were sealed kept the code in clear in
their text: mask it there too, so no dump or page shows one (the code expired long ago; the
text is kept for "what did we send?")."""

import re

from django.db import migrations

SIX_DIGITS = re.compile(r"\b\d{6}\b")


def mask_codes(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    for message in Message.objects.filter(event="phone_code").only("id", "subject", "body"):
        body = SIX_DIGITS.sub("******", message.body)
        subject = SIX_DIGITS.sub("******", message.subject)
        if (body, subject) != (message.body, message.subject):
            Message.objects.filter(pk=message.pk).update(body=body, subject=subject)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_message_unit")]

    operations = [migrations.RunPython(mask_codes, migrations.RunPython.noop)]
