"""django-axes' lockout check, for sign-ins that come from a request."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuse a locked-out username+IP before the password is checked (ASVS 2.2.1).

    `authenticate()` called from code with no request (a management command, a test) has no
    IP to lock and is not an attack surface: it goes straight to ModelBackend. Every web
    sign-in path (our login page, the admin's) passes the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
