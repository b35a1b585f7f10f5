"""gunicorn's log, without visitors' addresses.

gunicorn names the client's address in some of its own lines ("Invalid request
from ip=…" for a malformed request, for instance). The site keeps no record of
visitors, so every command that serves it (`make run`, docs/deploy.md) uses
this logger, which replaces any IP address in a line with "[address]". The one
line that names the server's own address (where it listens) is left as it is.
No access log is configured anywhere.
"""

import re

from gunicorn.glogging import Logger

IPV4 = r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)"
_GROUP = r"[0-9A-Fa-f]{1,4}"
# IPv6 in full (eight groups) or compressed (with "::"), perhaps with an IPv4 tail.
IPV6 = (
    rf"(?<![\w:])(?:(?:{_GROUP}:){{7}}{_GROUP}"
    rf"|(?:{_GROUP}:){{0,6}}(?:{_GROUP})?::(?:{_GROUP}:){{0,6}}(?:{IPV4}|{_GROUP})?)(?![\w:])"
)
ADDRESS = re.compile(f"{IPV6}|{IPV4}")
REDACTED = "[address]"
# gunicorn's own line for where it listens: the server's address, not a visitor's.
LISTENING = "Listening at: %s (%s)"


def without_addresses(text: str) -> str:
    return ADDRESS.sub(REDACTED, text)


class PrivateLogger(Logger):
    """gunicorn's error log with IP addresses removed from every message."""

    @staticmethod
    def _private(msg, args) -> tuple:
        if msg == LISTENING:
            return (msg, *args)
        return (without_addresses(str(msg) % args if args else str(msg)),)

    def critical(self, msg, *args, **kwargs):
        super().critical(*self._private(msg, args), **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(*self._private(msg, args), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(*self._private(msg, args), **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(*self._private(msg, args), **kwargs)

    def debug(self, msg, *args, **kwargs):
        super().debug(*self._private(msg, args), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(*self._private(msg, args), **kwargs)
