"""Rules engine alone (parse + every rule, no Kafka, no ClickHouse): events/s on one core.

    .venv/bin/python bench/engine.py --events 20000 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline import make_events  # noqa: E402

from models.detector import Detector  # noqa: E402
from models.monitor import Monitor  # noqa: E402
from topics.records import parse_record  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    raw = [(topic, orjson.dumps({**record, "ts": 1795349703120}))
           for topic, _, record in make_events(args.events, 0.05, 200)]
    detector = Detector.default()
    rates = []
    for _ in range(args.runs + 1):
        monitor = Monitor(detector)
        started = time.perf_counter()
        for topic, value in raw:
            monitor.handle(topic, parse_record(topic, value), 0)
        rates.append(len(raw) / (time.perf_counter() - started))
    rates = rates[1:]  # the first run warms jieba and the matcher
    print(f"rules engine: median {statistics.median(rates):,.0f} events/s over {args.runs} runs "
          f"(min {min(rates):,.0f}, max {max(rates):,.0f}); {args.events} events, 80% transcripts, 5% violating")


if __name__ == "__main__":
    main()
