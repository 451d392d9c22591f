"""The unread count in every page's header for a signed-in user: one query, and only if the
page shows it (the count is computed on first use and kept on the request)."""

from __future__ import annotations

from .selectors import unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        if not hasattr(request, "_unread_notifications"):
            request._unread_notifications = unread_count(user=user)
        return request._unread_notifications

    return {
        "unread_notifications": count,
        "notifications_active": request.path.startswith("/notifications/"),
    }
