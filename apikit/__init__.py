"""DRF plumbing shared by every API, importing no app of ours (docs/architecture.md)."""
