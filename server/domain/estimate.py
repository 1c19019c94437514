"""Position in line and estimated wait.

estimated_wait_minutes = ceil(ahead * mean_service_minutes / effective_counters)

- `ahead`: tickets of the same queue that the policy would call before this one
  (due appointments and priority tickets first, then earlier arrivals);
- `mean_service_minutes`: mean of the queue's last finished visits today (call to
  finish), or the queue's configured default when there are fewer than three;
- `effective_counters`: each open counter serving the queue contributes its weight for the
  queue divided by the sum of its weights, so a counter shared by two queues at 3:1
  counts 0.75 for the first and 0.25 for the second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MIN_SAMPLES = 3


def mean_service_minutes(durations_seconds: Sequence[float], default_minutes: float) -> float:
    if len(durations_seconds) < MIN_SAMPLES:
        return default_minutes
    return sum(durations_seconds) / len(durations_seconds) / 60.0


def effective_counters(shares: Sequence[float]) -> float:
    return max(sum(shares), 0.25)


def estimated_wait_minutes(ahead: int, mean_minutes: float, counters: float) -> int:
    if ahead <= 0:
        return 0
    return math.ceil(ahead * mean_minutes / counters)
