"""Racing: jobs run in threads, each with its own app context and connection, released at
once by a barrier (the rows they meet must be committed: mark such tests `committed`)."""

import threading

from approvals.extensions import db


def at_once(app, jobs):
    """Run each job in its own thread and app context, released together; collect results
    (a job's exception is its result: the outcome is what the test checks)."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, job):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = job()
            except Exception as exc:
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
