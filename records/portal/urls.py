"""Student portal (/portal/) and public verification (/verify/)."""

urlpatterns: list = []
