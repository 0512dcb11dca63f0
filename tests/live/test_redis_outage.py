"""Redis, the shared cache, stopped while a live server uses it: every answer stays right and
2xx (computed without the cache), a warning is logged, and caching resumes once Redis is back.

The server uses a Redis of the test's own, which the test kills and starts again on its port.
Each read goes out on fresh connections, so that every worker serves some of them.
"""

import re
import time

from bench.scenarios import Api
from tests.integrations.cached_reads import answers, covered_by, make_world
from tests.live.services import PrivateRedis


def cached_keys(redis_server: PrivateRedis) -> list[bytes]:
    return redis_server.keys_matching("*oncall*")


def test_answers_stay_right_without_redis_and_caching_resumes(databases, serve, private_redis):
    server = serve(databases.new("redis_outage"), REDIS_URL=private_redis.url, LOG_LEVEL="INFO")
    api = Api(server.base_url, server.bootstrap("outage"))
    world = make_world(api, "outage")

    assert answers(api, world) == covered_by(api, world, world.alice)
    assert cached_keys(private_redis)

    private_redis.stop()
    api.patch(f"users/{world.alice}/", {"username": "caroline"})
    assert answers(api, world) == covered_by(api, world, world.alice)
    url = re.escape(private_redis.url)
    unreachable = rf"WARNING oncall\.cache \[[0-9a-f]{{32}}\] Redis cache at {url} unreachable"
    assert re.search(unreachable, server.log.read_text())

    private_redis.start()
    api.patch(f"users/{world.alice}/", {"username": "carolyn"})
    deadline = time.monotonic() + 60
    while not cached_keys(private_redis) and time.monotonic() < deadline:
        assert answers(api, world) == covered_by(api, world, world.alice)
    assert cached_keys(private_redis)
    assert answers(api, world) == covered_by(api, world, world.alice)
    assert f"Redis cache at {private_redis.url} answers again" in server.log.read_text()
