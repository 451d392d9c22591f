"""Receivers: start the session clocks at sign-in; end a user's sessions when their
authenticator is removed (the session's second-factor mark must not outlive it)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from .sessions import session_started, sessions_end_for_user


@receiver(user_logged_in, dispatch_uid="security.session_started")
def _session_started(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_started(request.session)


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="security.device_deleted")
def _device_deleted(sender, instance, **kwargs):
    sessions_end_for_user(user_id=instance.user_id)


@receiver(post_save, sender=TOTPDevice, dispatch_uid="security.device_unconfirmed")
def _device_unconfirmed(sender, instance, created, **kwargs):
    if not created and not instance.confirmed:
        sessions_end_for_user(user_id=instance.user_id)
