"""Reports over who was and will be on call, read through the read model (`timeline`) and the
on-call log (`oncall_events`): the hours report (docs/hours.md)."""
