"""The schedule APIs of other products, over the same organizations, users, tokens, services and
read model as upstream's (docs/dialects.md): what the two share (tokens sent as `Bearer`, the
`{"error": {"code", "message"}}` answers, the view base, time formats), and one package per API,
`dialects.signal` and `dialects.instatus`."""
