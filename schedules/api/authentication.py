"""Authentication of the on-call routes: the token and the route's schedule in one query."""

from schedules.models import Schedule
from schedules.selectors import live_tokens_with_schedule
from users import tokens
from users.api.authentication import ApiTokenAuthentication
from users.models import ApiToken


class TokenAndScheduleAuthentication(ApiTokenAuthentication):
    """`ApiTokenAuthentication` that also reads the schedule `schedule_public_id` of the token's
    organization in the same round trip ("who is on call" is the hottest request); the view
    takes it from `schedule`, which stays None when the organization has no such schedule."""

    def __init__(self, schedule_public_id: str) -> None:
        self.schedule_public_id = schedule_public_id
        self.schedule: Schedule | None = None

    def lookup(self, raw: str) -> ApiToken | None:
        found = tokens.find_by_secret(
            lambda prefix: live_tokens_with_schedule(prefix, self.schedule_public_id), raw
        )
        if found is None:
            return None
        self.schedule = found.schedule
        return found.token
