"""Websocket routes of every app (the live scoreboard joins here)."""

from django.urls import path

from tasks.consumers import TaskProgressConsumer

websocket_urlpatterns = [
    path("ws/tasks/<uuid:task_id>/", TaskProgressConsumer.as_asgi()),
]
