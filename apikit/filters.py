"""List filters shared by schedules and shifts."""

import django_filters

NO_TEAM = "null"


class TeamIdFilter(django_filters.CharFilter):
    """`team_id=<team id>` exact match, `team_id=null` = objects without a team
    (docs/differences.md#the-team-filter)."""

    def filter(self, qs, value):
        if not value:
            return qs
        if value == NO_TEAM:
            return qs.filter(team__isnull=True)
        return qs.filter(team__public_id=value)
