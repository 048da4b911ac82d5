"""Included before allauth's URLs: sign-out also ends the national SSO session."""

from django.urls import path

from egov.contrib.vneid.linking import logout

urlpatterns = [path("logout/", logout, name="vneid_logout")]
