"""Imports of an export or a Loop history."""

from django import forms

from tracker import portability


def refuse_larger_than(upload, max_bytes: int):
    if upload.size > max_bytes:
        raise forms.ValidationError(f"That file is larger than {max_bytes // (1024 * 1024)} MB.")
    return upload


class ImportArchiveForm(forms.Form):
    archive = forms.FileField(
        label="Facetrack export (.zip)",
        help_text="A ZIP file downloaded from “Download all your data”.",
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self):
        return refuse_larger_than(self.cleaned_data["archive"], portability.MAX_ARCHIVE_BYTES)


class LoopImportForm(forms.Form):
    checkmarks = forms.FileField(
        label="Loop Habit Tracker checkmarks (.csv)",
        help_text="From Loop's CSV export: the Checkmarks.csv in your habit's folder.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_checkmarks(self):
        return refuse_larger_than(self.cleaned_data["checkmarks"], portability.MAX_LOOP_CSV_BYTES)
