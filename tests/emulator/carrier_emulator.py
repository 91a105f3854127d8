#!/usr/bin/python3
"""A throttling Japanese mobile carrier on loopback, for tests and benchmarks.

    carrier_emulator.py --port P --ledger FILE [--config JSON_FILE] [--host 127.0.0.1]

SMTP comes from aiosmtpd (Debian's python3-aiosmtpd); this file only adds carrier
behaviour in its RCPT and DATA hooks: per-carrier rate limits, connection limits,
recipient limits, unknown users and size limits, answered with 421 or a TCP reset
the way carriers do (mission.md, "Mobile carriers"). Every accepted message is
appended to the ledger as one JSON line, flushed before the 250 goes out, so a test
can count lost and duplicate Message-IDs. See README.md for the config format.
"""
import argparse
import asyncio
import datetime
import json
import re
import signal
import socket
import struct
import sys
import time

from aiosmtpd.smtp import SMTP

MB = 1024 * 1024

# Carriers publish no thresholds (mission.md): the rates and connection counts below are
# invented, plausible defaults; the structural limits (100 RCPT, au 3 MB, SoftBank 1 MB,
# au answering congestion with a TCP reset) are the documented ones.
DEFAULT_CARRIERS = {
    "docomo": {"domains": ["docomo.ne.jp"], "rate_per_second": 100, "max_connections": 10},
    "au": {"domains": ["ezweb.ne.jp", "au.com", "biz.au.com"], "rate_per_second": 100,
           "max_connections": 10, "throttle": "reset", "overload": "reset", "max_message_bytes": 3 * MB},
    "softbank": {"domains": ["softbank.ne.jp", "i.softbank.jp", "disney.ne.jp", "*.vodafone.ne.jp"],
                 "rate_per_second": 100, "max_connections": 10, "max_message_bytes": 1 * MB},
    "ymobile": {"domains": ["ymobile.ne.jp"], "rate_per_second": 50, "max_connections": 5},
    "gmail": {"domains": ["gmail.com"], "rate_per_second": 200, "max_connections": 20},
    "other": {"domains": ["*"], "rate_per_second": None, "max_connections": None},
}
CARRIER_DEFAULTS = {
    "domains": [], "rate_per_second": None, "burst": None, "max_connections": None,
    "overload": "421", "throttle": "421", "max_rcpt_per_session": 100,
    "unknown_users": "^unknown", "max_message_bytes": None,
    "drop_after_data": None, "drop_during_data": None, "slow_reply": None, "slow_reply_seconds": 2,
}
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class Stats:
    def __init__(self):
        self.accepted = self.throttled = self.reset = self.unknown = self.refused = self.dropped = self.slowed = 0
        self.cut = 0


class Carrier:
    """One carrier's limits and its shared state (token bucket, sessions holding a slot)."""

    def __init__(self, name, cfg):
        unknown_keys = set(cfg) - set(CARRIER_DEFAULTS)
        if unknown_keys:
            raise ValueError(f"carrier {name}: unknown setting(s) {sorted(unknown_keys)}")
        cfg = {**CARRIER_DEFAULTS, **cfg}
        for key in ("overload", "throttle"):
            if cfg[key] not in ("421", "reset"):
                raise ValueError(f'carrier {name}: {key} must be "421" or "reset"')
        self.name = name
        self.domains = [d.lower() for d in cfg["domains"]]
        self.rate = cfg["rate_per_second"] or None
        # A small bucket (a tenth of a second's worth by default) keeps the rate measured over
        # a few seconds close to the configured one; a full second's burst would inflate it.
        self.burst = float(cfg["burst"] or (max(1.0, self.rate / 10) if self.rate else 1))
        self.tokens = self.burst
        self.refilled = time.monotonic()
        self.max_connections = cfg["max_connections"]
        self.overload = cfg["overload"]
        self.throttle = cfg["throttle"]
        self.max_rcpt = cfg["max_rcpt_per_session"]
        self.max_bytes = cfg["max_message_bytes"]
        unknown = cfg["unknown_users"]
        if isinstance(unknown, str):
            pattern = re.compile(unknown, re.IGNORECASE)
            self.is_unknown = lambda local: pattern.search(local) is not None
        else:
            names = {u.lower() for u in unknown or []}
            self.is_unknown = lambda local: local.lower() in names
        # Faults for the reliability tests, each on the first delivery of a message to a matching local part
        # only, so a retry gets through: a connection dropped after the message was taken (the sender cannot
        # know it was: a duplicate with the same Message-ID follows), a connection reset while the message is
        # still arriving (nothing was taken), and a reply held back for seconds.
        self.drop_after_data = re.compile(cfg["drop_after_data"], re.IGNORECASE) if cfg["drop_after_data"] else None
        self.drop_during_data = re.compile(cfg["drop_during_data"], re.IGNORECASE) if cfg["drop_during_data"] else None
        self.slow_reply = re.compile(cfg["slow_reply"], re.IGNORECASE) if cfg["slow_reply"] else None
        self.slow_reply_seconds = float(cfg["slow_reply_seconds"])
        self.sessions = set()

    def _refill(self):
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now

    def has_token(self):
        if self.rate is None:
            return True
        self._refill()
        return self.tokens >= 1

    def take_token(self):
        if self.rate is None:
            return True
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def load_carriers(path):
    config = {}
    if path:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    extra = set(config) - {"carriers"}
    if extra:
        raise ValueError(f"unknown top-level key(s) {sorted(extra)}; expected only \"carriers\"")
    merged = {name: dict(cfg) for name, cfg in DEFAULT_CARRIERS.items()}
    for name, cfg in config.get("carriers", {}).items():
        merged[name] = {**merged.get(name, {}), **cfg}
    return [Carrier(name, cfg) for name, cfg in merged.items()]


