"""The form an editor adds an override with (docs/pages.md#adding-an-override): who, from and
to, as wall-clock times in the zone the page shows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms

from pages.zones import valid_zone
from users.models import User

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
# The longest shift the API takes.
MAX_LENGTH = timedelta(days=3660)


def instant(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as an instant: an ambiguous time is its first occurrence, a
    time skipped by a spring-forward change moves on by the gap (docs/time-zones.md). Both are
    what `fold=0` means: the offset from before the change."""
    return local.replace(tzinfo=zone, fold=0).astimezone(ZoneInfo("UTC"))


class OverrideForm(forms.Form):
    user = forms.ChoiceField(label="Who")
    start = forms.DateTimeField(
        label="From",
        input_formats=LOCAL_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    end = forms.DateTimeField(
        label="To",
        input_formats=LOCAL_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    tz = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, users: list[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.users = {user.public_id: user for user in users}
        who = self.fields["user"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [(user.public_id, user.username) for user in users]

    def clean_tz(self) -> ZoneInfo:
        zone = valid_zone(self.cleaned_data["tz"])
        if zone is None:
            raise forms.ValidationError("Unknown time zone.")
        return zone

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        zone, start, end = data.get("tz"), data.get("start"), data.get("end")
        if zone is None or start is None or end is None or "user" not in data:
            return data
        # The form's fields read the times in the server's zone; they are the viewer's.
        data["start"] = instant(start.replace(tzinfo=None), zone)
        data["end"] = instant(end.replace(tzinfo=None), zone)
        if data["end"] <= data["start"]:
            raise forms.ValidationError("The override must end after it starts.")
        if data["end"] - data["start"] > MAX_LENGTH:
            raise forms.ValidationError("An override lasts at most 3660 days.")
        data["user"] = self.users[data["user"]]
        return data
