"""Sign in and out (Django auth), in the GOV.UK layout."""

from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        items = []
        if form.is_bound:
            for name, messages in form.errors.items():
                anchor = f"#{form[name].id_for_label}" if name in form.fields else "#id_username"
                items.extend({"text": message, "href": anchor} for message in messages)
        context["error_items"] = items
        return context
