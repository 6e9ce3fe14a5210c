"""Pages of the portal frame: sign-in, sign-out and the home page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import access
from .access import Capability


class LoginView(auth_views.LoginView):
    template_name = "offices/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    """The landing page: what the signed-in person may use."""
    capabilities = {c.value: not access.scope_for(request.user, c).is_empty for c in Capability}
    return render(request, "offices/home.html", {"capabilities": capabilities,
                                                 "roles": sorted(access.roles_of(request.user))})
