"""What DKIM signing (NEWSLETTER_DKIM_*, newsletter/dkim.py) costs a message.

    .venv/bin/python bench/dkim_bench.py [--messages 200] [--kib 22]

Signs a message of ``--kib`` KiB (the demo issue is about 22 KiB) with a new 2048-bit RSA key
(openssl) through ``newsletter.dkim.dkim_sign``, ``--messages`` times, and prints the median
and p95 milliseconds per message (``time.perf_counter``) and what that caps one worker process
at. No database needed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--kib", type=int, default=22)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        key = Path(folder) / "dkim.pem"
        subprocess.run(
            ["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True
        )
        os.environ.update(
            DJANGO_SETTINGS_MODULE="trustedresearch.settings.test",
            NEWSLETTER_DKIM_DOMAIN="example.ac.uk",
            NEWSLETTER_DKIM_SELECTOR="bench",
            NEWSLETTER_DKIM_PRIVATE_KEY_FILE=str(key),
        )
        import django

        django.setup()
        from newsletter.dkim import dkim_sign

        line = b"<p>Trusted Research keeps our international partnerships safe.</p>\r\n"
        body = line * (args.kib * 1024 // len(line))
        head = (
            b"From: Trusted Research <tr@example.ac.uk>\r\nTo: reader@example.ac.uk\r\n"
            b"Subject: Trusted Research newsletter\r\nMessage-ID: <1@example.ac.uk>\r\n"
            b"List-Unsubscribe: <https://portal.example.ac.uk/unsubscribe/x/>\r\n"
            b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        )
        times = []
        for number in range(args.messages):
            message = head + body + f"<p>{number}</p>\r\n".encode()
            start = time.perf_counter()
            dkim_sign(message)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median = statistics.median(times)
    print(
        f"DKIM signing of a {args.kib} KiB message, 2048-bit RSA, {args.messages} messages: "
        f"median {median:.2f} ms, p95 {times[int(len(times) * 0.95) - 1]:.2f} ms; "
        f"at most {1000 / median:,.0f} messages/s per worker process for signing alone"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