class Emulator:
    """The aiosmtpd handler: carrier rules at RCPT and DATA, and the ledger."""

    def __init__(self, carriers, ledger):
        self.carriers = carriers
        self.ledger = ledger
        self.stats = Stats()
        self.faulted = set()  # (message id, recipients) that had their one fault
        self.exact = {d: c for c in carriers for d in c.domains if not d.startswith("*")}
        self.suffixes = sorted(((d[1:], c) for c in carriers for d in c.domains if d.startswith("*.")),
                               key=lambda dc: -len(dc[0]))
        self.fallback = next((c for c in carriers if "*" in c.domains), None)

    def carrier_for(self, domain):
        domain = domain.lower()
        if domain in self.exact:
            return self.exact[domain]
        for suffix, carrier in self.suffixes:
            if domain.endswith(suffix):
                return carrier
        return self.fallback

    def refuse(self, server, kind, reply, action="421"):
        """Counts and logs a refusal; a "reset" action aborts the connection instead of replying."""
        peer = server.session.peer if server.session else None
        if action == "reset":
            self.stats.reset += 1
            print(f"EMULATOR reset {peer}: {reply}", file=sys.stderr, flush=True)
            server.reset_connection()
            return reply  # never sent: push() drops it on a reset connection
        setattr(self.stats, kind, getattr(self.stats, kind) + 1)
        print(f"EMULATOR {kind} {peer}: {reply}", file=sys.stderr, flush=True)
        return reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local, _, domain = address.rpartition("@")
        carrier = self.carrier_for(domain)
        if carrier is None:
            return self.refuse(server, "refused", "550 5.7.1 relay denied")
        bound = getattr(envelope, "carrier", None)
        if bound is not None and bound is not carrier:
            # A carrier's MX only takes its own domains: one carrier per transaction keeps the
            # ledger and the rate accounting per carrier exact.
            return self.refuse(server, "refused", "451 4.3.0 one carrier per transaction")
        if len(envelope.rcpt_tos) >= carrier.max_rcpt:
            return self.refuse(server, "refused", "452 4.5.3 too many recipients")
        if server not in carrier.sessions:
            if carrier.max_connections is not None and len(carrier.sessions) >= carrier.max_connections:
                return self.refuse(server, "throttled", "421 4.7.0 too many connections", carrier.overload)
            carrier.sessions.add(server)
            server.held.add(carrier)
        if carrier.is_unknown(local):
            return self.refuse(server, "unknown", "550 5.1.1 user unknown")
        if not carrier.has_token():
            return self.refuse(server, "throttled", "421 4.7.0 try again later", carrier.throttle)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        envelope.carrier = carrier
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        carrier = envelope.carrier
        content = envelope.original_content
        if carrier.max_bytes is not None and len(content) > carrier.max_bytes:
            return self.refuse(server, "refused", "552 5.3.4 message too big")
        # The token is taken here, at acceptance, so the rate holds across all connections
        # even when many of them passed the RCPT check at the same moment.
        if not carrier.take_token():
            return self.refuse(server, "throttled", "421 4.7.0 try again later", carrier.throttle)
        now = time.time()
        entry = {
            "time": datetime.datetime.fromtimestamp(now, datetime.timezone.utc).isoformat(timespec="milliseconds"),
            "ts": round(now, 6),
            "carrier": carrier.name,
            "mail_from": envelope.mail_from,
            "recipients": list(envelope.rcpt_tos),
            "message_id": message_id(content),
            "size": len(content),
        }
        self.ledger.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.ledger.flush()
        self.stats.accepted += 1
        local = envelope.rcpt_tos[0].rpartition("@")[0]
        key = (entry["message_id"], tuple(envelope.rcpt_tos))
        if key not in self.faulted:
            if carrier.drop_after_data is not None and carrier.drop_after_data.search(local):
                self.faulted.add(key)
                self.stats.dropped += 1
                print(f"EMULATOR dropped after DATA {server.session.peer}: {entry['message_id']}", file=sys.stderr, flush=True)
                server.reset_connection()
                return "250 2.0.0 OK queued"  # never sent: the connection is gone
            if carrier.slow_reply is not None and carrier.slow_reply.search(local):
                self.faulted.add(key)
                self.stats.slowed += 1
                await asyncio.sleep(carrier.slow_reply_seconds)
        return "250 2.0.0 OK queued"


