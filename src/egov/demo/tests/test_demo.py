import pytest
from django.apps import apps

from egov.demo.accounts import DEMO_ACCOUNTS
from egov.demo.services import load_demo

pytestmark = pytest.mark.django_db


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"org", "accounts", "audit", "workdays", "documents"}
    }


def test_loading_the_demo_twice_changes_nothing(empty_database):
    assert sorted(load_demo()) == sorted(account.username for account in DEMO_ACCOUNTS)
    first = _row_counts()
    assert first["accounts.User"] == len(DEMO_ACCOUNTS) and first["org.Unit"] > 150
    assert load_demo() == []
    assert _row_counts() == first


def test_demo_refuses_production(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo")
