"""Pages: filled in as they are built."""

urlpatterns: list = []
