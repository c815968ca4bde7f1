from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser


def verified_address(user: AbstractBaseUser) -> str | None:
    """The address to write to: only one the person has proved is theirs (primary first)."""
    return (
        EmailAddress.objects.filter(user_id=user.pk, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
