"""The tracker upload form (issue 7): the file and whether to rehearse only."""

from django import forms

#: 10,000 rows of the tracker are about 1.5 MB; anything far bigger is not a tracker.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CHOOSE_FILE = "Select the tracker CSV file."
TOO_BIG = "The file must be smaller than 10 MB."


class TrackerUploadForm(forms.Form):
    tracker = forms.FileField(
        label="Tracker CSV file",
        error_messages={
            "required": CHOOSE_FILE,
            "invalid": CHOOSE_FILE,
            "missing": CHOOSE_FILE,
            "empty": "The selected file is empty: select the tracker CSV file.",
            "max_length": "The file's name is too long: rename it and select it again.",
            "contradiction": CHOOSE_FILE,
        },
    )
    dry_run = forms.BooleanField(
        required=False, label="Check the file only (dry run): nothing is written"
    )

    def clean_tracker(self):
        upload = self.cleaned_data["tracker"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG)
        return upload
