"""Two first drafts of one product sent at the same moment through the API, from two threads with
their own database connections. Used by ``test_concurrent_drafts`` in-process (PostgreSQL) and as
a script on a real SQLite file (``python -m pantau.registry.tests.concurrent_drafts``): the
in-memory SQLite of the test run cannot show how two connections to a file wait for each other."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

BODIES = [{"output": "KTP-el (A)"}, {"complaints": "Loket B"}]


def race(cast: Any) -> dict[str, Any]:
    from django.db import connections

    from pantau.registry import services
    from pantau.registry.models import ServiceStandard
    from pantau.registry.tests.api_helpers import Api

    count = services.count_present

    def slow(standard: Any) -> int:  # widen the window between "is there a draft?" and the insert
        time.sleep(0.4)
        return count(standard)

    services.count_present = slow  # type: ignore[assignment]
    try:
        apis = [Api.as_user(cast.admin_tabalong), Api.as_user(cast.operator_dukcapil)]
        start = threading.Barrier(2)
        codes: list[int] = [0, 0]

        def send(i: int) -> None:
            try:
                start.wait()
                codes[i] = apis[i].patch(f"/products/{cast.ktp.pk}/draft", BODIES[i]).status_code
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        services.count_present = count  # type: ignore[assignment]
    drafts = list(ServiceStandard.objects.filter(product=cast.ktp, status="draft"))
    return {"codes": sorted(codes), "drafts": len(drafts),
            "fields": [drafts[0].output, drafts[0].complaints] if drafts else None}


if __name__ == "__main__":
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from tests.cast import build_cast

    print(json.dumps(race(build_cast())))
