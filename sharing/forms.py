from django import forms

from .models import EXPIRY_DAYS, LABEL_MAX


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label="Who is it for?",
        max_length=LABEL_MAX,
        initial="For my physio",
        help_text="Only you see this, to tell your links apart.",
    )
    days = forms.TypedChoiceField(
        label="The link works for",
        coerce=int,
        choices=[(days, f"{days} days") for days in EXPIRY_DAYS],
        initial=30,
        widget=forms.RadioSelect,
    )
    include_notes = forms.BooleanField(
        label="Include my notes",
        required=False,
        help_text="The notes you wrote on your latest sessions.",
    )

    def clean_label(self):
        label = self.cleaned_data["label"].replace("\x00", "").strip()
        if not label:
            raise forms.ValidationError("Say who the link is for.")
        return label
