from django.contrib import admin

from tasks.models import TaskProgress


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin[TaskProgress]):
    list_display = ["label", "kind", "status", "done", "total", "owner", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in TaskProgress._meta.fields]
