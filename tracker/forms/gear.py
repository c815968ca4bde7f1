"""Tools and products."""

from django import forms

from tracker.forms.common import DateInput, DatesInRangeMixin
from tracker.models import (
    Product,
    Tool,
)


class ToolForm(DatesInRangeMixin, forms.ModelForm):
    class Meta:
        model = Tool
        fields = ["name", "kind", "material", "last_cleaned_on"]
        widgets = {"last_cleaned_on": DateInput()}


class ProductForm(DatesInRangeMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "kind",
            "key_ingredients",
            "opened_on",
            "patch_test",
            "patch_test_started_on",
        ]
        widgets = {"opened_on": DateInput(), "patch_test_started_on": DateInput()}
