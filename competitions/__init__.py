"""Skills competitions (职业技能竞赛), the template the other apps copy (DESIGN.md "Layout", "Competitions").

The rooms, each a layer package with one module per subject once it outgrows one file:
- `models.py`: the tables, their statuses (TextChoices) and the one table of status moves (`ALLOWED_MOVES`);
- `domain/`: the pure rules (scoring, ranking, awards, titles, promotion, draws, recusal, eligibility,
  standings, calendar): plain data in and out, no ORM, no I/O (tests/test_domain_purity.py);
- `access.py`: one function per object that loads it, checks the caller's right and locks it when asked,
  shared by the API and the pages;
- `services/`: every write (events, registration, draws, marking, results, excel imports), audited inside the
  transaction, live deltas after commit;
- `selectors/`: every read (events, results, marking, review, draws), frozen dataclasses with the reader's
  masking applied: the one output shape the API returns, the pages render and the exports write;
- `api/` (one Router per subject, input schemas only), `views/` (the pages, templates in
  templates/competitions/), `excel/` (the sheets and the exports);
- beside them: `permissions.py` (the app's actions and rules), `live.py`, `adapters.py` (rows → domain data),
  `home.py` (waiting items), `labels.py`, `errors.py` (messages), `demo.py`.
"""
