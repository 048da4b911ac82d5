from django.urls import path

from egov.contrib.sms import views

app_name = "simulated_phone"
urlpatterns = [path("", views.simulated_phone, name="inbox")]
