"""People, units and who may do what (DESIGN.md "Layout", "People and files").

- `models.py`: units (organizations), alliances, people with their real-name data, memberships and roles, API
  tokens; `identity.py` (ID card and mobile rules and masking), `excel.py` (their Excel columns),
  `synthetic.py` (valid fake ones for demos and tests), `tokens.py` (token format and hashing, pure);
- `permissions.py`: the one policy engine every app asks (`can`, `require`, `filter_allowed`, `reach`), each
  app declaring its own section; `actors.py`: the system actor's type for scripts;
- `auth.py`: the API auth classes and `signed_in_user`; `services.py` (every write, audited), `selectors.py`
  (reads), `api.py` + `schemas.py`, `views.py` + `forms.py` (pages), `errors.py` (messages), `demo.py`.
"""
