"""Redis's own CPU per pub/sub message delivered: where one Redis stops carrying the live path.

    .venv/bin/python -m bench.redis_pubsub [--processes 10] [--events 20000]

A redis-server of its own; --processes subscriber connections (each standing for one web process subscribed to a
busy group, in a reader thread of this process) on one channel; --events PUBLISHes of a task.updated-sized frame,
pipelined. Redis's CPU (from /proc/<pid>/stat) divided by the messages it wrote out gives its cost per message, and
its inverse the ceiling of one Redis core. Figures are printed as Markdown; nothing is asserted.
"""

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

import redis

from bench.realtime import cpu_seconds, load_average

FRAME = '{"type":"task.updated","project":7,"task":{' + '"f":"' + "x" * 420 + '"}}'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=10)
    parser.add_argument("--events", type=int, default=20_000)
    args, _ = parser.parse_known_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskflow.settings")
    from apps.common.tests.utils import RedisServer

    workdir = Path(tempfile.mkdtemp(prefix="taskflow-bench-redis-"))
    with RedisServer(workdir / "redis.log") as server:
        received = [0] * args.processes
        subscribers = []
        for _ in range(args.processes):
            pubsub = redis.Redis.from_url(server.url).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe("taskflow:live:project.7")
            subscribers.append(pubsub)

        def read(index: int, pubsub) -> None:
            while received[index] < args.events:
                if pubsub.get_message(timeout=1.0) is not None:
                    received[index] += 1

        threads = [threading.Thread(target=read, args=(i, p), daemon=True) for i, p in enumerate(subscribers)]
        for thread in threads:
            thread.start()
        publisher = redis.Redis.from_url(server.url)
        loads = [load_average()]
        cpu_before, started = cpu_seconds(server.process.pid), time.monotonic()
        for start in range(0, args.events, 100):
            pipe = publisher.pipeline(transaction=False)
            for _ in range(min(100, args.events - start)):
                pipe.publish("taskflow:live:project.7", FRAME)
            pipe.execute()
        for thread in threads:
            thread.join(timeout=120)
        cpu = cpu_seconds(server.process.pid) - cpu_before
        seconds = time.monotonic() - started
        loads.append(load_average())
    out = sum(received)
    print("## Redis pub/sub\n")
    print(f"Command: `.venv/bin/python -m bench.redis_pubsub --processes {args.processes} --events {args.events}`  ")
    print(f"Load average before / after: {loads[0]} / {loads[1]} (2 cores)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| messages out ({args.events:,} events x {args.processes} subscribers) | {out:,} in {seconds:.1f} s |")
    print(f"| Redis CPU per message out | {cpu * 1e6 / max(1, out):.2f} us |")
    print(f"| ceiling of one Redis core, messages out per second | {out / max(cpu, 1e-9):,.0f} |")


if __name__ == "__main__":
    main()
