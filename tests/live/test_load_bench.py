"""The mixed load run of `bench/load.py` works from a checkout and prints every figure: a quick
run on the suite's database engine. Its figures are not judged here (they depend on the
machine); only that each is printed, with a verdict on the targets."""

import re
import subprocess
import sys

from bench.server import ROOT
from tests.live.conftest import ENGINE, ON_POSTGRES

NUMBER = r"\d+\.\d"


def test_a_quick_run_prints_every_figure(request):
    command = [sys.executable, "-m", "bench.load", "--quick", "--engines", ENGINE]
    if ON_POSTGRES:
        cluster = request.getfixturevalue("private_postgres")
        command += ["--postgres-url", cluster.url("load_bench")]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )

    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    header = r"machine speed: \d+ ms.*; load average before the run \d+\.\d+ \d+\.\d+ \d+\.\d+"
    assert re.search(header, out), out[:400]
    assert re.search(rf"^{ENGINE}: \d+ requests/s \(\d+ answers", out, re.MULTILINE), out
    assert re.search(
        rf"all p50 {NUMBER}  p99 {NUMBER}   reads p50 {NUMBER}  p99 {NUMBER}   writes p50 "
        rf"{NUMBER}  p99 {NUMBER}",
        out,
    ), out
    assert re.search(r"non-2xx \d+ \(>= 500: \d+\), connections lost \d+", out), out
    assert re.search(
        rf"cpu s         server {NUMBER} \(\d+\.\d\d ms/request\), database {NUMBER} "
        rf"\(\d+\.\d\d ms/request\), load generator {NUMBER} \(\d+\.\d\d ms/request\)",
        out,
    ), out
    assert re.search(
        r"machine       \d\.\d\d of \d+ cores busy, \d\.\d\d by other processes; load "
        r"average \d+\.\d \d+\.\d \d+\.\d$",
        out,
        re.MULTILINE,
    ), out
    # Every write acknowledged in a run of any length is stored.
    stored = re.search(
        r"acknowledged writes stored: (\d+) of (\d+); final_shifts showing "
        r"exactly the stored shifts: (\d+) of (\d+) schedules",
        out,
    )
    assert stored, out
    assert stored[1] == stored[2] != "0" and stored[3] == stored[4], stored[0]
    verdicts = r"0 answers >= 500: (PASS|MISS); every write stored: PASS" + (
        r"; p99 <= 250 ms: (PASS|MISS)" if ON_POSTGRES else ""
    )
    assert re.search(rf"target: {verdicts}$", out, re.MULTILINE), out
    assert "database dropped" in out
