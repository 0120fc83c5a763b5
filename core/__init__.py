"""Cross-app plumbing that DESIGN.md's layout leaves unplaced: domain errors and their messages, request ids,
task progress, the health check and the page shell (navigation, home page). No domain rules live here."""
