from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404


def get_owned_or_404[M: Model](queryset: QuerySet[M] | type[M], user, **lookup) -> M:
    """The user's own object, or a 404 that does not reveal whether it exists for someone else."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return get_object_or_404(queryset, owner=user, **lookup)
