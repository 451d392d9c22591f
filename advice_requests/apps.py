from django.apps import AppConfig


class AdviceRequestsConfig(AppConfig):
    name = "advice_requests"
