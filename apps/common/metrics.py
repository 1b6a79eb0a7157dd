"""Process-wide counters of the live path and the job queue (Prometheus client objects, one registry per process).

Each web and worker process counts its own and `/metrics` shows the registry of the process that answers it: behind
several web processes a scraper must reach each one (its own port), and the sums are taken in Prometheus. The worker's
job latency lives in the worker process (embedded mode: the web process itself).
"""

import time

import dramatiq
from prometheus_client import Counter, Gauge, Histogram

EVENTS_PUBLISHED = Counter("taskflow_events_published", "Events handed to the channel layer after commit", ["type"])
PUBLISH_FAILURES = Counter(
    "taskflow_event_publish_failures",
    "Events given up after their retries (clients recover them from the database)",
    ["type"],
)
SOCKETS_OPEN = Gauge("taskflow_ws_sockets_open", "WebSockets open in this process")
DELIVERIES = Counter("taskflow_ws_deliveries", "Live frames written to sockets by this process's fan-out")
RESUMES = Counter("taskflow_ws_resumes", "resume requests answered")
HANDSHAKE_SECONDS = Histogram(
    "taskflow_ws_handshake_seconds",
    "From the socket's accept to its `ready` frame (authentication, group joins, last_seq)",
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOB_QUEUE_LATENCY = Histogram(
    "taskflow_job_queue_latency_seconds",
    "From a job's enqueue (or its eta, for a delayed job) to the start of its processing",
    ["queue"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)


class JobQueueLatency(dramatiq.Middleware):
    """Dramatiq middleware: observes JOB_QUEUE_LATENCY when a worker starts a message (each retry counts again, from
    the time it became due)."""

    def before_process_message(self, broker, message) -> None:
        due_ms = message.options.get("eta") or message.message_timestamp
        JOB_QUEUE_LATENCY.labels(message.queue_name).observe(max(0.0, time.time() - due_ms / 1000))
