from django.urls import path

from egov.contrib.mailbox import views

app_name = "simulated_mailbox"
urlpatterns = [path("", views.simulated_mailbox, name="inbox")]
