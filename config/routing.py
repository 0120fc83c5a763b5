"""Websocket routes of every app."""

from django.urls import path

from competitions.consumers import EventBoardConsumer
from tasks.consumers import TaskProgressConsumer

websocket_urlpatterns = [
    path("ws/tasks/<uuid:task_id>/", TaskProgressConsumer.as_asgi()),
    path("ws/competitions/events/<int:event_id>/board/", EventBoardConsumer.as_asgi()),
]
