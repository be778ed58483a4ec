import binascii
import ipaddress
from base64 import urlsafe_b64decode
from urllib.parse import urlsplit

from django import forms

from .models import PushSubscription

# Browsers and systems named in the device list, first match wins.
BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"),
            ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]  # fmt: skip
SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"), ("Linux", "Linux")]  # fmt: skip


def b64url_bytes(text: str) -> bytes:
    """Base64url without padding, as browsers write keys; b"" for anything else."""
    try:
        return urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""


def device_name(user_agent: str) -> str:
    """'Firefox on Android': enough to tell a person's devices apart."""
    browser = next((name for token, name in BROWSERS if token in user_agent), "A browser")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    return f"{browser} on {system}" if system else browser


class SubscriptionForm(forms.ModelForm):
    """A browser's push subscription, as static/js/push.js sends it."""

    class Meta:
        model = PushSubscription
        fields = ["endpoint", "p256dh", "auth"]
        widgets = {name: forms.HiddenInput for name in fields}

    def validate_unique(self):
        """The same browser subscribing again (or for someone else) updates its row."""

    def clean_endpoint(self):
        """Push services answer on https at a host name; Hipapp posts to nothing else (so the
        endpoint cannot point it at a machine of its own network)."""
        endpoint = self.cleaned_data["endpoint"]
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        try:
            ipaddress.ip_address(host)
            is_address = True
        except ValueError:
            is_address = False
        if parts.scheme != "https" or is_address or host == "localhost" or "." not in host:
            raise forms.ValidationError("That is not a push service's address.")
        return endpoint

    def clean_p256dh(self):
        from cryptography.hazmat.primitives.asymmetric import ec  # only here: it is large

        key = self.cleaned_data["p256dh"]
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_bytes(key))
        except ValueError:
            raise forms.ValidationError("That is not a browser's push key.") from None
        return key

    def clean_auth(self):
        secret = self.cleaned_data["auth"]
        if len(b64url_bytes(secret)) != 16:
            raise forms.ValidationError("That is not a browser's push secret.")
        return secret

    def save_for(self, user, user_agent: str) -> PushSubscription:
        device, _ = PushSubscription.objects.update_or_create(
            endpoint=self.cleaned_data["endpoint"],
            defaults={
                "user": user,
                "p256dh": self.cleaned_data["p256dh"],
                "auth": self.cleaned_data["auth"],
                "device": device_name(user_agent)[:100],
            },
        )
        return device
