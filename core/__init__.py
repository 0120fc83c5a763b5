"""The kernel: what every app stands on, depending on no app of the project (tests/test_layering.py checks it).

Domain errors with their codes and messages in the reader's language (errors.py), the id of the request being
served (request_context.py) and the middleware that sets it and the user's language (middleware.py), the API's
one error shape (schemas.py), loading one object or NotFound (lookup.py), the system actor scripts pass to
services (actors.py), the health checks and /healthz (health.py), and Excel reading and writing with generic
columns only (excel.py). No domain rules live here.
"""
