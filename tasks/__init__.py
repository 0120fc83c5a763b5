"""Background work on Django's tasks framework (the django-tasks backport, database backend): the progress of each
job as people see it (TaskProgress), starting a job on commit and reporting its progress (progress.py), and
following it through the API (/api/v1/tasks/), a page with a progress bar and a websocket. The jobs themselves
live in each app's `tasks.py`."""
