"""Large `final_shifts` answers are kept gzipped and sent so to the clients that accept gzip."""

import gzip

import orjson
import pytest
from rest_framework.test import APIClient

import timeline.bodies
from apikit.encoding import GZIP_ABOVE, Body, accepts_gzip
from tests.api.helpers import created

pytestmark = pytest.mark.django_db

YEAR = "start_date=2030-01-01&end_date=2030-12-31"
WEEK = "start_date=2030-01-01&end_date=2030-01-08"


@pytest.mark.parametrize(
    ("accept_encoding", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("x-gzip", True),
        ("GZIP;Q=0.5", True),
        ("*", True),
        ("", False),
        ("identity", False),
        ("deflate, br", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("*;q=0", False),
        ("*, gzip;q=0", False),
        ("gzip;q=high", False),
        ("gzip;level=1", False),
    ],
)
def test_accept_encoding_is_read_as_rfc_9110_says(accept_encoding, accepted):
    assert accepts_gzip(accept_encoding) is accepted


def test_only_bodies_above_the_threshold_are_kept_gzipped():
    small, large = b"[" + b" " * (GZIP_ABOVE - 2) + b"]", b"[" + b" " * (GZIP_ABOVE - 1) + b"]"

    assert Body.of(small) == Body(small, gzipped=False)
    kept = Body.of(large)
    assert kept.gzipped is True
    assert gzip.decompress(kept.data) == kept.plain() == large
    assert len(kept.data) < len(large) // 100


@pytest.fixture
def hourly_schedule(api_client, make_user) -> str:
    users = [make_user(f"user{number}").public_id for number in range(3)]
    shift = created(
        api_client,
        "on_call_shifts",
        {
            "name": "hourly",
            "type": "rolling_users",
            "frequency": "hourly",
            "start": "2030-01-01T00:00:00",
            "duration": 3600,
            "rolling_users": [[user] for user in users],
            "start_rotation_from_user_index": 0,
        },
    )
    body = {"name": "s", "type": "web", "time_zone": "UTC", "shifts": [shift["id"]]}
    return created(api_client, "schedules", body)["id"]


def answers(client: APIClient, schedule_id: str, query: str, **headers):
    """The answer asked twice: computed, then from the cache."""
    path = f"/api/v1/schedules/{schedule_id}/final_shifts?{query}"
    return [client.get(path, **headers) for _ in range(2)]


def test_a_large_answer_is_gzipped_for_a_client_that_accepts_it(api_client, hourly_schedule):
    plain = answers(api_client, hourly_schedule, YEAR)
    zipped = answers(api_client, hourly_schedule, YEAR, HTTP_ACCEPT_ENCODING="gzip, deflate")

    for response in plain:
        assert response.status_code == 200
        assert "Content-Encoding" not in response
        assert response["Vary"] == "Accept-Encoding"
        assert response.json()["count"] == 8736
    for response in zipped:
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert response["Vary"] == "Accept-Encoding"
        assert int(response["Content-Length"]) == len(response.content)
        assert gzip.decompress(response.content) == plain[0].content
    assert plain[0].content == plain[1].content


def test_a_refused_gzip_gets_the_plain_answer(api_client, hourly_schedule):
    zipped, refused = (
        answers(api_client, hourly_schedule, YEAR, HTTP_ACCEPT_ENCODING=header)[1]
        for header in ("gzip", "gzip;q=0")
    )

    assert "Content-Encoding" not in refused
    assert refused.content == gzip.decompress(zipped.content)


def test_a_small_answer_is_never_gzipped(api_client, hourly_schedule):
    for response in answers(api_client, hourly_schedule, WEEK, HTTP_ACCEPT_ENCODING="gzip"):
        assert "Content-Encoding" not in response
        assert response["Vary"] == "Accept-Encoding"
        assert response.json()["count"] == 168


@pytest.mark.parametrize("first", ["gzip", ""])
def test_the_answer_that_writes_a_body_and_those_that_find_it_kept_send_the_same_bytes(
    api_client, hourly_schedule, first
):
    then = "" if first else "gzip"
    path = f"/api/v1/schedules/{hourly_schedule}/final_shifts?{YEAR}"
    answered = [
        api_client.get(path, HTTP_ACCEPT_ENCODING=accept) for accept in (first, then, first, then)
    ]

    assert [response.get("Content-Encoding") for response in answered] == [
        "gzip" if accept else None for accept in (first, then, first, then)
    ]
    plain = [
        gzip.decompress(response.content) if accept else response.content
        for response, accept in zip(answered, (first, then, first, then), strict=True)
    ]
    assert plain == [plain[0]] * 4
    assert orjson.loads(plain[0])["count"] == 8736


@pytest.fixture
def compressions(monkeypatch) -> list[int]:
    """The sizes of the bodies gzipped from now on."""
    sizes: list[int] = []
    compress = gzip.compress

    def counted(data, *args, **kwargs):
        sizes.append(len(data))
        return compress(data, *args, **kwargs)

    monkeypatch.setattr(gzip, "compress", counted)
    return sizes


def test_a_large_body_is_gzipped_only_for_a_client_that_accepts_gzip(
    api_client, hourly_schedule, compressions
):
    path = f"/api/v1/schedules/{hourly_schedule}/final_shifts?{YEAR}"
    plain = [api_client.get(path) for _ in range(2)]
    assert compressions == []

    zipped = [api_client.get(path, HTTP_ACCEPT_ENCODING="gzip") for _ in range(2)]
    assert len(compressions) == 1
    assert [gzip.decompress(response.content) for response in zipped] == [plain[0].content] * 2
    assert plain[1].content == plain[0].content


def test_with_a_cache_the_workers_share_a_large_body_is_kept_gzipped_for_every_client(
    api_client, hourly_schedule, compressions, monkeypatch
):
    monkeypatch.setattr(timeline.bodies, "workers_share_the_cache", lambda: True)
    path = f"/api/v1/schedules/{hourly_schedule}/final_shifts?{YEAR}"
    plain = [api_client.get(path) for _ in range(2)]
    zipped = api_client.get(path, HTTP_ACCEPT_ENCODING="gzip")

    assert len(compressions) == 1
    assert gzip.decompress(zipped.content) == plain[0].content == plain[1].content


def test_the_workers_share_a_redis_cache_not_a_local_memory_one(settings):
    assert timeline.bodies.workers_share_the_cache() is False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert timeline.bodies.workers_share_the_cache() is True
