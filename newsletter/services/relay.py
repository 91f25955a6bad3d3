"""One message over a batch's SMTP connection, every outcome named.

The conversation is MAIL, RCPT, then DATA, spoken with smtplib's primitives (not ``sendmail``)
so the engine knows where a fault happened:

- a reply of 421 anywhere, or a dropped connection before the message was sent: the
  connection is closed and the next message opens a new one (smtplib closes its socket on
  421, and a kept connection fails the next, innocent recipient with "please run connect()");
- a reused connection found dead at MAIL (the server dropped it while idle): reconnect once,
  without charging this recipient;
- just before DATA, ``before_data()`` asks whether the batch still owns the delivery and the
  send is still running: if not, the transaction is reset and nothing is sent;
- the connection lost after the whole message was sent, before the server's reply: the server
  may have taken it. That is ``UNCERTAIN``, never "sent" and never a plain retry.
- success: the server's reply ("250 2.0.0 Ok: queued as …") for the ledger.
"""

import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import get_connection

from newsletter.messages import dot_stuff

SENT = "sent"
TEMPORARY = "temporary"  # 4xx: try again later
PERMANENT = "permanent"  # 5xx
CONNECTION = "connection"  # 421 or the connection dropped before the message was sent
UNCERTAIN = "uncertain"  # the connection dropped after the message was sent
STOPPED = "stopped"  # before_data() said no: nothing was sent

_NETWORK_ERRORS = (smtplib.SMTPServerDisconnected, OSError)
# A plain dot-atom address: smtplib's quoteaddr (email.utils.parseaddr, the larger part of
# the cost of MAIL and RCPT) would return it unchanged in angle brackets.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)


def quoted(address: str) -> str:
    """The address as smtplib's MAIL and RCPT commands write it (``smtplib.quoteaddr``)."""
    return f"<{address}>" if _PLAIN_ADDRESS.fullmatch(address) else smtplib.quoteaddr(address)


@dataclass
class Result:
    kind: str
    reply: str = ""


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


class Relay:
    """The batch's one SMTP connection, opened by Django's SMTP backend (host, port, TLS,
    login and timeout from the EMAIL_* settings) and reopened after a fault."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.speaks_smtp = hasattr(self.backend, "connection")

    def open(self) -> bool:
        """Connect if not connected; True if this opened a new connection. Raises
        ``smtplib.SMTPException`` or ``OSError`` if the server cannot be reached."""
        return bool(self.backend.open())

    def close(self) -> None:
        try:
            self.backend.close()
        except Exception:  # the server already went away; nothing to tidy
            self.backend.connection = None

    def _reset(self) -> None:
        try:
            self.backend.connection.rset()
        except _NETWORK_ERRORS:
            self.close()

    def _refused(self, code: int, text: bytes) -> Result:
        reply = _reply(code, text)
        if code == 421:  # the server is closing the channel (RFC 5321 3.8)
            self.close()
            return Result(CONNECTION, reply)
        self._reset()
        return Result(TEMPORARY if 400 <= code < 500 else PERMANENT, reply)

    def deliver(
        self,
        *,
        sender: str,
        recipient: str,
        data: bytes,
        before_data: Callable[[], bool],
        stuffed: bool = False,
    ) -> Result:
        """Send ``data`` to ``recipient`` (``stuffed``: already dot-stuffed, see
        ``newsletter.messages.dot_stuff``). Connection failures opening a *new* connection
        raise (the relay is unreachable); everything else is a ``Result``."""
        for attempt in (1, 2):
            reused = not self.open()
            smtp = self.backend.connection
            try:
                smtp.ehlo_or_helo_if_needed()
                size = smtp.does_esmtp and smtp.has_extn("size")
                smtp.putcmd("mail", f"FROM:{quoted(sender)}{f' size={len(data)}' if size else ''}")
                code, text = smtp.getreply()
                break
            except _NETWORK_ERRORS as exc:
                self.close()
                if reused and attempt == 1:
                    continue  # dropped while idle: not this recipient's fault
                return Result(CONNECTION, f"Connection: {exc}")
        if code != 250:
            return self._refused(code, text)
        try:
            smtp.putcmd("rcpt", f"TO:{quoted(recipient)}")
            code, text = smtp.getreply()
        except _NETWORK_ERRORS as exc:
            self.close()
            return Result(CONNECTION, f"Connection: {exc}")
        if code not in (250, 251):
            return self._refused(code, text)
        if not before_data():
            self._reset()
            return Result(STOPPED)
        try:
            smtp.putcmd("data")
            code, text = smtp.getreply()
            if code != 354:
                return self._refused(code, text)
            body = data if stuffed else dot_stuff(data)
            smtp.send(body + (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        except _NETWORK_ERRORS as exc:  # the message never ended: the server discards it
            self.close()
            return Result(CONNECTION, f"Connection: {exc}")
        try:
            code, text = smtp.getreply()
        except _NETWORK_ERRORS as exc:
            self.close()
            return Result(
                UNCERTAIN, f"Uncertain: the connection was lost before the server replied ({exc})"
            )
        if code != 250:
            return self._refused(code, text)
        return Result(SENT, _reply(code, text))
