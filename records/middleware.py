"""Per-user interface language: a signed-in user's saved choice (Wagtail account settings) wins."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from records.models import Role
from records.permissions import has_role, is_staff_user
from records.selectors.viewer import viewer_keep, viewer_preload


class UserLanguageMiddleware:
    """Activates the user's preferred language after Django's LocaleMiddleware guessed one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        key, held = "", frozenset[str]()
        if user is not None and user.is_authenticated:
            # Permissions, roles with scope and the profile, cached per user and authorization version
            # (records/selectors/viewer.py): what this request loads of them is kept for the next one.
            key, held = viewer_preload(user)
            profile = getattr(user, "wagtail_userprofile", None)
            language = getattr(profile, "preferred_language", "") if profile is not None else ""
            if language in ("kk", "ru", "en"):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if key:
            viewer_keep(user, key, held)
        return response


def _is_student_only(user: object) -> bool:
    """A student with no staff role (staff without admin access still get Wagtail's sign-in)."""

    return has_role(user, {Role.STUDENT}) and not is_staff_user(user)


class StudentPortalMiddleware:
    """A signed-in student (no back-office access) who opens /admin/ is sent to the student portal.

    Wagtail would show its "no permission" page; a student has a place of their own. The sign-in
    and sign-out pages stay reachable so that another person can sign in on the same browser.
    """

    OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith("/admin/")
            and not request.path.startswith(self.OPEN_PATHS)
            and not user.has_perm("wagtailadmin.access_admin")
            and _is_student_only(user)
        ):
            return redirect("portal")
        return self.get_response(request)
