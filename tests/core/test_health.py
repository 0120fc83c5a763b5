"""/healthz checks the database and the channel layer, and names what is down."""

from __future__ import annotations

from django.test import Client, override_settings


def test_healthz_is_ok_with_everything_up(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    assert body["checks"]["database"]["ok"] and body["checks"]["channel_layer"]["ok"]


def test_healthz_is_503_naming_the_channel_layer_when_redis_is_unreachable(client: Client, db: None) -> None:
    from channels.layers import channel_layers

    broken = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                          "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}}
    with override_settings(CHANNEL_LAYERS=broken):
        channel_layers.backends.clear()
        try:
            response = client.get("/healthz")
        finally:
            channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["down"] == ["channel_layer"]


def test_healthz_needs_no_sign_in_and_is_not_redirected_to_https(client: Client, db: None) -> None:
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"]):
        assert client.get("/healthz").status_code == 200
