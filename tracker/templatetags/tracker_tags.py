import uuid

from django import template

register = template.Library()


@register.simple_tag
def new_client_id() -> str:
    """A fresh one-time id for a log form (see SessionQuerySet.log)."""
    return str(uuid.uuid4())


@register.filter
def patch_test_progress(product, today) -> str:
    return product.patch_test_progress(today)
