from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    # Label "tasks": django-tasks is "django_tasks" and its database backend "django_tasks_database".
    name = "tasks"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from tasks.home import register
        from tasks.retention import start_if_wanted

        register()
        start_if_wanted()  # inside `manage.py db_worker` only: stored files of tasks nobody ran (tasks/retention.py)
