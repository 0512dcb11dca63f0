"""Pages people look at (docs/pages.md): sign-in, the schedules, a schedule's timeline, my
shifts. Server-rendered HTML over the same selectors, services and read model as the API."""
