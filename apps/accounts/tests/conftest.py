import dramatiq
import pytest
from django.core import mail


def deliver_account_emails(broker) -> int:
    """Run the account email jobs queued on the stub broker, here in the test's thread (and its transaction)."""
    from apps.accounts.actors import send_account_email

    ran = 0
    for queue in broker.queues.values():
        pending = []
        while not queue.empty():
            pending.append(dramatiq.Message.decode(queue.get_nowait()))
        for message in pending:
            if message.actor_name == send_account_email.actor_name:
                send_account_email.fn(*message.args, **message.kwargs)
                ran += 1
    return ran


@pytest.fixture
def committed(stub_broker, django_capture_on_commit_callbacks):
    """`committed(fn, ...)`: call fn, run what it left for after commit (events, job enqueues), then the account
    email jobs. Emails land in django.core.mail.outbox (the locmem backend of the test run)."""
    mail.outbox = []

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        deliver_account_emails(stub_broker)
        return result

    return run