def message_id(content):
    head = content.split(b"\r\n\r\n", 1)[0]
    match = re.search(rb"^message-id:[ \t]*(.*(?:\r\n[ \t].*)*)", head, re.IGNORECASE | re.MULTILINE)
    return match.group(1).decode("utf-8", "replace").replace("\r\n", "").strip() if match else None


class CarrierSMTP(SMTP):
    """aiosmtpd's SMTP session, plus: 421 closes the connection, resets are real TCP RSTs,
    and carrier connection slots are released when the session ends."""

    open_sessions = set()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held = set()
        self.was_reset = False

    def connection_made(self, transport):
        super().connection_made(transport)
        CarrierSMTP.open_sessions.add(self)

    def connection_lost(self, error):
        for carrier in self.held:
            carrier.sessions.discard(self)
        self.held.clear()
        CarrierSMTP.open_sessions.discard(self)
        super().connection_lost(error)

    async def smtp_DATA(self, arg):
        """Cuts the connection in the middle of the message for a drop_during_data recipient, once per recipient
        list: after the 354 and the first line of the message, before the end-of-data, so nothing is taken."""
        envelope = self.envelope
        carrier = getattr(envelope, "carrier", None) if envelope is not None else None
        if carrier is not None and carrier.drop_during_data is not None and envelope.rcpt_tos and not arg:
            key = ("during-data", tuple(envelope.rcpt_tos))
            local = envelope.rcpt_tos[0].rpartition("@")[0]
            if carrier.drop_during_data.search(local) and key not in self.event_handler.faulted:
                self.event_handler.faulted.add(key)
                self.event_handler.stats.cut += 1
                await self.push("354 End data with <CR><LF>.<CR><LF>")
                try:
                    await asyncio.wait_for(self._reader.readuntil(b"\r\n"), 10)
                except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    pass
                print(f"EMULATOR cut during DATA {self.session.peer}: {list(envelope.rcpt_tos)}", file=sys.stderr, flush=True)
                self.reset_connection()
                return
        await super().smtp_DATA(arg)

    def reset_connection(self):
        self.was_reset = True
        if self.transport is None:
            return
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            # SO_LINGER with a zero timeout makes close() send RST, as au does when congested.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()

    async def push(self, status):
        if self.was_reset or self.transport is None:
            return
        await super().push(status)
        text = status if isinstance(status, str) else status.decode("ascii", "replace")
        if text.startswith("421") and self.transport is not None:
            self.transport.close()  # RFC 5321: 421 closes the channel; flushes the reply first


async def serve(args, emulator):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: CarrierSMTP(emulator, hostname="carrier-emulator", data_size_limit=64 * MB,
                            enable_SMTPUTF8=True, loop=loop),
        host=args.host, port=args.port)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"READY port={port}", flush=True)
    await stop.wait()
    server.close()
    for session in list(CarrierSMTP.open_sessions):
        if session.transport is not None:
            session.transport.close()
    await asyncio.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="TCP port; 0 lets the kernel pick (see READY)")
    parser.add_argument("--ledger", required=True, help="JSON-lines file of accepted messages (appended)")
    parser.add_argument("--config", help="JSON file of carrier settings (README.md)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    args = parser.parse_args()
    if args.host not in LOOPBACK:
        parser.error(f"--host {args.host}: the emulator listens on loopback only")
    try:
        carriers = load_carriers(args.config)
    except (OSError, ValueError, TypeError) as error:
        parser.error(f"config: {error}")
    with open(args.ledger, "a", encoding="utf-8") as ledger:
        emulator = Emulator(carriers, ledger)
        asyncio.run(serve(args, emulator))
    s = emulator.stats
    print(f"EMULATOR accepted={s.accepted} throttled={s.throttled} reset={s.reset} "
          f"unknown={s.unknown} refused={s.refused} dropped={s.dropped} slowed={s.slowed} cut={s.cut}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
