"""Per-user interface language: a signed-in user's saved choice (Wagtail account settings) wins."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Activates the user's preferred language after Django's LocaleMiddleware guessed one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "wagtail_userprofile", None)
            language = getattr(profile, "preferred_language", "") if profile is not None else ""
            if language in ("kk", "ru", "en"):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
