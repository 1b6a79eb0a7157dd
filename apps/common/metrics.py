"""Process-wide counters of the live path (Prometheus client objects, one registry per process).

Each web and worker process counts its own; a scraper adds them up across processes.
"""

from prometheus_client import Counter

EVENTS_PUBLISHED = Counter("taskflow_events_published", "Events handed to the channel layer after commit", ["type"])
PUBLISH_FAILURES = Counter(
    "taskflow_event_publish_failures",
    "Events given up after their retries (clients recover them from the database)",
    ["type"],
)
