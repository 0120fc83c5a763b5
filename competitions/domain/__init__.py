"""The pure rules of competitions (DESIGN.md "Competitions"): plain data in, plain data out, no ORM, no I/O, no
other app but other apps' pure `domain` packages (the skill-level ladder of certification).
tests/test_domain_purity.py keeps them so."""
