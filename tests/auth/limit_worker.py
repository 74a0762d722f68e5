"""One app process making sign-in attempts: `python -m tests.auth.limit_worker CONFIG ATTEMPTS`.

Prints the status codes as JSON. Two of these against one store show whether workers share
the rate-limit count, as gunicorn's processes would.
"""

from __future__ import annotations

import json
import sys

from approvals import create_app


def main() -> None:
    config, attempts = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    app = create_app(config)
    client = app.test_client()
    codes = []
    for username, address in attempts:
        res = client.post(
            "/api/v1/auth/token",
            json={"username": username, "password": "wrong password, surely"},
            environ_base={"REMOTE_ADDR": address},
        )
        codes.append(res.status_code)
    print(json.dumps(codes))


if __name__ == "__main__":
    main()
