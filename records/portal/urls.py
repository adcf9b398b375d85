"""Student portal (/portal/) and public verification (/verify/)."""

from django.urls import path

urlpatterns: list = []
