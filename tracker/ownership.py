"""Every lookup of a person's object goes through here: theirs, or a 404 for anyone else."""

from collections.abc import Callable
from functools import wraps

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404


def get_owned_or_404[M: Model](queryset: QuerySet[M] | type[M], user, **lookup) -> M:
    """The user's own object, or a 404 that does not reveal whether it exists for someone else.

    Ownership is the queryset's `for_user`, so a model owned through another (a routine's
    steps) says once how it is owned.
    """
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return get_object_or_404(queryset.for_user(user), **lookup)


def login_or_404(view: Callable) -> Callable:
    """Like login_required, but a logged-out visitor gets the 404 a stranger would.

    A redirect to the login page would confirm that a photo URL is worth trying again.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            raise Http404
        return view(request, *args, **kwargs)

    return guarded
